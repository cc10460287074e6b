"""Workshop 5's synthetic demo files, in the exact shapes people download.

* ``tyonv_12ti.px``: a PC-Axis file shaped like StatFin's ``tyonv/12ti`` (keywords, STUB and
  HEADING, VALUES and CODES, the contents codes ``TYOTTOMATLOPUSSA`` and ``AVPAIKATLOPUSSA``),
  January 2022 to June 2025, for the whole country (``SSS``) and the 15 ELY areas;
* ``api/tyonv_12ti.json``: the same table as JSON-stat 2, as StatFin's PxWeb API returns it
  (``format: json-stat2``), for January to September 2025: the months it shares with the
  PC-Axis file hold the same counts, so the two files join into one series;
* ``vipunen_supply.json``: Vipunen API records of
  ``amm_opiskelijat_ja_tutkinnot_vuosi_tutkinto`` (camelCase, null fields left out) for the
  qualifications the network offers, 2020–2025, for the six partners and other providers.

**Every number is invented**: the trends, the seasons and the providers' volumes. Only the
shapes, the codes (AML 2010, koulutusluokitus, the providers' Y-tunnus and names, taken from
the vendored Vipunen reference files) and the occupation names are real. Each file says it
is synthetic (the PC-Axis ``NOTE``, the JSON-stat ``note`` and the folder's
``manifest.json``), and so does every table and chart made from them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, loader, occupations, paths, qualifications
from kit.statfiles import UNEMPLOYED, VACANCIES

SEED = 2026_5
FOLDER = "anticipation"
#: the ELY areas (codes as StatFin writes them) and their population shares, roughly
REGIONS = {
    "ELY01": ("Uusimaa", 0.31),
    "ELY02": ("Varsinais-Suomi", 0.088),
    "ELY03": ("Satakunta", 0.039),
    "ELY04": ("Häme", 0.061),
    "ELY05": ("Pirkanmaa", 0.095),
    "ELY06": ("Kaakkois-Suomi", 0.05),
    "ELY07": ("Etelä-Savo", 0.025),
    "ELY08": ("Pohjois-Savo", 0.045),
    "ELY09": ("Pohjois-Karjala", 0.029),
    "ELY10": ("Keski-Suomi", 0.05),
    "ELY11": ("Etelä-Pohjanmaa", 0.035),
    "ELY12": ("Pohjanmaa", 0.032),
    "ELY13": ("Pohjois-Pohjanmaa", 0.075),
    "ELY14": ("Kainuu", 0.013),
    "ELY15": ("Lappi", 0.032),
}
#: per occupation: unemployed and vacancies nationally at the start, and the yearly trend of
#: log tightness (invented)
OCCUPATIONS = {
    "5321": (2600, 2900, 0.16),
    "5322": (900, 1100, 0.22),
    "5329": (700, 380, 0.04),
    "5311": (1500, 900, 0.09),
    "5312": (1300, 500, -0.04),
    "5223": (7800, 2100, -0.18),
    "4110": (5200, 800, -0.14),
    "4311": (1900, 450, -0.09),
    "3322": (2900, 1500, 0.02),
    "5120": (3100, 1700, 0.05),
    "5131": (2400, 1200, -0.02),
    "9412": (1800, 600, -0.06),
    "7411": (900, 1100, 0.10),
    "7412": (700, 450, 0.03),
    "7421": (500, 420, 0.12),
    "7212": (1200, 800, 0.01),
    "7223": (1500, 700, -0.09),
    "7233": (800, 750, 0.06),
    "8332": (2400, 1500, -0.10),
    "4321": (3600, 900, -0.05),
    "8344": (900, 300, 0.00),
    "3512": (1400, 500, 0.08),
    "3513": (600, 260, 0.11),
    "9112": (4600, 2600, 0.07),
    "5151": (300, 160, 0.03),
    "5153": (900, 1000, 0.15),
    "7126": (700, 900, 0.13),
    "7127": (300, 380, 0.14),
    "3255": (400, 160, 0.05),
    "3334": (500, 350, -0.03),
    "3412": (1100, 1300, 0.12),
    "1120": (700, 90, -0.05),
    "1219": (1200, 280, -0.02),
    "1439": (900, 240, 0.01),
}
FIRST, PX_LAST, API_FIRST, API_LAST = "2022-01", "2025-06", "2025-01", "2025-09"
YEARS = range(2020, 2026)
#: national students per qualification in 2020 (invented) and their yearly trend
NATIONAL = {
    "371101": (31000, 0.02),
    "381241": (6000, 0.01),
    "331101": (18000, -0.03),
    "381142": (9500, -0.01),
    "351407": (9000, 0.02),
    "351108": (8000, -0.02),
    "381408": (9000, 0.0),
    "341102": (6500, 0.01),
    "381141": (4200, 0.02),
    "351203": (3500, 0.04),
    "374111": (1200, 0.0),
    "334103": (900, 0.02),
    "354203": (1500, 0.03),
    "334118": (1100, -0.02),
    "374118": (1600, 0.03),
    "437141": (5200, -0.02),
}


def folder() -> Path:
    """Where the demo files are (made by :func:`write`)."""
    return paths.demo_dir() / FOLDER


def prepare() -> Path:
    """The demo files, written on first use (one process writes them; the others wait)."""
    where = folder()
    if not (where / "manifest.json").exists():
        with files.locked("build-anticipation"):
            if not (where / "manifest.json").exists():
                write()
    return where


def months(first: str, last: str) -> list[str]:
    """StatFin's month codes from ``first`` to ``last`` (``2025-06`` → ``2025M06``)."""
    return [f"{m.year}M{m.month:02d}" for m in pd.period_range(first, last, freq="M")]


