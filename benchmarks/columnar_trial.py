"""What a columnar reader and single-event key would cost, against the path of today: a trial,
not the backtest's code (docs/BENCHMARKS.md, "Session 15").

    pip install --target /tmp/arrow-site pyarrow          # pyarrow is not a dependency
    pip install --target /tmp/simd-site pysimdjson        # for --only simd
    python benchmarks/columnar_trial.py --site /tmp/arrow-site --feed events-1m.jsonl --lines 10000
    valgrind --tool=callgrind python benchmarks/columnar_trial.py --site ... --only rows   # one side

Both sides take the same lines, in file order (the reorder buffer is left out of both), in
batches of 5,000, and end with each event's group: the events whose single-event keys are equal.

* rows (today): ``fast_events.decode_lines`` (msgspec and the checks after it, in runs of
  64 KiB of lines as ``event_files`` reads them), the fact rows
  (``facts.rows_projector``), the source weights, ``SingleStage.keys_of_rows`` and the distinct
  keys (``dict.fromkeys``), as ``reader.prepare`` and ``DurableMatcher._batch_rows`` do.
* columns: pyarrow's JSON reader with an explicit schema (unknown keys an error), the checks
  that decide whether a line may skip pydantic done as column operations (keys counted against
  the line's ``":``, lengths, ranges, choices), each key slot as integer codes (strings by
  Arrow's dictionary encoding, numbers by ``numpy.searchsorted`` over the rule constants),
  the source weights' keys as codes, and the groups by ``numpy.unique`` of the combined codes.

The columns side checks only what the world feed needs (no figures, derivations or spans); it
prints whether its groups are exactly the rows side's (the same partition of the events).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BATCH = 5_000


def _blocks(lines: list[bytes]) -> list[list[bytes]]:
    """The lines in runs of about READ_BLOCK_BYTES, as the light reader checks them together
    (its numpy passes stay in the processor's cache; over 5,000 lines at once their fresh
    arrays cost more in page faults, which callgrind does not count, than the passes)."""
    from riskengine.ingest.event_files import READ_BLOCK_BYTES

    blocks: list[list[bytes]] = [[]]
    size = 0
    for line in lines:
        if size >= READ_BLOCK_BYTES:
            blocks.append([])
            size = 0
        blocks[-1].append(line)
        size += len(line) + 1
    return blocks


def decode_only(lines: list[bytes]) -> None:
    """msgspec's decoding into FastEvents alone, the checks after it left out."""
    from riskengine.ingest.fast_events import _decode_each

    started = time.process_time()
    for start in range(0, len(lines), BATCH):
        for block in _blocks(lines[start : start + BATCH]):
            _decode_each(block)
    print(f"decode:  {(time.process_time() - started) / len(lines) * 1e6:6.2f} us a line (CPU)")


def parse_only(lines: list[bytes]) -> None:
    """pyarrow's JSON reader alone, into the columns of the schema."""
    import pyarrow as pa
    import pyarrow.json as pj

    from riskengine.ingest.fast_events import FastEvent, FastSource

    parse = pj.ParseOptions(explicit_schema=_schema(pa, FastEvent, FastSource), unexpected_field_behavior="error")
    read = pj.ReadOptions(use_threads=False, block_size=1 << 26)
    started = time.process_time()
    for start in range(0, len(lines), BATCH):
        pj.read_json(io.BytesIO(b"\n".join(lines[start : start + BATCH])), read_options=read, parse_options=parse)
    print(f"parse:   {(time.process_time() - started) / len(lines) * 1e6:6.2f} us a line (CPU)")


def simd_only(lines: list[bytes]) -> None:
    """pysimdjson's parser alone (a lazy document per line, no Python object per field): the
    order of magnitude a native core's own parsing would take."""
    import simdjson

    parser = simdjson.Parser()
    started = time.process_time()
    for line in lines:
        parser.parse(line)  # the document is dropped before the next parse (the parser reuses it)
    print(f"simd:    {(time.process_time() - started) / len(lines) * 1e6:6.2f} us a line (CPU)")


