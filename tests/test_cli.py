"""The `kit` command as a user meets it: help, demo, env, and input errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kit import cli
from tests.conftest import write_csv


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("lang,word", [("fi", "komennot"), ("sv", "kommandon"), ("en", "commands")])
def test_help_in_each_language(lang, word):
    proc = run("--lang", lang, "--help")
    assert proc.returncode == 0 and word in proc.stdout
    assert "validate" in proc.stdout and "demo-data" in proc.stdout


def test_language_from_the_environment():
    proc = run("validate", "--help", env={"KIT_LANG": "sv"})
    assert "Kontrollerar filer" in proc.stdout


def test_no_command_prints_help_with_status_2(capsys):
    assert cli.main([]) == 2
    assert "kit" in capsys.readouterr().out


def test_demo_says_what_it_did_and_where_to_look(demo):
    proc = run("--lang", "en", "demo")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "SYNTHETIC DEMO DATA" in out
    assert "files fine" in out and "Privacy:" in out and "(protected)" in out
    assert "make lab" in out and "notebooks/00_start_here.ipynb" in out
    assert "Ammattiopisto Live" in out and "2024-25" in out


def test_demo_data_keeps_current_data(demo):
    proc = run("--lang", "en", "demo-data")
    assert proc.returncode == 0 and "data/demo already has files" in proc.stdout


def test_demo_data_into_another_folder(tmp_path):
    proc = run("--lang", "en", "demo-data", "--out", str(tmp_path / "x"), "--seed", "3")
    assert proc.returncode == 0, proc.stderr
    assert "The data is synthetic" in proc.stdout
    assert (tmp_path / "x" / "SYNTHETIC.md").exists()


def test_env_reports_ready():
    proc = run("--lang", "en", "env")
    assert proc.returncode == 0, proc.stdout
    assert "pandas" in proc.stdout and "The environment is ready." in proc.stdout


def test_bad_answer_file_is_one_line(tmp_path):
    rows = [["vastaajatunnus", "vastausaika", "koulutustoimija", "kyselypohja_tarkenne", "kysymysid",
             "numerovalinta", "tutkinto"],
            ["ABC1", "2024-09-01", "2918298-7", "aloittaneet", "A01", "4", "sote_pt"],
            ["ABC1", "2024-09-01", "2918298-7", "aloittaneet", "A02", "7", "sote_pt"]]
    path = write_csv(tmp_path / "answers.csv", rows, ";")
    proc = run("--lang", "en", "validate", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr + proc.stdout
    assert "answers.csv, row 3, column \"numerovalinta\": '7' is not an answer" in proc.stdout


@pytest.mark.parametrize("bad,expected", [
    (("A01", "4", "2024-02-30"), "is not a date"),
    (("X99", "4", "2024-09-01"), "not a question-bank id"),
    (("A01", "4", "2035-01-01"), "is in the future"),
    (("A01", "4", "14.3.2025 klo 10:22"), None),
    (("P01", "4", "2024-09-01"), "does not belong to survey aloittaneet"),
    (("A01", "eos", "1.9.2024"), None),
])
def test_answer_rules(tmp_path, bad, expected):
    from kit import loader

    question, value, date = bad
    rows = [["vastaajatunnus", "vastausaika", "koulutustoimija", "kyselypohja_tarkenne", "kysymysid",
             "numerovalinta"],
            ["R1", date, "2918298-7", "aloittaneet", question, value]]
    path = write_csv(tmp_path / "a.csv", rows)
    (_, result), = loader.check_files([path])
    if expected is None:
        assert isinstance(result, loader.Loaded)
        assert result.frame["vastausaika"].iloc[0] in ("2024-09-01", "2025-03-14")
    else:
        assert expected in result.message("en")


def test_lang_after_the_command_and_in_any_case():
    proc = run("validate", "--lang", "EN", "--help")
    assert proc.returncode == 0 and "Checks files" in proc.stdout
    proc = run("validate", "data/partners.csv", env={"KIT_LANG": "SV"})
    assert "partnerregister" in proc.stdout


def test_a_folder_reports_skipped_and_old_excel_files(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not a table")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    proc = run("--lang", "en", "validate", str(tmp_path))
    assert proc.returncode == 1
    assert "notes.docx: skipped" in proc.stdout
    assert "old Excel format (.xls)" in proc.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("--lang", "en", "validate", str(empty))
    assert proc.returncode == 1 and "No files to check" in proc.stdout


def test_output_into_a_closed_pipe_is_quiet():
    import os

    proc = subprocess.run(f"{sys.executable} -m kit --lang en demo | head -1", shell=True,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ})
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