def cube(seed: int = SEED) -> pd.DataFrame:
    """The invented counts: ``alue, ammatti, kuukausi, tiedot, arvo`` for every ELY area,
    the whole country (the sum), each occupation and month."""
    rng = np.random.default_rng(seed)
    ms = months(FIRST, API_LAST)
    t = np.arange(len(ms)) / 12.0
    calendar = np.array([int(m[-2:]) for m in ms])
    season_v = 1 + 0.22 * np.cos((calendar - 4) / 12 * 2 * np.pi) - 0.08 * (calendar == 12)
    season_u = 1 + 0.09 * np.cos((calendar - 1) / 12 * 2 * np.pi) + 0.12 * (calendar == 7)
    rows = []
    for code, (u0, v0, trend) in OCCUPATIONS.items():
        national_u = np.zeros(len(ms))
        national_v = np.zeros(len(ms))
        for region, (_name, share) in REGIONS.items():
            local = trend + rng.normal(0, 0.07)
            tilt = np.exp(rng.normal(0, 0.25))
            u = rng.poisson(u0 * share * np.exp(-local / 2 * t) * season_u / tilt)
            v = rng.poisson(v0 * share * np.exp(local / 2 * t) * season_v * tilt)
            national_u += u
            national_v += v
            rows.append((region, code, u, v))
        rows.append(("SSS", code, national_u.astype(int), national_v.astype(int)))
    out = []
    for region, code, u, v in rows:
        out.append(
            pd.DataFrame(
                {"alue": region, "ammatti": code, "kuukausi": ms, UNEMPLOYED: u, VACANCIES: v}
            )
        )
    wide = pd.concat(out, ignore_index=True)
    return wide.melt(id_vars=["alue", "ammatti", "kuukausi"], var_name="tiedot", value_name="arvo")


def _region_name(code: str) -> str:
    return "KOKO MAA" if code == "SSS" else REGIONS[code][0]


def _quoted(values: list[str]) -> str:
    return ",".join(f'"{v}"' for v in values)


