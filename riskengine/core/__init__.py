"""Foundation every stage stands on: the event model, typed errors with locations, ISO-week
windows, YAML read with line and column, atomic file writing, the Jinja2 sandbox and where the
bundled files live.

Owns: what an event is (``events``), how a problem is reported (``errors``, ``source``), and the
small services every stage needs. Imports nothing else from riskengine: every other subpackage
may import from here.
"""
