"""Stage 5 (after scoring), briefs: a score report becomes a weekly brief per stakeholder (Markdown, HTML, JSON),
with its judgments, drivers (and the values derived for them), actions and watchlist.

Owns: the brief context models and their rendering through the templates (``render``). May
import ``core``, ``scoring`` and ``rules`` (a rule's metadata: the public methods a rule may cite,
``citations``); not ``ingest``: a brief reads events as ``core`` defines them, and the map's
boundaries are found through ``core.resources`` as ingest's distances are; nor ``engine``.
"""
