"""A backtest cut into time partitions gives the bytes of one process, however it is cut.

Random rule sets (pattern windows of 0 to 60 days, legs dated before or after each other, joins
on names and sides, now and then a rule without a window or one counted ``once_per`` last event) score random feeds cut at random
week edges and into random blocks; the CSV and JSON of the partitioned run must equal one
process's. The tasks run here, one after the other (``backtest_partitioned_here``): the cluster
only decides where they run. One test at the end runs them on a real local Dask cluster.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ir_strategies import Chooser

from riskengine.cli.app import main
from riskengine.cli.backtest import render_csv
from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.core.windows import week_of
from riskengine.ingest.event_files import write_events_jsonl
from riskengine.rules.compiler import ContradictionError, last_leg_latest, window_days
from riskengine.rules.ir import And, CompiledRule, CompiledRuleSet, Cond, Join, Not, Or, Pattern, Test
from riskengine.rules.models import Rule
from riskengine.rules.pack import RulePack
from riskengine.scoring.backtest import BacktestResult, backtest_files, backtest_partitioned_here, run_backtest, to_csv_rows, to_json_data
from riskengine.scoring.partition import CarryTest, blocks_of_chunks, split_input

START = dt.date(2024, 1, 1)  # a Monday
SIDES = ["Russia", "Ukraine"]
NAMES = ["Kupol", "Azot", "Port"]
TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"), ("Strategic developments", "Agreement")]


# -- random rules -----------------------------------------------------------------------------


def _test(c: Chooser) -> Cond:
    kind = c.integer(0, 7)
    if kind == 0:
        return Test("event_type", "eq", c.pick(TYPES)[0])
    if kind == 1:
        return Test("event_type", "in", tuple({c.pick(TYPES)[0] for _ in range(2)}))
    if kind == 2:
        return Test(c.pick(["initiator_side", "target_side"]), c.pick(["eq", "ne"]), c.pick(SIDES))
    if kind == 3:
        return Test("target_name", c.pick(["exists", "not_exists"]))
    if kind == 4:
        return Test("target_name", "eq", c.pick(NAMES))
    if kind == 5:
        return Test("fatalities", c.pick(["gt", "gte", "lt", "eq"]), c.integer(0, 3))
    if kind == 6:
        return Test("civilian_targeting", "eq", c.chance(50))
    return Test("diplomatic_kind", "eq", "talks")


def _condition(c: Chooser, depth: int = 2) -> Cond:
    if depth == 0 or c.chance(55):
        return _test(c)
    shape = c.pick(["and", "or", "not"])
    if shape == "not":
        return Not(_condition(c, depth - 1))
    terms = tuple(_condition(c, depth - 1) for _ in range(c.integer(1, 3)))
    return And(terms) if shape == "and" else Or(terms)


def _pattern_rule(c: Chooser, rule_id: str) -> CompiledRule | None:
    n = c.integer(2, 3)
    bounded = not c.chance(8)
    legs = []
    for k in range(n):
        joins: list[Join] = []
        if k > 0 and bounded:
            other = c.integer(0, k - 1)
            # the leg may be dated before the other one (gte with a negative offset)
            joins.append(Join("event_date", "gte", other, "event_date", c.pick([0, 0, -1, -4])))
            joins.append(Join("event_date", "lte", other, "event_date", c.pick([0, 1, 3, 9, 20, 60])))
        if k > 0 and c.chance(50):
            this, that = c.pick([("target_name", "target_name"), ("initiator_side", "target_side"), ("target_side", "target_side")])
            joins.append(Join(this, c.pick(["eq", "ne"]), c.integer(0, k - 1), that))
        legs.append(Pattern(f"l{k}", _condition(c, 1), tuple(joins)))
    # once_per: the last leg dated after every other (what the loader asks), then one firing
    # per last event, which must not depend on where a partition starts (its earlier legs
    # come from the overlap)
    once = bounded and c.chance(35)
    if once:
        last = legs[-1]
        after = tuple(Join("event_date", "gt", k, "event_date", 0) for k in range(n - 1))
        legs[-1] = Pattern(last.alias, last.condition, last.joins + after)
    try:
        window = window_days(tuple(legs))
    except ContradictionError:
        return None
    return CompiledRule(rule_id, tuple(legs), window, once_per_last=once and last_leg_latest(legs))


def _rules(c: Chooser) -> CompiledRuleSet:
    rules: list[CompiledRule] = []
    for i in range(c.integer(1, 5)):
        rule_id = f"r{i:03d}"
        found = _pattern_rule(c, rule_id) if c.chance(60) else None
        rules.append(found or CompiledRule(rule_id, (Pattern("event", _condition(c)),)))
    if c.chance(40):  # the same rule twice (packs repeat rules per stakeholder): matched once
        rules.append(dataclasses.replace(rules[0], id="r900"))
    if rules[0].is_pattern and rules[0].window_days is not None and last_leg_latest(rules[0].patterns) and c.chance(50):
        # the same pattern counted the other way (once per last event, or per tuple): not shared
        rules.append(dataclasses.replace(rules[0], id="r901", once_per_last=not rules[0].once_per_last))
    return CompiledRuleSet(tuple(rules))


def _pack(c: Chooser, compiled: CompiledRuleSet) -> RulePack:
    """Rules for scoring the compiled ones: stakeholders, dimension, points (some scaled by a
    leg's fatalities), some lowering risk."""
    rules = []
    for rule in compiled.rules:
        legs = [{"as": p.alias, "when": {"field": "event_type", "exists": True}} for p in rule.patterns]
        body: dict[str, Any] = {"sequence": legs} if rule.is_pattern else {"when": legs[0]["when"]}
        if rule.once_per_last:
            body["once_per"] = rule.patterns[-1].alias
        points: Any = c.pick([1, 2.5, 0.3333])
        if c.chance(30):
            points = {"base": c.pick([0, 1]), "per": "fatalities", "factor": c.pick([0.5, 1.25]), "cap": 4}
            if rule.is_pattern and c.chance(50):
                points["leg"] = rule.patterns[0].alias
        stakeholders = sorted({c.pick(["investor", "government", "ngo", "analyst"]) for _ in range(2)})
        rules.append(
            Rule.model_validate(
                {
                    "id": rule.id,
                    "title": rule.id,
                    "stakeholders": stakeholders,
                    "dimension": c.pick(["escalation", "security", "military", "diplomatic"]),
                    "points": points,
                    "effect": "lowers" if c.chance(15) else "raises",
                    "source": {"document": "000", "section": "test"},
                    **body,
                }
            )
        )
    return RulePack(rules=tuple(rules), origins={}, profiles={}, version="test")


# -- random feeds -----------------------------------------------------------------------------


def _events(c: Chooser, n: int, days: int) -> list[Event]:
    """``n`` events over ``days`` days from START, in date order, a few on the same day."""
    day = 0
    out = []
    for i in range(n):
        if c.chance(40):
            day = min(days - 1, day + c.integer(1, 6))
        event_type, sub = c.pick(TYPES)
        out.append(
            Event(
                event_id=f"E{i:04d}",
                event_date=START + dt.timedelta(days=day),
                event_type=event_type,
                sub_event_type=sub,
                country="UKR",
                initiator_side=c.pick([*SIDES, None]),
                target_side=c.pick([*SIDES, None]),
                target_name=c.pick([*NAMES, None, None]),
                fatalities=c.integer(0, 4),
                civilian_targeting=c.chance(30),
                diplomatic_kind="talks" if c.chance(10) else None,
                sources=[{"name": c.pick(["Reuters", "TASS"]), "reliability": c.pick(["A", "C", "E"]), "credibility": c.integer(1, 5)}],
            )
        )
    return out


def _csv(result: BacktestResult) -> str:
    return render_csv(to_csv_rows(result))


def _json(result: BacktestResult) -> str:
    return json.dumps(to_json_data(result), indent=2)


def _mondays(c: Chooser, first: dt.date, last: dt.date) -> list[int]:
    weeks = (last - first).days // 7 + 1
    return sorted({(first + dt.timedelta(weeks=c.integer(1, max(1, weeks)))).toordinal() for _ in range(c.integer(0, 5))})


def _one_process(events: Sequence[Event], pack: RulePack, compiled: CompiledRuleSet, first: dt.date, last: dt.date) -> BacktestResult:
    ordered = sorted(events, key=lambda e: e.event_date)
    return run_backtest([ordered[i : i + 7] for i in range(0, len(ordered), 7)], pack, compiled, first=week_of(first), last=week_of(last), workers=1, chunk_size=11)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_cuts_of_random_rules_give_the_bytes_of_one_process(data: st.DataObject) -> None:
    c = Chooser.drawing(data.draw)
    compiled = _rules(c)
    pack = _pack(c, compiled)
    events = _events(c, c.integer(0, 70), 120)
    first = START + dt.timedelta(weeks=c.integer(0, 6))
    last = first + dt.timedelta(weeks=c.integer(0, 12))
    want = _one_process(events, pack, compiled, first, last)
    blocks = blocks_of_chunks([events], events_per_block=c.integer(1, 40))
    edges = _mondays(c, week_of(first).start, week_of(last).start)
    got = backtest_partitioned_here(blocks, pack, compiled, first=week_of(first), last=week_of(last), edges=edges, chunk_size=c.integer(1, 20))
    assert _csv(got) == _csv(want)
    assert _json(got) == _json(want)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_files_cut_into_random_blocks_even_out_of_order_give_the_same_bytes(data: st.DataObject) -> None:
    """JSON Lines read in byte ranges (a line is read by the block it starts in), the plan made
    from each block's first line; events later than the slack force the plan to be made again
    from the days the blocks hold."""
    c = Chooser.drawing(data.draw)
    compiled = _rules(c)
    pack = _pack(c, compiled)
    events = _events(c, c.integer(1, 60), 100)
    if c.chance(50):  # out of order, far beyond the 14 days of slack
        rng = random.Random(c.integer(0, 1000))
        rng.shuffle(events)
    first, last = week_of(START + dt.timedelta(weeks=3)), week_of(START + dt.timedelta(weeks=13))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        write_events_jsonl(path, events)
        want = _one_process(events, pack, compiled, first.start, last.start)
        blocks = split_input([path], block_bytes=c.integer(50, 3000))
        got = backtest_partitioned_here(blocks, pack, compiled, first=first, last=last, partitions=c.integer(1, 6))
    assert _csv(got) == _csv(want)
    assert _json(got) == _json(want)


def _event(event_id: str, day: dt.date, event_type: str) -> Event:
    sub = dict(TYPES)[event_type]
    return Event(event_id=event_id, event_date=day, event_type=event_type, sub_event_type=sub, country="UKR", sources=[{"name": "Reuters"}])


@pytest.mark.parametrize("earlier", [0, 1])
def test_a_pair_exactly_a_window_apart_across_an_edge_is_found(earlier: int) -> None:
    """Legs exactly 3 days apart on either side of a partition edge (Friday, then Monday) are
    a firing; 4 days apart are not. ``earlier``: which leg the joins date first."""
    battle, strike = "Battles", "Explosions/Remote violence"
    legs = (Pattern("a", Test("event_type", "eq", battle)), Pattern("b", Test("event_type", "eq", strike)))
    dated = Join("event_date", "gte", 0, "event_date") if earlier == 0 else Join("event_date", "gte", 0, "event_date", -3)
    bound = Join("event_date", "lte", 0, "event_date", 3) if earlier == 0 else Join("event_date", "lte", 0, "event_date")
    rule = CompiledRule("pair", (legs[0], Pattern("b", legs[1].condition, (dated, bound))), 3)
    compiled = CompiledRuleSet((rule,))
    pack = _pack(Chooser.seeded(random.Random(1)), compiled)
    first, second, third = dt.date(2024, 1, 5), dt.date(2024, 1, 8), dt.date(2024, 1, 15)
    if earlier == 0:  # the battle first, the strike three days later
        events = [_event("A1", first, battle), _event("B1", second, strike), _event("A2", dt.date(2024, 1, 11), battle), _event("B2", third, strike)]
    else:  # the strike first
        events = [_event("B1", first, strike), _event("A1", second, battle), _event("B2", dt.date(2024, 1, 11), strike), _event("A2", third, battle)]
    want = _one_process(events, pack, compiled, START, third)
    assert want.firings == 1
    got = backtest_partitioned_here(blocks_of_chunks([events], 1), pack, compiled, first=week_of(START), last=week_of(third), edges=[second.toordinal(), third.toordinal()])
    assert got.stats["partitions"] == 3 and got.stats["carried"] == 1  # the leg 3 days before an edge, not the one 4 days before
    assert _json(got) == _json(want)


def test_a_long_window_carries_only_the_legs_that_reach_the_next_partition() -> None:
    """A repeat strike within 365 days: the first strike on a named site travels to the
    partitions of the next year; the second leg (reach 0) and unnamed strikes do not."""
    first = Pattern("first", And((Test("event_type", "eq", "Explosions/Remote violence"), Test("target_name", "exists"))))
    repeat = Pattern(
        "repeat",
        Test("event_type", "eq", "Explosions/Remote violence"),
        (Join("target_name", "eq", 0, "target_name"), Join("event_date", "gt", 0, "event_date"), Join("event_date", "lte", 0, "event_date", 365)),
    )
    compiled = CompiledRuleSet((CompiledRule("repeat", (first, repeat), 365),))
    names = ("event_date", "event_type", "event_id", "target_name")
    carry = CarryTest(compiled, names)
    assert carry.longest == 365
    strike = (1, "Explosions/Remote violence", "a", "Kupol")
    assert carry.reach(strike, carry.reaching(365)) == 365
    assert carry.reach(strike, carry.reaching(366)) == -1
    assert carry.reach((1, "Explosions/Remote violence", "b", None), carry.reaching(1)) == -1
    assert carry.reach((1, "Battles", "c", "Kupol"), carry.reaching(1)) == -1


def test_a_leg_is_tried_on_rows_that_may_meet_it() -> None:
    """Only a field every way of meeting the leg needs may rule a row out: either side of an
    ``or``, none inside a ``not``."""
    names = ("event_date", "event_id", "fatalities", "target_name")
    either = Or((Test("target_name", "eq", "Kupol"), Test("fatalities", "gt", 1)))
    for condition, row, reach in [
        (either, (1, "a", 3, None), 5),
        (either, (1, "a", 0, "Kupol"), 5),
        (either, (1, "a", 0, None), -1),
        (Not(Test("target_name", "exists")), (1, "a", 0, None), 5),
        (And((Test("fatalities", "gt", 1), Test("target_name", "exists"))), (1, "a", 3, None), -1),
    ]:
        first = Pattern("first", condition)
        later = Pattern("later", Test("fatalities", "exists"), (Join("event_date", "gt", 0, "event_date"), Join("event_date", "lte", 0, "event_date", 5)))
        carry = CarryTest(CompiledRuleSet((CompiledRule("r", (first, later), 5),)), names)
        assert carry.reach(row, carry.reaching(1)) == reach, (condition, row)


def test_a_repeated_event_in_one_partition_is_still_an_error() -> None:
    c = Chooser.seeded(random.Random(3))
    compiled = CompiledRuleSet((CompiledRule("one", (Pattern("event", Test("event_type", "exists")),)),))
    pack = _pack(c, compiled)
    events = _events(c, 30, 40)
    twice = [*events, events[-1]]
    with pytest.raises(InputError, match="appears twice"):
        backtest_partitioned_here(blocks_of_chunks([twice], 10), pack, compiled, first=week_of(START), last=week_of(START + dt.timedelta(days=40)))


# -- the shipped packs, on a real local cluster ------------------------------------------------


@pytest.fixture(scope="module")
def scheduler() -> Any:
    """A local Dask cluster of two worker processes, started once (about two seconds)."""
    pytest.importorskip("distributed")
    from riskengine.scoring.distributed import client_for

    with client_for(2, None) as client:
        yield client.scheduler.address


def _imported_at_start() -> list[str]:
    import sys

    return sorted(name for name in ("riskengine.engine.durable", "riskengine.scoring.partition") if name in sys.modules)


def test_local_workers_are_forked_with_the_tasks_code_already_imported() -> None:
    """A spawned worker imported Dask and riskengine itself (0.7 CPU-s each); forked from a
    server that preloads them it does not."""
    pytest.importorskip("distributed")
    from riskengine.scoring.distributed import client_for

    with client_for(1, None) as client:
        found = client.run(_imported_at_start)  # before any task has run there
    assert list(found.values()) == [["riskengine.engine.durable", "riskengine.scoring.partition"]]


def _feed(tmp_path: Path, n: int, seed: int, shuffle: bool = False) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate  # the benchmark's realistic feed

    path = generate.write_jsonl(tmp_path / f"feed-{n}-{seed}-{int(shuffle)}.jsonl", n, seed=seed)
    if shuffle:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.reverse()  # newest first: every block is out of its planned range
        path.write_text("".join(lines), encoding="utf-8")
    return path


def _cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_on_a_local_dask_cluster_the_bytes_of_one_process(tmp_path: Path, capsys: pytest.CaptureFixture[str], scheduler: str) -> None:
    feed = _feed(tmp_path, 1200, 5)
    weeks = ["--from", "2022-W10", "--to", "2025-W27"]
    code, one, _ = _cli(capsys, ["backtest", str(feed), *weeks, "--workers", "1"])
    assert code == 0
    code, two, _ = _cli(capsys, ["backtest", str(feed), *weeks, "--scheduler", scheduler, "--block-kb", "200", "--partitions", "4"])
    assert code == 0
    assert two == one
    # newest first: the plan from the blocks' first lines fails, and is made again from the days found
    backwards = _feed(tmp_path, 1200, 5, shuffle=True)
    code, again, _ = _cli(capsys, ["backtest", str(backwards), *weeks, "--scheduler", scheduler, "--block-kb", "200"])
    assert (code, again) == (0, one)
    # a typed error raised on a worker comes back as itself
    lines = feed.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "twice.jsonl").write_text("".join([*lines, lines[-1]]), encoding="utf-8")
    code, _, err = _cli(capsys, ["backtest", str(tmp_path / "twice.jsonl"), *weeks, "--scheduler", scheduler])
    assert code == 1 and "E411" in err
    # an invalid record: read in one process, which says where it is
    (tmp_path / "bad.jsonl").write_text("".join([*lines[:10], '{"event_id": "X"}\n', *lines[10:]]), encoding="utf-8")
    code, _, err = _cli(capsys, ["backtest", str(tmp_path / "bad.jsonl"), *weeks, "--scheduler", scheduler])
    assert code == 1 and "bad.jsonl:11:" in err


