"""Atomic writes: the target is the old file or the new one, never half of one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from riskengine.core.fileio import atomic_writer, write_atomic


@pytest.mark.parametrize("data", ["héllo\nworld\n", b"\x00\x01bytes"])
def test_write_atomic_text_and_bytes(tmp_path: Path, data: str | bytes) -> None:
    target = tmp_path / "out"
    write_atomic(target, data)
    assert (target.read_bytes() if isinstance(data, bytes) else target.read_text(encoding="utf-8")) == data
    assert os.listdir(tmp_path) == ["out"]


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out"]


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_text_is_utf8_with_unix_newlines(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_atomic(target, "a\nb\n")
    assert target.read_bytes() == b"a\nb\n"


def test_bad_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError), atomic_writer(tmp_path / "x", "a"):
        pass


@pytest.mark.parametrize("verb", [["alerts"], ["score"]])
def test_no_command_writes_over_the_bundled_sample(verb: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: `riskengine alerts -o data/sample_events.yaml` replaced the bundled sample,
    # the default input of every run, because only files named on the command line were guarded.
    from riskengine.cli.app import main
    from riskengine.core.resources import sample_data_dir

    sample = sample_data_dir() / "sample_events.yaml"
    before = sample.read_bytes()
    assert main([*verb, "-o", str(sample)]) == 1
    assert "error[E407]" in capsys.readouterr().err
    assert sample.read_bytes() == before


def test_an_output_naming_an_input_is_refused_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: `extract article.txt -o article.txt` extracted everything (seconds of CPU,
    # which under load outran the hostile corpus's time limit) before refusing the write.
    import riskengine.cli.extract as extract_cli
    from riskengine.cli.app import main

    article = tmp_path / "article.txt"
    article.write_text("---\ndate: 2025-01-01\n---\nDrones hit Kyiv.\n", encoding="utf-8")

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the articles were extracted before the output was checked")

    monkeypatch.setattr(extract_cli, "extract_articles_report", must_not_run)
    assert main(["extract", str(article), "-o", str(article)]) == 1
    assert f"error[E407] refusing to write {article}: it is an input of this run" in capsys.readouterr().err
    assert article.read_text(encoding="utf-8").endswith("Drones hit Kyiv.\n")
