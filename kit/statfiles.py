"""Read statistics files as their publishers write them: the IO layer for workshop 5's data.

* **PC-Axis** (``.px``), the file Statistics Finland's StatFin download button gives, read with
  `pyaxis <https://pypi.org/project/pyaxis/>`_;
* **JSON-stat 2**, what StatFin's PxWeb API returns (``format: json-stat2``), read with
  `pyjstat <https://pypi.org/project/pyjstat/>`_;
* **Vipunen API JSON**: a list of records with camelCase fields (``uudetOpiskelijatLkm``), as
  ``api.vipunen.fi/api/resources/<resource>/data`` returns them.

A cube (PC-Axis, JSON-stat) comes back as one text row per cell, with each dimension's official
code and label; the dimensions of table ``tyonv/12ti`` are recognised by their codes, not their
names, so files in Finnish, Swedish or English read alike. Every problem is a one-line
:class:`~kit.errors.KitInputError` naming the file and, where there is one, the dimension, the
cell (its codes) or the record. Nothing here knows the kinds' rules (:mod:`kit.schemas`).
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.errors import KitInputError
from kit.readers import RawTable

#: StatFin 12ti's contents codes: unemployed jobseekers and open vacancies at the month's end
UNEMPLOYED = "TYOTTOMATLOPUSSA"
VACANCIES = "AVPAIKATLOPUSSA"
CONTENTS = (UNEMPLOYED, VACANCIES)
#: the tidy columns of a labour-market cube
CUBE_COLUMNS = ("alue", "alue_nimi", "ammatti", "ammatti_nimi", "kuukausi", "tiedot", "arvo")
_MONTH = re.compile(r"\d{4}M\d{2}")
_REGION = re.compile(r"SSS|ELY\d{1,2}|KU\d{3}|MK\d{2}|SK\d{3}|TE\d{1,2}|KEHA\d*")
_MISSING = {".", "..", "...", "-", ""}


def is_cube_json(data: object) -> bool:
    """Whether parsed JSON looks like JSON-stat (a dataset or a version-1 bundle)."""
    return isinstance(data, dict) and (
        data.get("class") == "dataset"
        or "version" in data
        or any(isinstance(v, dict) and "dimension" in v for v in data.values())
    )


def read_px(path: Path, shown: str) -> RawTable:
    """Read a PC-Axis file into a :class:`RawTable` of cells (see :data:`CUBE_COLUMNS`)."""
    from pyaxis import pyaxis

    raw = path.read_bytes()
    if not raw.strip():
        raise KitInputError("empty_file", file=shown)
    encoding = _px_encoding(raw)
    text = raw.decode(encoding, errors="strict") if encoding else None
    if text is None or "DATA=" not in text.replace(" ", ""):
        raise KitInputError("px_malformed", file=shown, detail="DATA=")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pyaxis.parse(str(path), encoding=encoding)
    except ValueError as exc:
        # pyaxis builds the cells from STUB × HEADING: a wrong cell count lands here
        detail = str(exc).split("\n")[0][:120]
        reason = "px_cells" if "length" in detail.lower() else "px_malformed"
        raise KitInputError(reason, file=shown, detail=detail) from None
    except (KeyError, IndexError, AttributeError, TypeError, OSError, UnicodeError) as exc:
        raise KitInputError(
            "px_malformed", file=shown, detail=str(exc)[:80] or type(exc).__name__
        ) from None
    meta, frame = parsed["METADATA"], parsed["DATA"]
    names = [*meta.get("STUB", []), *meta.get("HEADING", [])]
    if not names:
        raise KitInputError("px_malformed", file=shown, detail="STUB, HEADING")
    expected = math.prod(len(meta[f"VALUES({n})"]) for n in names)
    if len(frame) != expected:
        raise KitInputError("px_cells", file=shown, detail=f"{len(frame)} ≠ {expected}")
    dims = []
    for name in names:
        values = list(meta[f"VALUES({name})"])
        if f"CODES({name})" not in meta:
            raise KitInputError("cube_no_codes", file=shown, column=name)
        codes = list(meta[f"CODES({name})"])
        if len(codes) != len(values):
            raise KitInputError(
                "cube_dimension",
                file=shown,
                column=name,
                detail=f"CODES {len(codes)} ≠ VALUES {len(values)}",
            )
        dims.append(_Dim(name, codes, dict(zip(values, codes)), dict(zip(codes, values))))
    cells = pd.DataFrame({d.name: frame[d.name].map(d.by_label) for d in dims})
    values = frame["DATA"].fillna("..").astype(str).str.strip().str.strip('"')
    return _tidy(
        path,
        shown,
        dims,
        cells,
        values,
        {"type": "px", "encoding": encoding, "table": str(meta.get("MATRIX", [""])[0])},
    )


def _px_encoding(raw: bytes) -> str | None:
    """The file's character set from its CODEPAGE keyword (StatFin writes iso-8859-15 or
    utf-8), checked by decoding; ``None`` when the bytes are no text."""
    head = raw[:4096].decode("ascii", errors="ignore")
    found = re.search(r'CODEPAGE\s*=\s*"([^"]+)"', head)
    candidates = [found.group(1)] if found else []
    candidates += ["utf-8", "iso-8859-15"]
    for encoding in candidates:
        try:
            raw.decode(encoding)
            return encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def read_json(path: Path, shown: str) -> tuple[str, RawTable]:
    """Read a JSON file: JSON-stat 2 (``"cube"``) or Vipunen API records (``"records"``)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise KitInputError("bad_encoding", file=shown) from None
    except json.JSONDecodeError as exc:
        raise KitInputError("json_malformed", file=shown, row=exc.lineno, detail=exc.msg) from None
    if is_cube_json(data):
        return "cube", read_jsonstat(data, path, shown)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]  # a wrapper some clients save: {"data": [...]}
    if isinstance(data, list):
        return "records", read_records(data, path, shown)
    raise KitInputError("json_unknown", file=shown)


