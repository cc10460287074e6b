"""The privacy threshold reaches everything a process has kept.

A kernel keeps what it made: the dashboard model, the work-based learning model, the vote's
snapshot of critical phases, the dashboard app's kept model, the privacy decisions. A
threshold raised inside that process (``privacy.set_threshold`` or a changed
``KIT_PRIVACY_THRESHOLD``) must reach every one of them: nothing made at 5 is served at 10.
"""

from __future__ import annotations

import re

import pandas as pd

from kit import export, feedback, privacy

K = 10
SCALE = [c for c in feedback.COUNTS if c != "n_eos"]


def shown_rows_are_big(frame: pd.DataFrame, what: str) -> int:
    """Every row of ``frame`` that shows figures has at least K people and K answers; no small
    group reads as 1-4. Returns how many rows were shown."""
    assert not frame["respondents_label"].astype(str).eq("1-4").any(), what
    shown = frame[~frame["suppressed"].astype(bool)]
    people = "respondents" if "respondents" in shown else "n"
    assert (shown[people].astype(float) >= K).all(), (what, shown[people].min())
    if set(feedback.COUNTS) <= set(shown.columns):
        assert (shown[feedback.COUNTS].sum(axis=1) >= K).all(), what
        assert (shown[SCALE].sum(axis=1) >= K).all(), what
    return len(shown)


def test_a_raised_threshold_reaches_every_kept_model_snapshot_and_export(small_country):
    from kit.workshops.dashboards import dashboard
    from kit.workshops.self_assessment import assessment, synthetic
    from kit.workshops.work_based_learning import model as wbl
    from kit.workshops.work_based_learning import view as vote

    demo = small_country
    # what warm kernels keep, made at the default threshold
    before = {
        "dashboard": dashboard.build(demo, lang="en"),
        "wbl": wbl.build(lang="en"),
        "app": dashboard.app_model("en"),
        "vote": vote.snapshot(),
    }
    small_at_5 = before["dashboard"].cube["respondents"].between(5, K - 1)
    assert (small_at_5 & ~before["dashboard"].cube["suppressed"]).any()  # shown at 5

    privacy.set_threshold(K)
    try:
        model = dashboard.build(demo, lang="en")
        assert model is not before["dashboard"]
        assert shown_rows_are_big(model.cube, "dashboard cube") > 1000
        assert model.cube["respondents_label"].eq(f"1-{K - 1}").any()
        app = dashboard.app_model("en")
        assert shown_rows_are_big(app.cube, "dashboard app") > 1000
        m = wbl.build(lang="en")
        assert m is not before["wbl"]
        for partner in ("network", "careeria"):
            assert shown_rows_are_big(m.questions(partner), f"wbl {partner}") > 0
        # the vote's snapshot of critical phases is made again, from the model at K
        critical = {r.phase for r in m.phases("network").itertuples() if r.critical}
        snap = vote.snapshot()
        assert snap is not before["vote"] and critical
        assert {p for p, rank in snap["critical"]["network"].items() if rank} == critical
        tables = export.tables(demo)
        assert shown_rows_are_big(tables["feedback"], "export feedback") > 100
        # official participation (response rates, correction factors) is shown as published
        official = set(
            tables["indicator"].loc[tables["indicator"]["source"] == "official", "indicator"]
        )
        values = tables["indicator_value"]
        labels = values.loc[~values["indicator"].isin(official), "respondents_label"].astype(str)
        assert not labels.eq("1-4").any()
        numbers = pd.to_numeric(labels.where(labels.str.fullmatch(r"\d+")), errors="coerce")
        assert (numbers.dropna() >= K).all()
        responses = synthetic.demo_store().responses()
        groups = assessment.groups(responses)
        assert (groups.loc[groups["shown"], "n"].astype(float) >= K).all()
        assert re.fullmatch(rf"1-{K - 1}", privacy.small_label())
    finally:
        privacy.set_threshold(None)
