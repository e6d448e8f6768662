"""ACLED exports: formats, upsert, bad rows, streaming."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import EventError
from riskengine.ingest.acled import import_acled, parse_date

HERE = Path(__file__).parent / "extract"


def events(text: str) -> dict[str, dict]:
    return {e["event_id"]: e for e in map(json.loads, text.splitlines())}


def test_sample_export() -> None:
    out = io.StringIO()
    result = import_acled(HERE / "acled_sample.csv", out)
    got = events(out.getvalue())
    assert (result.imported, result.replaced_in_file) == (3, 1)
    izhevsk = got["UKR900001"]  # the later row replaces the first ("01 July 2025" form)
    assert izhevsk["notes"].startswith("Revised") and izhevsk["country"] == "RUS" and izhevsk["event_date"] == "2025-07-01"
    assert izhevsk["initiator_side"] == "Ukraine" and izhevsk["target_side"] == "Russia"
    assert izhevsk["sources"] == [{"name": "Example Agency", "date": "2025-07-01", "reliability": "B", "credibility": 2}]
    kyiv = got["UKR900002"]
    assert kyiv["civilian_targeting"] is True and "casualties_unknown" in kyiv["tags"] and kyiv["fatalities"] == 0
    assert "actor1_type:external_other_forces" in kyiv["tags"] and "actor2_type:civilians" in kyiv["tags"]
    interception = got["UKR900003"]
    assert (interception["drones_launched"], interception["drones_intercepted"]) == (18, 17)
    assert interception["initiator_side"] == "Russia"  # the side that launched, not ACLED's actor1
    assert interception["sources"][0]["reliability"] == "F"  # source_scale Other


@pytest.mark.parametrize("text", ["16 February 2024", "2024-02-16", "16-February-2024"])
def test_both_date_forms(text: str) -> None:
    assert parse_date(text).isoformat() == "2024-02-16"


def test_bad_rows_are_all_listed_with_lines() -> None:
    with pytest.raises(EventError) as info:
        import_acled(HERE / "acled_bad.csv", io.StringIO())
    rendered = info.value.render().splitlines()
    # each reason points at the value that is wrong: the date, the sub-event type's row, the
    # actor code and the fatalities
    assert [line.split(": error")[0] for line in rendered] == [
        f"{HERE / 'acled_bad.csv'}:{n}" for n in ("3:11", "4:30", "5:76", "5:101")
    ]
    assert "actor type code '12' is not 0-8" in info.value.render() and "fatalities 'many' is not a number" in info.value.render()


def test_skip_invalid_writes_rejects(tmp_path: Path) -> None:
    out, rejects = tmp_path / "e.jsonl", tmp_path / "r.jsonl"
    code = main(["import", "acled", str(HERE / "acled_bad.csv"), "-o", str(out), "--skip-invalid", "--rejects", str(rejects)])
    assert code == 0
    assert list(events(out.read_text())) == ["UKR900010"]
    assert [r["line"] for r in map(json.loads, rejects.read_text().splitlines())] == [3, 4, 5]


def test_cli_exit_1_without_skip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.jsonl"
    assert main(["import", "acled", str(HERE / "acled_bad.csv"), "-o", str(out)]) == 1
    assert not out.exists() and "3 invalid row(s)" in capsys.readouterr().err


def test_upsert_into_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    out.write_text(json.dumps({"event_id": "UKR900002", "old": True}) + "\n" + json.dumps({"event_id": "KEEP1"}) + "\n")
    assert main(["import", "acled", str(HERE / "acled_sample.csv"), "-o", str(out)]) == 0
    got = events(out.read_text())
    assert sorted(got) == ["KEEP1", "UKR900001", "UKR900002", "UKR900003"] and "old" not in got["UKR900002"]


def test_not_an_acled_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(EventError, match="not an ACLED export"):
        import_acled(path, io.StringIO())


def test_streams_large_files(tmp_path: Path) -> None:
    # Rows are written out as they are read (no list of events is built): 20,000 rows go
    # through a writer that only counts.
    path = tmp_path / "big.csv"
    header = (HERE / "acled_sample.csv").read_text().splitlines()[0]
    row = (HERE / "acled_sample.csv").read_text().splitlines()[2]
    with open(path, "w") as handle:
        handle.write(header + "\n")
        handle.writelines(row.replace("UKR900002", f"UKR{i:07d}", 1) + "\n" for i in range(20000))

    class Counter(io.StringIO):
        lines = 0

        def write(self, s: str) -> int:
            self.lines += s.count("\n")
            return len(s)

    sink = Counter()
    assert import_acled(path, sink).imported == 20000 and sink.lines == 20000
