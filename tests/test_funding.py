"""How feedback becomes funding: the published formula, `kit funding` on the real counts in every
file shape, weighted points and the what-if."""

from __future__ import annotations

import csv
import io
import math
import subprocess

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit import funding
from kit.errors import KitInputError
from tests.conftest import REAL_COUNTS, write_csv, write_xlsx


def published(rate: float, period: str) -> float:
    """The formula as data-sources.md §3.2 gives it, written out independently."""
    start = int(period[:4])
    if start == 2018:
        return 1 / rate if rate >= 0.8 else 1 + 15 / 16 * rate - 25 / 32 * rate**2
    if start <= 2023:
        if rate >= 0.7:
            return 1 / rate
        return 857 / 350 if rate <= 0.2 else 1 / 0.7 + 2.04 * (0.7 - rate)
    return 1 / rate if rate >= 0.6 else 1 / 0.6 + 2.0 * (0.6 - rate)


@pytest.mark.parametrize(
    "period,rate,want",
    [
        ("2018-19", 0.8, 1.25),
        ("2018-19", 0.5, 1.2734375),
        ("2018-19", 0.0, 1.0),
        ("2020-21", 0.7, 1 / 0.7),
        ("2020-21", 0.5, 1.836571428571),
        ("2020-21", 0.2, 857 / 350),
        ("2020-21", 0.1, 857 / 350),
        ("2023-24", 0.9, 1 / 0.9),
        ("2024-25", 0.6, 1 / 0.6),
        ("2024-25", 0.5, 1.866666666667),
        ("2026-27", 0.3, 2.266666666667),
    ],
)
def test_formula_points(period, rate, want):
    assert math.isclose(funding.correction_factor(rate, period), want, abs_tol=1e-9)


@given(
    st.floats(0.01, 1.0),
    st.sampled_from(["2018-19", "2019-20", "2021-22", "2023-24", "2024-25", "2025-26"]),
)
def test_formula_matches_the_published_one_everywhere(rate, period):
    assert math.isclose(
        funding.correction_factor(rate, period), published(rate, period), rel_tol=1e-12
    )


def test_formula_is_continuous_at_every_threshold():
    for period, thresholds in (("2018-19", [0.8]), ("2020-21", [0.2, 0.7]), ("2024-25", [0.6])):
        for x in thresholds:
            below, above = funding.correction_factor([x - 1e-9, x + 1e-9], period)
            assert abs(below - above) < 1e-6, (period, x)


def test_each_formula_period_has_its_own_thresholds():
    assert [f.full_at for f in funding.FORMULAS] == [0.8, 0.7, 0.6]
    assert funding.formula("2018-19").key == "2018"
    assert funding.formula("2019-20").key == funding.formula("2023-24").key == "2019"
    assert funding.formula("2024-25").key == "2024"


def test_before_2018_there_is_no_formula():
    with pytest.raises(KitInputError) as info:
        funding.correction_factor(0.5, "2017-18")
    assert "2018-19" in info.value.message("en")


def test_missing_and_impossible_rates_give_no_factor():
    out = funding.correction_factor([None, 1.5, -0.1, 0.5], "2020-21")
    assert np.isnan(out[:3]).all() and not np.isnan(out[3])


# --- kit funding on the real counts -------------------------------------------------------------


@pytest.fixture
def run(capsys):
    """``kit ARGS`` in this process, as a finished process (status, stdout, stderr)."""
    from kit import cli

    def kit(*args: str) -> subprocess.CompletedProcess:
        try:
            status = cli.main(list(args))
        except SystemExit as exc:
            status = exc.code
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, out.out, out.err)

    return kit


