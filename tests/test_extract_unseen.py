"""Issue #14: extraction that holds on articles it has never seen (dates from the text, one bad
article not stopping the rest, sentences across hard wraps, figures as reporters give them,
several events per article, sources naming the article)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskengine.cli.app import main
from riskengine.core.errors import InputError
from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.evaluate import evaluate
from riskengine.ingest.extract.text import parse_article

HERE = Path(__file__).parent / "extract"
DEV = sorted((HERE / "dev").iterdir())


def events(extractor: Extractor, text: str, date: str | None = "2025-06-01") -> list[Event]:
    front = f"---\ndate: {date}\n---\n" if date else ""
    return [e.event for e in extractor.extract_text(front + text, "t.txt")]


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("KYIV (Wire) - On Sunday, 1 June 2025, Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
        ("KYIV, June 1, 2025 - Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
        ("Published 2025-06-01. Russian drones struck Kharkiv.", dt.date(2025, 6, 1)),
    ],
)
def test_date_from_the_text_when_no_metadata(lead: str, day: dt.date) -> None:
    article = parse_article(lead + "\n")
    assert article.published == day and article.date_source == "text"


def test_front_matter_date_wins_and_a_yearless_date_dates_nothing() -> None:
    assert parse_article("---\ndate: 2025-06-03\n---\nOn 1 June 2025 drones struck Kharkiv.\n").published == dt.date(2025, 6, 3)
    assert parse_article("On 1 June drones struck Kharkiv.\n").published is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://wire.example/world/drones-hit-kharkiv-2025-11-14", dt.date(2025, 11, 14)),
        ("https://paper.example/2025/11/14/drones-hit-kharkiv/?ref=2024-01-01", dt.date(2025, 11, 14)),
        ("https://radio.example/transcripts/20251114-morning", dt.date(2025, 11, 14)),
        ("https://radio.example/transcripts/2025-0312-1700", None),  # a year and a clock time, no date
        ("https://paper.example/2025/13/40/story", None),
    ],
)
def test_a_yearless_dateline_takes_the_date_in_the_url(url: str, day: dt.date | None) -> None:
    # A wire dateline gives month and day only ("KYIV, Nov 14 (Meridian) -"); news sites date
    # their addresses. The sixth blind set's wire report lost its four events to this.
    article = parse_article(f"---\nurl: {url}\n---\nKYIV, Nov 14 (Wire) - Russian drones struck Kharkiv overnight.\n")
    assert article.published == day
    assert article.date_source == ("url" if day else "metadata")
    dated = parse_article(f"---\nurl: {url}\n---\nKYIV, June 1, 2025 - Russian drones struck Kharkiv.\n")
    assert dated.published == dt.date(2025, 6, 1) and dated.date_source == "text"  # the text's full date first


def test_relative_dates(extractor: Extractor) -> None:
    # 2025-06-01 is a Sunday: "early on Sunday" is the report's own day, "yesterday" Saturday.
    (e,) = events(extractor, "Russian drones struck Kharkiv early on Sunday, killing two people.\n")
    assert e.event_date == dt.date(2025, 6, 1)
    (e,) = events(extractor, "Russian missiles struck Odesa yesterday, killing three people.\n")
    assert e.event_date == dt.date(2025, 5, 31)


def test_undated_article_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text("Russian drones struck Kharkiv on Sunday, killing two people.\n")
    good = HERE / "dev" / "wire_dnipro_no_front.txt"  # dated by its dateline
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(undated), str(good), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "E109" in err and "undated.txt" in err and not out.exists()
    assert main(["extract", str(undated), str(good), "-o", str(out), "--skip-invalid"]) == 0
    written = [Event.model_validate_json(line) for line in out.read_text().splitlines()]
    assert [e.location for e in written] == ["Dnipro"]


def test_sentences_survive_hard_wraps_and_abbreviations() -> None:
    text = (
        "Russia launched 25 Iranian-made\nShahed drones at Kharkiv, Gen. Oleksandr Syrskyi said at 7 a.m. on\n"
        "Sunday. The U.S. embassy issued\nan alert.\n\n- First item of a list\n- Second item.\n"
    )
    article = parse_article(text)
    got = [" ".join(article.text[s.start : s.end].split()) for s in article.sentences]
    assert got[:2] == [
        "Russia launched 25 Iranian-made Shahed drones at Kharkiv, Gen. Oleksandr Syrskyi said at 7 a.m. on Sunday.",
        "The U.S. embassy issued an alert.",
    ]
    assert got[2:] == ["First item of a list", "Second item."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 25 Iranian-made Shahed drones at Kharkiv overnight, and air defences brought down 22 of them.", (25, 22)),
        ("The air force said it shot down 17 of 18 drones launched by Russia at Odesa overnight.", (18, 17)),
        ("Air defences destroyed 49 of 52 drones and missiles fired at Kyiv overnight.", (52, 49)),
        ("Russia attacked Dnipro with more than 40 drones overnight. The air force says 30 were shot down.", (40, 30)),
        ("Russia attacked Dnipro with dozens of drones overnight.", (12, None)),
    ],
)
def test_launched_and_intercepted_as_reporters_give_them(extractor: Extractor, text: str, expected: tuple[int, int | None]) -> None:
    (e,) = events(extractor, text + "\n")
    assert (e.drones_launched, e.drones_intercepted) == expected
    assert e.initiator_side == "Russia"


def test_several_events_and_sources_naming_the_article(extractor: Extractor) -> None:
    path = HERE / "dev" / "wire_kharkiv_wrapped.txt"
    found = extractor.extract_file(path, shown="wire_kharkiv_wrapped.txt")
    strike, talks = sorted((x.event for x in found), key=lambda e: e.event_type)
    assert (strike.location, strike.fatalities, strike.injured, strike.drones_launched, strike.drones_intercepted) == ("Kharkiv", 2, 14, 25, 22)
    assert (talks.diplomatic_kind, talks.diplomatic_status, talks.scheduled_date) == ("talks", "scheduled", dt.date(2025, 6, 2))
    source = strike.sources[0]
    assert source.title == "Drone barrage on Kharkiv kills two; talks set for Monday"
    assert source.url and source.date == dt.date(2025, 6, 1)
    text = path.read_text(encoding="utf-8")
    spans = {s.field: s for s in strike.spans or []}
    lead = text[spans["drones_intercepted"].start : spans["drones_intercepted"].end]
    assert lead.startswith("KYIV, June 1") and lead.endswith("air defences\nbrought down 22 of them, the air force said.")
    assert spans["drones_launched"].text.startswith("KYIV, June 1")


def test_development_set_scores() -> None:
    report = evaluate(HERE / "dev_gold.yaml", DEV)
    assert report.overall.f1 >= 0.95


# -- the second blind set's mistakes (fresh_first_run.txt), each a general gap -----------------


def test_night_tallies_of_two_weapons_bind_to_the_strike(extractor: Extractor) -> None:
    # Two weapons, two sentences, "N of the drones": one event, named by the weapon that hit.
    text = (
        "Russian missiles slammed into apartment blocks in the city of Ternopil before dawn, killing 25 people.\n\n"
        "Ukraine's air force said Russia had launched 476 drones and 48 missiles at targets across the country overnight. "
        "Air defences shot down 442 of the drones and 41 of the missiles, it said.\n"
    )
    (item,) = extractor.extract_text("---\ndate: 2025-11-19\n---\n" + text, "t.txt")
    e = item.event
    assert (item.provenance["kind"], e.location, e.fatalities) == ("missile_strike", "Ternopil", 25)
    assert (e.drones_launched, e.missiles_launched, e.drones_intercepted, e.missiles_intercepted) == (476, 48, 442, 41)


def test_night_tally_binds_to_the_lead_strike_not_the_next_town(extractor: Extractor) -> None:
    text = (
        "At least 14 people have been killed in Kyiv after a massive Russian drone and missile attack overnight.\n\n"
        "In Odesa, a drone hit an apartment block, killing one person.\n\n"
        "The air force says Russia launched 440 drones and 32 missiles overnight.\n"
    )
    found = {e.location: e for e in events(extractor, text)}
    assert (found["Kyiv"].drones_launched, found["Kyiv"].missiles_launched) == (440, 32)
    assert found["Odesa"].drones_launched is None


def test_counts_listed_place_by_place_are_one_interception_each(extractor: Extractor) -> None:
    text = (
        "Over the past night, air defence assets destroyed 58 Ukrainian fixed-wing unmanned aerial vehicles over the territory of Russia.\n\n"
        "31 UAVs were destroyed over the territory of the Bryansk region, 15 over the territory of the Oryol region "
        "and 12 over the territory of the Kaluga region.\n"
    )
    found = sorted((e.admin1, e.drones_intercepted) for e in events(extractor, text))
    # The country total is the sum of the three: not a fourth event.
    assert found == [("Bryansk", 31), ("Kaluga", 12), ("Oryol", 15)]


def test_list_after_a_colon_at_a_wrapped_line_end(extractor: Extractor) -> None:
    text = (
        "Air defence systems on duty intercepted and destroyed 46 Ukrainian drones of the aircraft type:\n"
        "19 over the Belgorod region, 14 over the Voronezh region, eight over the Rostov region and five over\n"
        "the Kursk region, the ministry said.\n"
    )
    assert sorted(e.drones_intercepted or 0 for e in events(extractor, text)) == [5, 8, 14, 19]


@pytest.mark.parametrize(
    ("text", "place", "country", "scheduled"),
    [
        ("Donald Trump and Vladimir Putin are due to meet in Anchorage, Alaska, on Friday, August 15, for their first face-to-face talks.", "Anchorage", "USA", dt.date(2025, 8, 15)),
        ("Senior US and Russian officials are expected to sit down together in Riyadh on Tuesday.", "Riyadh", "SAU", dt.date(2025, 8, 12)),
        ("The Kremlin said on Sunday that a Russian delegation would travel to Istanbul for direct talks with Ukraine on Thursday.", "Istanbul", "TUR", dt.date(2025, 8, 14)),
    ],
)
def test_meetings_announced(extractor: Extractor, text: str, place: str, country: str, scheduled: dt.date) -> None:
    # 2025-08-10 is a Sunday: the talks are dated by the report, the meeting is scheduled_date.
    (e,) = [x for x in events(extractor, text + "\n", "2025-08-10") if x.diplomatic_kind == "talks"]
    assert (e.location, e.country, e.diplomatic_status, e.scheduled_date, e.event_date) == (place, country, "scheduled", scheduled, dt.date(2025, 8, 10))


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("During the night, the enemy attacked Odesa with attack UAVs. Unfortunately, 1 person was killed. 3 more people were injured.", 1, 3),
        ("The Russian army shelled the town of Beryslav. Unfortunately, 2 persons died. 4 more persons received injuries of varying severity.", 2, 4),
        ("In Zaporizhzhia, as a result of a missile attack, 1 person died and 4 more were injured.", 1, 4),
        ("Russia shelled Kherson. A 68-year-old man was killed. Another three residents, including a child, were wounded.", 1, 3),
        ("A Ukrainian drone struck a car in the town of Shebekino, killing the driver and injuring two passengers.", 1, 2),
        ("The death toll from Thursday's missile strike on Dnipro has risen to nine. Forty-one people were wounded.", 9, 41),
    ],
)
def test_casualties_in_officialese_and_tolls(extractor: Extractor, text: str, killed: int, injured: int) -> None:
    (e,) = [x for x in events(extractor, text + "\n") if x.fatalities is not None]
    assert (e.fatalities, e.injured) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Ukrainian drones struck the Ryazan oil refinery overnight.", "Ryazan"),  # GeoNames: Ryazan’
        ("Ukrainian drones targeted a defence plant in the town of Elektrostal overnight.", "Elektrostal"),
        ("A missile strike on the city of Kryvyi Rih killed three civilians.", "Kryvyi Rih"),  # GeoNames: Kryvyy Rih
        ("Russian aircraft dropped guided aerial bombs on the Kyivskyi district of Kharkiv on Saturday.", "Kharkiv"),
        ("Russian drones also struck Zaporizhzhia's Komunarskyi district overnight, injuring two people.", "Zaporizhzhia"),
        ("Russian forces dropped two guided bombs on the village of Cherkaska Lozova on the outskirts of Kharkiv.", "Cherkaska Lozova"),
        ("Ukrainian forces struck the Saky air base in Crimea with Neptune missiles overnight.", "Saky"),
        ("A Russian FPV drone struck a civilian car in the village of Velyka Pysarivka on Wednesday morning.", "Velyka Pysarivka"),
        ("Within hours, Russian drones hit a hospital in the city of Sloviansk.", "Sloviansk"),  # GeoNames: Slov'yans'k
        ("In the Kupiansk district, artillery fire killed a 71-year-old man in the village of Kivsharivka.", "Kivsharivka"),
    ],
)
def test_places_as_analysts_code_them(extractor: Extractor, text: str, place: str) -> None:
    (e,) = events(extractor, text + "\n")
    assert e.location == place


def test_city_district_without_its_city_is_no_place() -> None:
    from riskengine.ingest.extract.gazetteer import default_gazetteer

    assert [p.text for p in default_gazetteer().scan("Parts of the Kyivskyi district are still without power.")] == []
    assert [p.text for p in default_gazetteer().scan("Shelling in the Pokrovsk district killed two.")] == ["Pokrovsk"]  # a raion


def test_interception_of_them_over_another_country(extractor: Extractor) -> None:
    text = (
        "**08:40** Prime Minister Donald Tusk tells parliament that 19 drones entered Polish airspace and that four of them were "
        "shot down over the Lublin province.\n\n**10:15** Debris has damaged the roof of a house. No one was hurt, police say.\n"
    )
    (item,) = extractor.extract_text("---\ndate: 2025-09-10\n---\n" + text, "t.md")
    e = item.event
    assert (e.location, e.country, e.drones_intercepted, e.sub_event_type) == ("Lublin", "POL", 4, "Disrupted weapons use")
    # The next entry's "no one was hurt" is about the debris, not the interception claimed.
    assert "fatalities" not in item.provenance["fields"] and "injured" not in item.provenance["fields"]


def test_a_part_of_a_count_does_not_place_it(extractor: Extractor) -> None:
    text = "Russia's defence ministry said it had destroyed 56 Ukrainian drones over eight regions overnight, including 11 over the Saratov region.\n"
    (e,) = events(extractor, text)
    assert (e.location, e.admin1, e.drones_intercepted) == (None, None, 56)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # a date in brackets qualifies another; "On the night of 12 July" is not a dateline
        ("On the night of 12 July (from 18:00 on 11 July), the enemy attacked Chernivtsi with 597 drones.", dt.date(2025, 7, 12)),
        # the day across "after" is another event's
        ("Two port workers died on Monday after a Russian ballistic missile hit a grain terminal in Odesa on Sunday night.", dt.date(2025, 7, 13)),
    ],
)
def test_the_events_own_date(extractor: Extractor, text: str, day: dt.date) -> None:
    # 2025-07-14 is a Monday.
    (e,) = events(extractor, text + "\n", "2025-07-14")
    assert e.event_date == day


def test_a_time_of_day_is_no_count(extractor: Extractor) -> None:
    (e,) = events(extractor, "**11:40** Two people have been killed by Russian shelling in the town of Nikopol.\n")
    assert e.fatalities == 2


def test_weapons_as_subject_and_shares_of_them(extractor: Extractor) -> None:
    text = "On Sunday night, more than a dozen Shahed drones attacked Kharkiv, injuring seven people. Air defences shot down eight of them.\n"
    (e,) = events(extractor, text)
    assert (e.drones_launched, e.drones_intercepted, e.injured) == (12, 8, 7)


def test_prefix_tree_alternation_matches_as_the_flat_one() -> None:
    import re

    from riskengine.ingest.extract.patterns import trie_alternation, words_regex

    words = ["drone", "drones", "drone strike", "Shahed", "Shahed-type", "shot down", "shot", "U.N.", "U.N", "sanctions", "sanctions package"]
    text = "Drones and a drone strike; Shahed-type drones were shot down, the U.N. said; shot. A sanctions package, sanctions."
    flat = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))
    expected = [m.span() for m in re.finditer(rf"(?<![\w-])(?:{flat})(?![\w-])", text, re.IGNORECASE)]
    assert [m.span() for m in words_regex(words).finditer(text)] == expected
    assert re.fullmatch(trie_alternation(["ab", "abc"]), "abc") and not re.fullmatch(trie_alternation(["ab", "abc"]), "abd")


@pytest.mark.parametrize(("gold", "folder"), [("frozen_gold.yaml", "frozen"), ("fresh_gold.yaml", "fresh"), ("closing_gold.yaml", "closing")])
def test_former_blind_sets_hold(gold: str, folder: str) -> None:
    # These blind sets were scored once (frozen_first_run.txt 0.842, fresh_first_run.txt 0.800,
    # closing_first_run.txt 0.831) and then used for the fixes of issue #14: no longer honest
    # estimates, now regression floors.
    report = evaluate(HERE / gold, sorted((HERE / folder).iterdir()))
    assert report.overall.f1 >= 0.95


def test_a_strike_told_as_a_habit_is_no_event(extractor: Extractor) -> None:
    text = "The village, two kilometres from the Russian border, is shelled almost every day.\n"
    assert events(extractor, text) == []
    (e,) = events(extractor, "Russian artillery shelled Nikopol on Tuesday, killing two people; the town is shelled almost every day.\n")
    assert (e.location, e.fatalities) == ("Nikopol", 2)


def test_talks_begun_in_a_possessive_place(extractor: Extractor) -> None:
    (e,) = events(extractor, "Ukrainian and Russian delegations have started talks in Istanbul's Dolmabahce Palace, Turkey's foreign ministry says.\n")
    assert (e.diplomatic_kind, e.diplomatic_status, e.location, e.country) == ("talks", "held", "Istanbul", "TUR")


# -- the closing set's misses (closing_first_run.txt), fixed after it was scored ---------------


def test_share_of_which(extractor: Extractor) -> None:
    (e,) = events(extractor, "Russia also launched 93 drones at Ukraine overnight, 60 of which were downed, the air force said.\n")
    assert (e.drones_launched, e.drones_intercepted) == (93, 60)


def test_strike_on_a_military_or_energy_target(extractor: Extractor) -> None:
    found = events(extractor, "Units of the Defence Forces also hit a command post of the 20th Army near Kreminna in the Luhansk region.\n")
    assert [e.location for e in found] == ["Kreminna"]
    text = "In the Ivano-Frankivsk region, a strike on an energy facility caused a fire, the governor says. No casualties were reported.\n"
    (e,) = events(extractor, text)
    assert (e.admin1, e.fatalities, e.target_category) == ("Ivano-Frankivsk", 0, "energy")


def test_talks_held_and_a_meeting_planned(extractor: Extractor) -> None:
    # 2025-12-09 is a Tuesday.
    text = (
        "US envoy Steve Witkoff met Vladimir Putin in Moscow last Tuesday for five hours of talks on the peace plan. "
        "A follow-up meeting between the American and Ukrainian teams is planned in Miami this week.\n"
    )
    found = sorted((e.location, e.diplomatic_status, e.event_date) for e in events(extractor, text, "2025-12-09"))
    assert found == [("Miami", "scheduled", dt.date(2025, 12, 9)), ("Moscow", "held", dt.date(2025, 12, 2))]


def test_call_in_a_readout(extractor: Extractor) -> None:
    (e,) = events(extractor, "The Prime Minister spoke to President Zelensky this morning about air defence.\n")
    assert (e.diplomatic_kind, e.diplomatic_status) == ("high_level_call", "held")
    assert events(extractor, "The minister spoke to reporters this morning.\n") == []


def test_town_spelled_without_its_soft_sign(extractor: Extractor) -> None:
    (e,) = events(extractor, "Ukrainian drones attacked a chemical plant in the town of Seltso in Russia's Bryansk region overnight.\n")
    assert (e.location, e.country) == ("Seltso", "RUS")  # GeoNames: Sel'tso


def test_final_blind_set_holds() -> None:
    # Written after freezing the extractor at e36fb4d and scored once (final_first_run.txt:
    # 0.976 / 0.879 / 0.925), not used for tuning: a floor under that figure, so that a later
    # change that loses what it found shows.
    report = evaluate(HERE / "final_gold.yaml", sorted((HERE / "final").iterdir()))
    assert report.overall.f1 >= 0.9


def test_third_blind_set_is_kept_as_scored() -> None:
    # Written by another author than the fixes' (the lead), before the fixes of issue #14 and kept
    # away from them, scored once at e36fb4d (blind3_first_run.txt: 0.780 / 0.661 / 0.716): the
    # honest figure that the final set's 0.925 overstated. A floor under it, so that a change that
    # loses what it found shows; raise it when its misses are fixed (it is then no longer blind).
    # Its misses were fixed as classes of phrasing (tests/test_extract_phrasing.py): 1.0 since.
    report = evaluate(HERE / "blind3_gold.yaml", sorted((HERE / "blind3").iterdir()))
    assert report.overall.f1 >= 0.97, report.render()


def test_the_fourth_blind_set_holds_its_first_run() -> None:
    # Written by a helper who saw neither the extractor nor its runs, kept outside the repository
    # until the extractor was frozen at 99b90d3, and scored once there (blind4_first_run.txt):
    # P 0.750, R 0.476, F1 0.583, the honest figure of issue #14 in session 8. A floor only: a
    # later fix that breaks what already worked on it shows here. Session 9 fixed three of its
    # classes (ordinal and dotted dates, zeros in any tense): 0.708, and no longer blind.
    # Session 10 fixed the classes of its remaining misses (test_extract_general.py): 0.938.
    report = evaluate(HERE / "blind4_gold.yaml", sorted((HERE / "blind4").iterdir()))
    assert report.overall.f1 >= 0.92, report.render()


def test_the_fifth_blind_set_holds_its_first_run() -> None:
    # Written by a helper who read only the coding conventions (never the extractor, its
    # vocabularies, tests or runs), kept outside the repository until the extractor was frozen at
    # 28d54ca (session 9, after its general fixes: sides from the gazetteer, ordinal and dotted
    # dates, zeros in any tense), and scored once there (blind5_first_run.txt): P 0.705, R 0.446,
    # F1 0.546, the honest figure of issue #14 in session 9. A floor only. Session 9's fixes took
    # it to 0.699, session 10's (the classes of its remaining misses, test_extract_general.py) to
    # 0.916: development figures, no longer blind.
    report = evaluate(HERE / "blind5_gold.yaml", sorted((HERE / "blind5").iterdir()))
    assert report.overall.f1 >= 0.90, report.render()


def test_the_sixth_blind_set_holds_its_first_run() -> None:
    # Written by a helper who read only the coding conventions, kept outside the repository until
    # the extractor was frozen at bfc3645 (session 10) and scored once there (blind6_first_run.txt):
    # F1 0.148 as written, because 9 of its 10 articles carried front matter keys the extractor
    # refused ('author', 'outlet', 'section', 'tags'), so nothing was extracted from them. With
    # the front matter normalised mechanically and no other change, the same extractor scored
    # 0.601 (P 0.631, R 0.575; the session's starting extractor 0.544): the honest prose figure of
    # issue #14 in session 10. Unused keys are now warnings (W107) and aliases are read, which
    # gives the 0.601 on the articles as written. A floor only.
    report = evaluate(HERE / "blind6_gold.yaml", sorted((HERE / "blind6").iterdir()))
    assert report.overall.f1 >= 0.60, report.render()
    # Session 11's fixes (test_extract_theatres.py) took it to 0.890, a development figure.
    assert report.overall.f1 >= 0.88, report.render()


def test_the_seventh_blind_set_holds_its_first_run() -> None:
    # Written blind in session 11 (ten articles: Niger, Somalia, Nigeria, Pakistan/Afghanistan,
    # Colombia in machine-translated Spanish, Haiti, Ethiopia, Mozambique, Yemen/Israel, Ukraine)
    # and scored once on the extractor frozen at a157b3c (blind7_first_run.txt): F1 0.679 (P 0.852,
    # R 0.564), the honest figure of issue #14 in session 11. One article, an NGO incident report
    # dated only by 'report_date', gave nothing; such date keys are now read (0.703). A floor only.
    report = evaluate(HERE / "blind7_gold.yaml", sorted((HERE / "blind7").iterdir()))
    assert report.overall.f1 >= 0.70, report.render()
    # Its classes fixed later in session 11 (test_extract_blind7_classes.py): 0.887, a development
    # figure; session 12's classes (test_extract_blind8_classes.py) took it to 0.927.
    assert report.overall.f1 >= 0.92, report.render()


def test_the_eighth_and_ninth_blind_sets_hold_their_first_run() -> None:
    # Written blind in session 12 by two helpers who never read the extractor (blind8: Sudan,
    # Ukraine live blog, Burkina Faso in machine-translated French, India/Pakistan, Myanmar, DRC,
    # Cameroon, Russia's regions from Telegram, Iraqi Kurdistan, Lebanon; blind9: South Sudan,
    # Zaporizhzhia, Syria in machine-translated Arabic, Thailand/Cambodia, a Russian MoD update,
    # Libya, Russian refineries, Gaza, the Black Sea, Mali) and scored once each on the extractor
    # frozen at 76a271d (blind8_first_run.txt, blind9_first_run.txt): F1 0.678 and 0.582, the
    # honest figures of issue #14 in session 12. Floors only.
    blind8 = evaluate(HERE / "blind8_gold.yaml", sorted((HERE / "blind8").iterdir()))
    assert blind8.overall.f1 >= 0.67, blind8.render()
    blind9 = evaluate(HERE / "blind9_gold.yaml", sorted((HERE / "blind9").iterdir()))
    assert blind9.overall.f1 >= 0.58, blind9.render()
    # Their classes fixed later in session 12 (test_extract_blind9_classes.py): 0.739 and 0.755,
    # development figures.
    assert blind8.overall.f1 >= 0.73, blind8.render()
    assert blind9.overall.f1 >= 0.75, blind9.render()
    # Session 16 (test_extract_session16.py: assaults, tolls with their town, troops gathering,
    # crowds, units sent): 0.751 and 0.798, development figures.
    assert blind8.overall.f1 >= 0.745, blind8.render()
    assert blind9.overall.f1 >= 0.79, blind9.render()


def test_session_13s_probe_articles_hold_their_development_figure() -> None:
    # Twelve probes written by session 13's helper with their gold before the first run (0.718 at
    # 4da4f25, probe13_first_run.txt); the classes they showed fixed (test_extract_session13.py):
    # 0.959, a development figure, not a blind one.
    report = evaluate(HERE / "probe13_gold.yaml", sorted((HERE / "probe13").iterdir()))
    assert report.overall.f1 >= 0.95, report.render()


def test_the_tenth_and_eleventh_blind_sets_hold_their_first_run() -> None:
    # Written blind in session 13 by two helpers who read only the coding conventions (blind10:
    # Kharkiv, Cauca in machine-translated Spanish, Hodeidah, a Balochistan table bulletin, Bukavu,
    # Belgorod, Benue, Darfur, Rakhine, a Cabo Delgado incident log; blind11: Haiti, Kharkiv,
    # Cabo Delgado, Odesa, an Arauca incident log, Hodeidah, Kurram, Culiacan, Myanmar, Belgorod)
    # and scored once each on the extractor frozen at 4635969 (blind10_first_run.txt,
    # blind11_first_run.txt): F1 0.622 and 0.674, the honest figures. Floors only.
    blind10 = evaluate(HERE / "blind10_gold.yaml", sorted((HERE / "blind10").iterdir()))
    assert blind10.overall.f1 >= 0.62, blind10.render()
    blind11 = evaluate(HERE / "blind11_gold.yaml", sorted((HERE / "blind11").iterdir()))
    assert blind11.overall.f1 >= 0.67, blind11.render()
    # Their classes fixed in session 13b (test_extract_blind10_classes.py): 0.741 and 0.720; in
    # 13c (test_extract_session13c.py): 0.772 and 0.740, development figures.
    assert blind10.overall.f1 >= 0.76, blind10.render()
    assert blind11.overall.f1 >= 0.73, blind11.render()
    # Session 14 (test_extract_session14.py: bombs as remote strikes, talks by who meets, ground
    # fights by their noun): 0.796 and 0.752, development figures.
    assert blind10.overall.f1 >= 0.79, blind10.render()
    assert blind11.overall.f1 >= 0.745, blind11.render()
    # Session 16 (test_extract_session16.py): 0.833 and 0.811, development figures.
    assert blind10.overall.f1 >= 0.825, blind10.render()
    assert blind11.overall.f1 >= 0.805, blind11.render()
    # Session 17 (test_extract_session17.py): 0.859 and 0.839, development figures.
    assert blind10.overall.f1 >= 0.855, blind10.render()
    assert blind11.overall.f1 >= 0.835, blind11.render()


def test_session_14s_probe_articles_hold_their_development_figure() -> None:
    # Ten probes written by session 14's helper with their gold before the first run (0.787 at
    # c1496ff, probe14_first_run.txt); after the classes they and the other sets showed were fixed
    # (test_extract_session14.py): 0.938, a development figure (some fixes were found on them).
    report = evaluate(HERE / "probe14_gold.yaml", sorted((HERE / "probe14").iterdir()))
    assert report.overall.f1 >= 0.93, report.render()


def test_a_dateline_field_dates_an_article_before_its_edit_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression (session 12 review): an edit's day had been tried before a dateline kept as its
    # own field, so an article published on the 20th and updated on the 21st was dated the 21st;
    # and both keys were reported as "not used" although they dated it.
    article = tmp_path / "g.txt"
    article.write_text("---\ndateline: BAMAKO, 20 November 2025\nupdated: 2025-11-21\n---\nA drone hit Gao, killing 2.\n", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    assert main(["extract", str(article), "-o", str(out)]) == 0
    assert '"event_date":"2025-11-20"' in out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert f"{article}:1:1: warning[W107] front matter key 'dateline' is read only for the article's date, when nothing else gives one (give 'date' to say the day of publication)" in err
    assert "'updated' is not used" not in err


def test_front_matter_dates_under_other_names() -> None:
    # blind7's incident report had 'report_date' and no 'date': nothing was extracted from it.
    extractor = Extractor()
    body = "A drone struck a market in Mirebalais on Monday, killing 4 people."
    for key in ("report_date", "issue_date", "Publication-Date", "date_posted", "pub_date"):
        events = extractor.extract_text(f"---\n{key}: 2025-04-03\ntitle: Incident report\n---\n{body}\n", "r.txt")
        assert events and all(e.event.event_date <= dt.date(2025, 4, 3) for e in events), key
    # the day a clipping tool saved the page is not the article's
    with pytest.raises(InputError):
        extractor.extract_text(f"---\ncreated_date: 2025-04-03\n---\n{body}\n", "r.txt")


def test_the_twelfth_and_thirteenth_blind_sets_hold_their_first_run() -> None:
    # Written blind in session 14 by two helpers who read only the coding conventions (blind12:
    # a Reddit thread on Nabatieh, a Bamenda tribunal note, a Kirkuk observer statement, a Sahel
    # data piece, a Pavlohrad council notice, an Old Fangak radio phone-in, Mocimboa in machine-
    # translated Portuguese, a Bhamo armed-group release, a Tripoli travel advisory, a Poonch health
    # statement; blind13: a Zamfara NGO forum review, a Marib Security Council briefing, a Polish
    # parliamentary answer, an Arauca broker note, a Kosti grid statement, a Michoacan fact-check,
    # Duhok in machine-translated Turkish, Djugu voice notes, a Haiti access snapshot, a Kurram long
    # read) and scored once each on the extractor frozen at 5a8edb1 (blind12_first_run.txt,
    # blind13_first_run.txt): F1 0.739 and 0.520, the honest figures. Floors only.
    blind12 = evaluate(HERE / "blind12_gold.yaml", sorted((HERE / "blind12").iterdir()))
    assert blind12.overall.f1 >= 0.73, blind12.render()
    blind13 = evaluate(HERE / "blind13_gold.yaml", sorted((HERE / "blind13").iterdir()))
    assert blind13.overall.f1 >= 0.52, blind13.render()
    # Development figures since (session 14b, the classes their misses showed; tests in
    # test_extract_session14b.py): the sets are no longer unseen, so these floors are not honest
    # figures, only regression guards.
    assert blind12.overall.f1 >= 0.785, blind12.render()
    assert blind13.overall.f1 >= 0.72, blind13.render()
    # Session 16 (test_extract_session16.py): 0.831 and 0.767, development figures.
    assert blind12.overall.f1 >= 0.825, blind12.render()
    assert blind13.overall.f1 >= 0.76, blind13.render()
    # Session 17 (test_extract_session17.py): 0.851 and 0.770, development figures.
    assert blind12.overall.f1 >= 0.845, blind12.render()


def test_the_fourteenth_and_fifteenth_blind_sets_hold_their_first_run() -> None:
    # Written blind late in session 14, after blind12/13's classes were fixed, by two helpers who
    # read only the coding conventions (blind14: a Somalia wire story with an editor's note, a Sumy
    # governor's address, a Burkina mining notice, UN briefing notes, a Kolofata school closure, an
    # Apatzingan police blotter, Bocaranga in machine-translated French, Marib in translated Arabic,
    # a Dembecha urgent action, a Cauca sports story; blind15: a Lakki Marwat TV ticker, a Haitian
    # diaspora newsletter, a translated milblogger on Sukhetske, a Pibor convoy report, a Mandera
    # police release, a Rzeszow airport notice, a Manipur timeline box, a war-risk circular, a
    # Cabo Delgado mission email, a Bangladesh election commission statement) and scored once each
    # on the extractor as handed over (e388173): F1 0.690 and 0.544, the honest figures. Floors only.
    blind14 = evaluate(HERE / "blind14_gold.yaml", sorted((HERE / "blind14").iterdir()))
    assert blind14.overall.f1 >= 0.689, blind14.render()
    blind15 = evaluate(HERE / "blind15_gold.yaml", sorted((HERE / "blind15").iterdir()))
    assert blind15.overall.f1 >= 0.54, blind15.render()
    # Development figures since (session 15, the classes their misses showed; tests in
    # test_extract_session15.py): 0.784 and 0.828. The sets are no longer unseen: regression
    # guards only, not honest figures.
    assert blind14.overall.f1 >= 0.775, blind14.render()
    assert blind15.overall.f1 >= 0.82, blind15.render()
    # Session 16 (test_extract_session16.py): 0.797 and 0.830, development figures.
    assert blind14.overall.f1 >= 0.79, blind14.render()
    # Session 17 (test_extract_session17.py): 0.797 and 0.854, development figures.
    assert blind15.overall.f1 >= 0.85, blind15.render()


def test_the_sixteenth_and_seventeenth_blind_sets_hold_their_first_run() -> None:
    # Written blind early in session 15 by two helpers who read only the coding conventions, while
    # another helper fixed blind14/15's classes without ever opening these (blind16: an OCHA-style
    # access snapshot with a Markdown table on Tawila, a UKMTO-style Red Sea advisory, a military
    # spokesman's Q&A on Maroun al-Ras, a Borno court-verdict summary, a journalist's X thread on
    # Sagaing, a mining company's Ituri security disclosure, an embassy alert for eastern Burkina
    # Faso, Guayaquil in machine-translated Spanish, an OSINT blog on Engels, a travel-risk digest
    # on Mindanao, Thailand's deep south and Papua; blind17: a Hansard exchange on Naqoura, an aid
    # worker's obituary in Khan Younis, a Catatumbo union communique, a forwarded WhatsApp alert
    # from Bassa, a letter to the editor on Tavush, Mare in machine-translated Portuguese, a talk
    # show on Noshki, an incident brief with footnotes on Lower Shabelle, a Mpeketoni college
    # bulletin, an Idlib ceasefire-monitoring report) and scored once each on extract15's final
    # commit (c7ef2c9): F1 0.584 and 0.554, the honest figures (the session's starting extractor:
    # 0.582 and 0.538). Floors only.
    blind16 = evaluate(HERE / "blind16_gold.yaml", sorted((HERE / "blind16").iterdir()))
    assert blind16.overall.f1 >= 0.58, blind16.render()
    blind17 = evaluate(HERE / "blind17_gold.yaml", sorted((HERE / "blind17").iterdir()))
    assert blind17.overall.f1 >= 0.55, blind17.render()
    # Development figures since (session 16, the classes their misses and the earlier sets' showed;
    # tests in test_extract_session16.py): 0.700 and 0.600. The sets are no longer unseen:
    # regression guards only, not honest figures.
    assert blind16.overall.f1 >= 0.695, blind16.render()
    assert blind17.overall.f1 >= 0.595, blind17.render()
    # Session 17 (test_extract_session17.py): 0.745 and 0.620, development figures.
    assert blind16.overall.f1 >= 0.74, blind16.render()
    assert blind17.overall.f1 >= 0.615, blind17.render()


def test_the_eighteenth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 16 by two helpers who read only a conventions sheet (c01-c05: a
    # Great Lakes radio bulletin on Uvira, a Black Sea war-risk circular, a Bundestag committee
    # release on Jagel, a Quetta daily in translated English, a think-tank's Sahel weekly; d01-d05:
    # a Kyiv-datelined wire story, a Kordofan NGO situation report with an incident table, a
    # Colombian paper on Cauca in translation, a Galilee live blog, a UK ministry statement on
    # Sudan), while another helper fixed blind16/17's classes without ever opening these; scored
    # once on that helper's final commit (2cff981): F1 0.698 (P 0.740, R 0.661), the honest figure
    # (the session's starting extractor 42f7ca0: 0.687). Floor only.
    blind18 = evaluate(HERE / "blind18_gold.yaml", sorted((HERE / "blind18").iterdir()))
    assert blind18.overall.f1 >= 0.69, blind18.render()
    # A development set since (session 17, test_extract_session17.py): 0.703; no longer unseen.
    assert blind18.overall.f1 >= 0.70, blind18.render()


def test_the_nineteenth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 17 by two helpers who read only a conventions sheet (e01-e05: a
    # Sahel consultancy flash report with bullets, machine-translated Haitian news, a defence
    # ministry's evening summary with a region table, a magazine's timeline of a week in Sudan, a
    # Red Sea war-risks bulletin; f01-f05: a UN flash update on south Lebanon, a Khyber Pakhtunkhwa
    # governor's release, a Somali radio transcript, an opinion column on the Line of Control, a
    # machine-translated Cauca regional paper), while another helper fixed blind16-18's classes
    # without ever opening these; scored once on that helper's final commit (26fb5e3): F1 0.658
    # (P 0.814, R 0.553), the honest figure (the session's starting extractor a1238d3: 0.653).
    # Floor only.
    blind19 = evaluate(HERE / "blind19_gold.yaml", sorted((HERE / "blind19").iterdir()))
    assert blind19.overall.f1 >= 0.65, blind19.render()
    # A development set since (session 17b, test_extract_session17b.py): 0.726; no longer unseen.
    assert blind19.overall.f1 >= 0.72, blind19.render()
    # Session 18 (extract19, test_extract_session18.py: the place a sentence names): 0.738.
    assert blind19.overall.f1 >= 0.73, blind19.render()


def test_the_twentieth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 17 by two helpers who read only a conventions sheet (g01-g05: a
    # wire's world-briefs roundup, a Makurdi diocese statement in translated English, a Kenya
    # police statement, a think-tank's weekly Syria monitor with dated bullets, a Mindanao local TV
    # item; h01-h05: a foreign ministry's call and meeting readout, an NGO field blog from Adre, a
    # Belgorod item machine-translated from Russian, a business daily's risk column on Pataz, a
    # Pakistan-Afghanistan live-updates page), while extract18 fixed blind19's classes without
    # ever opening these; scored once on its final commit (60b89cd): F1 0.715 (P 0.842, R 0.621),
    # the honest figure, the same as main before extract18 (39ea161). Floor only.
    blind20 = evaluate(HERE / "blind20_gold.yaml", sorted((HERE / "blind20").iterdir()))
    assert blind20.overall.f1 >= 0.71, blind20.render()
    # A development set since (session 17, the lead: a date under a signature with no label,
    # test_extract_session17b.py): 0.727; no longer unseen.
    assert blind20.overall.f1 >= 0.72, blind20.render()
    # Session 18 (extract19, test_extract_session18.py: the place a sentence names): 0.797.
    assert blind20.overall.f1 >= 0.79, blind20.render()


def test_the_twenty_first_blind_set_holds_its_first_run() -> None:
    # Written blind in session 18 by two helpers who read only a conventions sheet (i01-i05: a
    # French agency bulletin machine-translated (Macomia), a parliamentary committee hearing on
    # the Red Sea, a political-violence insurer's weekly loss bulletin, a regional paper's
    # courts-and-crime page (Machala), a think-tank's weekly Sahel digest with dated bullets;
    # j01-j05: an embassy security alert (Haiti), a shipping agent's port notice (Port Sudan), a
    # podcast summary and transcript (Kharkiv), a humanitarian access snapshot (Amhara), a
    # provincial government's post in translated English (Maguindanao)), while extract19 changed
    # how a place is chosen without ever opening these; scored once on its final commit
    # (e69d67a): F1 0.753 (P 0.890, R 0.652), the honest figure, the same mistake for mistake as
    # main before extract19 (94c8f04). Floor only.
    blind21 = evaluate(HERE / "blind21_gold.yaml", sorted((HERE / "blind21").iterdir()))
    assert blind21.overall.f1 >= 0.75, blind21.render()
    # Session 19: a development set since (extract20's learned detector is trained on every gold
    # set, this one included): 0.780.
    assert blind21.overall.f1 >= 0.77, blind21.render()
    # Session 20 (extract23, test_extract_session20b.py): 0.841.
    assert blind21.overall.f1 >= 0.83, blind21.render()


def test_the_twenty_second_blind_set_holds_its_first_run() -> None:
    # Written blind in session 19 by two helpers who read only a conventions sheet (k01-k05: a TV
    # news transcript translated from Arabic (south Lebanon), an OCHA-style flash update (Ituri),
    # a Khyber Pakhtunkhwa police press release (Lakki Marwat), a Cauca regional paper translated
    # from Spanish, a Syria monitoring group's daily summary; l01-l05: a military blogger's digest
    # translated from Russian (Bryansk), a Gulf foreign ministry statement on the Red Sea, an NGO
    # statement on El Fasher, a Nigerian local paper (Zamfara), an Armenian defence ministry
    # communique (Syunik)), while extract20 built the learned detector without ever opening these;
    # scored once on its final commit (b5fa26f): F1 0.705 (P 0.685, R 0.726), the honest figure;
    # main before extract20 (0664757): 0.688 (P 0.686, R 0.689). Floor only.
    blind22 = evaluate(HERE / "blind22_gold.yaml", sorted((HERE / "blind22").iterdir()))
    assert blind22.overall.f1 >= 0.70, blind22.render()
    # A development set since (session 19, extract21: summary lines and claims in translated
    # wording, test_extract_session19b.py): 0.724.
    assert blind22.overall.f1 >= 0.72, blind22.render()
    # Session 20 (extract22): l01's region-by-region shoot-down counts coded as one interception
    # per region, the documented convention, where the first gold had folded their sum into the
    # strike told next (0.705 stays the honest figure, scored on that first gold): 0.795.
    assert blind22.overall.f1 >= 0.79, blind22.render()
    # Session 20 (extract23: places, countries and dates, test_extract_session20b.py): 0.781.
    assert blind22.overall.f1 >= 0.77, blind22.render()
    # Both merged, the detector retrained on the merged code: 0.857.
    assert blind22.overall.f1 >= 0.85, blind22.render()


def test_the_twenty_third_blind_set_holds_its_first_run() -> None:
    # Written blind in session 19 by two helpers who read only a conventions sheet (m01-m05: a
    # wire agency's multi-country morning round-up, a mining company's security notice to staff
    # (Markoye), a Kenyan county paper (Mandera), a think tank's Red Sea analysis with two dated
    # incidents among background, a European paper's live blog of a night of strikes (Kyiv,
    # Kharkiv); n01-n05: a radio bulletin script translated from French (Bukavu), a Haitian news
    # site in translated English, a page of short news items (Gaza, West Bank), a Sahel security
    # newsletter's dated bullets, an Imphal newspaper), while extract21 worked without ever
    # opening these; scored once on its final commit (29632c5): F1 0.795 (P 0.793, R 0.797), the
    # honest figure, the same mistake for mistake as main before extract21 (87df81a, with
    # extract20's learned detector); main before the detector (0664757): 0.776 (P 0.790, R
    # 0.762). Floor only.
    blind23 = evaluate(HERE / "blind23_gold.yaml", sorted((HERE / "blind23").iterdir()))
    assert blind23.overall.f1 >= 0.79, blind23.render()
    # Session 20 (extract22): a development set since (the detector is trained on it; the
    # night's tally bound to its strike, test_extract_session20.py): 0.812.
    assert blind23.overall.f1 >= 0.81, blind23.render()
    # A development set since (session 20, extract23: places, countries and dates fixed on every
    # set, blind23's Sahel newsletter and security notice among them, test_extract_session20b.py): 0.835.
    assert blind23.overall.f1 >= 0.83, blind23.render()
    # Both merged, the detector retrained on the merged code: 0.847.
    assert blind23.overall.f1 >= 0.84, blind23.render()


def test_the_twenty_fourth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 20 by two helpers who read only a conventions sheet, which now
    # says that counts given place by place are an interception each (o01-o05: a humanitarian
    # cluster's situation report (Amhara), a hard-wrapped wire story of a night's drones on
    # Odesa region's ports, a Colombian regional paper in translated Spanish (Catatumbo), a
    # Lebanese live blog newest first, a Mozambican provincial police release (Cabo Delgado);
    # p01-p05: a Quetta daily, a Somali radio website, a security consultancy's weekly digest
    # (Zamfara, Tillaberi), a Ukrainian regional administration's Telegram posts in translation
    # (Kharkiv, Sumy), a Myanmar exile outlet's feature (Sagaing)), while extract22, extract23
    # and extract24 worked without ever opening these; scored once on main d9622d4: F1 0.752
    # (P 0.714, R 0.793), the honest figure; 0.756 once the evaluation compared places without
    # accents. Session 19's extractor (87b6543): 0.743 (P 0.706, R 0.784). Floor only.
    blind24 = evaluate(HERE / "blind24_gold.yaml", sorted((HERE / "blind24").iterdir()))
    assert blind24.overall.f1 >= 0.75, blind24.render()


def test_the_twenty_fifth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 20 by two more helpers from the same sheet, while extract25 worked
    # on blind24's shapes without opening these (q01-q05: a Juba newspaper (Jonglei, Upper Nile),
    # an Israeli news site (Houthi launches, Hodeidah), a Mindanao radio transcript, a factbox of
    # a night's strikes across Ukraine, a medical charity's statement (North Kivu); r01-r05: a
    # Syrian monitor's numbered bulletin, a Burkinabe government communique in translation, an
    # Indian daily (Kathua, Poonch, Kupwara), a Polish local paper (a drone from Belarus), a
    # Sudanese diaspora site's long read in translation (El Fasher)); scored once on main
    # f217f5b: F1 0.641 (P 0.654, R 0.628), the honest figure; before extract25 (7babe27) and
    # at session 19's end (87b6543): 0.638. Floor only.
    blind25 = evaluate(HERE / "blind25_gold.yaml", sorted((HERE / "blind25").iterdir()))
    assert blind25.overall.f1 >= 0.64, blind25.render()


def test_the_twenty_sixth_blind_set_holds_its_first_run() -> None:
    # Written blind in session 21 by two more helpers from the same sheet, while extract26
    # (places) and extract27 (figures, kinds) worked on blind25's shapes without opening these
    # (s01-s05: a UN flash update on Haiti, a Niger radio bulletin in translation, a British
    # tabloid on Red Sea shipping, a think-tank's Myanmar digest, a Russian governor's Telegram
    # posts in translation; t01-t05: an Ethiopian state agency bulletin, a Mexican regional daily
    # in translation, a Nigerian daily, an Israeli army statement with a Lebanese outlet's
    # account, a Somali police release); scored once on main 2db473e: F1 0.731 (P 0.763,
    # R 0.701), the honest figure; session 20's extractor (2b9f410): 0.706. Floor only.
    blind26 = evaluate(HERE / "blind26_gold.yaml", sorted((HERE / "blind26").iterdir()))
    assert blind26.overall.f1 >= 0.73, blind26.render()


def test_the_twenty_seventh_blind_set_holds_its_first_run() -> None:
    # Written blind in session 21 by two more helpers from the same sheet, while extract28
    # (places) and extract29 (events, figures, dates) worked on blind26's shapes without opening
    # these (u01-u05: a Colombian army press release in translation, a Pakistani daily's front
    # page, a Ukrainian wire's night summary, an NGO security advisory on the Central African
    # Republic, an Iraqi Kurdish outlet; v01-v05: a Mozambican weekly in translation, a Filipino
    # provincial radio's news site, a regional Arabic outlet on Syria in translation, a Baltic
    # outlet, a Cameroonian daily); scored once on main 1abaf74: F1 0.734 (P 0.711, R 0.759),
    # the honest figure. Before the detector's retraining (02f34fe) and after the first round
    # alone (f297338): 0.745; session 20's extractor (2b9f410): 0.730. Floor only.
    blind27 = evaluate(HERE / "blind27_gold.yaml", sorted((HERE / "blind27").iterdir()))
    assert blind27.overall.f1 >= 0.73, blind27.render()
