"""The event store: events kept between runs, every revision with when and from where it
arrived, the briefs that were published and the alerts that were delivered.

One SQLite file per project by default (stdlib ``sqlite3``, WAL), or a PostgreSQL server given by
a ``postgresql://`` URL through the same code (``riskengine.store.dialect``). May import ``core`` and
``ingest`` only: it stores events, it does not score them.
"""

from riskengine.store.db import STORE_ENV, BriefRecord, IngestCounts, Store, StoreError, open_store, read_store_events, store_location
from riskengine.store.ingest import IngestResult, ingest_events, ingest_file, read_acled_file

__all__ = [
    "STORE_ENV",
    "BriefRecord",
    "IngestCounts",
    "IngestResult",
    "Store",
    "StoreError",
    "ingest_events",
    "ingest_file",
    "open_store",
    "read_acled_file",
    "read_store_events",
    "store_location",
]
