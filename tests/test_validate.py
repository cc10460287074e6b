"""`kit validate`: every accepted shape of the real counts file, and every refusal in one line."""

from __future__ import annotations

import os
import random
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kit import cli, loader, response
from kit.errors import KitInputError
from tests.conftest import REAL_COUNTS, kit_command, write_csv, write_xlsx

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real command, as a user runs it."""
    return subprocess.run(kit_command(*args), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("sep", SEPARATORS)
def test_real_counts_accepted_in_every_dialect(tmp_path, real_rows, sep, encoding, capsys):
    path = write_csv(
        tmp_path / f"counts_{sep}_{encoding}.csv", real_rows, SEPARATORS[sep], encoding
    )
    assert cli.main(["--lang", "en", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "confirmed response counts" in out and "154 providers" in out
    assert {"comma": "comma", "semicolon": "semicolon", "tab": "tab"}[sep] in out


def test_real_counts_accepted_as_xlsx_and_in_any_row_order(tmp_path, real_rows):
    shuffled = [real_rows[0], *random.Random(7).sample(real_rows[1:], len(real_rows) - 1)]
    xlsx = write_xlsx(tmp_path / "counts.xlsx", shuffled)
    csv_shuffled = write_csv(tmp_path / "shuffled.csv", shuffled, ";", "cp1252")
    original = response.from_counts(loader.read(REAL_COUNTS).frame)
    for path in (xlsx, csv_shuffled):
        loaded = loader.read(path)
        assert loaded.kind == "response_counts"
        again = response.from_counts(loaded.frame)
        assert again.reset_index(drop=True).equals(original.reset_index(drop=True)), path


def test_every_shape_gives_the_same_numbers(tmp_path, real_rows):
    """Not just accepted: each shape reads to exactly the same long table."""
    expected = response.from_counts(loader.read(REAL_COUNTS).frame)
    for sep in SEPARATORS.values():
        for enc in ENCODINGS:
            path = write_csv(tmp_path / "x.csv", real_rows, sep, enc)
            got = response.from_counts(loader.read(path).frame)
            assert got.equals(expected), (sep, enc)


def _edit(rows, row, column, value):
    rows = [list(r) for r in rows]
    col = rows[0].index(column)
    rows[row][col] = value
    return rows


def bad_files(tmp: Path, rows: list[list[str]]) -> dict[str, tuple[Path, str]]:
    """Each refusal the issue lists: the file, and a word its message must contain (English)."""
    header = rows[0]
    spesia = next(i for i, r in enumerate(rows) if r[1] == "2811092-2")
    out = {}
    out["missing column"] = (
        write_csv(tmp / "missing.csv", [[c for c in r if True][:3] + r[4:] for r in rows]),
        "missing",
    )
    out["answered > targeted"] = (
        write_csv(tmp / "more_answered.csv", _edit(rows, spesia, "Vastanneet_A", "400")),
        "only 345 were targeted",
    )
    out["negative count"] = (
        write_csv(tmp / "negative.csv", _edit(rows, spesia, "Kyselyn kohteena olleet_P_T", "-5")),
        "negative",
    )
    out["non-numeric count"] = (
        write_csv(tmp / "text.csv", _edit(rows, spesia, "Vastanneet_P_O", "kolme")),
        "not a whole number",
    )
    (tmp / "empty.csv").write_bytes(b"")
    out["empty file"] = (tmp / "empty.csv", "empty")
    out["header only"] = (write_csv(tmp / "header.csv", [header]), "header row but no data")
    rng = random.Random(1)
    (tmp / "junk.csv").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    out["binary junk"] = (tmp / "junk.csv", "binary")
    out["duplicate provider"] = (
        write_csv(tmp / "dup.csv", [*rows, rows[spesia]]),
        "already on row",
    )
    out["wrong check digit"] = (
        write_csv(tmp / "digit.csv", _edit(rows, spesia, header[1], "2811092-3")),
        "check digit",
    )
    xlsx = write_xlsx(tmp / "full.xlsx", rows)
    data = xlsx.read_bytes()
    (tmp / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    out["truncated xlsx"] = (tmp / "truncated.xlsx", "damaged or cut short")
    return out


def test_each_refusal_is_one_line_naming_the_file(tmp_path, real_rows):
    cases = bad_files(tmp_path, real_rows)
    assert len(cases) == 10
    for name, (path, expected) in cases.items():
        errors = loader.check_files([path])
        ((_, result),) = errors
        assert not isinstance(result, loader.Loaded), f"{name} was accepted"
        message = result.message("en")
        assert "\n" not in message, name
        assert path.name in message, name
        assert expected in message, f"{name}: {message}"


def test_refusals_through_the_real_command(tmp_path, real_rows):
    """Exit status 1, one line on stderr per bad file, no traceback, files untouched."""
    cases = bad_files(tmp_path, real_rows)
    before = {p: p.read_bytes() for p, _ in cases.values()}
    proc = run_cli("--lang", "en", "validate", *[str(p) for p, _ in cases.values()])
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stdout.splitlines() if line.startswith("✘")]
    assert len(lines) == len(cases)
    for path, _ in cases.values():
        assert path.read_bytes() == before[path]


def test_row_and_column_are_named(tmp_path, real_rows):
    spesia = next(i for i, r in enumerate(real_rows) if r[1] == "2811092-2")
    path = write_csv(tmp_path / "neg.csv", _edit(real_rows, spesia, "Vastanneet_P_T", "-1"), ";")
    ((_, err),) = loader.check_files([path])
    assert err.row == spesia + 1 and err.column == "Vastanneet_P_T"
    assert f"row {spesia + 1}" in err.message("en")
    assert 'column "Vastanneet_P_T"' in err.message("en")
    assert f"rivi {spesia + 1}" in err.message("fi") and "rad" in err.message("sv")


def test_good_files_exit_zero_with_summary():
    proc = run_cli("--lang", "en", "validate", str(REAL_COUNTS))
    assert proc.returncode == 0, proc.stderr
    assert "154 rows" in proc.stdout and "Fine: 1 · with problems: 0" in proc.stdout


def test_kind_option_and_unknown_columns(tmp_path, real_rows):
    path = write_csv(tmp_path / "counts.csv", real_rows)
    assert loader.read(path, kind="response_counts").kind == "response_counts"
    with pytest.raises(Exception) as info:
        loader.read(path, kind="answers")
    assert "vastaajatunnus" in info.value.message("en")
    other = write_csv(tmp_path / "other.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(Exception) as info:
        loader.read(other)
    assert "could not be told from its columns" in info.value.message("en")


def test_truncated_csv_is_refused(tmp_path, real_rows):
    path = write_csv(tmp_path / "cut.csv", real_rows)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 25])
    ((_, err),) = loader.check_files([path])
    assert not isinstance(err, loader.Loaded)
    assert "cut short" in err.message("en")


def test_leading_zero_lost_by_a_spreadsheet_is_restored(tmp_path, real_rows):
    live = next(i for i, r in enumerate(real_rows) if r[1] == "0201375-3")
    path = write_csv(tmp_path / "zero.csv", _edit(real_rows, live, real_rows[0][1], "201375-3"))
    frame = loader.read(path).frame
    assert "0201375-3" in set(frame["koulutuksen_jarjestajan_y_tunnus"])


def test_excel_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("this is no spreadsheet")
    ((_, err),) = loader.check_files([path])
    assert "damaged" in err.message("en")
    assert zipfile.is_zipfile(path) is False


def test_spreadsheet_habits_are_understood(tmp_path, real_rows):
    """Title lines, Excel's empty right-hand columns, a totals row's message, UTF-16 text."""
    titled = write_csv(
        tmp_path / "titled.csv",
        [["Vahvistetut vastaajamäärät 2020-21"], [], *real_rows],
        ";",
        "cp1252",
    )
    loaded = loader.read(titled)
    assert loaded.kind == "response_counts" and loaded.frame.index[0] == 4
    padded = write_csv(tmp_path / "padded.csv", [[*r, "", ""] for r in real_rows], ";")
    assert loader.read(padded).kind == "response_counts"
    utf16 = tmp_path / "unicode.txt"
    utf16.write_text("\n".join("\t".join(r) for r in real_rows), encoding="utf-16")
    assert loader.read(utf16).fmt["encoding"] == "utf-16"
    totals = write_csv(tmp_path / "totals.csv", [*real_rows, ["", "", "Yhteensä", *["1"] * 6]])
    ((_, err),) = loader.check_files([totals])
    assert "totals row" in err.message("en")


def test_workbook_with_title_rows_and_instruction_sheet(tmp_path, real_rows):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Ohjeet"
    book.active.append(["Täytä välilehti Vastaajat."])
    sheet = book.create_sheet("Vastaajat")
    sheet.append(["Opiskelijapalaute 2020-21"])
    sheet.append([])
    for row in real_rows:
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    loaded = loader.read(tmp_path / "book.xlsx")
    assert loaded.kind == "response_counts" and loaded.fmt["sheet"] == "Vastaajat"
    assert loaded.frame.index[0] == 4  # rows numbered as Excel shows them


def test_a_large_file_is_checked_once_and_again_whenever_its_contents_change(
    tmp_path, real_rows, monkeypatch
):
    """A large file read again, also from another folder, is served as it was checked (no
    second check); a change of
    one digit, size and time kept as they were, is checked afresh; a bad edit fails with its
    row as before, and the good file after it is served again."""
    from kit import paths, validation

    monkeypatch.setattr(loader, "KEEP_BYTES", 1)  # the real counts file counts as large
    monkeypatch.setattr(paths, "cache_dir", lambda: tmp_path / "cache")
    checks = []
    check = validation.validate
    monkeypatch.setattr(validation, "validate", lambda *a, **k: checks.append(1) or check(*a, **k))
    path = write_csv(tmp_path / "counts.csv", real_rows)
    first = loader.read(path)
    again = loader.read(str(path))
    assert len(checks) == 1 and again.path == Path(str(path))
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert len(list((tmp_path / "cache").glob("kept-read-*.pickle"))) == 1
    # the same file in a copied folder is not checked again; another file of the same name
    # in another folder is kept beside it, not in its place
    copied = tmp_path / "copy" / tmp_path.name / "counts.csv"
    copied.parent.mkdir(parents=True)
    copied.write_bytes(path.read_bytes())
    assert loader.read(copied).path == copied and len(checks) == 1
    (tmp_path / "national").mkdir()
    other = write_csv(tmp_path / "national" / "counts.csv", real_rows[:-1])
    loader.read(other)
    assert len(checks) == 2
    loader.read(path)
    loader.read(other)
    assert len(checks) == 2
    checks.clear()
    assert len(list((tmp_path / "cache").glob("kept-read-*.pickle"))) == 2

    text, stat = path.read_text(encoding="utf-8"), path.stat()
    row = next(i for i, r in enumerate(real_rows) if r[4] == "36")
    edited = text.replace(",242,36,", ",242,37,", 1)
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = loader.read(path)
    assert len(checks) == 1
    assert changed.frame.loc[row + 1, "vastanneet_a"] == 37

    path.write_text(text.replace(",242,36,", ",242,x6,", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KitInputError) as info:
            loader.read(path)
        assert f"row {row + 1}" in info.value.message("en")
    path.write_text(edited, encoding="utf-8")
    assert loader.read(path).frame.loc[row + 1, "vastanneet_a"] == 37