def test_a_local_cluster_starts_while_the_pack_loads_and_reads_no_first_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Session 19: started in line, the local cluster's start (0.8-1.2 s quiet) came after the
    # rule pack's load and the input's cut, overlapping nothing, and its first work was a round
    # of tiny tasks reading each block's first lines, which the caller can read itself.
    pytest.importorskip("distributed")
    import threading

    from riskengine.scoring import backtest as bt
    from riskengine.scoring import distributed as on_dask

    feed = _feed(tmp_path, 1500, 4)
    first, last = week_of(dt.date(2022, 3, 7)), week_of(dt.date(2025, 6, 30))
    want = backtest_files([feed], first=first, last=last, workers=1)
    starting = threading.Event()
    original_cluster, original_load = on_dask._local_cluster, bt.load_pack
    read_here: list[int] = []

    def cluster(workers: int | None) -> Any:
        starting.set()
        return original_cluster(workers)

    def load(rules: Any) -> Any:
        assert starting.wait(30), "the pack was loaded before the cluster started"
        return original_load(rules)

    def first_day(block: Any) -> Any:
        read_here.append(block.index)
        return original_first_day(block)

    original_first_day = on_dask.first_day_of
    monkeypatch.setattr(on_dask, "_local_cluster", cluster)
    monkeypatch.setattr(bt, "load_pack", load)
    monkeypatch.setattr(on_dask, "first_day_of", first_day)
    got = backtest_files([feed], first=first, last=last, workers=2, block_bytes=60_000)
    assert _json(got) == _json(want)
    assert got.stats["blocks"] > 2 and read_here == list(range(got.stats["blocks"]))


