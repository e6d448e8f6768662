"""Classes found reading real ACLED exports against their notes (session 15: Ethiopia 1997-2020,
DR Congo 2018, Libya 2011-12, Mozambique, Indonesia and Niger 2016-20). The rows are invented, in
ACLED's format; no ACLED data is committed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from riskengine.ingest.acled import import_acled

HEADER = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,inter1,actor2,inter2,iso,country,location,latitude,longitude,fatalities,notes,source,source_scale,timestamp"


def _row(event_id: str, date: str, notes: str, *, fatalities: int = 1, location: str = "Nekemte", lat: str = "9.08") -> str:
    return (
        f'{event_id},{date},{date[:4]},Battles,Armed clash,Military Forces of Ethiopia (2018-),1,OLA: Oromo Liberation Army,2,'
        f'231,Ethiopia,{location},{lat},36.55,{fatalities},"{notes}",Addis Standard,National,1700000000'
    )


def _import(tmp_path: Path, *rows: str) -> tuple[dict[str, dict], list[str]]:
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = io.StringIO()
    result = import_acled(path, out)
    return {e["event_id"]: e for e in map(json.loads, out.getvalue().splitlines())}, result.notes


def test_a_figure_in_notes_several_events_share_is_counted_once(tmp_path: Path) -> None:
    # ACLED codes one report of fighting in three places (or on three days) as three events with
    # the report's notes on each, and splits the fatalities between them; the wounded of the notes
    # were read as each event's own, 30 wounded counted three times (a real Ethiopia 2000 export:
    # "128 soldiers were killed and 89 injured" on 13 events, 1,157 injured read for 89).
    shared = "Fighting between the OLA and government forces in Ayana, Gida and Kiremu over 7-9 May killed 12 soldiers and wounded 30 others."
    got, notes = _import(
        tmp_path,
        _row("ETH9003", "2020-05-09", shared, fatalities=4, location="Kiremu"),
        _row("ETH9001", "2020-05-07", shared, fatalities=4, location="Ayana"),
        _row("ETH9002", "2020-05-08", shared, fatalities=4, location="Gida"),
        _row("ETH9004", "2020-05-08", "Government forces clashed with the OLA in Nekemte, wounding 3 soldiers."),
    )
    assert [got[i].get("injured") for i in ("ETH9001", "ETH9002", "ETH9003", "ETH9004")] == [30, None, None, 3]
    for later in ("ETH9002", "ETH9003"):
        (kept,) = [d for d in got[later]["derived"] if d["field"] == "injured"]
        assert kept["value"] == 30 and kept["method"].startswith("not used: ") and "ETH9001" in kept["method"]
    assert any("3 events share" in n or "share their notes" in n for n in notes)


def test_events_with_their_own_notes_keep_their_figures(tmp_path: Path) -> None:
    got, _ = _import(
        tmp_path,
        _row("ETH9101", "2020-05-07", "Government forces clashed with the OLA in Ayana, wounding 2 soldiers."),
        _row("ETH9102", "2020-05-07", "Government forces clashed with the OLA in Gida, wounding 2 soldiers."),
    )
    assert [got[i].get("injured") for i in ("ETH9101", "ETH9102")] == [2, 2]


def test_an_event_coded_once_per_actor_and_sharing_notes_is_merged_then_lightened(tmp_path: Path) -> None:
    # The later event has two actor rows (ACLED's monadic export): it is merged into one event,
    # and the figure its notes share with the earlier event stays on the earlier one only.
    shared = "Clashes in Ayana and Gida on 7 and 8 May wounded 30 soldiers."
    first = _row("ETH9201", "2020-05-07", shared, location="Ayana")
    later = _row("ETH9202", "2020-05-08", shared, location="Gida")
    other_actor = later.replace("Military Forces of Ethiopia (2018-),1,OLA: Oromo Liberation Army,2", "OLA: Oromo Liberation Army,2,Military Forces of Ethiopia (2018-),1")
    got, _ = _import(tmp_path, later, first, other_actor)
    assert sorted(got) == ["ETH9201", "ETH9202"]
    assert (got["ETH9201"].get("injured"), got["ETH9202"].get("injured")) == (30, None)
    assert {t for t in got["ETH9202"]["tags"] if t.startswith("actor:")} == {"actor:Military Forces of Ethiopia (2018-)", "actor:OLA: Oromo Liberation Army"}