def expected_rows(real_rows) -> dict[tuple[str, str], tuple[int, int]]:
    """(Y-tunnus, survey) → (targeted, answered), read straight from the real file."""
    header, *rows = real_rows
    col = {name: i for i, name in enumerate(header)}
    out = {}
    for row in rows:
        for survey, suffix in (
            ("aloittaneet", "A"),
            ("tutkinnon_suorittaneet", "P_T"),
            ("tutkinnon_osia_suorittaneet", "P_O"),
        ):
            targeted = row[col[f"Kyselyn kohteena olleet_{suffix}"]]
            answered = row[col[f"Vastanneet_{suffix}"]]
            if targeted or answered:
                out[row[col["Koulutuksen järjestäjän Y-tunnus"]], survey] = (
                    int(targeted or 0),
                    int(answered or 0),
                )
    return out


def parse(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def check_against_published(rows: list[dict[str, str]], expected: dict) -> None:
    """Every row is printed in full, as published: the counts exactly, the rate and the
    correction factor by the published formula to 6 decimals (participation is not a result:
    counts of 1–4 are shown as Vipunen shows them)."""
    assert {(r["y_tunnus"], r["survey"]) for r in rows} == set(expected)
    for r in rows:
        targeted, answered = expected[r["y_tunnus"], r["survey"]]
        assert int(r["targeted"]) == targeted
        assert int(r["answered"]) == answered
        if targeted == 0:
            assert r["response_rate"] == "" and r["correction_factor"] == ""
            continue
        rate = answered / targeted
        assert r["response_rate"] == f"{rate:.6f}"
        assert r["correction_factor"] == f"{published(rate, '2020-21'):.6f}"


def test_kit_funding_on_the_real_2020_21_counts(real_rows, run):
    proc = run("funding", "--counts", str(REAL_COUNTS))
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stdout.splitlines()[0]
        == "y_tunnus,survey,targeted,answered,response_rate,correction_factor"
    )
    rows = parse(proc.stdout)
    expected = expected_rows(real_rows)
    assert len(rows) == 406
    check_against_published(rows, expected)
    # the groups of 1-4 that used to be blanked are there, with their published counts
    small = [r for r in rows if 1 <= int(r["answered"]) <= 4]
    assert len(small) == 23 and all(r["correction_factor"] for r in small if int(r["targeted"]))
    careeria = {r["survey"]: r for r in rows if r["y_tunnus"] == "2918298-7"}
    assert (
        careeria["aloittaneet"]["correction_factor"] == f"{published(1181 / 2737, '2020-21'):.6f}"
    )
    assert "2020-21" in proc.stderr and "2019–20 … 2023–24" in proc.stderr


@pytest.mark.parametrize(
    "shape",
    ["semicolon_cp1252", "tab_utf16", "bom", "xlsx", "xlsx_title_row", "short_period", "thousands"],
)
def test_kit_funding_reads_every_shape_validate_accepts(tmp_path, real_rows, shape, run):
    rows = [list(r) for r in real_rows]
    if shape == "short_period":
        for r in rows[1:]:
            r[0] = "2020-21"
    if shape == "thousands":
        for r in rows[1:]:
            r[3:] = [f"{int(c):,}".replace(",", " ") if c else c for c in r[3:]]
    path = {
        "semicolon_cp1252": lambda: write_csv(tmp_path / "c.csv", rows, ";", "cp1252"),
        "tab_utf16": lambda: write_csv(tmp_path / "c.txt", rows, "\t", "utf-16"),
        "bom": lambda: write_csv(tmp_path / "c.csv", rows, ",", "utf-8-sig"),
        "xlsx": lambda: write_xlsx(tmp_path / "c.xlsx", rows),
        "xlsx_title_row": lambda: write_xlsx(
            tmp_path / "c.xlsx", [["Opiskelijapalaute 2020-2021"], *rows]
        ),
        "short_period": lambda: write_csv(tmp_path / "c.csv", rows),
        "thousands": lambda: write_csv(tmp_path / "c.csv", rows, ";"),
    }[shape]()
    proc = run("funding", "--counts", str(path))
    assert proc.returncode == 0, proc.stderr
    check_against_published(parse(proc.stdout), expected_rows(real_rows))


