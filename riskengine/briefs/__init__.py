"""Stage 5 (after scoring), briefs: a score report becomes a weekly brief per stakeholder (Markdown, HTML, JSON),
with its judgments, drivers (and the values derived for them), actions and watchlist.

Owns: the brief context models and their rendering through the templates (``render``). May
import ``core`` and ``scoring``.
"""
