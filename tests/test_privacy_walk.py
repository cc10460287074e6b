"""One privacy walk over every registered workshop that reads a data set: its report records
(``headline`` for every partner and the network) and the Power BI export, on a data set with a
planted partner whose every group has 1–4 people.

The walk knows nothing of the workshops beyond the model's one shape. It builds each model twice:
on the planted data set and on a twin in which the small partner's answers are mirrored (1↔5,
2↔4: the same people, the same counts, other results). Then:

* **Nothing of the small partner appears.** Every figure of its own records and rows is the
  same in both twins (participation, the same in both by construction, may be shown as
  published); any result of a group of 1–4 would differ. (Which cells the privacy step hides
  may differ between the twins; a value shown in both may not.)
* **Nothing is one subtraction away.** A network figure may differ between the twins (the
  network holds the small partner), but only while at least one other partner's same figure is
  hidden: otherwise network minus the others would give the small partner back.

A new workshop whose ``build`` takes a data set is walked without this file being edited.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math

import pandas as pd
import pytest

from kit import datasets, export, partners, workshops

SMALL = "sdo"  # the planted partner: every group of its has three people
#: its three people per question, and their mirrored twins
PLANTED = {"n_1": 1, "n_2": 0, "n_3": 0, "n_4": 1, "n_5": 1, "n_eos": 0}
MIRRORED = {"n_1": 1, "n_2": 1, "n_3": 0, "n_4": 0, "n_5": 1, "n_eos": 0}


def planted(demo: datasets.Dataset, counts: dict[str, int], name: str) -> datasets.Dataset:
    """The demo's last period, with the small partner reduced to one qualification and
    three answers to every question."""
    keep = sorted(demo.feedback["period"].unique())[-1:]
    fb = demo.feedback[demo.feedback["period"].isin(keep)].copy()
    mine = fb["y_tunnus"].isin(partners.y_tunnukset(SMALL))
    firsts = fb[mine].groupby(["period", "survey"])["qualification"].min().to_dict()
    first = pd.Series([firsts.get(k) for k in zip(fb["period"], fb["survey"])], index=fb.index)
    fb = fb[~mine | (fb["qualification"] == first)].copy()
    mine = fb["y_tunnus"].isin(partners.y_tunnukset(SMALL))
    for column, value in counts.items():
        fb.loc[mine, column] = value
    response = demo.response[demo.response["period"].isin(keep)]
    return dataclasses.replace(
        demo, name=name, feedback=fb.reset_index(drop=True), response=response
    )


def data_workshops() -> list[workshops.Workshop]:
    """The registered workshops whose model is built from a data set."""
    found = []
    for w in workshops.REGISTRY:
        build = importlib.import_module(w.model).build
        if "Dataset" in str(inspect.signature(build).parameters["dataset"].annotation):
            found.append(w)
    return found


def leaves(node: object, path: str = "") -> dict[str, object]:
    """A JSON record flattened: path → value."""
    if isinstance(node, dict):
        return {
            k: v for key, value in node.items() for k, v in leaves(value, f"{path}/{key}").items()
        }
    if isinstance(node, list):
        return {
            k: v for i, value in enumerate(node) for k, v in leaves(value, f"{path}[{i}]").items()
        }
    return {path: node}


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def hidden(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@pytest.fixture(scope="module")
def twins(demo):
    return planted(demo, PLANTED, "planted"), planted(demo, MIRRORED, "mirrored")


def test_the_walk_finds_a_workshop_and_the_planted_partner_is_small(twins):
    assert data_workshops(), "no registered workshop reads a data set"
    data, _ = twins
    mine = data.feedback[data.feedback["y_tunnus"].isin(partners.y_tunnukset(SMALL))]
    answers = mine[list(PLANTED)].sum(axis=1)
    assert len(mine) and (answers == 3).all()


@pytest.mark.slow
@pytest.mark.parametrize("workshop", data_workshops(), ids=lambda w: w.name)
def test_no_report_record_shows_or_gives_back_the_small_partner(twins, workshop):
    module = importlib.import_module(workshop.model)
    models = [module.build(d, lang="en") for d in twins]
    records = {
        p: [leaves(module.headline(m, p)) for m in models]
        for p in partners.ids()  # every partner and the network
    }
    first, second = records[SMALL]
    assert first.keys() == second.keys()
    leaked = [k for k in first if not same(first[k], second[k])]
    assert not leaked, f"{workshop.name}: {SMALL}'s record differs at {leaked[:5]}"
    net_first, net_second = records[partners.NETWORK]
    others = [p for p in partners.ids(include_network=False) if p != SMALL]
    for key in net_first:
        if same(net_first[key], net_second.get(key)):
            continue
        complements = [records[p][0].get(key) for p in others]
        assert any(hidden(v) for v in complements), (
            f"{workshop.name}: the network's {key} moves with {SMALL}'s answers while every "
            "other partner's is shown"
        )


@pytest.mark.slow
def test_no_export_row_shows_or_gives_back_the_small_partner(twins):
    first, second = (export.tables(d) for d in twins)
    assert first.keys() == second.keys()
    for name in first:
        if name in ("about", "dictionary"):
            continue
        a, b = first[name], second[name]
        assert list(a.columns) == list(b.columns) and len(a) == len(b), name
        numbers = [
            c
            for c in a.columns
            if pd.api.types.is_numeric_dtype(a[c]) and not pd.api.types.is_bool_dtype(a[c])
        ]
        keys = [c for c in a.columns if c not in numbers and c != "respondents_label"]
        keys = [c for c in keys if not pd.api.types.is_bool_dtype(a[c])]
        # a row hidden in one twin and shown in the other differs in the pattern of what is
        # hidden, not in a shown value; a row shown in both must show the same there
        shown = a[numbers].notna().any(axis=1) & b[numbers].notna().any(axis=1)
        equal = (a[numbers].eq(b[numbers]) | (a[numbers].isna() & b[numbers].isna())).all(axis=1)
        moved = shown & ~equal
        scope = next((c for c in ("scope", "partner", "y_tunnus") if c in a.columns), None)
        for row in a.index[moved]:
            where = a.at[row, scope] if scope else None
            assert where == partners.NETWORK, (name, a.loc[row, keys].to_dict())
            same_keys = [k for k in keys if k != scope]
            peers = a[(a[same_keys] == a.loc[row, same_keys]).all(axis=1) & (a[scope] != where)]
            peers = peers[peers[scope] != SMALL]
            assert peers[numbers].isna().any(axis=1).any(), (name, a.loc[row, keys].to_dict())
