"""An independent attacker against the privacy rule (:mod:`tests.attacker`).

1. Self-tests on hand-made data published naively (every group shown except those of 1–4):
   the attacker pins small groups by subtraction and through the 1–4 / ≥ 5 bounds, and does
   not claim pins that are not there.
2. The dashboard's cube of the demo data, the finest breakdown and the participation counts:
   no answer count of a 1–4 group may be pinned to a positive value.
3. Random small data published through :func:`kit.feedback.summary` for every subset of the
   people dimensions: no pin either.

The attacker sees only what the kit shows; the unprotected truth is used only to check that a
pin it claims is right. Tests 2 and 3 run two readers: one who allows people to skip a question
(the model as briefed) and one who knows everyone answers every statement ("I can't say"
included), which holds for the demo and for the generated data.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pytest
from attacker import COUNTS, FINEST, PEOPLE, VALUES, Attack, Published, attack, cell
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

PROTECTED = "(protected)"


# --- helpers ------------------------------------------------------------------------------------


def tidy_table(
    cells: Mapping[tuple[str, str], Mapping[str, Sequence[int]]],
    *,
    period: str = "2023-24",
    survey: str = "aloittaneet",
) -> pd.DataFrame:
    """A tidy table from ``{(y_tunnus, qualification): {question: counts n_1..n_eos}}``."""
    rows = [
        {
            "y_tunnus": y,
            "period": period,
            "survey": survey,
            "question_id": q,
            "qualification": qual,
            **dict(zip(COUNTS, counts)),
        }
        for (y, qual), answers in cells.items()
        for q, counts in answers.items()
    ]
    return pd.DataFrame(rows)


def respondents(tidy: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    """People per group of ``by`` (people dimensions), counted as the kit defines it: the
    largest per-question answer count in a finest cell, summed over cells."""
    per_cell = tidy.assign(_n=tidy[COUNTS].sum(axis=1)).groupby(list(PEOPLE))["_n"].max()
    per_cell = per_cell.reset_index()
    return per_cell.groupby(list(by))["_n"].sum() if by else pd.Series({(): per_cell["_n"].sum()})


def naive(
    tidy: pd.DataFrame, by: Sequence[str], protect: Iterable[Mapping[str, str]] = ()
) -> pd.DataFrame:
    """Publish ``tidy`` by ``by`` (+ question) as a naive rule would: every group shown except
    those of 1–4 respondents; groups matching an entry of ``protect`` are hidden as if to
    protect others."""
    by = list(by)
    table = (
        tidy.groupby([*by, "question_id"], as_index=False)[COUNTS].sum()
        if by
        else tidy.groupby("question_id", as_index=False)[COUNTS].sum()
    )
    people = respondents(tidy, by)
    if by:
        index = pd.MultiIndex.from_frame(table[by]) if len(by) > 1 else pd.Index(table[by[0]])
        size = people.reindex(index).to_numpy()
    else:
        size = np.full(len(table), people.iloc[0])
    table[COUNTS] = table[COUNTS].astype("float64")
    small = (size >= 1) & (size <= 4)
    hidden = np.zeros(len(table), dtype=bool)
    for keys in protect:
        if set(keys) <= set(by):
            hidden |= np.logical_and.reduce([table[k].eq(v).to_numpy() for k, v in keys.items()])
    table["respondents_label"] = [
        ("1-4" if s else PROTECTED if h else str(int(n)))
        for s, h, n in zip(small, hidden & ~small, size)
    ]
    table.loc[small | hidden, COUNTS] = np.nan
    return table


def subsets() -> list[list[str]]:
    """Every subset of the people dimensions, in order."""
    return [list(c) for k in range(len(PEOPLE) + 1) for c in itertools.combinations(PEOPLE, k)]


def finding_set(found: Attack) -> set[tuple]:
    """Findings as ``(group items, question, value, count)``."""
    return {
        (tuple(sorted(r.group.items())), r.question_id, r.value, r.count)
        for r in found.findings.itertuples()
    }


def true_counts(truth: pd.DataFrame, found: Attack, tables: Sequence[Published]) -> np.ndarray:
    """The true count of every finding (from the unprotected data, for checking only)."""
    within = {t.name: t.within for t in tables}
    out = []
    for row in found.findings.itertuples():
        mask = truth["question_id"].eq(row.question_id)
        for dim, value in row.group.items():
            mask &= truth[dim].astype(str).eq(value)
        for dim, allowed in within[row.table].items():
            mask &= truth[dim].isin(list(allowed))
        out.append(truth.loc[mask, f"n_{row.value}"].sum())
    return np.array(out, dtype=float)


def report(
    found: Attack,
    tables: Sequence[Published],
    universe: pd.DataFrame,
    participation: pd.DataFrame | None,
    everyone: bool,
) -> str:
    """Why a publication failed: how many pins, the first, and how many remain when the
    ``scale_respondents`` of hidden rows are not read (to tell the two leaks apart)."""
    without = attack(
        tables,
        universe,
        participation,
        every_question_answered=everyone,
        use_scale_respondents=False,
    )
    reader = "everyone answers" if everyone else "skips allowed"
    return (
        f"{reader}: {len(found.findings)} pinned counts ({len(without.findings)} without "
        f"the scale_respondents of hidden rows), first: {found.first()}"
    )


# --- 1. the attacker works ----------------------------------------------------------------------


def test_attacker_pins_a_small_group_by_subtraction():
    """Three providers, one of 3 respondents: every total is shown, so the small provider's
    counts are the totals minus the other two, and the attacker finds each of them."""
    tidy = tidy_table(
        {
            ("1111111-1", "q1"): {"A01": [1, 2, 3, 6, 7, 1], "A02": [0, 1, 5, 7, 6, 1]},
            ("2222222-2", "q1"): {"A01": [1, 0, 0, 0, 2, 0], "A02": [0, 0, 3, 0, 0, 0]},
            ("3333333-3", "q1"): {"A01": [0, 1, 4, 5, 5, 0], "A02": [2, 2, 2, 3, 6, 0]},
        }
    )
    tables = [Published("+".join(by) or "total", naive(tidy, by)) for by in subsets()]
    found = attack(tables, naive(tidy, PEOPLE))
    small = tidy[tidy["y_tunnus"] == "2222222-2"]
    expected = {
        (v, q, float(n))
        for q, counts in zip(small["question_id"], small[COUNTS].to_numpy())
        for v, n in zip(VALUES, counts)
        if n > 0
    }
    got = {(r.value, r.question_id, r.count) for r in found.findings.itertuples()}
    assert got == expected, found.findings
    assert np.array_equal(true_counts(tidy, found, tables), found.findings["count"].to_numpy())
    assert found.targets > 0 and found.lps > 0


def test_attacker_pins_through_the_small_bound():
    """A provider of 8 respondents in two qualifications of 4: its row is shown, both halves are
    hidden. No subtraction separates them, but 8 answers "5" to A01 from two groups of at most
    4 means 4 and 4. A02 (3 × "4", 5 × "5") leaves room, so nothing there is pinned."""
    tidy = tidy_table(
        {
            ("1111111-1", "x"): {"A01": [0, 0, 0, 0, 4, 0], "A02": [0, 0, 0, 2, 2, 0]},
            ("1111111-1", "y"): {"A01": [0, 0, 0, 0, 4, 0], "A02": [0, 0, 0, 1, 3, 0]},
            ("2222222-2", "z"): {"A01": [2, 3, 4, 5, 6, 1], "A02": [1, 3, 5, 6, 5, 1]},
        }
    )
    tables = [Published("+".join(by) or "total", naive(tidy, by)) for by in subsets()]
    found = attack(tables, naive(tidy, PEOPLE))
    pinned = {
        (r.group.get("qualification"), r.question_id, r.value, r.count)
        for r in found.findings.itertuples()
    }
    assert pinned == {("x", "A01", "5", 4.0), ("y", "A01", "5", 4.0)}, found.findings


def test_attacker_pins_through_protected_and_participation():
    """A provider of 6: a cell of 1 (small) and one of 5 hidden to protect it, 6 answers "5".
    Shown alone, the pair could be 0 + 6; the participation count (6 people) and the bounds
    (≥ 1, ≥ 5) force 1 + 5. A reader who knows everyone answers every question needs no
    participation count."""
    tidy = tidy_table(
        {
            ("1111111-1", "x"): {"A01": [0, 0, 0, 0, 1, 0]},
            ("1111111-1", "y"): {"A01": [0, 0, 0, 0, 5, 0]},
            ("2222222-2", "z"): {"A01": [1, 1, 2, 3, 4, 0]},
        }
    )
    protect = [{"y_tunnus": "1111111-1", "qualification": "y"}]
    tables = [
        Published("+".join(by) or "total", naive(tidy, by, protect))
        for by in ([], ["y_tunnus"], list(PEOPLE))
    ]
    finest = tables[-1].frame
    assert finest["respondents_label"].tolist() == ["1-4", PROTECTED, "11"]
    participation = pd.DataFrame(
        {
            "y_tunnus": ["1111111-1", "2222222-2"],
            "period": "2023-24",
            "survey": "aloittaneet",
            "respondents": [6, 11],
        }
    )
    x_pinned = {
        (
            (
                ("period", "2023-24"),
                ("qualification", "x"),
                ("survey", "aloittaneet"),
                ("y_tunnus", "1111111-1"),
            ),
            "A01",
            "5",
            1.0,
        )
    }
    assert finding_set(attack(tables, finest)) == set()
    assert finding_set(attack(tables, finest, participation)) == x_pinned
    assert finding_set(attack(tables, finest, every_question_answered=True)) == x_pinned


def test_attacker_claims_no_pin_that_is_not_there():
    """Two small cells of 2 and 3 in a shown provider of 5, all answering "5": the split can be
    1 + 4 up to 4 + 1, so nothing is pinned, for either reader."""
    tidy = tidy_table(
        {
            ("1111111-1", "x"): {"A01": [0, 0, 0, 0, 2, 0], "A02": [0, 0, 0, 1, 1, 0]},
            ("1111111-1", "y"): {"A01": [0, 0, 0, 0, 3, 0], "A02": [0, 0, 0, 1, 2, 0]},
            ("2222222-2", "z"): {"A01": [2, 3, 4, 5, 6, 1], "A02": [1, 3, 5, 6, 5, 1]},
        }
    )
    tables = [Published("+".join(by) or "total", naive(tidy, by)) for by in subsets()]
    participation = pd.DataFrame(
        {
            "y_tunnus": ["1111111-1", "2222222-2"],
            "period": "2023-24",
            "survey": "aloittaneet",
            "respondents": [5, 21],
        }
    )
    for everyone in (False, True):
        found = attack(tables, naive(tidy, PEOPLE), participation, every_question_answered=everyone)
        assert found.findings.empty, found.first()
        assert found.targets == 2 * 2 * 6  # two small cells × two questions × six values


# --- 2. the dashboard of the demo data ----------------------------------------------------------


def dashboard_tables(demo) -> list[Published]:
    """Everything the demo's dashboard shows for its own scopes, as tables over people, and the
    finest breakdown the kit shows."""
    from kit import feedback, partners
    from kit.workshops.dashboards import dashboard

    cube = dashboard.build(demo, lang="en").cube
    tables = [Published("finest", feedback.summary(demo.feedback, by=FINEST))]
    for scope in partners.ids():  # the partners and "network"; "national" is another data set
        rows = cube[cube["scope"] == scope]
        within = {"y_tunnus": partners.y_tunnukset(scope)}
        tables.append(
            Published(f"{scope}/qualification", rows[rows["qualification"] != "all"], within)
        )
        tables.append(
            Published(
                f"{scope}/all",
                rows[rows["qualification"] == "all"].drop(columns="qualification"),
                within,
            )
        )
    return tables


@pytest.mark.slow
@pytest.mark.parametrize("everyone", [False, True], ids=["skips-allowed", "everyone-answers"])
def test_demo_dashboard_pins_no_small_count(demo, everyone):
    """The cube, the finest breakdown and the participation counts pin no count of a 1–4 group;
    any pin found must be the true count (a check on the attacker)."""
    from kit import feedback, partners

    tables = dashboard_tables(demo)
    # the leak of issue 10 was here: Kiinko × talotekniikka, units completers, 2019-20, P09,
    # pinned to one answer "2" through the bounds; the group is still small, so still a target
    finest = tables[0].frame
    leak = finest[
        (finest["y_tunnus"] == partners.y_tunnukset("kiinko")[0])
        & (finest["qualification"] == "351203")
        & (finest["period"] == "2019-20")
        & (finest["question_id"] == "P09")
        & (finest["survey"] == "tutkinnon_osia_suorittaneet")
    ]
    assert leak["respondents_label"].tolist() == ["1-4"]
    participation = demo.response.rename(columns={"answered": "respondents"})
    participation = participation[["y_tunnus", "period", "survey", "respondents"]]
    found = attack(tables, tables[0].frame, participation, every_question_answered=everyone)
    print(
        f"\nattack: {found.seconds:.1f} s, {found.targets} targets, {found.lps} LPs, "
        f"{found.components} components, {found.variables} unknowns, "
        f"{len(found.findings)} pinned"
    )
    truth = feedback.aggregate(demo.feedback, FINEST)
    assert np.array_equal(true_counts(truth, found, tables), found.findings["count"].to_numpy()), (
        "the attacker pinned a count to a wrong value"
    )
    assert found.findings.empty, report(found, tables, tables[0].frame, participation, everyone)


# --- 3. random data through kit.feedback.summary ------------------------------------------------

PROVIDERS = ["1111111-1", "2222222-2", "3333333-3", "4444444-4"]
PERIODS = ["2022-23", "2023-24"]
SURVEYS = ["tutkinnon_suorittaneet", "tutkinnon_osia_suorittaneet"]  # both the päättökysely
QUALS = ["q1", "q2", "q3", "q4"]
QUESTIONS = ["P01", "P02", "P03"]


@st.composite
def small_data(draw) -> pd.DataFrame:
    """A small tidy table where everyone answers every question; many groups of 1–4."""
    providers = PROVIDERS[: draw(st.integers(2, 4))]
    periods = PERIODS[: draw(st.integers(1, 2))]
    surveys = SURVEYS[: draw(st.integers(1, 2))]
    quals = QUALS[: draw(st.integers(1, 4))]
    questions = QUESTIONS[: draw(st.integers(1, 3))]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    small_share = draw(st.sampled_from([0.2, 0.4, 0.6]))
    rows = []
    for y, p, s, q in itertools.product(providers, periods, surveys, quals):
        if rng.random() < 0.25:
            continue  # not every cell exists
        people = int(rng.integers(1, 5) if rng.random() < small_share else rng.integers(5, 25))
        for question in questions:
            counts = rng.multinomial(people, rng.dirichlet(np.ones(len(COUNTS))))
            rows.append(cell(y, p, s, question, q, counts.tolist()))
    if not rows:
        rows.append(
            {
                "y_tunnus": providers[0],
                "period": periods[0],
                "survey": surveys[0],
                "question_id": questions[0],
                "qualification": quals[0],
                **dict(zip(COUNTS, [1, 0, 0, 0, 0, 0])),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking:
    suppress_health_check=[HealthCheck.too_slow],
)  # each example asks the kit 16 times
@given(tidy=small_data())
def test_summaries_pin_no_small_count(tidy):
    """Every breakdown :func:`kit.feedback.summary` can show (each subset of the people
    dimensions, by question) together pins no count of a 1–4 group."""
    from kit import feedback

    tables = [
        Published("+".join(by) or "total", feedback.summary(tidy, by=[*by, "question_id"]))
        for by in subsets()
    ]
    finest = tables[-1].frame
    for everyone in (False, True):
        found = attack(tables, finest, every_question_answered=everyone)
        truth = feedback.aggregate(tidy, FINEST)
        assert np.array_equal(
            true_counts(truth, found, tables), found.findings["count"].to_numpy()
        ), "a pin at a wrong value"
        assert found.findings.empty, report(found, tables, finest, None, everyone)
