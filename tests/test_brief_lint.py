"""The brief lint (riskengine/briefs/lint.py): the golden briefs pass it, and each of its checks
can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskengine.briefs.lint import lint_brief
from riskengine.briefs.render import leftover_placeholders

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_BRIEFS = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".md", ".html"))


def found(text: str, fmt: str = "md") -> list[tuple[str, int]]:
    return [(f.check, f.line) for f in lint_brief(text, fmt)]


def test_every_golden_brief_is_covered() -> None:
    assert len(GOLDEN_BRIEFS) == 8


@pytest.mark.parametrize("path", GOLDEN_BRIEFS, ids=lambda p: p.name)
def test_golden_briefs_pass_the_lint(path: Path) -> None:
    findings = lint_brief(path.read_text(encoding="utf-8"), path.suffix[1:])
    assert findings == [], "\n".join(f.render(path.name) for f in findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## A\n\nTODO: write this\n", [("placeholder", 3)]),
        ("## A\n\nScore {{ score }}\n", [("placeholder", 3)]),
        ("## A\n\nThe score is None this week\n", [("placeholder", 3)]),
        ("## A\n\nNonetheless, all is well.\n", []),
        ("## A\n\nThe score is nan this week\n", [("placeholder", 3)]),
        ("## A\n\nFatalities: NaN\n", [("placeholder", 3)]),
        # a place, not a missing value (a real Myanmar export, 2021-W36: --lint failed the NGO brief)
        ("## A\n\n- Nan Hpe (MMR): 2.16 weighted points, mostly humanitarian\n", []),
    ],
)
def test_placeholders(text: str, expected: list[tuple[str, int]]) -> None:
    assert found(text) == expected


def test_likelihood_and_confidence_in_one_sentence() -> None:
    assert found("## A\n\nIt is likely that it rises, and we have high confidence in that.\n") == [("likelihood-with-confidence", 3)]
    assert found("## A\n\nIt is likely that it rises. We have high confidence in this judgment.\n") == []
    # The method footnote as it was: the words of the scale and "confidence" in one sentence.
    old = "Likelihoods use the ICD 203 words (unlikely 20-45 %, likely 55-80 %); confidence is judged separately.\n"
    assert found("## A\n\n" + old) == [("likelihood-with-confidence", 3)]
    # In HTML a block ends a sentence.
    page = "<section>\n<h2>A</h2>\n<p>It is very likely that it rises</p><p>We have high confidence in this judgment</p>\n</section>\n"
    assert found(page, "html") == []
    assert found(page.replace("</p><p>", " and "), "html") == [("likelihood-with-confidence", 3)]


def test_words_of_another_likelihood_scale() -> None:
    assert found("## A\n\nIt is probably rising. It is likely to stay.\n") == [("mixed-likelihood-scale", 3)]
    assert found("## A\n\nIt is highly likely to stay.\n") == [("mixed-likelihood-scale", 3)]
    assert found("## A\n\nThere is a realistic possibility of talks.\n") == [("mixed-likelihood-scale", 3)]
    assert found("## A\n\nIt is very unlikely to fall; it is almost certain to stay.\n") == []


def test_empty_sections() -> None:
    assert found("# T\n\n## A\n\n## B\n\ntext\n") == [("empty-section", 3)]
    assert found("# T\n\n## A\n\n### A1\n\ntext\n") == []  # its subsection has the text
    assert found("# T\n\ntext\n\n## C\n\n---\n") == [("empty-section", 5)]
    page = '<main>\n<section id="x">\n<h2>X</h2>\n</section>\n<section id="y"><h2>Y</h2><svg></svg></section>\n<ol>\n</ol>\n</main>\n'
    assert found(page, "html") == [("empty-section", 2), ("empty-section", 6)]


def test_the_cli_fails_with_lint_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from riskengine.cli.app import main

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "ngo.md.j2").write_text("# {{ title }}\n\nTODO: the bottom line\n\n## Actions\n", encoding="utf-8")
    argv = ["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--templates", str(templates), "--out", str(tmp_path / "out")]
    assert main([*argv, "--lint"]) == 1
    err = capsys.readouterr().err
    assert "warning: 2025-W27-ngo.md:3: placeholder: 'TODO' left in the text" in err
    assert "warning: 2025-W27-ngo.md:5: empty-section: 'Actions' has nothing under it" in err
    assert "error: the brief lint found 2 problems" in err
    assert main(argv) == 0  # without --lint the findings are warnings
    assert main(["brief", "--week", "2025-W27", "--stakeholder", "ngo", "--format", "all", "--out", str(tmp_path / "clean"), "--lint"]) == 0


def test_a_place_named_nan_is_no_missing_value() -> None:
    assert leftover_placeholders("- Nan Hpe (MMR): 2.16 weighted points") == []
    assert leftover_placeholders("fatalities nan") == ["nan"]


def test_a_count_that_does_not_say_what_it_counts() -> None:
    # "Town 29 (K29); ...; and 20 more." and "E1, E2 and 4 more)": more of what?
    assert found("## A\n\nBuilt from 30 firings: Town 29 (K29); and 20 more.\n") == [("count-without-noun", 3)]
    assert found("## A\n\n- Sources: E1, E2 and 4 more\n") == [("count-without-noun", 3)]
    assert found("<section><h2>A</h2><p>Kyiv (E1 and 4 more); done</p></section>", "html") == [("count-without-noun", 1)]
    assert found("## A\n\nE1, E2 and 4 more events; and 1 more place. The 8 heaviest are drawn; 4 more are not. And 3 others.\n") == []


def test_more_says_the_noun_in_the_number_it_counts() -> None:
    from riskengine.briefs.render import more

    assert [more(1, "events"), more(2, "events"), more(1, "rounds of talks"), more(1, "targets hit again"), more(1_200, "places")] == [
        "1 more event",
        "2 more events",
        "1 more round of talks",
        "1 more target hit again",
        "1,200 more places",
    ]
    assert (more(1, "others"), more(3, "others")) == ("1 other", "3 others")
