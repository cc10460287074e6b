"""Workshop 4: the process, the critical points, working-life feedback and money, the lost
feedback, the material register, the room's vote and the report notebook.

Formulas are checked against examples worked by hand from the rules in
``../shared/domain/wbl-anticipation.md`` (A2.3, A2.5).
"""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest

from kit import i18n, paths, privacy
from kit.errors import KitInputError
from kit.workshops.work_based_learning import checks, critical, materials, money, work_periods
from kit.workshops.work_based_learning import phases as phase_data
from kit.workshops.work_based_learning.votes import VoteStore
from tests.conftest import Ran, write_csv


def row(text: str) -> list[str]:
    """One row of a work-period list, its cells written between commas."""
    return text.split(",")


HEADER = row(
    "yksiloiva-tunniste,hoks-id,koulutustoimija,osaamisen-hankkimistapa-koodi-uri,alku,loppu,osa-aikaisuustieto,vastuullinen-tyopaikka-ohjaaja.sahkoposti,vastuullinen-tyopaikka-ohjaaja.puhelinnumero,keskeytymisajanjaksot,tallennettu,vastattu"
)
KS = "osaamisenhankkimistapa_koulutussopimus"


def periods_file(tmp_path, rows, name="jaksot.csv"):
    return write_csv(tmp_path / name, [HEADER, *rows], ";")


# --- durations and the correction factor, by hand -------------------------------------------


def test_duration_counts_calendar_days_without_interruptions_and_shares_overlaps(tmp_path):
    path = periods_file(
        tmp_path,
        [
            # 1.–30.9.: 30 days, minus 10.–14.9. (5 days) = 25
            row(
                f"J1,H1,2918298-7,{KS},2024-09-01,2024-09-30,100,a@x.fi,,2024-09-10/2024-09-14,2024-08-01,kyllä"
            ),
            # the same student, two jaksot 1.–10.10. in parallel: 10 days shared → 5 each
            row(f"J2,H2,2918298-7,{KS},2024-10-01,2024-10-10,100,b@x.fi,,,2024-08-01,ei"),
            row(f"J3,H2,2918298-7,{KS},2024-10-01,2024-10-10,50,,040123,,2024-08-01,kyllä"),
            # 6.–15.10. overlaps J4's 1.–10.10.? no: another student, all 10 days its own
            row(f"J4,H3,2918298-7,{KS},2024-10-06,2024-10-15,100,c@x.fi,,,2024-08-01,kyllä"),
        ],
    )
    frame = work_periods.read(path)
    assert list(work_periods.durations(frame)) == [25.0, 5.0, 5.0, 10.0]


def test_duration_weighted_share_and_factor_match_hand_computed_examples():
    # 30 + 10 answered days of 100: 0.4; 2024-25 rule: 1/0.6 + 2.0 × 0.2 = 2.0666…
    share = money.response_share([30, 60, 10], [True, False, True])
    assert share == pytest.approx(0.4)
    assert work_periods.correction_factor(share, "2024-25") == pytest.approx(1 / 0.6 + 0.4)
    # 84 of 140 days = 0.6 in 2022-23: below 0.7, so 1/0.7 + 2.04 × 0.1 = 1.632857…
    share = money.response_share([14, 28, 42, 56], [False, True, False, True])
    assert share == pytest.approx(0.6)
    assert work_periods.correction_factor(share, "2022-23") == pytest.approx(1 / 0.7 + 0.204)
    # 0.75 from 2024-25: 1/0.75; 25/150 in 2021-22 (≤ 0.2): 857/350
    assert work_periods.correction_factor(0.75, "2024-25") == pytest.approx(4 / 3)
    assert work_periods.correction_factor(25 / 150, "2021-22") == pytest.approx(857 / 350)
    # a head count would say 1/3 answered, the days say 0.4: long jaksot weigh more
    assert money.response_share([30, 60, 10], [True, False, True]) != pytest.approx(2 / 3)


def test_points_are_answers_times_days_and_a_copied_yrittaja_jakso_counts_nine_eighths():
    # eight funding answers 4,5,3,4,4,5,None (eos),4 = 29, over a 42-day jakso: 1218
    assert money.points([4, 5, 3, 4, 4, 5, None, 4], 42) == pytest.approx(29 * 42)
    assert money.points([4] * 8, 10, copied_yrittaja=True) == pytest.approx(32 * 10 * 9 / 8)


