"""Briefs: the context model and its documentation, judgments, sections, templates, escaping,
determinism, the CLI verb, --watch, and golden briefs of the bundled sample.

Most tests build a small score report by hand (``make_report``) so they pin the brief and not the
rule packs; the golden tests run the whole pipeline on the sample data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from pathlib import Path

import markupsafe
import pytest
from pydantic import BaseModel

from riskengine.briefs import render as briefs
from riskengine.briefs.lint import lint_brief
from riskengine.briefs.render import (
    LIKELIHOOD_BANDS,
    BriefContext,
    build_context,
    leftover_placeholders,
    md_escape,
    render_brief,
    render_briefs,
    sparkline,
)
from riskengine.core.errors import TemplateError
from riskengine.core.events import Event
from riskengine.core.windows import parse_week
from riskengine.scoring.calibration import CLASSES, REACHED, WINDOW_WEEKS, Cell, History, Tally
from riskengine.scoring.scores import (
    Contribution,
    RulePackInfo,
    ScoreReport,
    SourceOut,
    source_weight,
    stakeholder_score,
    window_out,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
STAKEHOLDERS = ("investor", "government", "ngo", "analyst")
WEEK = parse_week("2025-W27")
PREVIOUS = WEEK.previous()
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% raw %}x{% endraw %}"


# ---------------------------------------------------------------------------------------------
# A hand-made week: a deep strike with two sources, a repeat hit on the same plant, an energy
# strike reported once, talks scheduled after the week, and a rule that faded.


def make_event(event_id: str, day: dt.date, **fields: typing.Any) -> Event:
    data: dict[str, typing.Any] = {
        "event_id": event_id,
        "event_date": day,
        "event_type": "Explosions/Remote violence",
        "country": "RUS",
        "sources": [{"name": "Reuters", "reliability": "B", "credibility": 2}],
    }
    data.update(fields)
    return Event.model_validate(data)


def make_events(**overrides: typing.Any) -> list[Event]:
    """The week's events; ``overrides`` replace fields of the Kupol strike (RUS1)."""
    kupol: dict[str, typing.Any] = {
        "sub_event_type": "Air/drone strike",
        "location": "Izhevsk",
        "admin1": "Udmurtia",
        "target_category": "military_industry",
        "target_name": "Kupol Electromechanical Plant",
        "fatalities": 3,
        "notes": "Drone strike on the Kupol plant; 35 hospitalised.",
        "sources": [
            {"name": "seed 000", "reliability": "C", "credibility": 3, "document": "000"},
            {"name": "seed 001", "reliability": "B", "credibility": 2, "document": "001"},
        ],
    }
    return [
        make_event("RUS1", dt.date(2025, 7, 1), **{**kupol, **overrides}),
        make_event("RUS0", dt.date(2024, 11, 20), target_category="military_industry", target_name="Kupol Electromechanical Plant"),
        make_event("UKR1", dt.date(2025, 7, 4), country="UKR", location="Kyiv", target_category="energy", fatalities=2),
        make_event("UKR0", dt.date(2025, 6, 26), country="UKR", location="Kyiv", target_category="energy"),
        make_event(
            "TUR1",
            dt.date(2025, 7, 2),
            country="TUR",
            event_type="Strategic developments",
            location="Istanbul",
            diplomatic_kind="talks",
            diplomatic_status="scheduled",
            scheduled_date=dt.date(2025, 7, 14),
            actor1="Russia",
            actor2="Ukraine",
        ),
        make_event(
            "TUR0",
            dt.date(2025, 7, 1),
            country="TUR",
            event_type="Strategic developments",
            diplomatic_kind="talks",
            scheduled_date=dt.date(2025, 7, 5),
        ),
    ]


def contribution(events: dict[str, Event], stakeholder: str, rule: str, dimension: str, ids: list[str], points: float, text: str | None = None) -> Contribution:
    legs = [events[i] for i in ids]
    weight = min(source_weight(e) for e in legs)
    last = max(legs, key=lambda e: (e.event_date, e.event_id))
    return Contribution(
        rule_id=rule,
        rule_title=rule.replace("-", " ").capitalize(),
        stakeholder=stakeholder,
        dimension=dimension,
        event_ids=ids,
        event_date=last.event_date,
        region=last.region,
        points=points,
        source_weight=weight,
        weighted_points=round(points * weight, 4),
        recommendation=text,
        rule_source="000 Recommendations for Stakeholders, 1",
        rule_file="rules/investor.yaml",
        rule_line=12,
        sources=[
            SourceOut(name=n, grade=g, document=d)
            for n, g, d in sorted({(s.name, s.grade, s.document or "") for e in legs for s in e.sources})
        ],
    )