def test_a_local_cluster_started_early_is_closed_when_the_pack_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from riskengine.scoring import backtest as bt
    from riskengine.scoring import distributed as on_dask

    class Cluster:
        closed = 0

        def close(self) -> None:
            Cluster.closed += 1

    class Broken(Exception):
        pass

    def load(rules: Any) -> Any:
        raise Broken

    monkeypatch.setattr(on_dask, "_local_cluster", lambda workers: Cluster())
    monkeypatch.setattr(bt, "load_pack", load)
    with pytest.raises(Broken):
        backtest_files([_feed(tmp_path, 50, 1)], first=week_of(dt.date(2022, 3, 7)), last=week_of(dt.date(2025, 6, 30)), workers=2)
    assert Cluster.closed == 1


def test_backtest_files_reports_what_it_read_on_the_cluster(tmp_path: Path, scheduler: str) -> None:
    from riskengine.ingest.event_files import ReadReport

    feed = _feed(tmp_path, 500, 2)
    first, last = week_of(dt.date(2022, 3, 7)), week_of(dt.date(2025, 6, 30))
    report = ReadReport()
    got = backtest_files([feed], first=first, last=last, scheduler=scheduler, report=report, skip_invalid=True, rejects=tmp_path / "rejects.jsonl")
    one = backtest_files([feed], first=first, last=last, workers=1)
    assert _json(got) == _json(one)
    assert (report.files, report.records, report.accepted, report.rejected) == (1, 500, 500, 0)
    assert (tmp_path / "rejects.jsonl").read_text() == ""