def write_px(data: pd.DataFrame, target: Path) -> Path:
    """``data`` (from :func:`cube`) as a PC-Axis file shaped like StatFin's ``12ti``."""
    regions = ["SSS", *REGIONS]
    occs = list(OCCUPATIONS)
    ms = months(FIRST, PX_LAST)
    contents = [UNEMPLOYED, VACANCIES]
    labels = {
        UNEMPLOYED: "Työttömät työnhakijat kuukauden lopussa",
        VACANCIES: "Avoimet työpaikat kuukauden lopussa",
    }
    cells = data[data["kuukausi"].isin(ms)].set_index(["alue", "ammatti", "kuukausi", "tiedot"])
    cells = cells["arvo"]
    lines = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="iso-8859-15";',
        'LANGUAGE="fi";',
        f'CREATION-DATE="{dt.date(2025, 7, 25):%Y%m%d} 08:00";',
        "DECIMALS=0;",
        "SHOWDECIMALS=0;",
        'MATRIX="12ti";',
        'SUBJECT-CODE="tyonv";',
        'SUBJECT-AREA="tyonv";',
        'CONTENTS="Työttömät työnhakijat ja avoimet työpaikat ammattiryhmittäin";',
        'TITLE="SYNTEETTINEN: Työttömät työnhakijat ja avoimet työpaikat kuukauden lopussa '
        'muuttujina Alue, Ammattiryhmä, Kuukausi ja Tiedot";',
        'UNITS="lukumäärä";',
        'STUB="Alue","Ammattiryhmä";',
        'HEADING="Kuukausi","Tiedot";',
        f'VALUES("Alue")={_quoted([_region_name(r) for r in regions])};',
        f'VALUES("Ammattiryhmä")={_quoted([code + " " + occupations.name(code, "fi") for code in occs])};',
        f'VALUES("Kuukausi")={_quoted(ms)};',
        f'VALUES("Tiedot")={_quoted([labels[c] for c in contents])};',
        f'TIMEVAL("Kuukausi")=TLIST(M1),{_quoted(ms)};',
        f'CODES("Alue")={_quoted(regions)};',
        f'CODES("Ammattiryhmä")={_quoted(occs)};',
        f'CODES("Kuukausi")={_quoted(ms)};',
        f'CODES("Tiedot")={_quoted(contents)};',
        'SOURCE="SYNTEETTINEN esimerkki (laatutyöpajojen kit); muoto: KEHA-keskus, '
        'työnvälitystilasto (StatFin tyonv/12ti)";',
        'NOTE="SYNTEETTINEN AINEISTO: luvut on keksitty opetuskäyttöön. Vain rakenne, koodit ja '
        'nimet vastaavat StatFinin taulukkoa 12ti.";',
        "DATA=",
    ]
    for region in regions:
        for occ in occs:
            values = [int(cells[(region, occ, m, c)]) for m in ms for c in contents]
            lines.append(" ".join(str(v) for v in values))
    lines[-1] += ";"
    return files.write_bytes(target, ("\r\n".join(lines) + "\r\n").encode("iso-8859-15"))


def write_jsonstat(data: pd.DataFrame, target: Path) -> Path:
    """``data``'s months ``API_FIRST`` … ``API_LAST`` as JSON-stat 2, as PxWeb returns it."""
    regions = ["SSS", *REGIONS]
    occs = list(OCCUPATIONS)
    ms = months(API_FIRST, API_LAST)
    contents = [UNEMPLOYED, VACANCIES]
    cells = data[data["kuukausi"].isin(ms)].set_index(["alue", "ammatti", "kuukausi", "tiedot"])
    cells = cells["arvo"]
    value = [int(cells[(r, o, m, c)]) for r in regions for o in occs for m in ms for c in contents]

    def dim(label: str, codes: list[str], names: list[str]) -> dict:
        return {
            "label": label,
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": dict(zip(codes, names)),
            },
        }

    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "SYNTEETTINEN: Työttömät työnhakijat ja avoimet työpaikat (12ti)",
        "source": "SYNTEETTINEN esimerkki; muoto: KEHA-keskus, työnvälitystilasto",
        "updated": "2025-10-24T05:00:00Z",
        "note": ["SYNTEETTINEN AINEISTO: luvut on keksitty opetuskäyttöön."],
        "role": {"time": ["Kuukausi"], "metric": ["Tiedot"]},
        "id": ["Alue", "Ammattiryhmä", "Kuukausi", "Tiedot"],
        "size": [len(regions), len(occs), len(ms), len(contents)],
        "dimension": {
            "Alue": dim("Alue", regions, [_region_name(r) for r in regions]),
            "Ammattiryhmä": dim(
                "Ammattiryhmä", occs, [f"{c} {occupations.name(c, 'fi')}" for c in occs]
            ),
            "Kuukausi": dim("Kuukausi", ms, ms),
            "Tiedot": dim(
                "Tiedot",
                contents,
                ["Työttömät työnhakijat kuukauden lopussa", "Avoimet työpaikat kuukauden lopussa"],
            ),
        },
        "value": value,
    }
    return files.write_text(target, json.dumps(doc, ensure_ascii=False))