def make_report(events: list[Event] | None = None, *, now: str | None = "2025-07-07T06:00:00Z", empty: bool = False) -> ScoreReport:
    by_id = {e.event_id: e for e in (events or make_events())}
    scores = []
    for sh in STAKEHOLDERS:
        current = [] if empty else [
            contribution(by_id, sh, "deep-strike", "escalation", ["RUS1"], 4.0, f"Reassess exposure near {by_id['RUS1'].location}."),
            contribution(by_id, sh, "repeat-target", "military", ["RUS0", "RUS1"], 3.0, f"Track strikes on {by_id['RUS1'].target_name}."),
            contribution(by_id, sh, "energy-strike", "economic", ["UKR1"], 5.0, "Plan for power outages in Kyiv."),
            contribution(by_id, sh, "energy-grid", "economic", ["UKR1"], 1.0, "Plan for power outages in Kyiv."),
        ]
        previous = [] if empty else [
            contribution(by_id, sh, "energy-strike", "economic", ["UKR0"], 2.0, "Plan for power outages in Kyiv."),
            contribution(by_id, sh, "old-rule", "security", ["UKR0"], 2.0),
        ]
        scores.append(
            stakeholder_score(
                stakeholder=sh,
                title=f"{sh.capitalize()} readers",
                weights={"economic": 2.0, "escalation": 1.0, "humanitarian": 0.0, "military": 1.0, "security": 1.0},
                thresholds=[2.0, 4.0, 6.0, 8.0],
                saturation=5.0,
                regions_of_interest=["UKR"],
                current=current,
                previous=previous,
                history=[(w.label, current if w == WEEK else previous if w == PREVIOUS else []) for w in WEEK.history(8)],
            )
        )
    return ScoreReport(
        generated_at=now,
        window=window_out(WEEK),
        previous_window=window_out(PREVIOUS),
        rule_pack=RulePackInfo(version="sha256:0123abcd", rules=12, files=["rules/investor.yaml"]),
        events_in_window=4,
        events_in_previous_window=1,
        stakeholders=scores,
    )


def make_calibration(weeks: int = WINDOW_WEEKS) -> History:
    """A history in which every cell has one case a week before WEEK, true 3 weeks in 4: every
    judgment is calibrated and "likely" (75 %)."""
    counts = {
        (WEEK.start - dt.timedelta(days=7 * k)).toordinal(): {Cell(c, r): Tally(1, 0 if k % 4 == 0 else 1) for c in CLASSES for r in REACHED}
        for k in range(1, weeks + 1)
    }
    return History(
        source="history.jsonl", first=WEEK.history(weeks + 2)[0], last=WEEK, events=1000, empty_weeks=0,
        stakeholders=STAKEHOLDERS, rule_pack_version="sha256:0123abcd", rules=12, counts=counts,
    )  # fmt: skip


@pytest.fixture(scope="module")
def contexts() -> dict[str, BriefContext]:
    report = make_report()
    return {sh: build_context(report, sh, make_events(), calibration=make_calibration()) for sh in STAKEHOLDERS}


# ---------------------------------------------------------------------------------------------
# The context model and its documentation


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    seen[model.__name__] = model
    for field in model.model_fields.values():
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg.__name__ not in seen:
                _models(arg, seen)
    return seen


def _documented() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "BRIEF_CONTEXT.md").read_text(encoding="utf-8")
    fields_part = text.split("\n## Fields\n", 1)[1]
    documented: dict[str, set[str]] = {}
    current = None
    for line in fields_part.splitlines():
        heading = re.match(r"^### (\w+)\s*$", line)
        if heading:
            current = heading.group(1)
            documented[current] = set()
            continue
        row = re.match(r"^\| `(\w+)` \|", line)
        if row and current is not None:
            documented[current].add(row.group(1))
    return documented


def test_every_context_field_is_documented_and_no_documented_field_is_stale() -> None:
    models = _models(BriefContext, {})
    documented = _documented()
    assert sorted(documented) == sorted(models), "models documented in docs/BRIEF_CONTEXT.md differ from the model"
    for name, model in models.items():
        assert documented[name] == set(model.model_fields), f"fields of {name} differ from docs/BRIEF_CONTEXT.md"


