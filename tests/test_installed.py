"""`pip install .` alone gives a working tool (issue 19).

A wheel is built from a copy of this checkout and installed into a fresh venv whose only other
contents are the dependencies, linked from the running environment (durable-rules is built from
source, too slow to build again here). riskengine itself comes only from the wheel: the checkout is
not on sys.path and every command runs from an empty folder elsewhere. There `rules test`,
`rules lint` and `rules check` run the bundled packs against the cases they ship with, `score`,
`brief` and `explain` run on the bundled sample, the briefs are the golden ones byte for byte, and
every rule file a command cites opens: `explain` gives the file's path, reports and briefs give
the stable name (rules/ngo.yaml:25) that `riskengine rules where` turns into it.

About 25 s: one wheel build, one install, ten commands.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from riskengine.checks import ruletest
from riskengine.cli import app
from riskengine.cli.rules_quality import _case_paths
from riskengine.core import resources

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
WEEK = ["--week", "2025-W27"]
NOW = ["--now", "2025-07-07T06:00:00Z"]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the venv layout (bin/, lib/pythonX.Y/) is the POSIX one")

# Not part of what a build reads: version control, venvs, build output, generated data.
_TOP_LEVEL_SKIPPED = {".git", ".venv", ".venv-newest", "build", "dist", "briefs", "out", "benchmarks", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    # an extension built in place here (python setup.py build_ext --inplace) is not the wheel's
    skipped = {n for n in names if n == "__pycache__" or n.endswith((".egg-info", ".so"))}
    if Path(folder) == ROOT:
        skipped |= _TOP_LEVEL_SKIPPED & set(names)
    return skipped


@dataclass(frozen=True)
class Installed:
    venv: Path
    site_packages: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "riskengine"), *argv], cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=120, check=False
        )


def _checked(argv: list[str], **kwargs: object) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("installed")
    source, wheels, venv, elsewhere, deps = (work / n for n in ("source", "wheels", "venv", "elsewhere", "dependencies"))
    shutil.copytree(ROOT, source, ignore=_ignore)
    # --no-build-isolation --no-index: offline, with the setuptools the test extra installs.
    # The path is absolute: `pip wheel source` would fetch a package named "source" from PyPI.
    _checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(wheels), str(source.resolve())])
    (wheel,) = wheels.glob("riskengine-*.whl")
    _checked([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    _checked([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index", "-q", str(wheel)])
    # The dependencies: every entry of this environment's site-packages but riskengine's own
    # (an editable install's finder and .pth, its dist-info), linked from a folder that a .pth
    # file in the new venv appends to sys.path. Plain path lines in a .pth are not processed
    # further, so no other .pth of this environment runs there.
    deps.mkdir()
    for folder in dict.fromkeys(Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")):
        for entry in folder.iterdir():
            own = entry.name.startswith(("riskengine", "__editable__"))
            if not own and entry.suffix != ".pth" and not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry)
    site_packages = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    (site_packages / "_riskengine_test_dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH")}
    env["PYTHONNOUSERSITE"] = "1"
    yield Installed(venv, site_packages, elsewhere, env)


def test_riskengine_comes_from_the_wheel_alone(installed: Installed) -> None:
    done = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import json, sys, riskengine; print(json.dumps([riskengine.__file__, sys.path]))"],
        cwd=installed.cwd, env=installed.env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    module, path = json.loads(done.stdout)
    assert Path(module).is_relative_to(installed.site_packages)
    assert not [p for p in path if p and Path(p).resolve().is_relative_to(ROOT)], "the checkout is on the installed tool's sys.path"
    assert (installed.site_packages / "riskengine" / "_rule_tests" / "acled.yaml").is_file()


def test_the_wheel_carries_the_c_extension_and_the_reader_uses_it(installed: Installed) -> None:
    """The wheel is built with the C extension (setup.py), where a compiler is, as here and in CI."""
    program = "from riskengine.ingest import fast_events; print(fast_events.NATIVE.__file__)"
    done = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", program], cwd=installed.cwd, env=installed.env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed.site_packages / "riskengine")


def test_rules_test_lint_and_check_run_the_bundled_packs_and_their_cases(installed: Installed) -> None:
    cases = len(ruletest.load_cases([ROOT / "tests" / "rules"])[0])
    tested = installed.run("rules", "test")
    assert (tested.returncode, tested.stdout.splitlines()[-1:]) == (0, [f"{cases} passed, 0 failed"]), tested.stdout + tested.stderr
    linted = installed.run("rules", "lint")
    assert linted.returncode == 0 and " 0 error(s), 0 warning(s)" in linted.stdout, linted.stdout + linted.stderr
    checked = installed.run("rules", "check")
    assert checked.returncode == 0 and checked.stdout.startswith("rules ok:"), checked.stdout + checked.stderr


def _where(installed: Installed, names: list[str]) -> dict[str, Path]:
    done = installed.run("rules", "where", *names)
    assert done.returncode == 0, done.stderr
    return dict(zip(names, (Path(line) for line in done.stdout.splitlines()), strict=True))


def _assert_rule_at(path: Path, line: int, rule_id: str) -> None:
    assert path.is_file(), f"{path} does not exist"
    assert f"id: {rule_id}" in path.read_text(encoding="utf-8").splitlines()[line - 1], f"{path}:{line} is not the line of {rule_id}"


def test_score_brief_and_explain_cite_rule_files_that_exist_there(installed: Installed) -> None:
    brief = installed.run("brief", *WEEK, "--stakeholder", "all", "--format", "all", "--out", "out", *NOW)
    assert brief.returncode == 0, brief.stderr
    for golden in sorted(g for g in GOLDEN.glob("2025-W27-*") if g.suffix in {".md", ".html", ".json"}):
        assert (installed.cwd / "out" / golden.name).read_bytes() == golden.read_bytes(), f"the installed tool's {golden.name} differs from the golden one"
    score = installed.run("score", *WEEK, *NOW)
    assert score.returncode == 0, score.stderr
    cited = {(c["rule_file"], c["rule_line"], c["rule_id"]) for s in json.loads(score.stdout)["stakeholders"] for c in s["contributions"]}
    briefs = (installed.cwd / "out" / "2025-W27-analyst.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\[(rules/[\w./-]+\.yaml):\d+\]", briefs))
    assert cited and named
    # Reports and briefs name bundled files the same wherever the package is installed ...
    assert {f for f, _, _ in cited} | named <= {f"rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml")}
    # ... and `rules where` says where this installation keeps them.
    where = _where(installed, sorted({f for f, _, _ in cited} | named | {"rules_gdelt"}))
    for file, line, rule_id in cited:
        assert where[file].is_relative_to(installed.site_packages)
        _assert_rule_at(where[file], line, rule_id)
    explain = installed.run("explain", "--stakeholder", "ngo", *WEEK)
    assert explain.returncode == 0, explain.stderr
    lines = explain.stdout.splitlines()
    rules = [(lines[i - 2].split()[0], m) for i, text in enumerate(lines) if (m := re.fullmatch(r"  rule (.+):(\d+), encodes .*", text))]
    assert rules
    for rule_id, match in rules:
        path = installed.cwd / match.group(1)  # an absolute path stays as it is
        assert path.is_relative_to(installed.site_packages)
        _assert_rule_at(path, int(match.group(2)), rule_id)
    # The opt-in GDELT pack with its own cases, named as `rules where` gives it.
    gdelt = installed.run("rules", "test", "--rules", str(where["rules_gdelt"]))
    gdelt_cases = len(ruletest.load_cases([ROOT / "tests" / "rules_gdelt"])[0])
    assert (gdelt.returncode, gdelt.stdout.splitlines()[-1:]) == (0, [f"{gdelt_cases} passed, 0 failed"]), gdelt.stdout + gdelt.stderr


# --- the same, in this checkout, without installing ------------------------------------------


def test_the_default_cases_are_those_of_the_packs_tested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _case_paths(None, None) == [resources.default_cases_dir()]
    assert _case_paths(None, [str(resources.gdelt_rules_dir())]) == [resources.gdelt_cases_dir()]
    assert _case_paths(["mine.yaml"], None) == [Path("mine.yaml")]
    # a pack of one's own: the cases beside it, in the project's tests/rules
    (tmp_path / "tests" / "rules").mkdir(parents=True)
    assert _case_paths(None, ["my_rules"]) == [Path("tests") / "rules"]
    assert _case_paths(None, None) == [resources.default_cases_dir()]


def test_where_names_bundled_files_and_refuses_others(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["rules", "where", "rules/ngo.yaml:25", "tests/rules", "templates/base.md.j2:3:4"]) == 0
    ngo, cases, template = capsys.readouterr().out.splitlines()
    assert ngo == f"{resources.default_rules_dir() / 'ngo.yaml'}:25"
    assert cases == str(resources.default_cases_dir()) and template == f"{resources.default_templates_dir() / 'base.md.j2'}:3:4"
    for name in ("rules/nope.yaml", "rules/../pyproject.toml", "etc/passwd"):
        assert app.main(["rules", "where", name]) == 2
        assert f"no bundled file is named '{name}'" in capsys.readouterr().err
    assert app.main(["rules", "where"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"rules\t{resources.default_rules_dir()}"
    # a line the file does not have was printed as if it were there
    lines = len((resources.default_rules_dir() / "ngo.yaml").read_bytes().splitlines())
    for position in (f"{lines + 1}", "0", "9999:3"):
        assert app.main(["rules", "where", f"rules/ngo.yaml:{position}"]) == 2
        line = position.split(":")[0]
        assert capsys.readouterr().err.splitlines()[-1] == f"riskengine: error: rules/ngo.yaml:{position}: ngo.yaml has {lines} lines, no line {line}"
    assert app.main(["rules", "where", f"rules/ngo.yaml:{lines}"]) == 0


def test_rules_help_shows_no_raw_markup(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["rules", "--help"]) == 0
    out = capsys.readouterr().out
    assert "``" not in out and "('rules/ngo.yaml:25')" in out


def test_explain_gives_a_path_that_opens_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # From the checkout's root the name reports use (rules/ngo.yaml) opens; from elsewhere it
    # does not, and explain gives the file's own path.
    monkeypatch.chdir(tmp_path)
    assert app.main(["explain", "--stakeholder", "ngo", *WEEK]) == 0
    cited = re.findall(r"^  rule (.+):\d+, encodes", capsys.readouterr().out, re.MULTILINE)
    assert cited and all(Path(c).is_absolute() and Path(c).is_file() for c in cited)
    assert resources.display_path(cited[0]).startswith("rules/")
    monkeypatch.chdir(ROOT)
    assert resources.openable_path(cited[0]) == resources.display_path(cited[0])
