"""Synthetic demo data: believable, reproducible, and labelled as synthetic.

``kit demo-data`` (or :func:`build`) writes, from a fixed seed:

* respondent-level student feedback (Arvo-style answer exports, one row per answer) for the six
  partners over the funding periods 2019-20 … 2024-25, and working-life feedback from 2021-22;
* the same feedback as a Vipunen-style aggregate (the tidy form, for fast loading);
* targeted and answered counts in Vipunen's confirmed-counts layout;
* scorecard inputs per partner and calendar year.

**Calibration.** Targeted and answered counts for 2020-21 are the real confirmed counts
(``data/reference/opiskelijapalaute_vahvistetut_2020_2021.csv``); other periods grow or shrink
from them by each partner's trend. Student-years start from the real target student-years.
Everything else (levels, trends, qualification mixes, weak spots) is invented so that the
workshops have something to find: partners differ, periods move, and some groups have 1–4
respondents so that the privacy rule shows.

``scale="national"`` does the same for all 154 real providers (real names and Y-tunnus) and
writes only the aggregate, for performance work.

Nothing here is a real answer: every file says so (``SYNTHETIC.md``, ``manifest.json``), and
:mod:`kit.datasets` labels the data wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kit import feedback, key_figures, loader, paths, periods, qualifications, questions, response
from kit.surveys import LIKERT_VALUES, SURVEYS

SEED = 2026
PERIODS: list[str] = periods.span("2019-20", "2024-25")
CALIBRATION_PERIOD = "2020-21"
YEARS: list[int] = list(range(2019, 2025))
SCALES = ("partners", "national")
#: the steps :func:`build` reports to its ``progress`` callback, in order
STEPS: list[str] = [
    "reference",
    "response",
    *[f"answers {p}" for p in PERIODS],
    "aggregate",
    "key_figures",
]
REAL_COUNTS = "opiskelijapalaute_vahvistetut_2020_2021.csv"
REAL_STUDENT_YEARS = "tavoitteelliset_opiskelijavuodet_2018_2020.csv"

#: base level of each questionnaire on the 1–5 scale before any effect
_BASE = {
    "aloituskysely": 4.15,
    "paattokysely": 4.25,
    "tyopaikkaohjaajakysely": 4.15,
    "tyopaikkakysely": 3.95,
}
_THEME_EFFECT = {
    "start": 0.05,
    "information": -0.1,
    "hoks": -0.15,
    "guidance": 0.0,
    "learning": -0.05,
    "assessment": 0.1,
    "community": 0.12,
    "worklife": 0.02,
    "overall": 0.08,
    "cooperation": 0.05,
    "customer": -0.1,
    "impact": 0.0,
}
#: working-life questions with a typical weak or strong point of their own (on top of the
#: theme): the instructor knowing the student's HOKS goals is the classic weak point (in
#: Tavastia's 2021 results 3.7 against 4.3 for the demonstration), then the support for
#: guiding and the information the workplace gets
_QUESTION_EFFECT = {
    "TPO06": -0.45,
    "TPO04": -0.25,
    "TPO05": -0.15,
    "TPK07": -0.2,
    "TPO07": 0.15,
    "TPO01": 0.1,
}
_EOS = {"A09": 0.06, "A11": 0.08, "P08": 0.07, "P16": 0.35, "TPO06": 0.05, "TPK02": 0.08}
_EOS_DEFAULT = 0.025


@dataclass(frozen=True)
class Profile:
    """How one provider's invented feedback behaves."""

    effect: float  # level against the national base, in scale points
    trend: float  # change per year, in scale points
    growth: float  # yearly factor on the number of students targeted
    rate_trend: float  # yearly change of the response rate
    qualifications: dict[str, float]  # qualification id → share of students
    weak_spots: dict[str, float] = field(default_factory=dict)  # question id → extra effect
    dropout: float = 0.10  # yearly drop-out share of students
    placement: float = 0.75  # share of graduates employed or in further study