def test_response_share_of_a_list_goes_by_funding_period_and_provider(tmp_path):
    path = periods_file(
        tmp_path,
        [
            row(f"J1,H1,2918298-7,{KS},2024-09-01,2024-09-30,100,a@x.fi,,,2024-08-01,kyllä"),
            row(f"J2,H2,2918298-7,{KS},2024-10-01,2024-12-09,100,b@x.fi,,,2024-08-01,ei"),
            row(f"J3,H3,2918298-7,{KS},2025-07-01,2025-07-10,100,c@x.fi,,,2025-06-01,kyllä"),
        ],
    )
    table = work_periods.response_share(
        work_periods.assess(work_periods.read(path), dt.date(2026, 1, 1))
    )
    first = table[table["period"] == "2024-25"].iloc[0]
    assert (first["target_days"], first["answered_days"]) == (100, 30)  # 30 + 70 days
    assert first["share"] == pytest.approx(0.3)
    assert first["correction_factor"] == pytest.approx(1 / 0.6 + 2.0 * 0.3)
    assert table[table["period"] == "2025-26"]["share"].iloc[0] == 1.0


def test_what_if_above_the_threshold_more_answers_bring_nothing_below_they_do():
    # at 0.8 the factor 1/share evens more answers out exactly
    above = money.what_if(0.8, 1000.0, 4.0, "2024-25", "tyopaikkaohjaajakysely", 1e6)
    assert above.set_index("change").at["share", "points"] == pytest.approx(0.0, abs=1e-9)
    # at 0.4: raw = 1000 / f(0.4); with 0.45: f(0.45) × raw × 0.45/0.4 − 1000
    f = lambda s: 1 / 0.6 + 2.0 * (0.6 - s)  # noqa: E731
    want = f(0.45) * (1000 / f(0.4)) * 0.45 / 0.4 - 1000
    below = money.what_if(0.4, 1000.0, 4.0, "2024-25", "tyopaikkaohjaajakysely", 1e6)
    assert below.set_index("change").at["share", "points"] == pytest.approx(want)
    # euros: the 0.75 % pool × Δ / all points; +0.1 on a mean of 4.0 is +2.5 %
    row = below.set_index("change").loc["mean"]
    assert row["points"] == pytest.approx(25.0)
    assert row["euros"] == pytest.approx(0.0075 * 2.09e9 * 25.0 / 1e6)
    assert row["pool"] == pytest.approx(0.0075 * 2.09e9)


# --- where feedback is lost ------------------------------------------------------------------


def test_exclusion_rules_name_the_jaksot_to_fix(tmp_path):
    path = periods_file(
        tmp_path,
        [
            row(f"J1,H1,2918298-7,{KS},2024-09-01,2024-09-30,100,a@x.fi,,,2024-08-01,kyllä"),
            row(f"J2,H2,2918298-7,{KS},2024-09-01,,100,b@x.fi,,,2024-08-01,"),
            row(f"J3,H3,2918298-7,{KS},2024-09-01,2024-09-30,100,,,,2024-08-01,"),
            row(f"J4,H4,2918298-7,{KS},2024-09-01,2024-09-30,,d@x.fi,,,2024-08-01,"),
            row(f"J5,H5,2918298-7,{KS},2024-09-01,2024-09-30,100,e@x.fi,,,2024-09-30,"),
            row(
                f"J6,H6,2918298-7,{KS},2024-09-01,2024-09-30,100,f@x.fi,,2024-09-01/2024-09-30,2024-08-01,"
            ),
            row(f"J7,H7,2918298-7,{KS},2022-09-01,2022-09-30,,g@x.fi,,,2022-08-01,ei"),
            row(f"J8,H8,2918298-7,{KS},2026-09-01,2026-12-31,100,h@x.fi,,,,"),
        ],
    )
    assessed = work_periods.assess(work_periods.read(path), dt.date(2026, 10, 1))
    fixes = work_periods.to_fix(assessed).set_index("yksiloiva_tunniste")["reason"].to_dict()
    # J7 ended before 1.7.2023, when part-time information was not yet required; J8 runs
    assert fixes == {
        "J2": "no_end",
        "J3": "no_contact",
        "J4": "no_part_time",
        "J5": "saved_late",
        "J6": "interrupted",
    }
    stages = work_periods.feedback_stages(assessed).set_index("stage")["jaksot"].to_dict()
    assert stages == {"ended": 7, "contact": 6, "created": 2, "answered": 1}