def rows_side(lines: list[bytes]) -> list[list[int]]:
    from riskengine import api
    from riskengine.engine.durable.matcher import DurableMatcher
    from riskengine.ingest.fast_events import decode_lines
    from riskengine.scoring.facts import row_projector, rows_projector, share_identical_rules
    from riskengine.scoring.scorer import source_weights

    compiled = api.compile_pack(api.load_rules())
    shared, _ = share_identical_rules(compiled)
    matcher = DurableMatcher(shared)
    names, _ = row_projector(compiled.fields)
    rows_of = rows_projector(compiled.fields)
    groups: list[list[int]] = []
    started = time.process_time()
    for start in range(0, len(lines), BATCH):
        events = [event for block in _blocks(lines[start : start + BATCH]) for event in decode_lines(block)]
        rows = rows_of(events, None)  # type: ignore[arg-type]
        source_weights(events)  # type: ignore[arg-type]
        keys, _ = matcher.single.keys_of_rows(names, rows, lambda n: {})
        distinct = {key: n for n, key in enumerate(dict.fromkeys(keys))}
        groups.append(list(map(distinct.__getitem__, keys)))
    print(f"rows:    {(time.process_time() - started) / len(lines) * 1e6:6.2f} us a line (CPU)")
    return groups


def columns_side(lines: list[bytes]) -> list[list[int]]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pj

    from riskengine import api
    from riskengine.core.events import SUB_EVENT_TYPES
    from riskengine.engine.durable.plan import Plan
    from riskengine.ingest.fast_events import FastEvent, FastSource
    from riskengine.scoring.facts import share_identical_rules

    compiled = api.compile_pack(api.load_rules())
    shared, _ = share_identical_rules(compiled)
    plan = Plan(shared)
    schema = _schema(pa, FastEvent, FastSource)
    parse = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    read = pj.ReadOptions(use_threads=False, block_size=1 << 26)
    choices = {name: pa.array(sorted(_choices(FastEvent, name))) for name in ("event_type", "verification", "target_category", "diplomatic_kind", "diplomatic_status")}
    pairs = pa.array(sorted(f"{t}\x00{s}" for t, subs in SUB_EVENT_TYPES.items() for s in subs))
    groups: list[list[int]] = []
    started = time.process_time()
    for start in range(0, len(lines), BATCH):
        batch = lines[start : start + BATCH]
        data = b"\n".join(batch)
        table = pj.read_json(io.BytesIO(data), read_options=read, parse_options=parse)
        count = table.num_rows
        # --- the checks: keys given (not null) against the line's '":' (no key repeated, none null)
        given = np.zeros(count, np.int64)
        for name in table.column_names:
            column = table.column(name)
            if column.null_count:
                given += np.asarray(pc.is_valid(column))
            else:
                given += 1
        sources = pa.concat_arrays(table.column("sources").chunks)
        per_event = np.diff(np.asarray(sources.offsets)).astype(np.int64)
        flat = sources.values
        source_keys = np.zeros(len(flat), np.int64)
        for child in range(flat.type.num_fields):
            field = flat.field(child)
            source_keys += np.asarray(pc.is_valid(field)) if field.null_count else 1
        ends = np.cumsum(per_event)
        given += np.diff(np.r_[0, np.cumsum(source_keys)][np.r_[0, ends]]) if len(flat) else 0
        raw = np.frombuffer(data, np.uint8)
        key_ends = (raw[:-1] == 34) & (raw[1:] == 58)
        line_starts = np.r_[0, np.cumsum(np.fromiter(map(len, batch), np.int64, count)[:-1] + 1)]
        ok = np.diff(np.searchsorted(np.flatnonzero(key_ends), np.r_[line_starts, len(raw)])) == given  # '":' per line
        ok &= per_event >= 1
        for name, allowed in choices.items():
            column = table.column(name)
            ok &= np.asarray(pc.or_(pc.is_in(column, value_set=allowed), pc.is_null(column)))
        subs = pc.binary_join_element_wise(table.column("event_type"), table.column("sub_event_type"), "\x00")
        ok &= np.asarray(pc.or_(pc.is_in(subs, value_set=pairs), pc.is_null(subs)))
        country = table.column("country")
        ok &= np.asarray(pc.utf8_length(country)) == 3
        ok &= np.asarray(pc.fill_null(pc.utf8_is_upper(country), False))
        ok &= np.asarray(pc.utf8_length(table.column("event_date"))) == 10
        for name in ("event_id", "actor1", "actor2", "admin1", "location", "notes", "initiator_side", "target_side", "target_name"):
            column = table.column(name)
            ok &= np.asarray(pc.fill_null(pc.equal(column, pc.utf8_trim_whitespace(column)), True))
        for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180), ("fatalities", 0, 999_999_999), ("geo_precision", 1, 3)):
            values = table.column(name)
            ok &= np.asarray(pc.fill_null(pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high)), True))
        days = pc.cast(table.column("event_date"), pa.date32())  # the day of each event, for the reorder buffer
        del days
        # --- the source weights' keys: each source's (name, reliability, credibility) as one code
        name_codes = np.asarray(pc.dictionary_encode(flat.field("name")).indices, np.int64)
        grade = np.asarray(pc.fill_null(pc.index_in(flat.field("reliability"), value_set=pa.array(list("ABCDEF"))), 5), np.int64)
        credibility = np.asarray(pc.fill_null(flat.field("credibility"), 6), np.int64)
        source_code = (name_codes * 6 + grade) * 7 + credibility
        first = source_code[np.r_[0, ends[:-1]]] if len(flat) else np.zeros(count, np.int64)
        np.unique(first + per_event * (1 << 40), return_inverse=True)
        # --- the key: one integer code per slot, combined
        combined = np.zeros(count, np.int64)
        for target in plan.sent_fields:
            codes, size = _codes(np, pa, pc, table, target)
            combined = combined * size + codes
        for target in plan.groups:
            codes, size = _group_codes(np, pc, table, target)
            combined = combined * size + codes
        _, inverse = np.unique(combined, return_inverse=True)
        if not ok.all():
            raise SystemExit(f"a batch at line {start} has {np.count_nonzero(~ok)} flagged lines: the careful path would take it")
        groups.append(inverse.tolist())
    print(f"columns: {(time.process_time() - started) / len(lines) * 1e6:6.2f} us a line (CPU)")
    return groups