def test_every_context_field_has_a_description() -> None:
    for name, model in _models(BriefContext, {}).items():
        missing = [f for f, info in model.model_fields.items() if not info.description]
        assert not missing, f"{name}: {missing}"


def test_rendered_keys_are_the_documented_ones(contexts: dict[str, BriefContext]) -> None:
    data = json.loads(render_brief(contexts["ngo"], "json"))
    assert data["schema_version"] == briefs.BRIEF_SCHEMA_VERSION
    assert set(data) == _documented()["BriefContext"]


# ---------------------------------------------------------------------------------------------
# Judgments


WORDS = sorted((band[0] for band in LIKELIHOOD_BANDS), key=len, reverse=True)


def _likelihood_words_in(sentence: str) -> list[str]:
    found = []
    for word in WORDS:  # longest first so "unlikely" is not also read as "likely"
        pattern = re.compile(rf"\b{word}\b")
        if pattern.search(sentence):
            found.append(word)
            sentence = pattern.sub("", sentence)
    return found


def test_judgments_keep_likelihood_and_confidence_in_separate_sentences(contexts: dict[str, BriefContext]) -> None:
    for context in contexts.values():
        assert context.judgments[0].subject == "overall"
        for j in context.judgments:
            assert j.likelihood is not None and j.basis.calibrated
            assert _likelihood_words_in(j.statement) == [j.likelihood]
            assert "confidence" not in j.statement
            assert not re.search(r"\b(high|moderate|low) confidence\b", j.statement)
            assert _likelihood_words_in(j.confidence_statement) == []
            assert j.confidence in briefs.CONFIDENCE_LEVELS
            assert f"{j.confidence} confidence" in j.confidence_statement


def test_judgment_numbers(contexts: dict[str, BriefContext]) -> None:
    by_subject = {j.subject: j for j in contexts["investor"].judgments}
    # Dimensions without weight or activity get no judgment.
    assert set(by_subject) == {"overall", "economic", "escalation", "military", "security"}
    economic = by_subject["economic"]
    assert economic.score_class == "low" and economic.target_class == "low" and economic.floor == 2.0
    investor = next(s for s in make_report().stakeholders if s.stakeholder == "investor")
    assert {d.dimension: d.score_class for d in investor.dimensions}["economic"] == "low"
    # The word is the band of the history's frequency: 39 of 52 comparable cases (75 %).
    assert economic.likelihood == "likely" and economic.probability_range == "55-80 %"
    assert (economic.basis.cases, economic.basis.came_true, economic.basis.weeks, economic.basis.frequency) == (52, 39, 52, 0.75)
    assert "39 of 52 cases" in economic.basis.statement and "75 %" in economic.basis.statement
    military = by_subject["military"]  # very low: the judgment is about rising to low
    assert military.target_class == "low" and "rises to the low class" in military.statement
    security = by_subject["security"]  # faded to 0: nothing supports it
    assert security.confidence == "low" and security.events == 0
    # The Kupol strike has two independent sources; the energy strike one.
    assert by_subject["escalation"].corroborated_events == 1
    assert by_subject["economic"].corroborated_events == 0
    assert by_subject["military"].events == 2 and by_subject["military"].corroborated_events == 1


@pytest.mark.parametrize(
    ("events", "weight", "share", "expected"),
    [
        (3, 0.7, 0.6, "high"),
        (1, 0.9, 1.0, "moderate"),  # one event is never high confidence
        (3, 0.7, 0.4, "moderate"),
        (3, 0.5, 1.0, "moderate"),
        (3, 0.3, 1.0, "low"),
        (0, 0.0, 0.0, "low"),
    ],
)
def test_confidence_table(events: int, weight: float, share: float, expected: str) -> None:
    evidence = briefs._Evidence([], {})
    evidence.events, evidence.mean_weight, evidence.corroborated_share = events, weight, share
    assert evidence.confidence == expected


# ---------------------------------------------------------------------------------------------
# Sections


def test_bluf_states_class_score_and_change(contexts: dict[str, BriefContext]) -> None:
    b = contexts["investor"].bluf
    assert b.sentence.startswith(f"Overall investor risk for 2025-W27 is {b.score_class} at {b.score:.1f} of 10, up ")
    assert "2025-W26" in b.sentence