def read_jsonstat(data: dict, path: Path, shown: str) -> RawTable:
    """A JSON-stat 2 dataset (parsed) as a :class:`RawTable` of cells."""
    from pyjstat import pyjstat

    if data.get("class") != "dataset" or not str(data.get("version", "")).startswith("2"):
        raise KitInputError("jsonstat_version", file=shown, version=data.get("version", "1.x"))
    for key in ("id", "size", "dimension", "value"):
        if key not in data:
            raise KitInputError("jsonstat_malformed", file=shown, detail=key)
    ids, size = data["id"], data["size"]
    if (
        not isinstance(ids, list)
        or not isinstance(size, list)
        or len(ids) != len(size)
        or not all(isinstance(n, int) and n > 0 for n in size)
    ):
        raise KitInputError("jsonstat_malformed", file=shown, detail="id, size")
    if not isinstance(data["dimension"], dict):
        raise KitInputError("jsonstat_malformed", file=shown, detail="dimension")
    value = data["value"]
    cells_needed = math.prod(size)
    if isinstance(value, dict):
        if not all(str(key).isdigit() and int(key) < cells_needed for key in value):
            raise KitInputError("jsonstat_malformed", file=shown, detail="value")
    elif not isinstance(value, list):
        raise KitInputError("jsonstat_malformed", file=shown, detail="value")
    dims = []
    for name, n in zip(ids, size):
        dim = data["dimension"].get(name)
        category = dim.get("category", {}) if isinstance(dim, dict) else {}
        index = category.get("index")
        if isinstance(index, list):
            index = {code: i for i, code in enumerate(index)}
        if not isinstance(index, dict) or len(index) != n:
            found = len(index) if isinstance(index, (dict, list)) else 0
            raise KitInputError(
                "cube_dimension", file=shown, column=name, detail=f"{found} ≠ size {n}"
            )
        codes = sorted(index, key=lambda code: index[code])
        labels = category.get("label", {}) or {}
        dims.append(_Dim(name, codes, {}, {c: str(labels.get(c, c)) for c in codes}))
    count = len(value) if isinstance(value, list) else cells_needed
    if count != cells_needed:
        raise KitInputError("px_cells", file=shown, detail=f"{count} ≠ {cells_needed}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyjstat.Dataset.read(json.dumps(data)).write("dataframe", naming="id")
    except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise KitInputError("jsonstat_malformed", file=shown, detail=str(exc)[:80]) from None
    cells = frame[ids].astype(str)
    values = frame["value"].map(
        lambda v: ".." if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    )
    return _tidy(
        path,
        shown,
        dims,
        cells,
        values,
        {"type": "jsonstat", "table": str(data.get("label", ""))[:60]},
    )


@dataclass(frozen=True)
class _Dim:
    name: str
    codes: list[str]
    by_label: dict[str, str]
    labels: dict[str, str]


def _role(dim: _Dim) -> str | None:
    codes = [str(c) for c in dim.codes]
    if codes and all(_MONTH.fullmatch(c) for c in codes):
        return "kuukausi"
    if codes and all(c.upper() in CONTENTS for c in codes):
        return "tiedot"
    if codes and all(_REGION.fullmatch(c.upper()) for c in codes):
        return "alue"
    if codes and all(re.fullmatch(r"[0-9X]{1,5}|SSS", c.upper()) for c in codes):
        return "ammatti"
    return None


def _tidy(
    path: Path, shown: str, dims: list[_Dim], cells: pd.DataFrame, values: pd.Series, fmt: dict
) -> RawTable:
    roles: dict[str, _Dim] = {}
    for dim in dims:
        role = _role(dim)
        if role is None or role in roles:
            raise KitInputError(
                "cube_unknown_dimension",
                file=shown,
                column=dim.name,
                first=", ".join(map(str, dim.codes[:3])),
            )
        roles[role] = dim
    for role in ("alue", "ammatti", "kuukausi", "tiedot"):
        if role not in roles:
            raise KitInputError(
                "cube_missing_dimension",
                file=shown,
                dimension={
                    "alue": "Alue",
                    "ammatti": "Ammattiryhmä",
                    "kuukausi": "Kuukausi",
                    "tiedot": "Tiedot",
                }[role],
            )
    values = values.reset_index(drop=True)
    cells = cells.reset_index(drop=True)
    bad = ~(values.isin(_MISSING) | values.str.fullmatch(r"-?[0-9]+([.,]0+)?").fillna(False))
    negative = values.str.fullmatch(r"-[0-9]+([.,]0+)?").fillna(False) & ~values.isin(_MISSING)
    for mask, reason in ((bad, "cube_value"), (negative, "cube_negative")):
        if mask.any():
            i = int(mask.to_numpy().argmax())
            where = ", ".join(f"{d.name}={cells.at[i, d.name]}" for d in dims)
            raise KitInputError(
                reason, file=shown, value=values.iat[i], cell=where, more=int(mask.sum()) - 1
            )
    out = pd.DataFrame(
        {
            "alue": cells[roles["alue"].name].str.upper(),
            "ammatti": cells[roles["ammatti"].name].str.upper(),
            "kuukausi": cells[roles["kuukausi"].name],
            "tiedot": cells[roles["tiedot"].name].str.upper(),
        }
    )
    out["alue_nimi"] = out["alue"].map({k.upper(): v for k, v in roles["alue"].labels.items()})
    out["ammatti_nimi"] = out["ammatti"].map(
        {k.upper(): v for k, v in roles["ammatti"].labels.items()}
    )
    out["arvo"] = values.mask(values.isin(_MISSING), "").str.replace(r"[.,]0+$", "", regex=True)
    out = out[list(CUBE_COLUMNS)].astype("str")
    out.index = pd.RangeIndex(1, len(out) + 1, name="cell")
    headers = {
        "alue": roles["alue"].name,
        "ammatti": roles["ammatti"].name,
        "kuukausi": roles["kuukausi"].name,
        "tiedot": roles["tiedot"].name,
        "alue_nimi": roles["alue"].name,
        "ammatti_nimi": roles["ammatti"].name,
        "arvo": "DATA",
    }
    return RawTable(path=path, frame=out, headers=headers, fmt=fmt)


def camel_to_snake(name: str) -> str:
    """``uudetOpiskelijatLkm`` → ``uudet_opiskelijat_lkm`` (the Vipunen API's camelCase is
    its database's snake_case)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def read_records(records: list, path: Path, shown: str) -> RawTable:
    """Vipunen API records as a :class:`RawTable`: one row per record (numbered from 1),
    camelCase fields as snake_case columns; a field a record omits (the API leaves out
    nulls) is empty."""
    from kit.readers import normalise_header

    if not records:
        raise KitInputError("header_only", file=shown)
    headers: dict[str, str] = {}
    rows = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise KitInputError("json_record", file=shown, row=number)
        row = {}
        for key, value in record.items():
            name = normalise_header(camel_to_snake(str(key)))
            if headers.setdefault(name, str(key)) != str(key):
                raise KitInputError("duplicate_column", file=shown, column=str(key))
            row[name] = (
                ""
                if value is None
                else (
                    str(int(value))
                    if isinstance(value, float) and value.is_integer()
                    else str(value)
                )
            )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(headers), dtype="str").fillna("")
    frame = frame.apply(lambda col: col.str.strip())
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return RawTable(path=path, frame=frame, headers=headers, fmt={"type": "json"})
