"""Stage 5, briefs: a score report becomes the per-stakeholder brief, rendered by sandboxed
Jinja2 templates to Markdown, HTML and JSON. May import ``core`` and ``scoring``.
"""