def test_drivers_group_by_completing_event_with_sources_and_rules(contexts: dict[str, BriefContext]) -> None:
    drivers = contexts["analyst"].drivers
    assert [d.event_id for d in drivers] == ["RUS1", "UKR1"]
    kupol = drivers[0]
    assert [r.rule_id for r in kupol.rules] == ["deep-strike", "repeat-target"]
    assert kupol.rules[1].related_event_ids == ["RUS0"]
    assert [(s.name, s.grade) for s in kupol.sources] == [("seed 001", "B2"), ("seed 000", "C3")]
    assert kupol.summary == "2025-07-01, Izhevsk, Udmurtia, Russia: Air/drone strike on the Kupol Electromechanical Plant; 3 killed"


def test_actions_are_deduplicated_ordered_by_weight_and_cite_rules(contexts: dict[str, BriefContext]) -> None:
    actions = contexts["ngo"].actions
    # UKR is the region of interest: the Izhevsk actions are listed apart, heaviest first.
    assert [a.text for a in actions] == ["Plan for power outages in Kyiv."]
    assert [a.text for a in contexts["ngo"].actions_outside] == [
        "Reassess exposure near Izhevsk.",
        "Track strikes on Kupol Electromechanical Plant.",
    ]
    # Two rules with the same text are one action citing both.
    assert [r.rule_id for r in actions[0].rules] == ["energy-grid", "energy-strike"]
    assert actions[0].weight == pytest.approx(0.64 * 6.0, abs=1e-3)
    assert (actions[0].firings, actions[0].event_ids) == (2, ["UKR1"])
    assert all(r.rule_source for a in actions for r in a.rules)


def test_watchlist(contexts: dict[str, BriefContext]) -> None:
    w = contexts["government"].watchlist
    # TUR0's talks fall inside the week: not on the watchlist.
    assert [(t.event_id, t.scheduled_date, t.days_after_window) for t in w.talks] == [("TUR1", dt.date(2025, 7, 14), 8)]
    assert w.talks[0].parties == "Russia and Ukraine"
    assert [(r.target_name, r.hits, r.hits_this_week) for r in w.repeat_targets] == [("Kupol Electromechanical Plant", 2, 1)]
    assert ("military", "low") in [(n.subject, n.next_class) for n in w.near_thresholds]
    assert all(0 < n.gap <= 0.5 for n in w.near_thresholds)


def test_changes_since_last_week(contexts: dict[str, BriefContext]) -> None:
    c = contexts["investor"].changes
    assert [d.rule_id for d in c.new] == ["deep-strike", "repeat-target", "energy-grid"]
    assert [d.rule_id for d in c.intensified] == ["energy-strike"]
    assert [d.rule_id for d in c.faded] == ["old-rule"]
    assert c.eased == []


def test_method_footnote(contexts: dict[str, BriefContext]) -> None:
    m = contexts["investor"].method
    assert "higher is riskier" in m.scale
    assert next((c.name, c.lower, c.upper) for c in m.classes) == ("very low", 0.0, 2.0)
    assert m.rule_pack_version == "sha256:0123abcd"
    assert m.generated_at == "2025-07-07T06:00:00Z"
    no_now = build_context(make_report(now=None), "investor", make_events())
    assert no_now.method.generated_at == "not given"
    assert "Generated: not given." in render_brief(no_now, "md")


def test_sparkline_uses_a_fixed_scale() -> None:
    assert sparkline([0, 2.5, 5, 10]) == "▁▃▅█"
    assert sparkline([]) == ""


def test_empty_week_warns_for_every_empty_section_and_still_renders() -> None:
    report = make_report(empty=True)
    context = build_context(report, "ngo", make_events(), calibration=make_calibration())
    sections = [w.section for w in context.warnings]
    # UKR is a region of interest so it keeps a row; the talks keep the watchlist filled.
    assert sections == ["judgments", "dimensions", "drivers", "actions", "changes"]
    for fmt in ("md", "html"):
        text = render_brief(context, fmt)
        assert leftover_placeholders(text) == []
        assert text.count("Warning:") == len(sections)


def test_a_brief_citing_no_source_has_no_empty_source_lists() -> None:
    # A real Bangladesh export's analyst brief for a week where nothing fired: "Documents and
    # methods" over an empty <ul>, which its own lint reported (empty-section)
    context = build_context(make_report(empty=True), "analyst", make_events(), calibration=make_calibration())
    unsourced = briefs.SectionWarning(section="sources", message="no event the brief cites names a source")
    bare = context.model_copy(update={"sources": [], "more_sources": 0, "documents": [], "warnings": [*context.warnings, unsourced]})
    for fmt in ("md", "html"):
        text = render_brief(bare, fmt)
        assert not [f for f in lint_brief(text, fmt) if f.check == "empty-section"], fmt
        assert "Documents and methods" not in text and "Reports" not in text.split("Sources")[-1]