def supply(seed: int = SEED) -> list[dict]:
    """Invented Vipunen records for the network's qualifications, 2020–2025, for the six
    partners (volumes from their demo profiles) and other real providers."""
    from kit import synth

    rng = np.random.default_rng(seed)
    years_file = loader.read(
        paths.reference_dir() / "tavoitteelliset_opiskelijavuodet_2018_2020.csv"
    )
    providers = years_file.frame.sort_values("vuosi").drop_duplicates("ytunnus", keep="last")
    size = dict(zip(providers["ytunnus"], providers["tavoitteelliset_opiskelijavuodet"]))
    names = dict(zip(providers["ytunnus"], providers["koulutuksen_jarjestaja"]))
    partners = {y: p for y, p in synth.PROFILES.items()}
    others = [y for y in providers["ytunnus"] if y not in partners and size[y] >= 150]
    types = {
        "1": "Ammatilliset perustutkinnot",
        "3": "Ammattitutkinnot",
        "4": "Erikoisammattitutkinnot",
    }
    records = []
    for code, (base, trend) in NATIONAL.items():
        qid = qualifications.table().set_index("code").at[code, "id"]
        offering = rng.choice(others, size=min(len(others), 24), replace=False)
        weights = rng.dirichlet(np.ones(len(offering)) * 1.5)
        mine = {
            y: p.qualifications[qid] * size[y] * 0.9
            for y, p in partners.items()
            if qid in p.qualifications
        }
        drift = {y: rng.normal(0, 0.06) for y in [*mine, *offering]}
        for year in YEARS:
            k = year - YEARS[0]
            total = base * (1 + trend) ** k
            rest = max(total - sum(v * (1 + drift[y]) ** k for y, v in mine.items()), 0)
            volumes = {y: v * (1 + drift[y]) ** k for y, v in mine.items()}
            volumes.update({y: w * rest * (1 + drift[y]) ** k for y, w in zip(offering, weights)})
            for y, students in volumes.items():
                students = int(rng.poisson(max(students, 0.5)))
                if students == 0:
                    continue
                new = int(rng.binomial(students, 0.42 if code[0] == "3" else 0.55))
                done = int(rng.binomial(students, 0.24 if code[0] == "3" else 0.35))
                records.append(
                    {
                        "tilastovuosi": year,
                        "suorituksenTyyppi": "Tutkinto",
                        "tutkintotyyppi": types.get(code[0], types["3"]),
                        "tutkinto": qualifications.name(code, "fi"),
                        "koulutuksenJarjestaja": names[y],
                        "hankintakoulutuksenJarjestaja": "Tieto puuttuu",
                        "hankintakoulutusKyllaEi": "Ei",
                        "koodiTutkinto": code,
                        "koodiKoulutuksenJarjestaja": y,
                        "uudetOpiskelijatLkm": new,
                        "opiskelijatLkm": students,
                        **({"tutkinnonSuorittaneetLkm": done} if done else {}),
                        "nettoopiskelijamaaraLkm": round(students * 0.83, 1),
                        "tietojoukkoPaivitettyPvm": "2026-01-15T04:00:00Z",
                    }
                )
    return records


def write(target: Path | None = None, seed: int = SEED) -> Path:
    """Write the three demo files and the folder's manifest into ``target`` (default
    :func:`folder`), whole or not at all."""
    import os
    import shutil

    target = target or folder()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        data = cube(seed)
        write_px(data, tmp / "tyonv_12ti.px")
        (tmp / "api").mkdir()
        write_jsonstat(data, tmp / "api" / "tyonv_12ti.json")
        files.write_text(
            tmp / "vipunen_supply.json", json.dumps(supply(seed), ensure_ascii=False, indent=1)
        )
        files.write_text(
            tmp / "manifest.json",
            json.dumps(
                {
                    "synthetic": True,
                    "seed": seed,
                    "generator": "kit.workshops.anticipation.synthetic",
                    "shapes": [
                        "StatFin tyonv/12ti (PC-Axis, JSON-stat 2)",
                        "Vipunen amm_opiskelijat_ja_tutkinnot_vuosi_tutkinto (API JSON)",
                    ],
                },
                indent=1,
            ),
        )
        files.write_text(
            tmp / "SYNTHETIC.md",
            "# Synthetic\n\nEvery number in this folder is "
            "invented (kit.workshops.anticipation.synthetic). Only the shapes, the "
            "codes and the names are real.\n",
        )
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
