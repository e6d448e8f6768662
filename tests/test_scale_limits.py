"""durable-rules' limits, met through the public pipeline (load_rules -> score / backtest / CLI).

durable-rules 2.0.28 holds about 500 rules per ruleset, 255 keys per fact, 16 facts per rule and
1,024 live sessions per ruleset. Rule packs larger than a ruleset are split, events the engine
cannot hold are refused with an error that names them, a pattern of more than 16 legs is refused
when the pack loads, and long streams reuse one session. Each case is checked against the
reference evaluator, which has no such limits. (The adapter's own tests, with the exact budgets,
are the engine's: tests/test_durable*.py.)

Cases that could crash durable's C core run in a child process, so a crash is a failed test
rather than a dead test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from riskengine import api
from riskengine.cli.app import main
from riskengine.core.errors import RuleError
from riskengine.core.events import Event
from riskengine.engine.matching import open_matcher
from riskengine.scoring.pipeline import fact_of


def _rule(i: int, *, when=None, sequence=None) -> dict:
    rule = {
        "id": f"r{i:04d}",
        "title": f"Rule {i}",
        "stakeholders": ["analyst"],
        "dimension": "military",
        "points": 1,
        "source": {"document": "000", "section": "scale test"},
    }
    if when is not None:
        rule["when"] = when
    if sequence is not None:
        rule["sequence"] = sequence
    return rule


def _pack(folder: Path, rules: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
    return folder


def _event(i: int, **fields) -> Event:
    values = {
        "event_id": f"E{i:04d}",
        "event_date": "2025-07-01",
        "event_type": "Battles",
        "country": "UKR",
        "sources": [{"name": "Reuters", "reliability": "A", "credibility": 2}],
    }
    values.update(fields)
    return Event.model_validate(values)


def _contributions(report) -> list[tuple[str, tuple[str, ...], float]]:
    return sorted((c.rule_id, tuple(c.event_ids), c.weighted_points) for s in report.stakeholders for c in s.contributions)


@pytest.fixture(scope="module")
def big_pack(tmp_path_factory) -> Path:
    """1,200 single-event rules, 400 of them equality tests on one field: more than one durable
    ruleset holds, and more equality branches than one of its nodes takes."""
    rules = [_rule(i, when={"field": "location", "equals": f"Town {i}"}) for i in range(400)]
    rules += [_rule(400 + i, when={"field": "fatalities", "equals": i}) for i in range(400)]
    rules += [
        _rule(800 + i, when={"all": [{"field": "event_type", "equals": "Battles"}, {"field": "target_name", "equals": f"Site {i}"}]})
        for i in range(400)
    ]
    return _pack(tmp_path_factory.mktemp("big"), rules)


def test_a_pack_larger_than_a_ruleset_is_split_and_scores_as_the_reference(big_pack):
    pack = api.load_rules([big_pack])
    compiled = api.compile_pack(pack)
    assert len(compiled.rules) == 1200
    events = [_event(i, location=f"Town {i * 3}", fatalities=i, target_name=f"Site {i * 7}") for i in range(150)]
    durable = api.score(events, rules=pack, window="2025-W27", engine="durable")
    reference = api.score(events, rules=pack, window="2025-W27", engine="reference")
    assert _contributions(durable) == _contributions(reference)
    assert len(_contributions(durable)) > 250  # every kind of rule fired
    with open_matcher(compiled) as matcher:
        matcher.feed([fact_of(e, compiled.fields) for e in events[:5]])
        assert matcher.stats.rulesets >= 3  # 1,200 rules do not fit one ruleset


def test_a_big_pack_through_the_backtest_command(big_pack, tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            _event(i, location=f"Town {i}", fatalities=i % 5, event_date=f"2025-06-{1 + i % 28:02d}").model_dump_json() + "\n"
            for i in range(120)
        )
    )
    argv = ["backtest", str(feed), "--rules", str(big_pack), "--from", "2025-W22", "--to", "2025-W26", "--stakeholder", "analyst"]
    assert main(argv) == 0
    durable = capsys.readouterr().out
    assert main([*argv, "--engine", "reference"]) == 0
    assert capsys.readouterr().out == durable
    assert "2025-W26,2025-06-23,analyst,military" in durable


def test_many_pattern_rules_are_split_and_fire_as_the_reference(tmp_path):
    sequence = lambda k: [  # noqa: E731
        {"as": "first", "when": {"field": "target_name", "equals": f"Site {k}"}},
        {
            "as": "again",
            "when": {"field": "target_name", "exists": True},
            "where": [
                {"field": "target_name", "equals": "first.target_name"},
                {"field": "event_date", "after": "first.event_date", "within_days": 10 + k % 30},
            ],
        },
    ]
    pack = api.load_rules([_pack(tmp_path / "patterns", [_rule(i, sequence=sequence(i)) for i in range(450)])])
    events = [
        _event(i, event_date=f"2025-06-{1 + i % 30:02d}", target_name=f"Site {i % 40}", event_type="Explosions/Remote violence")
        for i in range(200)
    ]
    durable = api.score(events, rules=pack, window="2025-W27", history_weeks=6, engine="durable")
    reference = api.score(events, rules=pack, window="2025-W27", history_weeks=6, engine="reference")
    assert durable.stakeholders[3].history == reference.stakeholders[3].history
    assert sum(h.score for h in durable.stakeholders[3].history) > 0


def _legs(n: int) -> list[dict]:
    legs = [{"as": "l0", "when": {"field": "target_name", "equals": "Depot"}}]
    for k in range(1, n):
        legs.append(
            {
                "as": f"l{k}",
                "when": {"field": "target_name", "equals": "Depot"},
                "where": [{"field": "event_date", "after": f"l{k - 1}.event_date", "within_days": 30}],
            }
        )
    return legs


def test_a_pattern_of_sixteen_legs_fires(tmp_path):
    pack = api.load_rules([_pack(tmp_path / "legs16", [_rule(1, sequence=_legs(16))])])
    events = [_event(i, event_date=f"2025-06-{10 + i:02d}", target_name="Depot") for i in range(16)]
    durable = api.score(events, rules=pack, window="2025-W26", engine="durable")
    reference = api.score(events, rules=pack, window="2025-W26", engine="reference")
    assert _contributions(durable) == _contributions(reference)
    assert [c[1] for c in _contributions(durable)] == [tuple(f"E{i:04d}" for i in range(16))]


def test_a_pattern_of_seventeen_legs_is_refused_when_the_pack_loads(tmp_path, capsys):
    folder = _pack(tmp_path / "legs17", [_rule(1, sequence=_legs(17))])
    with pytest.raises(RuleError) as caught:
        api.load_rules([folder])
    rendered = caught.value.render()
    assert "pack.yaml:" in rendered and "16" in rendered
    assert main(["backtest", "--rules", str(folder), "--from", "2025-W26", "--to", "2025-W27"]) == 1
    err = capsys.readouterr().err
    assert "pack.yaml:" in err and "Traceback" not in err


def test_an_event_with_more_fields_than_a_fact_holds_is_refused_with_its_place(tmp_path, capsys):
    record = _event(1).model_dump(mode="json", exclude_none=True)
    record.update({f"column_{k}": k for k in range(300)})
    feed = tmp_path / "wide.jsonl"
    feed.write_text(json.dumps(record) + "\n")
    assert main(["backtest", str(feed), "--from", "2025-W26", "--to", "2025-W27"]) == 1
    err = capsys.readouterr().err
    assert "wide.jsonl:1:" in err and "column_0" in err and "Traceback" not in err


def test_an_event_that_would_carry_too_many_keys_into_the_engine_is_refused_by_name(tmp_path, capsys):
    """300 substring tests are checked in Python and reach durable as one flag each: an event
    matching all of them would need 300 keys in one fact. The engine either splits them across
    rulesets (and then scores as the reference does) or refuses that event by name."""
    rules = [_rule(i, when={"field": "notes", "contains": f"word{i}x"}) for i in range(300)]
    folder = _pack(tmp_path / "keys", rules)
    busy = _event(1, notes=" ".join(f"word{i}x" for i in range(300)))
    quiet = _event(2, notes="word7x")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(busy.model_dump_json() + "\n" + quiet.model_dump_json() + "\n")
    code = main(["backtest", str(feed), "--rules", str(folder), "--from", "2025-W27", "--to", "2025-W27", "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    if code == 0:
        firings = json.loads(out)["stakeholders"][0]["weeks"][0]["firings"]
        assert firings == 301  # 300 on the busy event, 1 on the quiet one
    else:
        assert code == 1
        assert "E0001" in err and "253" in err


_SESSIONS = textwrap.dedent(
    """
    import datetime as dt
    from riskengine import api
    from riskengine.core.events import Event
    from riskengine.engine.matching import open_matcher
    from riskengine.scoring.pipeline import fact_of, match_stream
    from riskengine.engine.reference import evaluate

    compiled = api.compile_pack(api.load_rules())
    events = [
        Event(event_id=f"E{i:05d}", event_date=dt.date(2024, 1, 1) + dt.timedelta(days=i // 3),
              event_type=("Riots" if i % 5 == 0 else "Explosions/Remote violence" if i % 2 else "Protests"),
              country="FRA" if i % 5 == 0 else "UKR",
              target_name=f"Site {i % 17}", initiator_side="Russia" if i % 4 == 1 else "Ukraine",
              target_side="Ukraine" if i % 4 == 1 else "Russia", fatalities=i % 3,
              sources=[{"name": "Reuters", "reliability": "A", "credibility": 2}])
        for i in range(1100)
    ]
    facts = [fact_of(e, compiled.fields) for e in events]
    found = sorted(f for _, fs in match_stream([[e] for e in events], compiled, batch_size=1) for f in fs)
    assert found == sorted(evaluate(compiled, facts)), "firings differ from the reference"
    print("ok", len(found))
    """
)


def test_more_batches_than_durable_has_live_sessions(tmp_path):
    """1,100 one-event batches through one matcher: more than the 1,024 sessions a durable
    ruleset can hold at once, so sessions must be reused, not leaked; every fifth event matches
    no rule at all, so some batches leave durable nothing to keep."""
    done = subprocess.run([sys.executable, "-c", _SESSIONS], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    count = int(done.stdout.split()[-1])
    assert count > 1100
