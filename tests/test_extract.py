"""The article extractor: sentence-level behaviour (data-driven), provenance, metadata errors,
and the scores against the hand annotations."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from riskengine.core.errors import InputError
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.evaluate import evaluate

HERE = Path(__file__).parent / "extract"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
META = {"date": dt.date(2025, 8, 12), "publisher": "Test Wire", "reliability": "B", "credibility": 2}


def run(extractor: Extractor, text: str) -> list[dict]:
    out = []
    for item in extractor.extract_text(text, "t.txt", META):
        view = item.event.model_dump(exclude_none=True)
        view["kind"] = item.provenance["kind"]
        view["stated"] = set(item.provenance["fields"])
        out.append(view)
    return out


# (text, expected events as subsets of their fields). 2025-08-12 is a Tuesday.
CASES = [
    pytest.param(
        "Russian missiles struck port infrastructure in Odesa early on Tuesday, killing two people and wounding seven.",
        [{"kind": "missile_strike", "location": "Odesa", "country": "UKR", "fatalities": 2, "injured": 7, "target_category": "port", "initiator_side": "Russia"}],
        id="wire-lead",
    ),
    pytest.param(
        "A drone attack by Ukrainian forces on a factory in Izhevsk, Russia, left three people dead and over thirty others hospitalized.",
        [{"kind": "drone_strike", "location": "Izhevsk", "country": "RUS", "fatalities": 3, "hospitalised": 30, "injured": 30, "initiator_side": "Ukraine", "target_side": "Russia"}],
        id="words-and-at-least",
    ),
    pytest.param(
        "Russian drones targeted the port town of Izmail on Friday. No casualties were reported.",
        [{"kind": "drone_strike", "location": "Izmail", "fatalities": 0, "injured": 0, "event_date": dt.date(2025, 8, 8)}],
        id="negation-next-sentence",
    ),
    pytest.param(
        "Russian shelling of Kherson wounded three civilians. Nobody was hurt aboard the ferry.",
        [{"kind": "shelling", "location": "Kherson", "injured": 3}],
        id="scoped-negation-ignored",
    ),
    pytest.param(
        "It was the second attack on the plant in Izhevsk this year after a drone strike there on Monday; the previous attack caused no casualties.",
        [{"kind": "drone_strike", "location": "Izhevsk", "event_date": dt.date(2025, 8, 11)}],
        id="figures-of-an-earlier-event",
    ),
    pytest.param(
        "Russia fired 12 ballistic and cruise missiles and 86 drones at Ukraine overnight, the air force said, adding that air defences shot down nine missiles and 71 drones.",
        [{"kind": "drone_strike", "country": "UKR", "drones_launched": 86, "missiles_launched": 12, "drones_intercepted": 71, "missiles_intercepted": 9}],
        id="wave-with-interceptions",
    ),
    pytest.param(
        "Russia launched 50 drones at Ukraine, while Russia said it downed 20 Ukrainian drones over the Kursk region.",
        [
            {"kind": "drone_strike", "country": "UKR", "drones_launched": 50},
            {"kind": "interception", "country": "RUS", "admin1": "Kursk", "drones_intercepted": 20, "initiator_side": "Ukraine"},
        ],
        id="interception-of-the-other-side",
    ),
    pytest.param(
        "Eleven people were injured in Sumy overnight when Shahed drones hit the city; a day earlier, a missile attack on Sumy had killed nine.",
        [
            {"kind": "drone_strike", "location": "Sumy", "injured": 11, "event_date": dt.date(2025, 8, 12)},
            {"kind": "missile_strike", "location": "Sumy", "fatalities": 9, "event_date": dt.date(2025, 8, 11)},
        ],
        id="two-events-one-sentence",
    ),
    pytest.param(
        "Delegations are expected to meet in Geneva on Thursday for a new round of talks.",
        [{"kind": "talks", "location": "Geneva", "country": "CHE", "diplomatic_status": "scheduled", "scheduled_date": dt.date(2025, 8, 14)}],
        id="talks-scheduled",
    ),
    pytest.param(
        "The E.U. has threatened to impose additional sanctions on Russia.",
        [{"kind": "sanctions", "country": "RUS", "diplomatic_status": "threatened", "initiator_side": "European Union"}],
        id="sanctions-threatened",
    ),
    pytest.param(
        "Moscow has massed some 50,000 troops near Kupiansk, according to Ukraine's General Staff.",
        [{"kind": "troop_concentration", "location": "Kupiansk", "troops": 50000, "initiator_side": "Russia"}],
        id="troops",
    ),
    pytest.param(
        "KYIV, Aug 12 - A Russian ballistic missile slammed into a hotel in central Kramatorsk late on Monday, killing five people and injuring at least 19.",
        [{"kind": "missile_strike", "location": "Kramatorsk", "event_date": dt.date(2025, 8, 11), "fatalities": 5, "injured": 19}],
        id="dateline-is-not-the-event-date",
    ),
    pytest.param(
        "Officials said 14 drones had been shot down over Bryansk and that there were no reports of casualties. In Kherson, a woman was killed when a Russian drone dropped explosives on a bus stop.",
        [
            {"kind": "interception", "admin1": "Bryansk", "drones_intercepted": 14},
            {"kind": "drone_strike", "location": "Kherson", "fatalities": 1},
        ],
        id="no-casualty-report-and-one-person",
    ),
    pytest.param(
        "Drone warfare has become the defining feature of the war. If a drone were to hit Romanian soil, NATO would respond. Every drone strike is a setback.",
        [],
        id="generic-and-hypothetical",
    ),
    pytest.param(
        "The strike on the plant was reported 1,300 km from the Ukrainian border.",
        [],
        id="weaponless-mention-alone",
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_sentences(extractor: Extractor, text: str, expected: list[dict]) -> None:
    got = run(extractor, text)
    assert len(got) == len(expected), [(g["kind"], g.get("location")) for g in got]
    for exp in expected:
        match = [g for g in got if all(g.get(k) == v for k, v in exp.items())]
        assert match, f"no event with {exp} in {got}"


def test_unstated_fatalities_are_not_predictions(extractor: Extractor) -> None:
    [event] = run(extractor, "Russian forces shelled Nikopol on Tuesday, causing casualties, officials said.")
    assert "fatalities" not in event["stated"] and "casualties_unquantified" in event["tags"]


def test_provenance_points_at_the_sentence(extractor: Extractor) -> None:
    text = "---\ndate: 2025-08-12\n---\nCalm morning.\nRussian drones hit Kharkiv, killing two people.\n"
    [item] = extractor.extract_text(text, "p.md")
    cited = item.provenance["fields"]["fatalities"][0]
    assert text[cited["start"] : cited["end"]] == "Russian drones hit Kharkiv, killing two people."
    assert item.event.sources[0].date == dt.date(2025, 8, 12)


def test_markdown_and_front_matter(extractor: Extractor) -> None:
    text = "---\ntitle: T\npublisher: Live\ndate: 2025-10-15\nreliability: B\ncredibility: 3\n---\n# Key\n\n- **Kharkiv:** A guided aerial bomb hit a residential block in Kharkiv on Tuesday evening, killing four people.\n"
    [item] = extractor.extract_text(text, "l.md")
    e = item.event
    assert (e.event_date, e.sub_event_type, e.fatalities, e.target_category) == (dt.date(2025, 10, 14), "Air/drone strike", 4, "residential")
    assert e.sources[0].name == "Live" and e.sources[0].grade == "B3" and "**" not in (e.notes or "")


@pytest.mark.parametrize(
    "front, message",
    [
        ("date: 2025-13-40\n", "is not YYYY-MM-DD"),
        ("date: 2025-08-12\nreliablity: B\n", "unknown front matter key 'reliablity'"),
        ("date: 2025-08-12\ncredibility: 9\n", "is not 1..6"),
        ("date: [unclosed\n", "YAML syntax error"),
    ],
)
def test_bad_front_matter(extractor: Extractor, front: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        extractor.extract_text(f"---\n{front}---\nRussian drones hit Kyiv.\n", "bad.md")
    assert message in info.value.render()


def test_front_matter_as_archives_write_it_costs_no_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Keys the extractor does not use ('author', 'tags', 'section') are warnings, not the end of
    the article (the sixth blind set lost 9 of its 10 articles to them); an alias ('outlet')
    gives the publisher; a key that looks misspelt is still refused."""
    from riskengine.cli.app import main

    body = "Russian drones hit Kharkiv on Tuesday, killing two people.\n"
    (tmp_path / "a.md").write_text(
        "---\ntitle: 'Analysis: drones over Kharkiv'\noutlet: The Horn Review\nauthor: M. Osei\ndate: 2025-08-13\ntags: [drones, Kharkiv]\n---\n" + body, encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("---\npublisher: Wire\nsource: Other Wire\nsection: World\ndate: 2025-08-13\n---\n" + body, encoding="utf-8")
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "-o", str(out), "--no-dedup"]) == 0
    assert [e["sources"][0]["name"] for e in map(json.loads, out.read_text(encoding="utf-8").splitlines())] == ["The Horn Review", "Wire"]
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    read = "the keys read are: title, url, publisher, date, reliability, credibility, country, document"
    assert capsys.readouterr().err.splitlines()[:5] == [
        f"{a}:1:1: warning[W107] front matter key 'author' is not used ({read})",
        f"{a}:1:1: warning[W107] front matter key 'tags' is not used ({read})",
        f"{b}:1:1: warning[W107] front matter key 'section' is not used ({read})",
        f"{b}:1:1: warning[W107] front matter key 'source' is not used: 'publisher' is given",
        "2 event(s) from 2 article(s)",
    ]
    (tmp_path / "c.md").write_text("---\ntitel: T\ndate: 2025-08-13\n---\n" + body, encoding="utf-8")
    assert main(["extract", str(tmp_path / "c.md")]) == 1
    assert f"{tmp_path / 'c.md'}:1:1: error[E107] unknown front matter key 'titel' (did you mean 'title'? {read})" in capsys.readouterr().err