def test_unknown_stakeholder_is_a_typed_error() -> None:
    with pytest.raises(TemplateError, match="not in the score report"):
        build_context(make_report(), "journalist", make_events())


# ---------------------------------------------------------------------------------------------
# Rendering


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_every_brief_renders_without_placeholders_and_identically_twice(stakeholder: str, fmt: str) -> None:
    first = render_brief(build_context(make_report(), stakeholder, make_events()), fmt)
    second = render_brief(build_context(make_report(), stakeholder, list(reversed(make_events()))), fmt)
    assert first == second
    assert leftover_placeholders(first) == []
    assert first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize(
    ("text", "found"),
    [("all good", []), ("a {{ x }}", ["{{"]), ("TODO: fill", ["TODO"]), ("value None here", ["None"]), ("score nan", ["nan"]), ("Nonetheless", [])],
)
def test_leftover_placeholder_check_can_fail(text: str, found: list[str]) -> None:
    assert leftover_placeholders(text) == found


def test_markdown_sections_in_order(contexts: dict[str, BriefContext]) -> None:
    text = render_brief(contexts["investor"], "md")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings[0] == "Bottom line up front" and headings[1] == "Key judgments"
    assert headings[2] == "Recommended actions"  # investors read actions first
    assert text.index("Key judgments") < text.index("Top drivers") < text.index("**Method.**")
    assert "`▁▁▁▁▁▁" in text and "↑ +" in text


def test_html_is_self_contained(contexts: dict[str, BriefContext]) -> None:
    text = render_brief(contexts["analyst"], "html")
    assert "<script" not in text and "src=" not in text and "<link" not in text
    assert "@media print" in text and "<svg" in text and "Content-Security-Policy" in text
    assert "rules/investor.yaml:12" in text  # analysts see rule file and line


def test_md_escape() -> None:
    assert md_escape("a *b* <i>\n{{ x }} | y") == r"a \*b\* \<i\> \{\{ x \}\} \| y"