@pytest.mark.parametrize(
    "broken,column,words",
    [
        (
            row(f"J1,H1,2918298-7,{KS},2024-09-30,2024-09-01,100,a@x.fi,,,,"),
            "loppu",
            "before it starts",
        ),
        (
            row(f"J1,H1,2918298-7,{KS},2024-09-01,2024-09-30,140,a@x.fi,,,,"),
            "osa-aikaisuustieto",
            "between 1 and 100",
        ),
        (
            row("J1,H1,2918298-7,osaamisenhankkimistapa_x,2024-09-01,2024-09-30,100,a@x.fi,,,,"),
            "osaamisen-hankkimistapa-koodi-uri",
            None,
        ),
        (
            row(f"J1,H1,2918298-7,{KS},2024-09-01,2024-09-30,100,a@x.fi,,1.9.2024,,"),
            "keskeytymisajanjaksot",
            "2024-03-01/2024-03-10",
        ),
    ],
)
def test_a_broken_work_period_list_is_one_line_naming_file_row_and_column(
    tmp_path, broken, column, words
):
    good = row(f"J0,H0,2918298-7,{KS},2024-09-01,2024-09-30,100,a@x.fi,,,,")
    path = periods_file(tmp_path, [good, broken])
    i18n.set_language("en")
    try:
        with pytest.raises(KitInputError) as info:
            work_periods.read(path)
    finally:
        i18n.set_language("fi")
    text = info.value.message("en")
    assert "\n" not in text and "jaksot.csv" in text and "row 3" in text and column in text
    if words:
        assert words in text


# --- the process and the register ---------------------------------------------------------------


def test_the_bundled_phases_are_seven_with_actors_and_every_mapped_question_once():
    process = phase_data.load()
    assert process.ids() == [f"P{i}" for i in range(1, 8)]
    pairs = process.questions()
    assert not pairs["question_id"].duplicated().any() and len(pairs) >= 20
    assert set(process.actors()["actor"]) == set(phase_data.ACTORS)
    assert not process.own()  # the mapping is the kit's judgement, and says so


@pytest.mark.parametrize(
    "edit,column,words",
    [
        (("P2", "questions", "TPK06;X99"), "questions", "X99"),
        (("P2", "questions", "TPK06;A01"), "questions", "A01"),  # aloituskysely: not a phase's
        (("P3", "questions", "TPO03;TPK06"), "questions", "TPK06"),  # already in P2
        (("P4", "actors", "teacher;boss"), "actors", "boss"),
    ],
)
def test_a_broken_phases_file_is_one_line(tmp_path, edit, column, words):
    frame = pd.read_csv(paths.data_dir() / "wbl_phases.csv", dtype=str, keep_default_na=False)
    phase, col, value = edit
    frame.loc[frame["id"] == phase, col] = value
    bad = tmp_path / "phases.csv"
    frame.to_csv(bad, index=False)
    row = int(frame.index[frame["id"] == phase][0]) + 2
    with pytest.raises(KitInputError) as info:
        phase_data.load(bad)
    text = info.value.message("en")
    assert "phases.csv" in text and f"row {row}" in text and f'"{column}"' in text and words in text


def test_a_broken_register_is_one_line(tmp_path):
    frame = pd.read_csv(paths.data_dir() / "wbl_materials.csv", dtype=str, keep_default_na=False)
    frame.loc[3, "next_review"] = "2020-01-01"  # before its last review
    bad = tmp_path / "register.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(KitInputError) as info:
        materials.load(bad)
    text = info.value.message("en")
    assert "register.csv" in text and "row 5" in text and "next_review" in text
    frame.loc[3, "next_review"] = ""
    frame.loc[3, "phase"] = "P9"
    frame.to_csv(bad, index=False)
    with pytest.raises(KitInputError) as info:
        materials.load(bad)
    assert "row 5" in info.value.message("en") and "P9" in info.value.message("en")


def test_material_states_on_a_given_day():
    process = phase_data.load()
    register = materials.load(None, process)
    judged = materials.status(register, dt.date(2026, 12, 2)).set_index("id")
    assert judged.at["M01", "state"] == "current"
    assert judged.at["M06", "state"] == "out_of_date"  # next review 2024-09-01 has passed
    assert judged.at["M08", "state"] == "out_of_date" and "owner" in judged.at["M08", "why"]
    assert judged.at["M12", "state"] == "incomplete"  # no next review date
    gaps = materials.gaps(register, process, dt.date(2026, 12, 2))
    missing = gaps[gaps["state"] == "missing"][["phase", "audience"]].values.tolist()
    assert missing == [["P7", "assessor"]]
    review = materials.review_list(register, process, dt.date(2026, 12, 2))
    assert set(review["state"]) == {"out_of_date", "incomplete", "missing"}
    # a day before M06 was due, it was current
    assert (
        materials.status(register, dt.date(2024, 8, 1)).set_index("id").at["M06", "state"]
        == "current"
    )


