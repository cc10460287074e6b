"""The tidy form: both input formats give the same counts, and statistics derive exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kit import datasets, feedback, loader, paths

PERIOD = "2020-21"


@pytest.fixture(scope="module")
def raw(demo):
    """The Arvo-style answers of one period, as typed by the loader."""
    return loader.read(paths.demo_dir() / "answers" / f"opiskelijapalaute_{PERIOD}.csv").frame


def test_answers_and_aggregate_load_into_the_same_tidy_form(raw, demo):
    from_answers = feedback.from_answers(raw)
    from_aggregate = demo.feedback[
        (demo.feedback["period"] == PERIOD)
        & demo.feedback["survey"].isin(from_answers["survey"].unique())
    ]
    pd.testing.assert_frame_equal(
        from_answers.reset_index(drop=True), from_aggregate.reset_index(drop=True)
    )


def test_means_and_sds_match_the_raw_answers(raw):
    tidy = feedback.from_answers(raw)
    table = feedback.describe(feedback.aggregate(tidy, ["y_tunnus", "survey"]))
    values = raw[raw["numerovalinta"] != "eos"].assign(v=lambda d: d["numerovalinta"].astype(int))
    direct = values.groupby(["koulutustoimija", "kyselypohja_tarkenne"])["v"].agg(
        mean="mean", sd=lambda s: s.std(ddof=0)
    )
    for _, row in table.iterrows():
        mean, sd = direct.loc[(row["y_tunnus"], row["survey"])]
        assert row["mean"] == pytest.approx(mean, abs=1e-12)
        assert row["sd"] == pytest.approx(sd, abs=1e-12)


def test_respondents_are_people_not_answers(raw):
    tidy = feedback.from_answers(raw)
    table = feedback.aggregate(tidy, ["y_tunnus", "survey"])
    people = raw.groupby(["koulutustoimija", "kyselypohja_tarkenne"])["vastaajatunnus"].nunique()
    for _, row in table.iterrows():
        assert row["respondents"] == people.loc[(row["y_tunnus"], row["survey"])]
        assert row["answers"] > row["respondents"]


def test_distribution_shares(raw):
    tidy = feedback.from_answers(raw)
    table = feedback.describe(feedback.aggregate(tidy, ["question_id"]))
    shares = table[[f"p_{v}" for v in range(1, 6)]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    a01 = raw[raw["kysymysid"] == "A01"]["numerovalinta"]
    row = table.set_index("question_id").loc["A01"]
    assert row["p_eos"] == pytest.approx((a01 == "eos").mean())
    assert row["p_5"] == pytest.approx((a01 == "5").sum() / (a01 != "eos").sum())


def test_confidence_interval_of_one_question_is_students_t(raw):
    tidy = feedback.from_answers(raw)
    one = tidy[tidy["question_id"] == "A16"]
    row = feedback.describe(feedback.aggregate(one, ["question_id"])).iloc[0]
    values = raw[(raw["kysymysid"] == "A16") & (raw["numerovalinta"] != "eos")][
        "numerovalinta"
    ].astype(int)
    low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert row["ci_low"] == pytest.approx(low, rel=1e-9)
    assert row["ci_high"] == pytest.approx(high, rel=1e-9)


def test_aggregation_over_any_dimension_keeps_the_counts(demo):
    total = demo.feedback[feedback.COUNTS].to_numpy().sum()
    for by in (["y_tunnus"], ["period", "survey"], ["qualification"], ["question_id"], []):
        table = feedback.aggregate(demo.feedback, by)
        assert table[feedback.COUNTS].to_numpy().sum() == total, by


def test_summary_selects_questions_and_periods(demo):
    a16 = feedback.summary(demo.feedback, by=["period"], select={"question_id": "A16"})
    assert a16["period"].tolist() == sorted(demo.feedback["period"].unique())
    two = feedback.summary(demo.feedback, by=["period"], select={"period": ["2019-20", "2020-21"]})
    assert two["period"].tolist() == ["2019-20", "2020-21"]
    # pooled over every period of one survey: shown, since each period's part is shown
    whole = feedback.summary(demo.feedback, select={"survey": "aloittaneet"})
    assert len(whole) == 1 and whole["respondents"].iloc[0] > 10_000


def test_combine_adds_counts():
    row = {
        "y_tunnus": "x",
        "period": "2020-21",
        "survey": "aloittaneet",
        "question_id": "A01",
        "qualification": "q",
        **{c: 1 for c in feedback.COUNTS},
    }
    once = pd.DataFrame([row])
    both = feedback.combine([once, once])
    assert both[feedback.COUNTS].iloc[0].tolist() == [2] * 6


def test_aggregate_file_with_suppressed_rows(tmp_path, demo):
    """A Vipunen export with "1-4" rows loads; those rows are left out and counted."""
    agg = feedback.to_aggregate(demo.feedback.head(20)).astype({"vastaajia": "object"})
    agg.loc[0, "vastaajia"] = "1-4"
    for v in ("1", "2", "3", "4", "5", "eos"):
        agg[f"vastaus_{v}"] = agg[f"vastaus_{v}"].astype("object")
        agg.loc[0, f"vastaus_{v}"] = ""
    path = tmp_path / "vipunen.csv"
    agg.to_csv(path, index=False, sep=";")
    tidy, suppressed = loader.to_feedback(loader.read(path))
    assert suppressed == 1 and len(tidy) == 19


def test_dataset_is_labelled_and_shows_no_figures(demo):
    assert demo.synthetic
    assert "SYNTHETIC" in demo.label("en") and "SYNTEETTINEN" in demo.label("fi")
    assert "SYNTETISKA" in demo.label("sv")
    html = demo._repr_html_()
    assert "SYNTEETTINEN" in html or "SYNTHETIC" in html
    reference = datasets.load("reference")
    assert not reference.synthetic and "Vipunen" in reference.label("en")
    assert len(reference.providers) == 154