@pytest.mark.parametrize("field", ["notes", "location", "target_name"])
def test_event_text_cannot_inject_markup_or_template_code(field: str) -> None:
    events = make_events(**{field: HOSTILE})
    report = make_report(events)
    context = build_context(report, "analyst", events)
    md = render_brief(context, "md")
    html = render_brief(context, "html")
    js = render_brief(context, "json")
    for text in (md, html, js):
        assert "{{" not in text and "{%" not in text
        # "49" would be 7*7 evaluated; the map's and charts' coordinates hold any digits
        assert "49" not in re.sub(r"<svg .*?</svg>", "", text, flags=re.S)
        assert leftover_placeholders(text) == []
    assert "<script" not in html and "<script" not in js
    assert not re.search(r"(?<!\\)<", md), "an unescaped < in Markdown"
    assert r"\<script\>alert(1)\</script\> \{\{ 7\*7 \}\} \{\% raw %\}" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7*7 &#125;&#125;" in html
    # JSON keeps the text exactly; only its encoding changes.
    assert HOSTILE in json.dumps(json.loads(js), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Templates: the override chain, and errors as typed errors


def test_user_template_can_extend_the_builtin_one(tmp_path: Path, contexts: dict[str, BriefContext]) -> None:
    (tmp_path / "brief.md.j2").write_text(
        '{% extends "default:brief.md.j2" %}{% block method %}{{ super() }}\nPrepared by the risk desk.\n{% endblock %}\n',
        encoding="utf-8",
    )
    for context in contexts.values():  # the built-in stakeholder templates extend brief.md.j2
        text = render_brief(context, "md", tmp_path)
        assert text.endswith("Prepared by the risk desk.\n")
        assert "**Method.**" in text


def test_user_stakeholder_template_replaces_the_builtin_one(tmp_path: Path, contexts: dict[str, BriefContext]) -> None:
    (tmp_path / "ngo.html.j2").write_text("<p>{{ bluf.sentence }}</p>\n", encoding="utf-8")
    # autoescaped as any HTML brief is (an apostrophe in a name is &#39;)
    assert render_brief(contexts["ngo"], "html", tmp_path) == f"<p>{markupsafe.escape(contexts['ngo'].bluf.sentence)}</p>\n"
    assert "<!DOCTYPE html>" in render_brief(contexts["investor"], "html", tmp_path)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% if %}", r"analyst\.md\.j2:1: template syntax error"),
        ("{{ no_such_name }}", "no_such_name"),
        ("{{ drivers[1].sub_event_type }}", "not set"),
        ("{{ ''.__class__.__mro__ }}", "unsafe|__class__"),
        ('{% extends "default:nope.md.j2" %}', "nope.md.j2"),
        ("{{ bluf.score|num(\"x\") }}", "Error"),
    ],
)
def test_template_errors_are_typed_errors(tmp_path: Path, contexts: dict[str, BriefContext], source: str, message: str) -> None:
    (tmp_path / "analyst.md.j2").write_text(source, encoding="utf-8")
    (tmp_path / "brief.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        render_brief(contexts["analyst"], "md", tmp_path)


def test_missing_templates_folder_is_a_typed_error(tmp_path: Path, contexts: dict[str, BriefContext]) -> None:
    with pytest.raises(TemplateError, match="not a directory"):
        render_brief(contexts["ngo"], "md", tmp_path / "nope")


def test_render_briefs_every_stakeholder_and_format() -> None:
    rendered = render_briefs(make_report(), make_events(), formats=("md", "html", "json"))
    assert [(r.context.stakeholder, r.fmt) for r in rendered][:3] == [("investor", "md"), ("investor", "html"), ("investor", "json")]
    assert {r.filename for r in rendered} >= {"2025-W27-ngo.html", "2025-W27-analyst.json"}
    assert all(r.leftovers == () for r in rendered)
    with pytest.raises(TemplateError, match="unknown brief format"):
        render_briefs(make_report(), make_events(), formats=("pdf",))


# ---------------------------------------------------------------------------------------------
# --watch


def test_watch_reruns_once_per_change_and_stops(tmp_path: Path) -> None:
    from riskengine.cli import watch

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yaml").write_text("rules: []\n", encoding="utf-8")
    (rules / ".a.yaml.swp").write_text("x", encoding="utf-8")
    calls: list[list[str]] = []
    polls = []

    def fake_sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:  # an edit between the first and second poll
            (rules / "a.yaml").write_text("rules: [] # edited\n", encoding="utf-8")
        if len(polls) == 3:  # editors' swap files are not watched
            (rules / ".a.yaml.swp").write_text("xy", encoding="utf-8")

    handled = watch.watch([rules], calls.append, interval=0.5, max_iterations=4, sleep=fake_sleep)
    assert handled == 1 and calls == [[str(rules / "a.yaml")]]
    assert polls == [0.5] * 4


def test_watch_sees_created_and_deleted_files(tmp_path: Path) -> None:
    from riskengine.cli.watch import changed_files, snapshot

    before = snapshot([tmp_path / "events.yaml", tmp_path])
    (tmp_path / "events.yaml").write_text("[]\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not watched\n", encoding="utf-8")
    middle = snapshot([tmp_path / "events.yaml", tmp_path])
    assert changed_files(before, middle) == [str(tmp_path / "events.yaml")]
    (tmp_path / "events.yaml").unlink()
    assert changed_files(middle, snapshot([tmp_path])) == [str(tmp_path / "events.yaml")]


# ---------------------------------------------------------------------------------------------
# The bundled sample, end to end: golden briefs and the CLI verb

NOW = "2025-07-07T06:00:00Z"


@pytest.fixture(scope="module")
def sample() -> tuple[ScoreReport, list[Event]]:
    from riskengine import api

    events = api.read_events()
    return api.score(events, rules=api.load_rules(), window="2025-W27", now=NOW), events


@pytest.fixture(scope="module")
def sample_history(sample: tuple[ScoreReport, list[Event]]) -> History | None:
    """What `riskengine brief` calibrates the sample's words on: the sample itself."""
    from riskengine import api
    from riskengine.scoring.calibration import history_for_week

    pack = api.load_rules()
    return history_for_week(sample[1], WEEK, pack=pack, compiled=api.compile_pack(pack))


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("stakeholder", STAKEHOLDERS)
def test_golden_brief(sample: tuple[ScoreReport, list[Event]], sample_history: History | None, stakeholder: str, fmt: str, update_golden: bool) -> None:
    import difflib

    report, events = sample
    text = render_brief(build_context(report, stakeholder, events, calibration=sample_history), fmt)
    golden = GOLDEN / f"2025-W27-{stakeholder}.{fmt}"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
        return
    assert golden.is_file(), f"{golden} is missing: run pytest --update-golden (or REGENERATE_GOLDEN=1) and review it"
    expected = golden.read_bytes().decode("utf-8")
    if text != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(golden), "rendered"))[:80]
        )
        pytest.fail(f"the {stakeholder} {fmt} brief differs from its golden file "
                    f"(pytest --update-golden rewrites it):\n{diff}")