PROFILES: dict[str, Profile] = {
    "2918298-7": Profile(
        0.0,
        0.03,
        1.02,
        0.015,
        {
            "sote_pt": 0.25,
            "liiketoiminta_pt": 0.2,
            "sahko_pt": 0.15,
            "kone_pt": 0.12,
            "logistiikka_pt": 0.12,
            "ravintola_pt": 0.1,
            "johtaminen_eat": 0.06,
        },
        {"A09": -0.35, "P08": -0.25, "P03": -0.2},
        0.11,
        0.74,
    ),
    "0201375-3": Profile(
        0.12,
        0.0,
        0.99,
        0.01,
        {
            "ict_pt": 0.3,
            "liiketoiminta_pt": 0.2,
            "puhtaus_pt": 0.2,
            "ravintola_pt": 0.15,
            "hieronta_at": 0.15,
        },
        {"A03": 0.25, "P05": -0.3, "P09": -0.2},
        0.13,
        0.58,
    ),
    "2811092-2": Profile(
        0.3,
        0.01,
        1.01,
        0.0,
        {"ravintola_pt": 0.3, "puhtaus_pt": 0.3, "sote_pt": 0.2, "logistiikka_pt": 0.2},
        {"A14": 0.2, "P14": -0.15},
        0.09,
        0.62,
    ),
    "0774302-6": Profile(
        -0.08,
        0.05,
        1.03,
        0.03,
        {
            "kiinteistopalvelut_at": 0.35,
            "isannointi_at": 0.3,
            "kiinteistonvalitys_at": 0.2,
            "talotekniikka_pt": 0.15,
        },
        {"P09": -0.35, "A02": -0.2, "TPK05": -0.3},
        0.07,
        0.9,
    ),
    "3008326-5": Profile(
        -0.12,
        0.04,
        1.0,
        0.025,
        {
            "sahko_pt": 0.25,
            "talotekniikka_pt": 0.2,
            "kone_pt": 0.2,
            "logistiikka_pt": 0.15,
            "johtaminen_eat": 0.1,
            "ict_pt": 0.1,
        },
        {"A02": -0.3, "A10": -0.25, "P13": -0.2, "TPO07": -0.35, "P10": -0.2},
        0.12,
        0.86,
    ),
    "2756786-7": Profile(
        0.18,
        -0.02,
        1.01,
        0.01,
        {
            "sote_pt": 0.45,
            "kasvatus_pt": 0.3,
            "lasten_erityisohjaaja_at": 0.15,
            "johtaminen_eat": 0.1,
        },
        {"P02": 0.15, "A11": -0.25, "TPO06": 0.3},
        0.08,
        0.82,
    ),
}


@dataclass(frozen=True)
class Built:
    """What :func:`build` wrote."""

    out: Path
    scale: str
    seed: int
    files: list[Path]
    respondents: int
    answers: int