def test_a_piece_is_pickled_only_when_it_leaves_its_process() -> None:
    # Pickling every piece where it was read and unpickling it where it was scored, usually the
    # same worker, cost about a tenth of the tasks' CPU; a piece now travels as bytes only.
    import pickle

    from riskengine.scoring.partition import Packed, Piece

    piece = Piece([(738886, 2)], [("E1", 3, None), ("E2", None, "Kupol")], [("E1", 738886, 738884, 1.0, ()), ("E2", 738886, 738884, 0.5, (2.0,))])
    packed = Packed.of(piece)
    assert packed.held and packed.events == 2
    assert packed.unpack() is piece  # the objects read, not a copy
    moved = pickle.loads(pickle.dumps(packed))
    assert not moved.held and moved.events == 2 and moved.data == packed.data
    assert moved.unpack() == piece
    assert pickle.loads(pickle.dumps(moved)).unpack() == piece
    assert Packed().unpack() == Piece() and pickle.loads(pickle.dumps(Packed())).unpack() == Piece()


def test_partitions_scored_in_the_process_that_read_them_pickle_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from riskengine.rules.compiler import compile_rules
    from riskengine.scoring import partition
    from riskengine.scoring.backtest import load_pack

    class NoPickling:
        HIGHEST_PROTOCOL = 5

        def dumps(self, *args: Any, **kwargs: Any) -> bytes:
            raise AssertionError("a piece was pickled in the process that read it")

        loads = dumps

    feed = _feed(tmp_path, 900, 3)
    pack = load_pack(None)
    compiled = compile_rules(pack)
    first, last = week_of(dt.date(2022, 3, 7)), week_of(dt.date(2025, 6, 30))
    want = backtest_files([feed], first=first, last=last, workers=1, pack=pack, compiled=compiled)
    monkeypatch.setattr(partition, "pickle", NoPickling())
    got = backtest_partitioned_here(split_input([feed], 60_000), pack, compiled, first=first, last=last)
    assert got.stats["partitions"] > 3
    assert _json(got) == _json(want)