def test_sample_briefs_have_every_section_filled_or_warned(sample: tuple[ScoreReport, list[Event]]) -> None:
    report, events = sample
    for stakeholder in STAKEHOLDERS:
        context = build_context(report, stakeholder, events)
        assert context.drivers and context.actions and context.judgments, stakeholder
        for fmt in ("md", "html", "json"):
            assert leftover_placeholders(render_brief(context, fmt)) == []


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from riskengine.cli.app import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_every_brief_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "briefs"
    code, stdout, stderr = _run(capsys, "brief", "--week", "2025-W27", "--stakeholder", "all", "--format", "md", "--out", str(out), "--now", NOW)
    assert code == 0, stderr
    written = sorted(p.name for p in out.iterdir())
    # each Markdown brief with the pictures it links beside it (riskengine/briefs/visuals.py)
    pictures = ("md", "map.png", "dimensions.png", "regions.png")
    assert written == sorted(f"2025-W27-{sh}{'.' if kind == 'md' else '-'}{kind}" for sh in STAKEHOLDERS for kind in pictures)
    for sh in STAKEHOLDERS:
        assert f"wrote {out / f'2025-W27-{sh}.md'}" in stdout
        assert re.search(rf"^{sh}: [a-z ]+ \d+\.\d \([+-±]\d+\.\d since 2025-W26\); \d+ drivers, \d+ actions, \d+ warnings$", stdout, re.M)
    golden = GOLDEN / "2025-W27-investor.md"
    if golden.is_file():
        assert (out / "2025-W27-investor.md").read_bytes() == golden.read_bytes()
    assert not list(out.glob(".*")), "temporary files left behind"


def test_cli_all_formats_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = _run(capsys, "brief", "--week", "2025-W27", "--format", "all", "--out", str(tmp_path), "--now", NOW)
    assert code == 0, stderr
    assert len(list(tmp_path.iterdir())) == 12 + 12  # md, html, json and the md's three pictures
    # "-o" as every other command takes it (a user typed "brief ... -o OUTDIR" and got a usage error)
    code, stdout, stderr = _run(capsys, "brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "json", "-o", "-")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["stakeholder"] == "ngo" and data["method"]["generated_at"] == "not given"
    assert stderr.startswith("ngo: ")


def test_cli_empty_week_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _stdout, stderr = _run(capsys, "brief", "--week", "2020-W01", "--stakeholder", "investor", "--out", str(tmp_path))
    assert code == 0, stderr
    assert "warning: investor brief: drivers: no events drove the score this week" in stderr
    assert "Warning:" in (tmp_path / "2020-W01-investor.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # located at the option, as every other command's --now (regression, session 13 tour)
        (["--now", "yesterday"], "--now: error[E405] --now 'yesterday' is not an ISO timestamp"),
        (["--templates", "/nonexistent/templates"], "error: --templates /nonexistent/templates: not a folder"),
        (["--week", "2025-W99"], "2025 has no week 99"),
    ],
)
def test_cli_bad_input_is_a_message_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str) -> None:
    argv = ["brief", "--out", str(tmp_path), *extra]
    if "--week" not in extra:
        argv += ["--week", "2025-W27"]
    code, _, stderr = _run(capsys, *argv)
    assert code == 1
    assert message in stderr and "Traceback" not in stderr


def test_cli_out_naming_a_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression (session 13 tour): "cannot create output folder: File exists", and the file untouched.
    existing = tmp_path / "notes.txt"
    existing.write_text("mine\n", encoding="utf-8")
    code, _, stderr = _run(capsys, "brief", "--week", "2025-W27", "--stakeholder", "ngo", "--out", str(existing))
    assert code == 1
    assert f"{existing}: error[E406] is a file: --out names the folder the briefs are written to" in stderr
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_cli_broken_template_points_at_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "government.md.j2").write_text("line one\n{{ bluf.nope }}\n", encoding="utf-8")
    argv = ["brief", "--week", "2025-W27", "--stakeholder", "government", "--templates", str(templates), "--out", str(tmp_path / "o")]
    code, _, stderr = _run(capsys, *argv)
    assert code == 1
    assert "government.md.j2" in stderr and "nope" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o" / "2025-W27-government.md").exists()