def test_kit_funding_refuses_a_bad_file_like_validate(tmp_path, real_rows, run):
    rows = [list(r) for r in real_rows]
    rows[5][4] = "lots"
    path = write_csv(tmp_path / "bad.csv", rows)
    proc = run("--lang", "en", "funding", "--counts", str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "bad.csv" in proc.stderr and "row 6" in proc.stderr and "Vastanneet_A" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    validate = run("--lang", "en", "validate", str(path))
    assert "row 6" in validate.stdout


def test_kit_funding_table_format_and_several_periods(tmp_path, real_rows, run):
    header, *rows = real_rows
    later = [["01.07.2021 - 30.06.2022", *r[1:]] for r in rows]
    path = write_csv(tmp_path / "two.csv", [header, *rows, *later])
    proc = run("--lang", "en", "funding", "--counts", str(path), "--format", "table")
    assert proc.returncode == 0, proc.stderr
    assert "period" in proc.stdout.splitlines()[0] and "2021-22" in proc.stdout
    assert "(protected)" in proc.stdout or "1-4" in proc.stdout
    csv_out = run("funding", "--counts", str(path))
    first = parse(csv_out.stdout)
    assert {r["period"] for r in first} == {"2020-21", "2021-22"}


def test_kit_funding_help_names_the_columns(run):
    proc = run("--lang", "en", "funding", "--help")
    assert proc.returncode == 0 and "--counts" in proc.stdout and "Tilastokausi" in proc.stdout


# --- weighted points, shares and the what-if ----------------------------------------------------


def test_weighted_points_follow_the_formula(demo):
    rates = funding.partner_rates(demo, "sdo")
    shown = rates.dropna(subset=["weighted_points"])
    assert len(shown) > 0
    for r in shown.itertuples():
        weight = 3 if r.survey == "tutkinnon_suorittaneet" else 1
        assert math.isclose(r.weighted_points, r.points * r.correction_factor * weight)
        assert math.isclose(r.correction_factor, published(r.response_rate, r.period))


def test_shares_add_up_to_one_per_period_and_questionnaire(demo):
    table = funding.weighted(demo.response, demo.feedback)
    sums = table.groupby(["period", "kysely"])["share"].sum()
    assert np.allclose(sums.to_numpy(float), 1.0)


def test_points_hide_small_groups(demo):
    from kit import feedback

    pts = funding.points(demo.feedback)
    raw = feedback.aggregate(
        demo.feedback[
            demo.feedback["survey"].isin(
                ["aloittaneet", "tutkinnon_suorittaneet", "tutkinnon_osia_suorittaneet"]
            )
        ],
        ["y_tunnus", "period", "survey"],
    )
    both = pts.merge(
        raw[["y_tunnus", "period", "survey", "respondents"]],
        on=["y_tunnus", "period", "survey"],
        suffixes=("", "_true"),
    )
    small = both[(both["respondents_true"] >= 1) & (both["respondents_true"] <= 4)]
    assert len(small) > 0 and small["points"].isna().all()


def test_what_if_holds_points_per_respondent():
    table = funding.what_if(0.4, 1000, 60.0, "aloittaneet", "2024-25", [0.4, 0.6, 0.8])
    assert table["change"].iloc[0] == pytest.approx(0)
    # at and above 0.6 the factor is 1/r: weighted points = everyone targeted × points
    assert table["weighted_points"].iloc[1] == pytest.approx(1000 * 60.0)
    assert table["weighted_points"].iloc[2] == pytest.approx(1000 * 60.0)
    assert table["weighted_points"].iloc[0] < table["weighted_points"].iloc[1]
    whole = funding.what_if(0.4, 1000, 60.0, "tutkinnon_suorittaneet", "2024-25", [0.6])
    assert whole["weighted_points"].iloc[0] == pytest.approx(3 * 1000 * 60.0)


def test_what_if_refuses_rates_outside_0_1():
    with pytest.raises(KitInputError):
        funding.what_if(1.4, 100, 60.0, "aloittaneet", "2024-25")
