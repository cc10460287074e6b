"""Read a table file into strings, whatever its dialect: the IO layer under the loader.

Accepted: CSV separated by comma, semicolon or tab, in UTF-8, UTF-8 with BOM, UTF-16 (Excel's
"Unicode text") or cp1252 (what Excel on Finnish Windows writes), and ``.xlsx``/``.xlsm`` (the
first sheet that holds a table). Title lines above the header and empty columns that Excel adds
on the right are skipped. Everything comes back as text; types are the schema's business
(:mod:`kit.schemas`). A file that is empty, binary, truncated or no table at all raises
:class:`~kit.errors.KitInputError` naming the file and, where there is one, the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit.errors import KitInputError

DELIMITERS = ",;\t"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
TITLE_ROWS = 10  # how far down a header may start


@dataclass(frozen=True)
class RawTable:
    """A file read as text: ``frame`` has normalised column names, ``headers`` the originals.

    ``frame.index`` is the row of each record as a spreadsheet or text editor numbers it.
    ``fmt`` says how the file was read (``type``: ``csv`` or ``xlsx``, and its details).
    """

    path: Path
    frame: pd.DataFrame
    headers: dict[str, str]
    fmt: dict[str, object] = field(default_factory=dict)


def normalise_header(name: object) -> str:
    """``"Koulutuksen järjestäjän Y-tunnus"`` → ``"koulutuksen_jarjestajan_y_tunnus"``.

    Lower case, accents folded (ä→a, ö→o, å→a), anything else than letters and digits becomes one
    underscore. Column matching uses this form, so capitalisation and spacing never matter.
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class Grid:
    """A file's non-empty records as text, before any header is chosen: ``records`` holds
    ``(row, cells)`` with the row as a spreadsheet or text editor numbers it. Readers of
    layouts whose headers are not plain column names (an Arvo download, whose question columns
    are headed by the question's text) start here."""

    path: Path
    records: list[tuple[int, list[str]]]
    fmt: dict[str, object] = field(default_factory=dict)


def read_table(path: str | Path) -> RawTable:
    """Read ``path`` (CSV or .xlsx) into a :class:`RawTable` of strings.

    Raises :class:`KitInputError` for a missing, empty, binary, truncated or header-only file.
    """
    return to_frame(read_grid(path))


def read_grid(path: str | Path) -> Grid:
    """Read ``path`` (CSV or .xlsx) into a :class:`Grid` of text records.

    Raises :class:`KitInputError` for a missing, empty, binary or unreadable file.
    """
    path = Path(path)
    if not path.exists():
        raise KitInputError("file_not_found", file=path)
    if path.is_dir():
        raise KitInputError("is_directory", file=path)
    data = path.read_bytes()
    if not data.strip():
        raise KitInputError("empty_file", file=path)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise KitInputError("old_excel", file=path)
    if path.suffix.lower() in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        records, fmt = _read_excel(path, data)
    else:
        records, fmt = _read_csv(path, data)
    return Grid(path, records, fmt)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    for bom, encoding in BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode(encoding), {"utf-8-sig": "utf-8 BOM"}.get(encoding, encoding)
            except UnicodeDecodeError:
                raise KitInputError("bad_encoding", file=path) from None
    if b"\x00" in data[:65536] or _looks_binary(data[:4096]):
        raise KitInputError("binary", file=path)
    for encoding in ("utf-8", "cp1252"):
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
    """The separator: the one that splits every line (from the header on) into the same number
    of fields, more than one; of several such, the one giving the most fields. Commas inside
    a semicolon file's texts (``Careeria, Porvoo``) therefore do not fool it. Where no
    separator is consistent (a ragged file), Python's sniffer or the most frequent one on the
    header line decides, and the rows are checked later."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    if not lines:
        raise KitInputError("empty_file", file=path)
    # title lines above the header have no separators; sniff from the first line that has one
    start = next(
        (i for i, line in enumerate(lines[:TITLE_ROWS]) if any(d in line for d in DELIMITERS)), 0
    )
    sample = lines[start:]
    consistent = {}
    for d in DELIMITERS:
        try:
            widths = {len(row) for row in csv.reader(sample, delimiter=d)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths != {1}:
            consistent[d] = widths.pop()
    if consistent:
        return max(consistent, key=lambda d: consistent[d])
    try:
        return csv.Sniffer().sniff("\n".join(sample), delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    counts = {d: lines[start].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise KitInputError("not_a_table", file=path)
    return best


def _read_csv(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]], dict]:
    text, encoding = _decode(path, data)
    delimiter = _sniff_delimiter(path, text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if "".join(row).strip():
                records.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise KitInputError("not_a_table", file=path, row=start) from exc
    name = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return records, {"type": "csv", "delimiter": name, "encoding": encoding}


def _read_excel(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]], dict]:
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = []
        for sheet in book.worksheets:
            records = [
                (number, [_cell_text(v) for v in row])
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(v is not None and str(v).strip() for v in row)
            ]
            if _header_index(records) is not None:
                sheets.append((sheet.title, records))
        book.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise KitInputError("bad_excel", file=path) from exc
    if not sheets:
        raise KitInputError("no_table_in_workbook", file=path)
    title, records = sheets[0]
    return records, {"type": "xlsx", "sheet": title, "ignored": len(sheets) - 1}


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _header_index(records: list[tuple[int, list[str]]]) -> int | None:
    """The first record that can be a header (two or more filled cells), within the first few."""
    for i, (_number, row) in enumerate(records[:TITLE_ROWS]):
        if sum(1 for cell in row if cell.strip()) >= 2:
            return i
    return None


def to_frame(grid: Grid) -> RawTable:
    """The :class:`RawTable` of ``grid``: its first row with two or more cells is the header."""
    path, records, fmt = grid.path, grid.records, grid.fmt
    first = _header_index(records)
    if first is None:
        raise KitInputError("not_a_table", file=path)
    header = [h.strip() for h in records[first][1]]
    body = records[first + 1 :]
    width = len(header)
    while (
        width
        and not header[width - 1]
        and all(len(row) < width or not row[width - 1].strip() for _n, row in body)
    ):
        width -= 1  # an empty column on the right, as Excel writes them
    header = header[:width]
    if not body:
        raise KitInputError("header_only", file=path)
    rows = [row for _number, row in body]
    if any(n != width for n in map(len, rows)):  # the usual file has none: checked row by row
        rows = []
        for number, row in body:
            extra = [c for c in row[width:] if c.strip()]
            if extra:
                raise KitInputError(
                    "too_many_fields", file=path, row=number, found=len(row), expected=width
                )
            row = row[:width]
            if len(row) < width:
                # a short last row is what a cut-off download looks like
                raise KitInputError(
                    "ragged_row", file=path, row=number, found=len(row), expected=width
                )
            rows.append(row)
    names = [normalise_header(h) for h in header]
    seen: dict[str, str] = {}
    for original, name in zip(header, names):
        if not name:
            raise KitInputError("empty_column_name", file=path, row=records[first][0])
        if name in seen:
            raise KitInputError("duplicate_column", file=path, column=original)
        seen[name] = original
    frame = pd.DataFrame(rows, columns=names, dtype="str")
    frame = frame.apply(lambda col: col.str.strip())
    frame.index = pd.Index([number for number, _row in body], name="row")
    return RawTable(path=path, frame=frame, headers=seen, fmt=fmt)