def test_cli_watch_renders_again_after_a_template_change(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from riskengine.cli import watch

    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "ngo.md.j2"
    override.write_text("first {{ window.label }}\n", encoding="utf-8")
    polls: list[float] = []

    def fake_sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 1:
            override.write_text("second {{ window.label }}, edited\n", encoding="utf-8")

    monkeypatch.setattr(watch, "_sleep", fake_sleep)
    out = tmp_path / "briefs"
    code, stdout, stderr = _run(
        capsys, "brief", "--week", "2025-W27", "--stakeholder", "ngo", "--templates", str(templates),
        "--out", str(out), "--watch", "--watch-max-polls", "3",
    )
    assert code == 0, stderr
    assert polls == [0.5, 0.5, 0.5]
    assert stdout.count("wrote ") == 2  # once at start, once after the edit
    assert f"changed: {override}; rendering again" in stderr
    assert (out / "2025-W27-ngo.md").read_text(encoding="utf-8") == "second 2025-W27, edited\n"


def test_firings_of_one_rule_split_by_region_of_interest() -> None:
    events = make_events()
    by_id = {e.event_id: e for e in events}
    report = make_report(events)
    extra = [
        contribution(by_id, "ngo", "tit-for-tat", "escalation", ["UKR0", "RUS1"], 1.0, "Strikes (Kyiv, then Izhevsk)."),
        contribution(by_id, "ngo", "tit-for-tat", "escalation", ["RUS1", "UKR1"], 3.0, "Strikes (Izhevsk, then Kyiv)."),
    ]
    ngo = report.stakeholders[2].model_copy(update={"contributions": [*report.stakeholders[2].contributions, *extra]})
    report = report.model_copy(update={"stakeholders": [*report.stakeholders[:2], ngo, report.stakeholders[3]]})
    context = build_context(report, "ngo", events)
    inside = [(a.text, a.firings, a.event_ids) for a in context.actions if a.rules[0].rule_id == "tit-for-tat"]
    outside = [(a.text, a.firings, a.event_ids) for a in context.actions_outside if a.rules[0].rule_id == "tit-for-tat"]
    # The firing completed in Kyiv (UKR, of interest) leads; the one completed in Izhevsk is apart.
    assert inside == [("Strikes (Izhevsk, then Kyiv).", 1, ["RUS1", "UKR1"])]
    assert outside == [("Strikes (Kyiv, then Izhevsk).", 1, ["RUS1", "UKR0"])]


def test_busy_week_lists_are_cut_and_say_how_much_they_left_out() -> None:
    # One strike completing a pattern with 40 partner events, and 15 sites each hit twice.
    events = make_events()
    partners = [make_event(f"P{i:02d}", dt.date(2025, 6, 30), target_name=f"Site {i:02d}") for i in range(40)]
    repeats = [make_event(f"Q{i:02d}", dt.date(2025, 7, 2), target_name=f"site {i:02d}") for i in range(15)]
    talks = [
        make_event(f"T{i:02d}", dt.date(2025, 7, 1), event_type="Strategic developments", diplomatic_kind="talks", scheduled_date=dt.date(2025, 8, 1 + i))
        for i in range(12)
    ]
    events += partners + repeats + talks
    by_id = {e.event_id: e for e in events}
    report = make_report(events)
    extra = [contribution(by_id, "analyst", "pair", "escalation", [p.event_id, "RUS1"], 1.0) for p in partners]
    analyst = report.stakeholders[3].model_copy(update={"contributions": [*report.stakeholders[3].contributions, *extra]})
    report = report.model_copy(update={"stakeholders": [*report.stakeholders[:3], analyst]})
    context = build_context(report, "analyst", events)
    pair = next(r for d in context.drivers for r in d.rules if r.rule_id == "pair")
    assert (pair.firings, pair.related_event_ids, pair.more_related_events) == (40, ["P00", "P01", "P02", "P03", "P04"], 35)
    w = context.watchlist
    assert (len(w.repeat_targets), w.more_repeat_targets) == (10, 6)  # 15 sites and the Kupol plant
    assert (len(w.talks), w.more_talks) == (10, 3)  # TUR1 and 12 more
    text = render_brief(context, "md")
    # each count says what it counts ("and 35 more" had not)
    assert "40 firings" in text and "and 35 more events" in text and "- and 6 more targets hit again" in text and "- and 3 more rounds of talks" in text
    assert not [f for f in lint_brief(text, "md") if f.check == "count-without-noun"]
    assert leftover_placeholders(render_brief(context, "html")) == []
