"""The HTTP service over the event store (``riskengine serve``), and the alerts it sends.

Owns the FastAPI application (``riskengine.service.app``, imported only when serving: FastAPI and
uvicorn are the optional ``[serve]`` extra), rule pack reloading, decision logs, and alerts with
their webhook delivery. May import the facades (``riskengine.api``) and every stage below them,
the store included; the CLI imports it, never the reverse.
"""