def test_article_without_date_is_an_input_error(extractor: Extractor) -> None:
    with pytest.raises(InputError, match="has no date"):
        extractor.extract_text("Russian drones hit Kyiv.", "nodate.txt")


def test_nato_distance_near_romania(extractor: Extractor) -> None:
    [e] = run(extractor, "Russian drones struck the port of Izmail on Tuesday.")
    assert e["distance_to_nato_km"] < 10 and e["country"] == "UKR"


# The whole-article scores. The seeds and the first four own articles were used while
# developing; the held-out pair was scored once before any change (see docs/EXTRACTION.md).
@pytest.mark.parametrize(
    "gold, folder, floor",
    [("unseen_gold.yaml", HERE / "articles", 0.9), ("heldout_gold.yaml", HERE / "heldout", 0.9)],
)
def test_own_articles_scores(extractor: Extractor, gold: str, folder: Path, floor: float) -> None:
    report = evaluate(HERE / gold, sorted(folder.iterdir()), extractor=extractor)
    assert report.overall.f1 >= floor, report.render()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the checkout")
def test_seed_scores_per_field(extractor: Extractor) -> None:
    report = evaluate(HERE / "gold.yaml", sorted(SEEDS.glob("0*.txt")), extractor=extractor)
    low = {name: round(c.f1, 3) for name, c in report.fields.items() if c.f1 < 0.9}
    assert not low, report.render()