# --- critical points, protected -----------------------------------------------------------------


@pytest.fixture(scope="module")
def wbl(demo):
    from kit.workshops.work_based_learning import model

    return model.build(demo, lang="en", today=dt.date(2026, 12, 2))


def test_critical_points_come_from_protected_figures_and_say_so_in_words(wbl):
    table = wbl.questions("taitotalo")
    shown = table[~table["suppressed"].astype(bool)]
    assert (shown["respondents"] >= privacy.threshold()).all()
    hidden = table[table["suppressed"].astype(bool)]
    assert hidden[["mean", "low_share", "priority"]].isna().all().all()
    assert shown["priority"].sum() == pytest.approx(100)
    ranked = wbl.phases("taitotalo")
    assert ranked["critical"].sum() == critical.TOP
    lowest = ranked.dropna(subset=["score"]).nsmallest(critical.TOP, "score")["phase"]
    assert set(lowest) == set(ranked.loc[ranked["critical"], "phase"])
    words = wbl.ranking("taitotalo")
    for phase in lowest:
        assert wbl.process.name(phase, "en") in words


def test_the_instructor_knowing_the_hoks_goals_is_the_demos_typical_weak_point(wbl):
    table = wbl.questions("network").set_index("question_id")
    tpo = table[table["kysely"] == "tyopaikkaohjaajakysely"]["mean"].astype(float)
    assert tpo.idxmin() == "TPO06"


def test_duration_weighted_points_equal_the_answers_days_summed(wbl, demo):
    from kit import feedback

    pts = money.survey_points(wbl.tidy, "kiinko").set_index(["period", "survey"])
    row = pts.loc[("2024-25", "tyopaikkaohjaajakysely")]
    # by hand from the tidy form: Σ value × days over Kiinko's funding questions
    ids = money.questions.funding_questions("tyopaikkaohjaajakysely")
    rows = wbl.tidy[
        (wbl.tidy["y_tunnus"] == "0774302-6")
        & (wbl.tidy["period"] == "2024-25")
        & (wbl.tidy["survey"] == "tyopaikkaohjaajakysely")
        & wbl.tidy["question_id"].isin(ids)
    ]
    want = sum(v * rows[f"days_{v}"].astype(float).sum() for v in range(1, 6))
    assert row["points"] == pytest.approx(want)
    assert list(wbl.tidy[feedback.COUNTS].sum()) == list(demo.feedback[feedback.COUNTS].sum())


def test_money_table_uses_the_days_share_for_the_instructor_survey(wbl):
    m = wbl.money("kiinko").set_index("survey")
    tpo = m.loc["tyopaikkaohjaajakysely"]
    assert tpo["share_basis"] == "days"
    listed = work_periods.response_share(wbl.my_periods("kiinko"))
    share = listed[listed["period"] == tpo["period"]]["share"].iloc[0]
    assert tpo["share"] == pytest.approx(share)
    assert tpo["factor"] == pytest.approx(work_periods.correction_factor(share, tpo["period"]))
    assert m.loc["tyopaikkakysely", "factor"] == 1.0  # no correction for the työpaikkakysely


def test_feedback_stages_of_the_demo_list_loses_jaksot_at_every_stage(wbl):
    f = wbl.feedback_stages("careeria").set_index("stage")["jaksot"]
    assert f["ended"] > f["contact"] > f["created"] > f["answered"] > 0
    assert set(wbl.to_fix("careeria").columns) >= {"yksiloiva-tunniste", "hoks-id"}
    assert "tyopaikan_nimi" not in wbl.periods.columns  # no workplace is named


def test_actions_and_review_list_export_and_an_edited_plan_is_kept(wbl, tmp_path):
    import openpyxl

    written = wbl.export("sdo")
    assert any(p.endswith("actions_sdo.xlsx") for p in written)
    target = paths.reports_dir() / "work_based_learning" / "actions_sdo.xlsx"
    book = openpyxl.load_workbook(target)
    book.active["B2"] = "Meidän oma toimenpide"
    book.save(target)
    again = wbl.export("sdo")
    assert any(p.endswith("actions_sdo.new.xlsx") for p in again)
    assert openpyxl.load_workbook(target).active["B2"].value == "Meidän oma toimenpide"


# --- the vote ---------------------------------------------------------------------------------

PHASES = [f"P{i}" for i in range(1, 8)]