def build(
    out: str | Path | None = None,
    scale: str = "partners",
    seed: int = SEED,
    progress: Callable[[str], None] | None = None,
) -> Built:
    """Generate the demo data into ``out`` (default ``data/demo`` or ``data/national``).

    The folder is written whole into a temporary sibling and then swapped in, so an interrupted
    build never leaves half a data set, and an existing one stays until the new one is complete.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    out = Path(out) if out else (paths.demo_dir() if scale == "partners" else paths.national_dir())
    step = progress or (lambda _msg: None)
    rng = np.random.default_rng(seed)

    step("reference")
    real = _real_reference()
    providers = _providers(real, scale)
    profiles = {y: PROFILES.get(y) or _random_profile(rng) for y in providers["y_tunnus"]}

    step("response")
    resp = _response(real["response"], providers, profiles, rng)
    bank = _question_effects(rng)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        tidy_parts, respondents, answers = [], 0, 0
        for period in PERIODS:
            step(f"answers {period}")
            tidy, long_frames, n = _answers_for_period(
                period, resp, profiles, bank, rng, keep_long=scale == "partners"
            )
            tidy_parts.append(tidy)
            respondents += n
            for family, frame in long_frames.items():
                answers += len(frame)
                target = tmp / "answers" / f"{family}_{period}.csv"
                target.parent.mkdir(exist_ok=True)
                frame.to_csv(target, index=False)
        step("aggregate")
        tidy = feedback.combine(tidy_parts)
        feedback.to_aggregate(tidy).to_csv(tmp / "feedback_counts.csv", index=False)
        response.to_counts(resp, providers).to_csv(tmp / "response_counts.csv", index=False)
        step("key_figures")
        key_figures.to_file(_key_figures(providers, real["student_years"], profiles, rng)).to_csv(
            tmp / "key_figures.csv", index=False
        )
        _write_labels(tmp, scale, seed, respondents, answers)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return Built(
        out=out, scale=scale, seed=seed, files=files, respondents=respondents, answers=answers
    )


def _swap_in(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _real_reference() -> dict[str, pd.DataFrame]:
    ref = paths.reference_dir()
    counts = loader.read(ref / REAL_COUNTS).frame
    years = loader.read(ref / REAL_STUDENT_YEARS).frame.reset_index(drop=True)
    return {
        "response": response.from_counts(counts),
        "providers": response.providers(counts),
        "student_years": years,
    }


def _providers(real: dict[str, pd.DataFrame], scale: str) -> pd.DataFrame:
    if scale == "partners":
        from kit.partners import registry

        reg = registry()
        return pd.DataFrame({"y_tunnus": reg["y_tunnus"], "provider_name": reg["legal_name"]})
    return real["providers"]


def _random_profile(rng: np.random.Generator) -> Profile:
    quals = qualifications.ids()
    k = int(rng.integers(1, 7))
    chosen = rng.choice(quals, size=k, replace=False)
    shares = rng.dirichlet(np.ones(k) * 1.5)
    return Profile(
        effect=float(rng.normal(0, 0.18)),
        trend=float(rng.normal(0.01, 0.02)),
        growth=float(rng.normal(1.0, 0.03)),
        rate_trend=float(rng.normal(0.005, 0.015)),
        qualifications=dict(zip(chosen.tolist(), shares.round(4).tolist())),
        dropout=float(np.clip(rng.normal(0.1, 0.025), 0.03, 0.2)),
        placement=float(np.clip(rng.normal(0.75, 0.07), 0.5, 0.95)),
    )


def _response(
    real: pd.DataFrame,
    providers: pd.DataFrame,
    profiles: dict[str, Profile],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Targeted and answered per provider × period × survey; 2020-21 is the real count."""
    rows = []
    base = real.set_index(["y_tunnus", "survey"])
    for y, name in zip(providers["y_tunnus"], providers["provider_name"]):
        prof = profiles[y]
        for survey in ("aloittaneet", "tutkinnon_suorittaneet", "tutkinnon_osia_suorittaneet"):
            if (y, survey) not in base.index:
                continue
            t0 = int(base.at[(y, survey), "targeted"])
            a0 = int(base.at[(y, survey), "answered"])
            rate0 = a0 / t0 if t0 else 0.0
            for period in PERIODS:
                d = periods.start_year(period) - 2020
                if period == CALIBRATION_PERIOD:
                    t, a = t0, a0
                else:
                    t = int(round(t0 * prof.growth**d * np.exp(rng.normal(0, 0.04))))
                    rate = (
                        float(
                            np.clip(rate0 + prof.rate_trend * d + rng.normal(0, 0.02), 0.03, 0.97)
                        )
                        if t0
                        else 0.0
                    )
                    a = int(rng.binomial(t, rate)) if t else 0
                rows.append((y, name, period, survey, t, a))
    frame = pd.DataFrame(rows, columns=response.COLUMNS)
    worklife = _worklife_response(frame, rng)
    out = pd.concat([frame, worklife], ignore_index=True)
    return out.astype({"targeted": "int64", "answered": "int64"}).sort_values(
        response.KEYS, ignore_index=True
    )