def test_the_evaluation_pairs_places_spelled_with_and_without_accents(extractor: Extractor, tmp_path: Path) -> None:
    # The extractor writes the gazetteer's spelling ("Tillabéri"); a gold written from the
    # article says "Tillaberi". Scoring them as two places cost blind24 a matched location.
    (tmp_path / "a.txt").write_text(
        "---\ndate: 2025-09-14\n---\nGunmen ambushed an army convoy near Tillaberi, Niger, on Friday, killing 11 soldiers.\n", encoding="utf-8"
    )
    (tmp_path / "gold.yaml").write_text(
        "documents:\n  a.txt:\n    - kind: casualty_report\n      event_date: 2025-09-12\n      location: Tillaberi\n      country: NER\n      fatalities: 11\n",
        encoding="utf-8",
    )
    [event] = [e.event for e in extractor.extract_text((tmp_path / "a.txt").read_text(encoding="utf-8"), "a.txt")]
    assert event.location == "Tillabéri"  # the index's spelling, which this test is about
    report = evaluate(tmp_path / "gold.yaml", [tmp_path / "a.txt"], extractor=extractor)
    assert report.fields["location"].f1 == 1.0, report.render()


def test_an_endless_sentence_is_read_in_pieces_of_bounded_length() -> None:
    # Reading a sentence costs its length squared in places; one sentence of 22 KB took 14 s
    # of CPU and one of 200 KB would have taken over twenty minutes. Every piece is bounded and
    # the pieces keep the whole text, in order.
    from riskengine.ingest.extract.text import MAX_SENTENCE_CHARS, parse_article

    body = "Russia launched " + "161 attack drones, " * 3000 + "and struck Kyiv."
    article = parse_article("---\ndate: 2025-10-08\n---\n" + body + "\n", "a.txt")
    spans = [(s.start, s.end) for s in article.sentences]
    assert len(spans) > 30 and max(b - a for a, b in spans) <= MAX_SENTENCE_CHARS
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(spans))
    assert "".join(article.work[a:b] for a, b in spans).replace(" ", "") == body.replace(" ", "")
    # an ordinary long sentence is left whole
    ordinary = "Gunmen " + "attacked the village, " * 30 + "killing 3."
    assert len(parse_article("---\ndate: 2025-10-08\n---\n" + ordinary + "\n", "b.txt").sentences) == 1
