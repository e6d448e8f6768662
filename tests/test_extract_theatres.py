"""Classes of error the sixth blind set (Sudan, Mali, DR Congo, Lebanon, Myanmar, Yemen) showed in
reporting from outside the extractor's first theatre (session 11), each tested on sentences of our
own from other wars, not blind6's: background told in a past month or year, talks said not to be
scheduled, placeless strikes in the country the article is about, towns no index holds, and the
vocabulary of other armies and outlets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskengine.core.events import Event
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.patterns import Patterns


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def found(extractor: Extractor, text: str, date: str = "2025-06-03", extra: str = "") -> list[tuple[str, Event]]:
    return [(x.provenance["kind"], x.event) for x in extractor.extract_text(f"---\ndate: {date}\n{extra}---\n{text}\n", "t.txt")]


# -- background: a past event told in a month or year before the report's ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "In February a car bomb attack on a market in Mogadishu killed 19 people.",
        "Militants overran the garrison town of Djibo in 2023, and the army retook it months later.",
        "The worst single incident came in January 2024, when an airstrike on a wedding in Mandalay killed 40 guests.",
        "Shelling of the camp, which the militia captured in March, has killed hundreds of civilians.",
        "The Treasury sanctioned the group's financier in April, freezing his assets.",
        "Rebels seized Goma at the end of January.",
    ],
)
def test_an_event_told_in_an_earlier_month_or_year_is_background(extractor: Extractor, text: str) -> None:
    assert found(extractor, text, date="2025-06-03") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the report's own month, or a comparison since a month, is no background
        ("In June so far, an airstrike on Wad Madani on Sunday killed 12 people.", "air_strike"),
        ("Russia launched drones at Kharkiv overnight, the largest attack on the city since March, killing three people.", "drone_strike"),
        # an explicit day of this week wins over a month named further away
        ("On Sunday drones struck Kassala airport, the first attack on the city since the army lost Wad Madani in December.", "drone_strike"),
    ],
)
def test_an_event_of_the_reports_days_is_kept_beside_a_month(extractor: Extractor, text: str, kind: str) -> None:
    assert [k for k, _ in found(extractor, text)] == [kind]


def test_an_explicit_date_weeks_before_the_report_is_background(extractor: Extractor) -> None:
    text = "On 2 April an artillery strike on the market of Al-Fashir killed 14 people."
    assert found(extractor, text, date="2025-06-03") == []
    # a week before is still the report's news
    assert [e.event_date.isoformat() for _, e in found(extractor, "On 29 May an artillery strike on a market in Kharkiv killed 14 people.")] == ["2025-05-29"]


def test_the_background_limit_is_the_analysts(tmp_path: Path) -> None:
    data = yaml.safe_load((Path(__file__).parents[1] / "riskengine/ingest/extract/patterns.yaml").read_text())
    data["background_days"] = 90
    extractor = Extractor(Patterns(data, tmp_path / "patterns.yaml"))
    ((_, e),) = found(extractor, "On 2 April an artillery strike on a market in Kharkiv killed 14 people.")
    assert e.fatalities == 14


# -- talks said not to be scheduled -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "No new round of talks between the army and the rebels has been scheduled.",
        "Mediators have been shuttling between the capitals, but no formal negotiations have been announced.",
        "There is no date yet for a summit, officials in Addis Ababa said.",
    ],
)
def test_talks_said_not_to_exist_are_no_event(extractor: Extractor, text: str) -> None:
    assert [k for k, _ in found(extractor, text)] == []


# -- a strike with no place of its own, in an article about another country ------------------------


def test_a_placeless_strike_goes_to_the_country_the_article_is_about(extractor: Extractor) -> None:
    # no town named before the strike: the towns named after it tell the article's country
    text = (
        "Government jets bombed what the army called a militant training camp overnight, killing nine fighters.\n\n"
        "The army has been pushing north of Mogadishu towards Jowhar for weeks, and aid convoys to Beledweyne have stopped.\n"
    )
    kinds = found(extractor, text)
    assert [(k, e.country) for k, e in kinds] == [("air_strike", "SOM")]


def test_a_placeless_strike_keeps_the_front_matter_country(extractor: Extractor) -> None:
    text = "Somalia's army said government jets bombed a militant training camp overnight, killing nine fighters."
    assert [e.country for _, e in found(extractor, text, extra="country: KEN\n")] == ["KEN"]


def test_a_placeless_strike_in_an_article_naming_the_theatre_keeps_its_default(extractor: Extractor) -> None:
    text = "In Kharkiv, sirens sounded for hours.\n\nRussian jets bombed what the army called a command post overnight, killing nine soldiers.\n"
    assert {e.country for _, e in found(extractor, text)} == {"UKR"}


# -- towns no index holds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "location", "country"),
    [
        # "X town", "the locality of X": the text says it is a place; the article's country
        ("Chad's army said on Monday that a drone hit the market of Kouloudia town, killing four people.", "Kouloudia", "TCD"),
        ("In Burkina Faso, soldiers were shelled near the locality of Tawori on Monday, killing six soldiers.", "Tawori", "BFA"),
        # "X, southern Lebanon": the country written after the name places it
        ("An Israeli drone struck a motorcycle in Kfar Dounine, southern Lebanon, on Monday, killing one person.", "Kfar Dounine", "LBN"),
    ],
)
def test_a_town_no_index_holds_is_placed_by_the_text(extractor: Extractor, text: str, location: str, country: str) -> None:
    ((_, e),) = found(extractor, text)
    assert (e.location, e.country) == (location, country)


def test_a_town_the_article_placed_once_is_a_place_wherever_it_is_named(extractor: Extractor) -> None:
    text = (
        "SUMMARY\n\n"
        "- An Israeli drone strike killed two people in Kfar Dounine on Monday.\n\n"
        "DETAIL\n\n"
        "An Israeli drone struck a motorcycle in Kfar Dounine, southern Lebanon, on Monday, killing two people.\n"
    )
    events = found(extractor, text)
    assert [(e.location, e.fatalities) for _, e in events] == [("Kfar Dounine", 2)]


# -- vocabulary of other armies and outlets ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A mortar attack on the village of Lyptsi wounded two women on Tuesday.", "shelling"),
        ("Rebel artillery attacks on Kadugli killed five civilians on Monday, the state government said.", "shelling"),
        ("On Monday a fuel depot near Melitopol was hit with HIMARS, the general staff said.", "shelling"),
        ("On Saturday hundreds of teachers staged a sit-in outside the education ministry in Niamey.", "protest"),
    ],
)
def test_kinds_named_by_other_words(extractor: Extractor, text: str, kind: str) -> None:
    assert [k for k, _ in found(extractor, text)] == [kind]


def test_rocket_artillery_shot_down_is_no_shelling(extractor: Extractor) -> None:
    kinds = [k for k, _ in found(extractor, "Over the past day, air defences shot down six HIMARS rockets over the Belgorod region.")]
    assert "shelling" not in kinds


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Army drones struck a convoy near Menaka on Sunday; 23 terrorists were neutralised, the army said.", 23),
        ("The general staff said 6 soldiers fell when jihadists shelled the army post in Diafarabe on Sunday.", 6),
    ],
)
def test_army_jargon_for_deaths_counts_people(extractor: Extractor, text: str, killed: int) -> None:
    ((_, e),) = found(extractor, text)
    assert e.fatalities == killed


def test_neutralised_targets_are_no_deaths(extractor: Extractor) -> None:
    events = found(extractor, "Russia attacked Kyiv with drones overnight; 312 air targets were neutralised, the air force said.")
    assert all(e.fatalities in (0, None) for _, e in events)