def _codes(np: Any, pa: Any, pc: Any, table: Any, target: Any) -> tuple[Any, int]:
    """A slot's integer codes (0: absent) and how many codes it may take."""
    name = target.name
    if name in ("launched_total", "interception_rate"):
        return _derived_codes(np, table, target)
    column = table.column(name)
    if name in _DEFAULTS:  # absent reads as Event's default (see fast_events._complete)
        column = pc.fill_null(column, _DEFAULTS[name])
    if target.presence_only:
        return np.asarray(pc.is_valid(column), np.int64), 2
    if target.kind == "str":
        named = pa.array(sorted(target._names))
        found = np.asarray(pc.fill_null(pc.index_in(column, value_set=named), -1), np.int64)
        codes = np.where(np.asarray(pc.is_valid(column)), found + 2, 0)
        return codes, len(target._names) + 2
    if target.kind == "bool":
        values = np.asarray(pc.fill_null(pc.cast(column, pa.int64()), -1), np.int64)
        return values + 1, 3
    constants = np.asarray(target._sorted, np.float64)
    values = np.asarray(pc.fill_null(pc.cast(column, pa.float64()), np.nan))
    return _interval_codes(np, values, constants)


_DEFAULTS = {"fatalities": 0, "civilian_targeting": False, "verification": "claimed"}


def _interval_codes(np: Any, values: Any, constants: Any) -> tuple[Any, int]:
    """A number's interval between the rule constants, or the constant it equals; 0 when absent."""
    left = np.searchsorted(constants, values, side="left")
    right = np.searchsorted(constants, values, side="right")
    codes = 2 * left + (right > left) + 1
    codes[np.isnan(values)] = 0
    return codes.astype(np.int64), 2 * len(constants) + 2


def _derived_codes(np: Any, table: Any, target: Any) -> tuple[Any, int]:
    def filled(name: str) -> tuple[Any, Any]:
        column = table.column(name)
        values = np.asarray(column.to_numpy(zero_copy_only=False), np.float64)
        present = ~np.isnan(values)
        return np.nan_to_num(values), present

    drones, has_drones = filled("drones_launched")
    missiles, has_missiles = filled("missiles_launched")
    launched = drones + missiles
    if target.name == "launched_total":
        values = np.where(has_drones | has_missiles, launched, np.nan)
    else:
        d_int, has_di = filled("drones_intercepted")
        m_int, has_mi = filled("missiles_intercepted")
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(launched > 0, (d_int + m_int) / launched, np.nan)
        values = np.where(has_di | has_mi, rate, np.nan)
    return _interval_codes(np, values, np.asarray(target._sorted, np.float64))


