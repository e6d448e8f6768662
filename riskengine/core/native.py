"""The C extension (``riskengine/core/_native.c``), loaded once for every stage that uses it.

``NATIVE`` is the module, or None where it is not built or ``RISKENGINE_NATIVE=0`` asks for the
Python paths (the fallbacks, and the oracles the native paths are tested against). It lives in
``core`` so that the readers (``ingest``) and the matcher (``engine``) both take it from below
them: the engine imports only ``core`` and ``rules``. The readers' entry points need the msgspec
structs of ``riskengine.ingest.fast_events`` and are set up there (``fast_events.NATIVE`` is None
when that fails); the engine's (``pattern_file``, ``cached_column``, ``distinct_keys``,
``take_id``, ``joined_expire``, ``release_expired``) read no struct and need no set-up.
"""

from __future__ import annotations

import os
from typing import Any

NATIVE_ENV = "RISKENGINE_NATIVE"


def _load() -> Any:
    if os.environ.get(NATIVE_ENV, "1") == "0":
        return None
    try:
        from riskengine.core import _native  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _native


NATIVE: Any = _load()

__all__ = ["NATIVE", "NATIVE_ENV"]
