"""ACLED exports (CSV, Excel workbooks, API JSON, JSON arrays) -> events: ``riskengine import acled FILE``.

reader.py opens any real export shape (encodings, preamble, JSON, .xlsx through workbook.py) as
numbered rows; dates.py reads every date form, deciding ambiguous ones per file; taxonomy.py maps
pre-2019 event types; countries.py + countries.yaml place rows by ACLED's country names; rows.py
turns one row into an Event, sources.py grades its sources and says whether it is confirmed;
importer.py runs the passes (merging per-actor rows, keeping the latest revision, writing
in date order).
"""

from riskengine.ingest.acled.dates import parse_date
from riskengine.ingest.acled.importer import ImportResult, import_acled
from riskengine.ingest.acled.rows import row_to_event

__all__ = ["ImportResult", "import_acled", "parse_date", "row_to_event"]
