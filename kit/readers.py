"""Read a table file into strings, whatever its dialect: the IO layer under the loader.

Accepted: CSV separated by comma, semicolon or tab, in UTF-8, UTF-8 with BOM or cp1252 (what
Excel on Finnish Windows writes), and ``.xlsx`` (first sheet, header in row 1). Everything comes
back as text; types are the schema's business (:mod:`kit.schemas`). A file that is empty, binary,
truncated or no table at all raises :class:`~kit.errors.KitInputError` naming the file and, where
there is one, the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.errors import KitInputError

DELIMITERS = ",;\t"
ENCODINGS = ("utf-8", "cp1252")
BOM = b"\xef\xbb\xbf"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class RawTable:
    """A file read as text: ``frame`` has normalised column names, ``headers`` the originals.

    ``frame.index`` is the spreadsheet row of each record (the header is row 1).
    """

    path: Path
    frame: pd.DataFrame
    headers: dict[str, str]
    fmt: str  # "csv;utf-8-sig" etc., for summaries


def normalise_header(name: object) -> str:
    """``"Koulutuksen järjestäjän Y-tunnus"`` → ``"koulutuksen_jarjestajan_y_tunnus"``.

    Lower case, accents folded (ä→a, ö→o, å→a), anything else than letters and digits becomes one
    underscore. Column matching uses this form, so capitalisation and spacing never matter.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def read_table(path: str | Path) -> RawTable:
    """Read ``path`` (CSV or .xlsx) into a :class:`RawTable` of strings.

    Raises :class:`KitInputError` for a missing, empty, binary, truncated or header-only file.
    """
    path = Path(path)
    if not path.exists():
        raise KitInputError("file_not_found", file=path)
    if path.is_dir():
        raise KitInputError("is_directory", file=path)
    data = path.read_bytes()
    if not data.strip():
        raise KitInputError("empty_file", file=path)
    if path.suffix.lower() in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        header, rows, fmt = _read_excel(path, data)
    else:
        header, rows, fmt = _read_csv(path, data)
    return _to_frame(path, header, rows, fmt)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:65536] or _looks_binary(data[:4096]):
        raise KitInputError("binary", file=path)
    if data.startswith(BOM):
        try:
            return data[len(BOM):].decode("utf-8"), "utf-8 with BOM"
        except UnicodeDecodeError:
            raise KitInputError("bad_encoding", file=path) from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise KitInputError("bad_encoding", file=path)


def _looks_binary(head: bytes) -> bool:
    """Many control characters (other than tab, CR, LF) mean this is no text file."""
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return control > max(4, len(head) // 100)


def _sniff_delimiter(path: Path, text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    # The sniffer gives up on very regular or one-line files: fall back to the header line.
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise KitInputError("not_a_table", file=path)
    return best


def _read_csv(path: Path, data: bytes) -> tuple[list[str], list[list[str]], str]:
    text, encoding = _decode(path, data)
    delimiter = _sniff_delimiter(path, text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [row for row in reader if "".join(row).strip()]
    except csv.Error as exc:
        raise KitInputError("not_a_table", file=path, row=reader.line_num) from exc
    header, rows = records[0], records[1:]
    name = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return header, rows, f"csv ({name}, {encoding})"


def _read_excel(path: Path, data: bytes) -> tuple[list[str], list[list[str]], str]:
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        records = [
            [_cell_text(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
            if any(v is not None and str(v).strip() for v in row)
        ]
        book.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise KitInputError("bad_excel", file=path) from exc
    if not records:
        raise KitInputError("empty_file", file=path)
    width = max(len(r) for r in records)
    header = records[0]
    while header and not header[-1]:
        header = header[:-1]
    records = [r[: len(header)] + [""] * (len(header) - len(r[: len(header)])) for r in records]
    if width > len(header) and any(any(c for c in r[len(header):]) for r in records):
        raise KitInputError("not_a_table", file=path)
    return records[0], records[1:], "xlsx"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _to_frame(path: Path, header: list[str], rows: list[list[str]], fmt: str) -> RawTable:
    header = [h.strip() for h in header]
    if len([h for h in header if h]) < 2:
        raise KitInputError("not_a_table", file=path)
    if not rows:
        raise KitInputError("header_only", file=path)
    for i, row in enumerate(rows):
        if len(row) != len(header):
            # A short last row is what a cut-off download looks like.
            raise KitInputError(
                "ragged_row", file=path, row=i + 2, found=len(row), expected=len(header)
            )
    names = [normalise_header(h) for h in header]
    seen: dict[str, str] = {}
    for original, name in zip(header, names):
        if name in seen:
            raise KitInputError("duplicate_column", file=path, column=original)
        seen[name] = original
    frame = pd.DataFrame(rows, columns=names, dtype="str")
    frame = frame.apply(lambda col: col.str.strip())
    frame.index = pd.RangeIndex(2, len(rows) + 2, name="row")
    return RawTable(path=path, frame=frame, headers=seen, fmt=fmt)
