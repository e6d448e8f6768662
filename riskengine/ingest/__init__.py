"""Stage 1, events in: event files (YAML, JSON, JSON Lines), ACLED exports and article text
become validated ``Event`` objects, with every rejected record and its reason.

Owns: readers and importers (``event_files``, ``acled``) and the extraction layer that derives
fields from prose (``extract``: ACLED notes and news articles share it). May import ``core``
only; nothing here knows about rules, matching or scores.
"""
