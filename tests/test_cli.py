"""The `kit` command as a user meets it: help, demo, env, and input errors without tracebacks.

Commands run in-process (``cli.main``) where a separate process adds nothing; `kit demo` runs
once, as `make demo` runs it, and several tests read its output.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kit import cli, importer
from tests.conftest import ROOT, write_csv


def run(capsys, *args: str) -> tuple[int, str, str]:
    """``kit ARGS`` in this process: (status, stdout, stderr); argparse's exits included."""
    try:
        status = cli.main(list(args))
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize("lang,word", [("fi", "komennot"), ("sv", "kommandon"), ("en", "commands")])
def test_help_in_each_language(capsys, lang, word):
    status, out, _ = run(capsys, "--lang", lang, "--help")
    assert status == 0 and word in out
    for command in cli.commands():
        assert command.name in out


def test_every_command_has_help_in_every_language(capsys):
    for command in cli.commands():
        for lang in ("fi", "sv", "en"):
            status, out, _ = run(capsys, command.name, "--lang", lang, "--help")
            assert status == 0 and out.startswith(("usage", "käyttö", "användning")), command.name


def test_language_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("KIT_LANG", "sv")
    _, out, _ = run(capsys, "validate", "--help")
    assert "Kontrollerar filer" in out


def test_no_command_prints_help_with_status_2(capsys):
    assert cli.main([]) == 2
    assert "kit" in capsys.readouterr().out


def test_a_wrong_argument_is_one_usage_line(capsys):
    status, _, err = run(capsys, "--lang", "en", "export", "--format", "pdf", "--out", "x")
    assert status == 2 and "invalid choice: 'pdf'" in err and "Traceback" not in err


def test_the_parsers_choices_are_the_librarys(capsys):
    """The parser lists choices without importing pandas; they are the library's own."""
    from kit import datasets, export, synth
    from kit.workshops.dashboards import commands, onepager

    assert cli.SCALES == synth.SCALES and cli.SEED == synth.SEED
    assert cli.EXPORT_FORMATS == export.FORMATS
    assert set(cli.DATASETS) <= set(datasets.NAMES)
    assert commands.AUDIENCES == tuple(onepager.AUDIENCES)


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_demo_says_what_it_did_and_where_to_look(demo_run):
    assert demo_run.returncode == 0, demo_run.stderr[-3000:]
    out = demo_run.stdout
    assert "SYNTHETIC DEMO DATA" in out
    assert "files fine" in out and "Privacy:" in out and "(protected)" in out
    assert "make lab" in out and "notebooks/fi/00_start_here.ipynb" in out
    assert "Ammattiopisto Live" in out and "2024-25" in out
    assert "answered the feedback surveys in 2024-25" in out
    assert "index.html" in out
    # a first run reads at a glance: the tables are in the start notebook, not on the terminal
    assert len(out.splitlines()) + len(demo_run.stderr.splitlines()) <= 40, out
    assert (demo_run.reports / "index.html").exists()
    # the libraries' log lines are kept in the run's log, which the summary names: none reaches
    # the terminal, not even those logged when a kernel client is collected after the run
    for noise in ("INFO:papermill", "WARNING:traitlets", "Could not destroy zmq context"):
        assert noise not in demo_run.stderr and noise not in out, noise
    assert "run.log" in out and "papermill" in (demo_run.reports / "run.log").read_text()
    assert list((demo_run.reports / "onepagers").glob("*.png"))
    assert list((demo_run.reports / "powerbi").glob("*.parquet"))


def test_demo_data_keeps_current_data(capsys, demo):
    status, out, _ = run(capsys, "--lang", "en", "demo-data")
    assert status == 0 and "already has files" in out


def test_demo_data_into_another_folder(capsys, tmp_path):
    status, out, err = run(
        capsys, "--lang", "en", "demo-data", "--out", str(tmp_path / "x"), "--seed", "3"
    )
    assert status == 0, err
    assert "The data is synthetic" in out
    assert (tmp_path / "x" / "SYNTHETIC.md").exists()


def test_env_reports_ready(capsys, demo):
    status, out, _ = run(capsys, "--lang", "en", "env")
    assert status == 0, out
    assert "pandas" in out and "The environment is ready." in out


def test_bad_answer_file_is_one_line(capsys, tmp_path):
    rows = [
        list(importer.ANSWERS),
        ["ABC1", "2024-09-01", "2918298-7", "aloittaneet", "A01", "4", "sote_pt"],
        ["ABC1", "2024-09-01", "2918298-7", "aloittaneet", "A02", "7", "sote_pt"],
    ]
    path = write_csv(tmp_path / "answers.csv", rows, ";")
    status, out, err = run(capsys, "--lang", "en", "validate", str(path))
    assert status == 1 and "Traceback" not in err + out
    assert "answers.csv, row 3, column \"numerovalinta\": '7' is not an answer" in out


@pytest.mark.parametrize(
    "bad,expected",
    [
        (("A01", "4", "2024-02-30"), "is not a date"),
        (("X99", "4", "2024-09-01"), "not a question-bank id"),
        (("A01", "4", "2035-01-01"), "is in the future"),
        (("A01", "4", "14.3.2025 klo 10:22"), None),
        (("P01", "4", "2024-09-01"), "does not belong to survey aloittaneet"),
        (("A01", "eos", "1.9.2024"), None),
    ],
)
def test_answer_rules(tmp_path, bad, expected):
    from kit import loader

    question, value, date = bad
    rows = [
        importer.ANSWERS[:-1],
        ["R1", date, "2918298-7", "aloittaneet", question, value],
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    ((_, result),) = loader.check_files([path])
    if expected is None:
        assert isinstance(result, loader.Loaded)
        assert result.frame["vastausaika"].iloc[0] in ("2024-09-01", "2025-03-14")
    else:
        assert expected in result.message("en")


def test_lang_after_the_command_and_in_any_case(capsys, monkeypatch):
    status, out, _ = run(capsys, "validate", "--lang", "EN", "--help")
    assert status == 0 and "Checks files" in out
    monkeypatch.setenv("KIT_LANG", "SV")
    _, out, _ = run(capsys, "validate", str(ROOT / "data" / "partners.csv"))
    assert "partnerregister" in out


def test_a_folder_reports_skipped_and_old_excel_files(capsys, tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not a table")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    status, out, _ = run(capsys, "--lang", "en", "validate", str(tmp_path))
    assert status == 1
    assert "notes.docx: skipped" in out
    assert "old Excel format (.xls)" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    status, out, _ = run(capsys, "--lang", "en", "validate", str(empty))
    assert status == 1 and "No files to check" in out


def test_output_into_a_closed_pipe_is_quiet(demo):
    proc = subprocess.run(
        f"{sys.executable} -m kit --lang en validate {ROOT / 'data'} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