def test_ballots_are_checked_and_a_bad_one_stores_nothing(tmp_path):
    store = VoteStore(tmp_path / "votes.sqlite3", PHASES)
    store.cast(["P4", "P6", "p7"])
    for bad in (["P4", "P4"], ["P1", "P2", "P3", "P4"], [], ["P9"], "P4"):
        with pytest.raises(KitInputError):
            store.cast(bad)
    assert store.count() == 1
    store.close_round()
    with pytest.raises(KitInputError) as info:
        store.cast(["P1"])
    assert "closed" in info.value.message("en") and store.count() == 1


def test_a_room_votes_at_once_and_the_tally_moves_only_in_steps_of_five(tmp_path):
    store = VoteStore(tmp_path / "votes.sqlite3", PHASES)
    picks = [["P4", "P6", "P7"], ["P4", "P2"], ["P1"], ["P4", "P5", "P6"]]
    threads = [threading.Thread(target=store.cast, args=(picks[i % 4],)) for i in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert store.count() == 12
    before = VoteStore(tmp_path / "votes.sqlite3", PHASES).tally()
    assert before["voters"] == 0 and store.result() == []
    store.advance()
    state = store.tally()
    assert state["voters"] == 12 and state["votes"]["P4"] == 9 and state["waiting"] == 0
    for p in (["P1"], ["P2"], ["P3"], ["P3"]):
        store.cast(p)
        store.advance()
        assert store.tally()["voters"] == 12  # four new voters: not yet
    store.cast(["P3"])
    store.advance()
    assert store.tally()["voters"] == 17
    result = store.result({"P4": "Preparing"})
    assert result[0]["phase"] == "P4" and result[0]["votes"] == 9 and result[0]["voters"] == 17


def test_the_vote_view_sends_up_to_three_and_clears_for_the_next_person(tmp_path):
    from kit.workshops.work_based_learning import view

    phases = {
        "ids": PHASES,
        "names": {lang: {p: p for p in PHASES} for lang in i18n.LANGS},
        "critical": {"network": {"P4": 1}},
    }
    store = VoteStore(tmp_path / "votes.sqlite3", PHASES)
    v = view.VoteView(store, phases, "network", "en")
    for p in ("P1", "P2", "P3", "P4"):
        v.buttons[p].value = True
    assert v.chosen() == ["P1", "P2", "P3"] and "At most 3" in v.message.value
    assert v.submit() and store.count() == 1 and v.chosen() == []
    assert not v.submit()  # nothing picked: refused, nothing stored
    assert store.count() == 1
    v.buttons["P5"].value = True
    assert v.submit() and store.count() == 1  # the same person again: the ballot changes
    assert store.tally()["waiting"] == 1
    v.start_over()  # "next person on this device": a new participant
    v.buttons["P6"].value = True
    assert v.submit() and store.count() == 2 and store.status()["joined"] == 2
    v.relabel("sv")
    assert v.send.description == i18n.t("wbl.vote_send", "sv")
    assert "critical 1" in v.buttons["P4"].description or "kritisk 1" in v.buttons["P4"].description


# --- the exercises' checks ------------------------------------------------------------------------


def test_exercise_checks_pass_the_rules_and_fail_a_head_count():
    def by_heads(kesto, answered, period):
        share = sum(answered) / len(answered)
        return share, float(work_periods.correction_factor(share, period))

    def right(kesto, answered, period):
        share = money.response_share(kesto, answered)
        return share, float(work_periods.correction_factor(share, period))

    assert checks.tep_factor(right).passed
    assert not checks.tep_factor(by_heads).passed
    assert not checks.low_share(lambda c: (c.get("1", 0) + c.get("2", 0)) / sum(c.values())).passed


@pytest.mark.slow
@pytest.mark.xdist_group("kit_demo")
def test_report_notebook_for_taitotalo(demo_run):
    """The done-when run, as ``kit demo`` ran it: the process chart with its critical points,
    the money table, the feedback stages, the review list and the action table, for
    Taitotalo."""
    folder = demo_run.reports / "work_based_learning"
    ran = Ran(folder / "taitotalo_en.ipynb")
    assert not ran.errors
    assert ran.images >= 1
    for key in ("ws4.process", "ws4.hurts", "ws4.money", "ws4.lost", "ws4.material", "ws4.actions"):
        assert i18n.t(key, "en").splitlines()[0].lstrip("# ") in ran.text
    assert "critical points" in ran.text and "Correction factor" in ran.text
    assert "Survey created" in ran.text and "Out of date" in ran.text
    assert "SYNTHETIC" in ran.text and "DEMO: the guidance-material register" in ran.text
    assert (folder / "process_taitotalo.png").exists() and (
        folder / "process_taitotalo.svg"
    ).exists()
    assert (folder / "actions_taitotalo.xlsx").exists() and (folder / "review_list.xlsx").exists()
