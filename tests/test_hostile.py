"""Issue #19, hostile input: nothing crashes, hangs or is lost.

The corpus (tests/hostile/cases.yaml) runs each attack through the CLI in its own process with a
wall-clock and a memory limit (tests/hostile/corpus.py); the fuzz tests throw generated input at
the readers through ``riskengine.cli.app.main`` and accept exit 0 or 1 only: 3 is a bug.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus

from riskengine.cli.app import main
from riskengine.core.text import neutralise

CASES = corpus.load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_case(case: dict, tmp_path: Path) -> None:
    outcome = corpus.run_case(case, tmp_path / "w")
    assert outcome.kind == "ok", f"{outcome.kind}: {'; '.join(outcome.problems)}\n{outcome.output[-2000:]}"


def test_neutralise_keeps_text_and_shows_controls() -> None:
    assert neutralise("Kyiv, Київ\n\tمی\u200cخواهم") == "Kyiv, Київ\n\tمی\u200cخواهم"
    assert neutralise("a\u202eb\x1b[2Jc\x85d\u2066e") == "a\\u202eb\\x1b[2Jc\\x85d\\u2066e"


# --- fuzzing the readers through the CLI ---------------------------------------------------------

def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


_FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

_GOOD = json.loads((Path(__file__).parent / "hostile" / "data" / "good.jsonl").read_text("utf-8").splitlines()[0])
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _mutated_event() -> st.SearchStrategy[dict]:
    keys = st.sampled_from(sorted(_GOOD))
    return st.builds(lambda k, v, drop: {**{x: y for x, y in _GOOD.items() if x != drop}, k: v}, keys, _json_values, keys)


@_FUZZ
@given(lines=st.lists(st.one_of(_mutated_event().map(lambda e: json.dumps(e)), st.binary(max_size=60).map(lambda b: b.decode("latin-1"))), max_size=5))
def test_fuzz_event_jsonl(lines: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("fz")
    path = folder / "events.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    code, err = _run(["score", str(path), "--week", "2025-W27", "--skip-invalid", "--rejects", str(folder / "rej.jsonl")])
    assert code in (0, 1), err
    code, err = _run(["score", str(path), "--week", "2025-W27"])
    assert code in (0, 1), err


@_FUZZ
@given(text=st.text(max_size=300) | st.builds(lambda e: "events:\n  - " + json.dumps(e), _mutated_event()))
def test_fuzz_event_yaml(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("fz") / "events.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code, err = _run(["score", str(path), "--week", "2025-W27"])
    assert code in (0, 1), err


_RULE = {"id": "fz", "title": "Fuzzed", "stakeholders": ["ngo"], "dimension": "humanitarian",
         "when": {"field": "country", "equals": "UKR"}, "points": 1, "recommendation": "Plain.",
         "source": {"document": "000", "section": "Test"}}


@_FUZZ
@given(key=st.sampled_from(sorted(_RULE)), value=_json_values | st.sampled_from([".inf", "{{ 7**99 }}", "(a+)+$"]),
       raw=st.text(max_size=200))
def test_fuzz_rule_yaml(key: str, value: object, raw: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("fz")
    (folder / "a.yaml").write_text(json.dumps({"rules": [{**_RULE, key: value}]}), "utf-8")
    (folder / "b.yaml").write_bytes(raw.encode("utf-8", "surrogatepass"))
    for name in ("a.yaml", "b.yaml"):
        code, err = _run(["rules", "check", str(folder / name)])
        assert code in (0, 1), err


_ACLED = (Path(__file__).parent / "extract" / "acled_sample.csv").read_text("utf-8").splitlines()


@_FUZZ
@given(row=st.integers(0, 3), column=st.integers(0, 40), value=st.text(max_size=30), junk=st.binary(max_size=80))
def test_fuzz_acled_import(row: int, column: int, value: str, junk: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("fz")
    lines = list(_ACLED[:5])
    index = min(row + 1, len(lines) - 1)
    cells = lines[index].split(",")
    cells[min(column, len(cells) - 1)] = value.replace(",", " ")
    lines[index] = ",".join(cells)
    path = folder / "a.csv"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + junk)
    code, err = _run(["import", "acled", str(path), "-o", str(folder / "out.jsonl"), "--skip-invalid", "--rejects", str(folder / "r.jsonl")])
    assert code in (0, 1), err
    code, err = _run(["import", "acled", str(path), "-o", os.fspath(folder / "out2.jsonl")])
    assert code in (0, 1), err