def _group_codes(np: Any, pc: Any, table: Any, target: Any) -> tuple[Any, int]:
    """A Python-tested field's codes: its distinct values' results, by dictionary encoding."""
    column = table.column(target.name)
    if target.name == "tags":  # absent reads as [] (Event's default); the few given, one by one
        empty = target.results([])
        given = np.flatnonzero(np.asarray(pc.is_valid(column)))
        codes = np.zeros(len(column), np.int64)
        distinct: dict[Any, int] = {empty: 0}
        for n, value in zip(given.tolist(), column.take(given).to_pylist(), strict=True):
            codes[n] = distinct.setdefault(target.results(value), len(distinct))
        return codes, 1 << 11
    encoded = pc.dictionary_encode(column).combine_chunks()
    dictionary = encoded.dictionary.to_pylist()
    distinct = {None: 0}
    codes = np.asarray([distinct.setdefault(target.results(value), len(distinct)) for value in dictionary] or [0], np.int64)
    indices = np.asarray(pc.fill_null(encoded.indices, -1), np.int64)
    return np.where(indices >= 0, codes[np.maximum(indices, 0)], 0), 1 << 11


def _choices(struct: Any, name: str) -> tuple[str, ...]:
    import typing

    hint = typing.get_type_hints(struct, include_extras=True)[name]
    found: list[str] = []

    def walk(tp: Any) -> None:
        if typing.get_origin(tp) is typing.Literal:
            found.extend(typing.get_args(tp))
        for arg in typing.get_args(tp):
            walk(arg)

    walk(hint)
    return tuple(found)


def _schema(pa: Any, event: Any, source: Any) -> Any:
    import datetime as dt
    import typing

    def arrow_type(tp: Any) -> Any:
        args = [a for a in typing.get_args(tp) if a is not type(None) and a.__class__.__name__ != "UnsetType" and a is not typing.Any]
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            return arrow_type(typing.get_args(tp)[0])
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            kinds = [arrow_type(a) for a in args]
            return kinds[0]
        if origin is list:
            inner = typing.get_args(tp)[0]
            if inner is source:
                return pa.list_(pa.struct([(n, arrow_type(typing.get_type_hints(source, include_extras=True)[n])) for n in source.__struct_fields__]))
            if inner is str:
                return pa.list_(pa.string())
            return pa.list_(pa.string())  # figures, derivations, spans: not in the world feed
        if origin is typing.Literal or tp is str or tp is dt.date:
            return pa.string()
        if tp is int:
            return pa.int64()
        if tp is float:
            return pa.float64()
        if tp is bool:
            return pa.bool_()
        return pa.string()

    hints = typing.get_type_hints(event, include_extras=True)
    return pa.schema([(name, arrow_type(hints[name])) for name in event.__struct_fields__])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", required=True)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--site", action="append", default=[], help="where pyarrow (or pysimdjson) is installed (pip install --target); repeatable")
    parser.add_argument(
        "--only",
        choices=("rows", "columns", "decode", "parse", "simd", "none"),
        help="one side only (for callgrind; decode: msgspec alone, parse: pyarrow's reader alone, simd: pysimdjson's parser alone, none: start-up)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="run both sides this many times, taking turns (CPU figures)")
    args = parser.parse_args(argv)
    for site in args.site:
        sys.path.insert(0, site)
    sys.path.insert(0, str(REPO))
    with open(args.feed, "rb") as source:
        lines = [line.rstrip(b"\n") for _, line in zip(range(args.lines), source, strict=False)]
    for module in ("numpy", "pyarrow.compute", "pyarrow.json", "riskengine.api"):
        importlib.import_module(module)  # what either side imports: start-up, the same for both

    gc.disable()
    if args.only == "none":
        return 0
    if args.only == "decode":
        decode_only(lines)
        return 0
    if args.only == "parse":
        parse_only(lines)
        return 0
    if args.only == "simd":
        simd_only(lines)
        return 0
    for _ in range(args.repeat):
        rows = rows_side(lines) if args.only != "columns" else None
        columns = columns_side(lines) if args.only != "rows" else None
        if args.only is None:
            decode_only(lines)
            parse_only(lines)
        if rows is not None and columns is not None:
            same = all(_same_partition(a, b) for a, b in zip(rows, columns, strict=True))
            print(f"same groups: {same} ({sum(len(set(a)) for a in rows)} distinct keys in {len(rows)} batches)")
    return 0


def _same_partition(a: list[int], b: list[int]) -> bool:
    pairs = set(zip(a, b, strict=True))
    return len(pairs) == len(set(a)) == len(set(b))


if __name__ == "__main__":
    sys.exit(main())
