"""The learned event detector (session 19, issue 14): events the patterns miss because their
wording was never shown to them. The sentences below are written for these tests (other towns,
outlets and wordings than the gold sets'); each event test fails without the detector."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pytest

from riskengine.core.errors import InputError
from riskengine.ingest.extract.articles import Extractor
from riskengine.ingest.extract.learned import WEIGHTS, Detector, default_detector, train
from riskengine.ingest.extract.patterns import DEFAULT_PATTERNS, load_patterns

HEAD = "---\ndate: 2025-11-18\n---\nSECURITY NOTE\n\nThe situation stayed tense across the area this week.\n\n"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(detector=False)


def _told(ex: Extractor, sentence: str) -> list[tuple[str, str | None, str]]:
    return [(e.provenance["kind"], e.event.location, e.event.event_date.isoformat()) for e in ex.extract_text(HEAD + sentence + "\n", "t.txt")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a bomb that "went off": no pattern names it, the detector reads a remote strike
        ("A roadside device went off on the road near Datu Piang on Sunday afternoon as an army truck passed.", ("remote_strike", "Datu Piang", "2025-11-16")),
        # rounds that "impacted": shelling without a shelling verb
        ("Late on Monday, two mortar rounds impacted in Saraqib.", ("shelling", "Saraqib", "2025-11-17")),
    ],
)
def test_a_sentence_no_pattern_takes_is_an_event_when_the_detector_scores_it_one(extractor: Extractor, rules: Extractor, sentence: str, expected: tuple[str, str, str]) -> None:
    assert _told(rules, sentence) == []  # what issue 14's misses look like
    (x,) = extractor.extract_text(HEAD + sentence + "\n", "t.txt")
    assert (x.provenance["kind"], x.event.location, x.event.event_date.isoformat()) == expected
    assert 0.5 <= x.provenance["detector"] <= 1.0  # marked as the detector's, with its score


def test_a_sentence_without_a_place_adds_no_event(extractor: Extractor) -> None:
    # without a town or region of their own, the detector's events were as often wrong as right
    # (leave-one-set-out): "the device went off" alone is no event of this report
    assert _told(extractor, "A roadside device went off on the road on Sunday afternoon as an army truck passed.") == []


def test_words_analysts_list_in_patterns_yaml_stop_the_detector() -> None:
    # a drone that crashed in a field abroad is no strike by patterns.yaml's conventions; the
    # detector, shown strikes told with "drone", would add one (final's Moldovan village). Since
    # its training on blind27 (a Latvian crash) the bare detector no longer takes "Moldovan police
    # said a drone crashed in a field near ...": the sentence must be one it takes, or the test
    # shows nothing of the stop-list
    sentence = "A drone crashed near the village of Cahul on Sunday, police said."
    listed = Extractor()
    assert _told(listed, sentence) == []
    unlisted = Extractor()
    unlisted.p = copy.copy(unlisted.p)  # (the loaded patterns are shared)
    unlisted.p.detector_not_events = re.compile("(?!)")
    assert [k for k, *_ in _told(unlisted, sentence)] == ["drone_strike"]


def test_the_background_rule_holds_for_the_detectors_events(extractor: Extractor) -> None:
    # months before the report: background, as the patterns' own events are (the detector
    # scores the sentence an event without the rule)
    assert _told(extractor, "In March 2024, two mortar rounds impacted in Saraqib.") == []
    unruled = Extractor()
    unruled._background = lambda *args: False  # type: ignore[method-assign]
    assert [k for k, *_ in _told(unruled, "In March 2024, two mortar rounds impacted in Saraqib.")] == ["shelling"]


def test_the_detector_adds_only_the_kinds_patterns_yaml_lists(extractor: Extractor) -> None:
    # who meets and why decides talks: the detector scores any meeting as talks (a budget meeting
    # of one government's ministers is none), so the diplomatic kinds are left to the cues
    sentence = "The finance ministers met in Warsaw on Tuesday to discuss the budget."
    assert [k for k, *_ in _told(extractor, sentence)] == []
    every = Extractor()
    every.p = copy.copy(every.p)
    every.p.detector_kinds = frozenset(every.p.kinds)
    assert [k for k, *_ in _told(every, sentence)] == ["talks"]


def test_an_unknown_kind_for_the_detector_is_a_config_error(tmp_path: Path) -> None:
    text = DEFAULT_PATTERNS.read_text(encoding="utf-8").replace("detector_kinds: [drone_strike,", "detector_kinds: [drone_strikes,")
    (tmp_path / "patterns.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_patterns(tmp_path / "patterns.yaml")
    assert caught.value.issues[0].code == "E103" and "drone_strikes" in caught.value.issues[0].message


def test_a_sentence_the_patterns_took_is_left_to_them(extractor: Extractor, rules: Extractor) -> None:
    # the patterns' own reading (a mention they dropped for want of a toll) is not overruled
    sentence = "Gunmen ambushed a patrol near Kidal on Sunday."
    assert _told(extractor, sentence) == _told(rules, sentence) == []


def test_no_second_event_of_the_kind_and_place_the_patterns_told(extractor: Extractor, rules: Extractor) -> None:
    text = "Two mortar rounds impacted in Saraqib late on Monday. Shelling hit Saraqib on Monday, killing two people.\n"
    assert [k for k, *_ in _told(extractor, text)] == [k for k, *_ in _told(rules, text)] == ["shelling"]


def test_weights_round_trip_through_json_without_pickle() -> None:
    d = default_detector()
    again = Detector.from_json(d.to_json())
    assert again.kinds == d.kinds and again.vocab == d.vocab and again.threshold == d.threshold
    assert np.array_equal(again.weights, d.weights)
    assert WEIGHTS.read_text(encoding="utf-8") == d.to_json()  # the shipped file is what training writes


@pytest.mark.parametrize("damage", ["{", '{"kinds": ["none"]}', json.dumps({"kinds": ["none", "talks"], "features": ["bias"], "threshold": 0.5, "weights": "!!"})])
def test_unreadable_weights_are_a_typed_error(damage: str) -> None:
    with pytest.raises(InputError) as caught:
        Detector.from_json(damage, "bad.json")
    assert caught.value.issues[0].code == "E520"


def test_training_is_deterministic_and_learns_the_words() -> None:
    xs = [["bias", "w=shelled"], ["bias", "w=met"], ["bias", "w=weather"], ["bias", "w=shelled"], ["bias", "w=met"], ["bias", "w=weather"]]
    ys = ["shelling", "talks", "none", "shelling", "talks", "none"]
    a, b = train(xs, ys), train(xs, ys)
    assert a.to_json() == b.to_json()
    assert a.best(["bias", "w=shelled"])[0] == "shelling"
    assert a.best(["bias", "w=met"])[0] == "talks"
    assert a.best(["bias", "w=weather"])[0] is None