def _sent(dask_worker: Any = None) -> list[tuple[str, int]]:
    return [(str(key), size) for entry in dask_worker.transfer_outgoing_log for key, size in entry["keys"].items()]


def test_on_two_workers_a_partition_is_scored_where_most_of_it_was_read(tmp_path: Path, scheduler: str) -> None:
    # Regression (session 13): left to Dask, the tasks taking a block's pieces out were placed as
    # if they had no input ("root-ish": many tasks fed by few) and work stealing moved reads and
    # scorings to whichever worker looked idle; the blocks' pieces followed, whole: on 1M events
    # four in five pieces went from one worker to the other. Now only pieces of other blocks
    # (the carry-in, the days of a partition's first week read by the block before) travel.
    from distributed import Client

    from riskengine.rules.compiler import compile_rules
    from riskengine.scoring.backtest import _bounds, load_pack
    from riskengine.scoring.distributed import _HELD_BYTES_PER_EVENT
    from riskengine.scoring.partition import Job, assumed_ranges, first_day_of, make_plan, read_block
    from riskengine.scoring.reader import DEFAULT_CHUNK_SIZE, DEFAULT_REORDER_DAYS

    feed = _feed(tmp_path, 2400, 7)
    first, last = week_of(dt.date(2022, 3, 7)), week_of(dt.date(2025, 6, 30))
    with Client(scheduler) as client:
        before = {worker: len(sent) for worker, sent in client.run(_sent).items()}
        got = backtest_files([feed], first=first, last=last, scheduler=scheduler, block_bytes=150_000)
        after = client.run(_sent)
    sent = [entry for worker, entries in after.items() for entry in entries[before.get(worker, 0) :]]
    assert got.stats["blocks"] >= 8 and got.stats["partitions"] >= 8
    assert not [key for key, _ in sent if key.startswith("_read")]  # no block's whole output
    travelled = sum((size - 64) // _HELD_BYTES_PER_EVENT for key, size in sent if key.startswith("_piece") and size > 64)
    # the same plan read here: what each partition gets from blocks other than its largest piece's
    pack, compiled = load_pack(None), compile_rules(load_pack(None))
    job = Job(pack, compiled, _bounds(compiled, pack, first, last, DEFAULT_CHUNK_SIZE, DEFAULT_REORDER_DAYS), ("investor",))
    blocks = split_input([feed], 150_000)
    starts = [first_day_of(block) for block in blocks]
    plan = make_plan(job.bounds, assumed_ranges(starts, job.bounds.reorder_days), starts=starts, partitions=len(blocks))
    sizes = [[out.pieces[p].events for out in (read_block(block, job, plan) for block in blocks) if p in out.pieces] for p in range(plan.partitions)]
    elsewhere = sum(sum(found) - max(found, default=0) for found in sizes)
    assert plan.partitions == got.stats["partitions"]
    assert travelled <= elsewhere < 0.5 * sum(map(sum, sizes))
    assert _json(got) == _json(backtest_files([feed], first=first, last=last, workers=1))


def _threshold() -> tuple[int, int, int]:
    import gc

    return gc.get_threshold()


def test_a_worker_collects_less_often_during_a_backtest_and_as_before_after(tmp_path: Path, scheduler: str) -> None:
    # Between tasks a worker's collector ran a pass every 700 net new containers, and the pieces
    # a worker holds are such containers: on 1M events the passes took about 5 CPU-s of the
    # workers'. During a backtest the first threshold is raised; after it, set back.
    import gc

    from distributed import Client

    from riskengine.scoring import distributed as on_dask

    before = gc.get_threshold()
    try:
        on_dask._read(split_input([_feed(tmp_path, 50, 1)])[0], None, None, False)  # type: ignore[arg-type]  # fails, comes back as a payload
        assert gc.get_threshold() == (on_dask._COLLECT_AFTER, *before[1:])
        on_dask._collect_less()  # a second task keeps what was there before the first
    finally:
        assert on_dask._collect_as_before() == before == gc.get_threshold()
    feed = _feed(tmp_path, 300, 4)
    with Client(scheduler) as client:
        was = client.run(_threshold)
        backtest_files([feed], first=week_of(dt.date(2022, 3, 7)), last=week_of(dt.date(2025, 6, 30)), scheduler=scheduler)
        assert client.run(_threshold) == was
        assert all(found[0] < on_dask._COLLECT_AFTER for found in was.values())


def test_only_the_distributed_module_imports_dask() -> None:
    """Dask is an optional extra: everything but ``scoring/distributed.py`` works without it."""
    import ast

    package = Path(__file__).resolve().parents[1] / "riskengine"
    importers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(name.split(".")[0] in ("dask", "distributed") for name in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers == {"scoring/distributed.py"}


def test_a_local_cluster_takes_a_free_port_on_loopback() -> None:
    # Regression: with no dashboard, Dask still started the scheduler's HTTP endpoints on the
    # fixed port 8787, so two backtests at once (or the suite's parallel workers) fought over it
    # and Dask warned "Port 8787 is already in use".
    pytest.importorskip("distributed")
    import socket
    import warnings

    from riskengine.scoring.distributed import client_for

    with socket.socket() as taken:
        with contextlib.suppress(OSError):  # already taken by someone else: the same situation
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        with warnings.catch_warnings(record=True) as caught, client_for(1, None) as client:
            warnings.simplefilter("always")
            scheduler = client.cluster.scheduler
            # tornado's HTTPServer keeps its listening sockets in _sockets (no public accessor)
            bound = {sock.getsockname()[:2] for sock in scheduler.http_server._sockets.values()}
    assert not [w for w in caught if "8787" in str(w.message)]
    assert {host for host, _port in bound} == {"127.0.0.1"} and 8787 not in {port for _host, port in bound}


def _housekeeping() -> tuple[Any, ...]:
    import dask

    return tuple(dask.config.get(key) for key in ("distributed.worker.profile.enabled", "distributed.admin.tick.interval", "distributed.worker.memory.monitor-interval"))


def test_a_local_clusters_workers_keep_house_less_often(scheduler: str) -> None:
    # Dask's defaults (a profiler sample every 10 ms, an event-loop tick every 20 ms, a memory
    # check every 100 ms) cost a backtest's workers, nannies and scheduler about 65 ms of CPU a
    # second; the workers of the cluster a backtest starts run with less.
    from distributed import Client

    with Client(scheduler) as client:
        seen = set(client.run(_housekeeping).values())
    assert seen == {(False, "1s", "1s")}


def _environment() -> tuple[str | None, str | None]:
    """What the process started with (the allocator and the hash seed read it then; a forked
    worker's is its fork server's): not os.environ, which the worker sets again too late."""
    found = dict(item.split(b"=", 1) for item in Path("/proc/self/environ").read_bytes().split(b"\0") if b"=" in item)
    return tuple(found[key].decode() if key in found else None for key in (b"MALLOC_TRIM_THRESHOLD_", b"PYTHONHASHSEED"))  # type: ignore[return-value]


def test_a_local_clusters_workers_have_the_nannys_environment(scheduler: str) -> None:
    # Session 19: a fork server started before the first nanny asked for a worker forked
    # workers without Dask's pre-spawn environment (set in the caller just before): without
    # MALLOC_TRIM_THRESHOLD_ the workers peaked 228 + 212 MB on 1M events against 199 + 180,
    # and each had its own hash seed.
    if not Path("/proc/self/environ").exists():
        pytest.skip("reads the environment a process started with from /proc")
    from distributed import Client

    with Client(scheduler) as client:
        seen = set(client.run(_environment).values())
    assert seen == {("65536", "6640")}


def test_a_replan_that_drops_a_partition_done_at_the_same_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression (CI, session 9): a block found out of its planned range drops the partitions
    # under way; when one of them was done in the same wait, the loop looked it up after it was
    # dropped (KeyError) instead of planning again.
    pytest.importorskip("distributed")
    import distributed

    from riskengine.scoring import distributed as on_dask
    from riskengine.scoring.partition import BlockInfo

    class Done:
        def __init__(self, value: Any) -> None:
            self.value = value

        def result(self) -> Any:
            return self.value

    class Waited:
        def __init__(self, done: list[Done]) -> None:
            self.done = done

    run = object.__new__(on_dask._Run)
    block, part = Done((BlockInfo(0, records=3, accepted=3, first=1, last=9, outside=1), "tcp://127.0.0.1:1", {})), Done(None)
    run.client = type("Client", (), {"cancel": lambda self, futures: None})()
    run.blocks = [object()]
    run.plan = type("Plan", (), {"partitions": 1})()
    run.pending = {block: ("block", 0), part: ("partition", 0)}
    run.pieces, run.infos, run.results, run.submitted_parts = {}, {}, {}, set()
    run.where, run.sizes = {}, {}
    run.measure_only, run.progress = False, None
    monkeypatch.setattr(run, "_submit_blocks", lambda: None)
    monkeypatch.setattr(run, "_submit_parts", lambda: None)
    monkeypatch.setattr(distributed, "wait", lambda futures, return_when: Waited([block, part]))
    assert run.go() is False  # the plan must be made again, nothing raised


class _SimulatedFuture:
    """A task of ``_SimulatedCluster``."""

    def __init__(self, function: Any, args: tuple[Any, ...], priority: int, order: int, inputs: list[_SimulatedFuture]) -> None:
        self.function, self.args, self.priority, self.order, self.inputs = function, args, priority, order, inputs
        self.value: Any = None
        self.done = False

    def result(self) -> Any:
        return self.value


class _SimulatedCluster:
    """Single-threaded workers in simulated time, enough of a Dask client for
    ``distributed._Run``: a task goes to the worker the caller asked for (as with work stealing
    off), or to the one with the shortest queue; a worker runs, of its tasks whose inputs are
    done, the one of highest priority, as Dask's workers do. A read or a scoring takes one unit
    of time; the tasks that take a block's info and pieces out of its read take none."""

    def __init__(self, plan: Any, workers: Sequence[str]) -> None:
        self.plan, self.now, self.order = plan, 0, 0
        self.queues: dict[str, list[_SimulatedFuture]] = {w: [] for w in workers}
        self.running: dict[str, tuple[int, _SimulatedFuture] | None] = dict.fromkeys(workers)
        self.work = 0  # units of time the tasks took, summed

    def scatter(self, value: Any, **_: Any) -> Any:
        return value

    def cancel(self, futures: Any) -> None:
        pass

    def submit(self, function: Any, *args: Any, priority: int = 0, workers: Sequence[str] = (), **_: Any) -> _SimulatedFuture:
        self.order += 1
        future = _SimulatedFuture(function, args, priority, self.order, [a for a in args if isinstance(a, _SimulatedFuture)])
        where = workers[0] if workers else min(self.queues, key=lambda w: len(self.queues[w]))
        self.queues[where].append(future)
        return future

    def took(self, task: _SimulatedFuture) -> int:
        from riskengine.scoring import distributed as on_dask

        # reads of 4-6 units, scorings of 6-9, varying as a real feed's do
        if task.function is on_dask._read:
            return 4 + task.args[0].index * 7 % 3
        return 6 + task.args[0] * 5 % 4 if task.function is on_dask._score else 0

    def _finish(self, where: str, task: _SimulatedFuture) -> None:
        from riskengine.scoring import distributed as on_dask
        from riskengine.scoring.partition import BlockInfo, PartResult

        task.done = True
        self.work += self.took(task)
        if task.function is on_dask._read:
            task.value = task.args[0].index
        elif task.function is on_dask._info:
            b = task.inputs[0].value
            task.value = (BlockInfo(b, records=1, accepted=1), where, {p: 100 if p == b else 1 for p in self.plan.feeds[b]})  # mostly its own partition
        elif task.function is on_dask._score:
            task.value = PartResult(task.args[0], {}, {}, {}, {}, 0, 0, 0, 0)

    def wait(self, futures: list[_SimulatedFuture], return_when: str) -> Any:
        while not any(f.done for f in futures):
            for where, queue in self.queues.items():
                ready = [f for f in queue if all(i.done for i in f.inputs)]
                if self.running[where] is None and ready:
                    task = min(ready, key=lambda f: (-f.priority, f.order))
                    queue.remove(task)
                    took = self.took(task)
                    self.running[where] = (self.now + took, task)
            ends = [r[0] for r in self.running.values() if r is not None]
            if not ends:
                raise AssertionError("waiting for nothing")
            self.now = min(ends)
            for where, entry in self.running.items():
                if entry is not None and entry[0] == self.now:
                    self.running[where] = None
                    self._finish(where, entry[1])
        return type("Waited", (), {"done": [f for f in futures if f.done]})()


def test_two_workers_both_score_while_blocks_are_read_ahead_within_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression (session 18): on 1M events the two workers took turns, one read or one scoring
    # at a time, and the tasks' wall time was their CPU time, not half of it: a block counted
    # as read ahead until the partition after its own was scored (its last days are the next
    # partition's, within the reorder slack), which needs the block after it, so with workers
    # + 2 blocks ahead a read waited for a scoring and that scoring for the read; and the tasks
    # taking a block's info and pieces out of its read waited behind the scorings queued on
    # its worker.
    pytest.importorskip("distributed")
    import dataclasses

    import distributed

    from riskengine.scoring import distributed as on_dask
    from riskengine.scoring.partition import Plan

    blocks = 23
    edges = tuple(10 * b for b in range(blocks))
    plan = Plan(edges, 10 * blocks - 1, 0, 30, tuple((10 * b - 2, 10 * b + 12) for b in range(blocks)), ())
    feeds = tuple(tuple(p for p in range(blocks) if lo <= plan.needs(p)[1] and plan.needs(p)[0] <= hi) for lo, hi in plan.ranges)
    plan = dataclasses.replace(plan, feeds=feeds)
    workers = ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"]
    cluster = _SimulatedCluster(plan, workers)
    monkeypatch.setattr(distributed, "wait", cluster.wait)
    run = on_dask._Run(cluster, [type("Block", (), {"index": b})() for b in range(blocks)], None, plan, workers, None)
    live, most_live = run._live, [0]

    def watched() -> int:
        found = live()
        most_live[0] = max(most_live[0], found)
        return found

    monkeypatch.setattr(run, "_live", watched)
    assert run.go() is True
    assert sorted(run.results) == list(range(blocks))
    # both workers busy but at the start and the end: 152 units of time for the 285 the tasks
    # took (before: 257, one task at a time; with the info and pieces taken out promptly but
    # blocks counted whole until their last partition was scored, 163)
    assert cluster.now <= 0.6 * cluster.work
    # about the bound's blocks' worth of pieces held (workers + 3 since session 19; one more read
    # when nothing else is under way)
    assert run.ahead == 2 + 3
    assert most_live[0] < run.ahead + 1.5