def _worklife_response(student: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Working-life feedback from 2021-22: instructors of completing students, and workplaces."""
    completing = student[student["survey"] != "aloittaneet"]
    completing = completing[completing["period"] >= "2021-22"]
    per = completing.groupby(["y_tunnus", "provider_name", "period"], as_index=False)[
        "targeted"
    ].sum()
    rows = []
    for y, name, period, students in per.itertuples(index=False):
        d = periods.start_year(period) - 2021
        tpo = int(round(students * rng.uniform(0.5, 0.8)))
        tpk = int(round(tpo / rng.uniform(2.0, 3.5)))
        rate_tpo = float(np.clip(rng.normal(0.42, 0.08) + 0.03 * d, 0.05, 0.9))
        rate_tpk = float(np.clip(rng.normal(0.33, 0.07) + 0.02 * d, 0.05, 0.9))
        rows.append(
            (y, name, period, "tyopaikkaohjaajakysely", tpo, int(rng.binomial(tpo, rate_tpo)))
        )
        rows.append((y, name, period, "tyopaikkakysely", tpk, int(rng.binomial(tpk, rate_tpk))))
    return pd.DataFrame(rows, columns=response.COLUMNS)


def _question_effects(rng: np.random.Generator) -> pd.DataFrame:
    bank = questions.question_bank().copy()
    bank["effect"] = (
        bank["theme"].map(_THEME_EFFECT)
        + rng.normal(0, 0.08, len(bank))
        + bank["id"].map(_QUESTION_EFFECT).fillna(0.0)
    )
    bank["eos"] = bank["id"].map(_EOS).fillna(_EOS_DEFAULT)
    return bank


def _answers_for_period(
    period: str,
    resp: pd.DataFrame,
    profiles: dict[str, Profile],
    bank: pd.DataFrame,
    rng: np.random.Generator,
    keep_long: bool,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], int]:
    """Answers of one period: the tidy counts, and (for the partners) the long answer files."""
    here = resp[(resp["period"] == period) & (resp["answered"] > 0)]
    tidy_parts = []
    long_parts: dict[str, list[pd.DataFrame]] = {"opiskelijapalaute": [], "tyoelamapalaute": []}
    respondents = 0
    d = periods.start_year(period) - 2020
    first, _last = periods.bounds(period)
    for survey, rows in here.groupby("survey", sort=True):
        kysely = SURVEYS[survey].kysely
        qs = bank[bank["kysely"] == kysely]
        # one group per provider × qualification, with its respondents
        groups = []
        for y, answered in zip(rows["y_tunnus"], rows["answered"]):
            prof = profiles[y]
            quals = list(prof.qualifications)
            split = rng.multinomial(
                int(answered),
                np.array(list(prof.qualifications.values())) / sum(prof.qualifications.values()),
            )
            groups += [(y, q, int(m)) for q, m in zip(quals, split) if m > 0]
        if not groups:
            continue
        g_y = np.array([g[0] for g in groups])
        g_q = np.array([g[1] for g in groups])  # the kit's ids (they seed the effects)
        g_code = np.array([qualifications.code_of(q) for q in g_q])  # official codes in files
        sizes = np.array([g[2] for g in groups])
        who = np.repeat(np.arange(len(groups)), sizes)
        n = len(who)
        level = np.array(
            [
                _BASE[kysely]
                + profiles[y].effect
                + profiles[y].trend * d
                + _qualification_effect(q)
                for y, q in zip(g_y, g_q)
            ]
        )
        latent = rng.normal(0, 0.6, n)
        q_effect = qs["effect"].to_numpy()
        spots = np.array([[profiles[y].weak_spots.get(q, 0.0) for q in qs["id"]] for y in g_y])
        score = (
            level[who][:, None]
            + latent[:, None]
            + q_effect[None, :]
            + spots[who]
            + rng.normal(0, 0.65, (n, len(qs)))
        )
        values = np.clip(np.floor(score + 0.5), 1, 5).astype(np.int8)
        eos = rng.random((n, len(qs))) < qs["eos"].to_numpy()[None, :]
        codes = np.where(eos, 5, values - 1)  # 0..4 = scale 1..5, 5 = eos
        respondents += n
        # tidy counts: one bincount per question
        counts = np.stack(
            [
                np.bincount(who * 6 + codes[:, j], minlength=len(groups) * 6).reshape(
                    len(groups), 6
                )
                for j in range(len(qs))
            ],
            axis=1,
        )
        tidy = pd.DataFrame(
            {
                "y_tunnus": np.repeat(g_y, len(qs)),
                "period": period,
                "survey": survey,
                "question_id": np.tile(qs["id"].to_numpy(), len(groups)),
                "qualification": np.repeat(g_code, len(qs)),
            }
        )
        for i, c in enumerate(feedback.COUNTS):
            tidy[c] = counts[:, :, i].reshape(-1)
        tidy_parts.append(tidy)
        if keep_long:
            long_parts[SURVEYS[survey].family].append(
                _long(period, survey, first, g_y, g_code, who, codes, qs["id"].to_numpy(), rng)
            )
    tidy = feedback.combine(tidy_parts)
    long_frames = {
        fam: pd.concat(parts, ignore_index=True) for fam, parts in long_parts.items() if parts
    }
    return tidy, long_frames, respondents


def _qualification_effect(q: str) -> float:
    """A small fixed effect per qualification, the same in every run."""
    digest = hashlib.sha256(q.encode()).digest()
    return (digest[0] / 255 - 0.5) * 0.3


_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))


def _long(
    period: str,
    survey: str,
    first: dt.date,
    g_y: np.ndarray,
    g_q: np.ndarray,
    who: np.ndarray,
    codes: np.ndarray,
    qids: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per answer, as an Arvo export: codes, dates, provider, survey, question, value."""
    n, q = codes.shape
    numbers = np.asarray(rng.choice(32**6, size=n, replace=False))
    digits = (numbers[:, None] // (32 ** np.arange(5, -1, -1))[None, :]) % 32
    prefix = {
        "aloittaneet": "A",
        "tutkinnon_suorittaneet": "T",
        "tutkinnon_osia_suorittaneet": "O",
        "tyopaikkaohjaajakysely": "P",
        "tyopaikkakysely": "K",
    }[survey]
    respondent = np.char.add(
        prefix + period[2:4], _ALPHABET[digits].astype(object).sum(axis=1).astype(str)
    )
    days = rng.integers(0, 365, n)
    dates = (np.datetime64(first) + days.astype("timedelta64[D]")).astype(str)
    values = np.array(LIKERT_VALUES, dtype=object)[codes]
    frame = pd.DataFrame(
        {
            "vastaajatunnus": np.repeat(respondent, q),
            "vastausaika": np.repeat(dates, q),
            "koulutustoimija": np.repeat(g_y[who], q),
            "kyselypohja_tarkenne": survey,
            "kysymysid": np.tile(qids, n),
            "numerovalinta": values.reshape(-1),
            "tutkinto": np.repeat(g_q[who], q),
        }
    )
    if SURVEYS[survey].family == "tyoelamapalaute":
        # the work period's days, as the working-life answer codes carry them: 2–26 weeks
        # (their own random stream, so that the answers stay as they were without durations)
        own = np.random.default_rng(
            int.from_bytes(hashlib.sha256(f"kesto {period} {survey}".encode()).digest()[:8], "big")
        )
        kesto = np.clip(np.round(own.gamma(3.0, 20.0, n)), 14, 182).astype(int)
        frame["tyopaikkajakson_kesto"] = np.repeat(kesto, q)
    return frame


def _key_figures(
    providers: pd.DataFrame,
    student_years: pd.DataFrame,
    profiles: dict[str, Profile],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Scorecard inputs per provider and year, sized by the real target student-years."""
    real = student_years.set_index(["ytunnus", "vuosi"])["tavoitteelliset_opiskelijavuodet"]
    rows = []
    for y in providers["y_tunnus"]:
        prof = profiles[y]
        known = {int(year): int(v) for (yt, year), v in real.items() if yt == y}
        if not known:
            continue
        anchor_year = max(known)
        anchor = known[anchor_year]
        for year in YEARS:
            if year in known:
                opv = known[year]
            else:
                opv = int(
                    round(
                        anchor * prof.growth ** (year - anchor_year) * np.exp(rng.normal(0, 0.03))
                    )
                )
            students = int(round(opv * rng.uniform(1.5, 1.9)))
            new = int(round(students * rng.uniform(0.35, 0.5)))
            quals = int(round(opv * rng.uniform(0.25, 0.4)))
            dropout = float(
                np.clip(prof.dropout - 0.03 * prof.effect + rng.normal(0, 0.01), 0.01, 0.4)
            )
            placed = float(np.clip(prof.placement + rng.normal(0, 0.03), 0.2, 0.99))
            rows.append(
                (
                    y,
                    year,
                    opv,
                    students,
                    new,
                    quals,
                    int(round(students * dropout)),
                    quals,
                    int(round(quals * placed)),
                )
            )
    return pd.DataFrame(rows, columns=list(key_figures.COLUMNS.values()))


def fingerprint() -> str:
    """A hash of everything the demo data depends on: this generator and the data it reads.

    Stored in the manifest; a data set with another fingerprint is out of date and rebuilt.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    data = paths.data_dir()
    for name in ("partners.csv", "questions.csv", "qualifications.csv"):
        digest.update((data / name).read_bytes())
    for name in (REAL_COUNTS, REAL_STUDENT_YEARS):
        digest.update((paths.reference_dir() / name).read_bytes())
    return digest.hexdigest()[:16]


def _write_labels(folder: Path, scale: str, seed: int, respondents: int, answers: int) -> None:
    from kit import __version__

    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "synthetic": True,
        "notice": "SYNTHETIC DEMO DATA - invented answers, not real feedback.",
        "generator": f"kit demo-data --scale {scale} --seed {seed}",
        "kit_version": __version__,
        "seed": seed,
        "scale": scale,
        "fingerprint": fingerprint(),
        "periods": PERIODS,
        "calibrated_to": f"data/reference/{REAL_COUNTS} (real targeted and answered counts, "
        f"{CALIBRATION_PERIOD})",
        "respondents": respondents,
        "answers": answers,
        "files": {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
        },
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "SYNTHETIC.md").write_text(
        "# SYNTEETTINEN DEMOAINEISTO / SYNTETISKA DEMODATA / SYNTHETIC DEMO DATA\n\n"
        "Kaikki vastaukset on keksitty: tämä ei ole oikeaa palautetta. Vuoden 2020-21 kohde- ja "
        "vastaajamäärät ovat todellisia (Vipunen), muu on tuotettu ohjelmallisesti.\n\n"
        "Alla svar är påhittade: detta är ingen verklig respons. Antalet tillfrågade och "
        "svarande 2020-21 är verkliga (Vipunen); resten har tagits fram med ett program.\n\n"
        "Every answer here is invented: this is not real feedback. The targeted and answered "
        f"counts of 2020-21 are real (Vipunen); the rest was generated by `kit demo-data --scale "
        f"{scale} --seed {seed}`. See manifest.json.\n",
        encoding="utf-8",
    )
