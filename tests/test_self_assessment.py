"""Workshop 2: criteria as data, the response store under load and failure, malformed
responses, spreadsheets in and out, and the privacy of the analysis."""

from __future__ import annotations

import multiprocessing as mp
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit import partners
from kit.errors import KitInputError
from kit.workshops.self_assessment import assessment, spreadsheet, synthetic, view
from kit.workshops.self_assessment import criteria as criteria_module
from kit.workshops.self_assessment import store as selfassess
from tests.conftest import write_csv

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def criteria():
    return criteria_module.load_criteria()


def good(assessor: str = "A", partner: str = "spesia", role: str = "self", **extra) -> dict:
    return {
        "partner": partner,
        "role": role,
        "assessor": assessor,
        "ratings": {
            "JOH1": {"level": 2, "evidence": "plan", "idea": "meet monthly"},
            "JAR3": {"level": 3, "confidence": 2},
        },
        **extra,
    }


# --- criteria -----------------------------------------------------------------------------------


def test_criteria_have_ids_names_levels_and_framework_links(criteria):
    assert criteria["id"].is_unique and len(criteria) >= 12
    for lang in ("fi", "sv", "en"):
        assert criteria[f"name_{lang}"].str.len().gt(0).all()
        for level in range(5):
            assert criteria[f"level_{level}_{lang}"].str.len().gt(10).all()
    assert criteria["peer_review"].str.contains("PR").all()
    assert set(criteria["wording"]) == {"kit"}  # the kit's own paraphrase, and says so
    own = criteria.set_index("id")
    assert own.loc["TUL1", "level_2_en"] != own.loc["JOH1", "level_2_en"]  # an override


def test_a_facilitators_own_criteria_file_is_checked(tmp_path, criteria):
    rows = [list(criteria.columns[:14])]
    path = tmp_path / "own.csv"
    base = pd.read_csv(ROOT / "data" / "criteria.csv", dtype=str).fillna("")
    base.loc[2, "priority"] = "urgent"
    base.to_csv(path, index=False)
    with pytest.raises(KitInputError) as info:
        criteria_module.load_criteria(path, ROOT / "data" / "criteria_levels.csv")
    message = info.value.message("en")
    assert "own.csv" in message and "row 4" in message and "priority" in message
    del rows


def test_own_criteria_with_common_levels_only(tmp_path):
    crit = pd.read_csv(ROOT / "data" / "criteria.csv", dtype=str).fillna("").head(3)
    crit.to_csv(tmp_path / "criteria.csv", index=False)
    levels = pd.read_csv(ROOT / "data" / "criteria_levels.csv", dtype=str)
    levels[levels["criterion"] == "*"].to_csv(tmp_path / "criteria_levels.csv", index=False)
    loaded = criteria_module.load_criteria(tmp_path / "criteria.csv")
    assert list(loaded["id"]) == list(crit["id"])


# --- malformed responses ------------------------------------------------------------------------

BAD = [
    ("not a dict", ["str", "dict"]),
    ({"role": "self", "assessor": "A", "ratings": {}}, ["partner"]),
    ({**good(), "partner": "nosuch"}, ["nosuch", "careeria"]),
    ({**good(), "partner": "network"}, ["network"]),
    ({**good(), "role": "boss"}, ["boss", "self, peer"]),
    ({**good(), "assessor": "  "}, ["assessor"]),
    ({**good(), "ratings": {}}, ["ratings"]),
    ({**good(), "ratings": {"XYZ9": {"level": 2}}}, ["XYZ9"]),
    ({**good(), "ratings": {"JOH1": {"evidence": "x"}}}, ["level"]),
    ({**good(), "ratings": {"JOH1": {"level": 5}}}, ["5", "0–4"]),
    ({**good(), "ratings": {"JOH1": {"level": "3"}}}, ["3", "0–4"]),
    ({**good(), "ratings": {"JOH1": {"level": True}}}, ["0–4"]),
    ({**good(), "ratings": {"JOH1": {"level": 2, "confidence": 7}}}, ["7"]),
    ({**good(), "ratings": {"JOH1": {"level": 2, "idea": "x" * 5000}}}, ["4000"]),
    ({**good(), "ratings": {"JOH1": {"level": 2, "evidence": 12}}}, ["evidence"]),
    ({**good(), "when": object()}, ["extra"]),
]


@pytest.mark.parametrize("response,words", BAD, ids=range(len(BAD)))
def test_malformed_response_is_refused_and_nothing_is_lost(tmp_path, criteria, response, words):
    store = selfassess.ResponseStore(tmp_path / "s.sqlite3", criteria)
    first = store.submit(good("Kept"))
    with pytest.raises(ValueError) as info:
        store.submit(response)
    message = info.value.message("en")
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    assert store.count() == 1
    assert store.responses(shown=False)["response_id"].unique().tolist() == [first]


def test_partial_ratings_and_extra_fields_are_kept(tmp_path, criteria):
    store = selfassess.ResponseStore(tmp_path / "s.sqlite3", criteria)
    rid = store.submit(good("B", role="peer", team="visit 2"))
    rows = store.responses(shown=False)
    assert set(rows["criterion"]) == {"JOH1", "JAR3"} and (rows["response_id"] == rid).all()
    assert rows.loc[rows["criterion"] == "JAR3", "confidence"].iloc[0] == 2


# --- concurrency and a killed writer ------------------------------------------------------------


def _submit_many(path: str, worker: int, count: int) -> int:
    store = selfassess.ResponseStore(path)
    for i in range(count):
        store.submit(good(f"w{worker}-{i}", partner=["careeria", "sdo", "live"][i % 3]))
    return count


@pytest.mark.slow
def test_30_processes_x_20_submissions_lose_nothing(tmp_path):
    path = str(tmp_path / "room.sqlite3")
    selfassess.ResponseStore(path)
    ctx = mp.get_context("fork")  # the writers need nothing but the store: fork, not spawn
    with ctx.Pool(30) as pool:
        done = pool.starmap(_submit_many, [(path, w, 20) for w in range(30)])
    store = selfassess.ResponseStore(path)
    assert sum(done) == 600 and store.count() == 600
    rows = store.responses(shown=False)
    assert rows["assessor"].nunique() == 600 and len(rows) == 1200  # every response whole
    assert store.integrity() == "ok"
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []


KILLED_WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO participants (id, joined_at) VALUES ('HALFWR', 'now')")
cid = con.execute("INSERT INTO contributions (round, at, participant, slot, groups) "
                  "VALUES (1, 'now', 'HALFWR', 99, '[]')").lastrowid
con.execute("INSERT INTO responses (contribution, partner, role, assessor) "
            f"VALUES ({cid}, 'sdo', 'self', 'half-written')")
print("inside", flush=True)
time.sleep(60)
"""


def test_a_writer_killed_mid_write_leaves_the_store_consistent(tmp_path, criteria):
    path = tmp_path / "s.sqlite3"
    store = selfassess.ResponseStore(path, criteria)
    store.submit(good("Before"))
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "inside"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert store.count() == 1
    assert "half-written" not in set(store.responses(shown=False)["assessor"])
    assert store.integrity() == "ok"
    store.submit(good("After"))  # the lock died with the writer
    assert store.count() == 2


@pytest.mark.slow
def test_killing_a_busy_submitter_leaves_only_whole_responses(tmp_path):
    path = str(tmp_path / "busy.sqlite3")
    selfassess.ResponseStore(path)
    code = (
        "import sys; from tests.test_self_assessment import _submit_many; "
        f"_submit_many({path!r}, 99, 100000)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=str(ROOT))
    store = selfassess.ResponseStore(path)
    deadline = time.time() + 120
    while store.count() < 30 and time.time() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait(30)
    rows = store.responses(shown=False)
    per_response = rows.groupby("response_id")["criterion"].count()
    assert store.count() >= 30 and (per_response == 2).all()
    assert store.count() == rows["response_id"].nunique()
    assert store.integrity() == "ok"


# --- spreadsheets in and out --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_and_import_round_trip(tmp_path, criteria, suffix):
    store = selfassess.ResponseStore(tmp_path / "a.sqlite3", criteria)
    for name in "ABCDE":
        store.submit(good(name))
    store.submit(good("F"))  # a sixth, after the room's last step: not exported
    store.advance()
    store.submit(good("G"))
    out = spreadsheet.export(store, tmp_path / f"all{suffix}")
    other = selfassess.ResponseStore(tmp_path / "b.sqlite3", criteria)
    assert spreadsheet.import_file(other, out) == 6
    a = store.responses().drop(columns=["response_id", "submitted_at"])
    assert "G" not in set(a["assessor"])
    b = other.responses(shown=False).drop(columns=["response_id", "submitted_at"])
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_import_names_the_bad_row_and_stores_nothing(tmp_path, criteria):
    rows = [
        ["partner", "role", "assessor", "criterion", "level", "idea"],
        ["sdo", "self", "A", "JOH1", "2", "x"],
        ["sdo", "self", "A", "JOH2", "9", ""],
    ]
    path = write_csv(tmp_path / "answers.csv", rows)
    store = selfassess.ResponseStore(tmp_path / "s.sqlite3", criteria)
    with pytest.raises(KitInputError) as info:
        spreadsheet.import_file(store, path)
    message = info.value.message("en")
    assert "answers.csv" in message and "row 3" in message and "level" in message
    assert store.count() == 0


def test_kit_assess_command(tmp_path, capsys):
    from kit import cli

    store = tmp_path / "s.sqlite3"

    def assess(*args: str) -> tuple[int, str, str]:
        status = cli.main(["--lang", "en", "assess", *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    status, _, err = assess("demo", "--store", str(store))
    assert status == 0, err
    _, out, _ = assess("check", "--store", str(store))
    assert "integrity ok" in out and "SYNTHETIC" in out
    exported = tmp_path / "all.xlsx"
    status, _, _ = assess("export", str(exported), "--store", str(store))
    assert status == 0 and exported.exists()
    status, _, err = assess("import", "--store", str(store))
    assert status == 1 and "FILE" in err
    other = tmp_path / "t.sqlite3"
    status, out, err = assess("import", str(exported), "--store", str(other))
    assert status == 0, err
    assert selfassess.ResponseStore(other).count() == selfassess.ResponseStore(store).count()


# --- the analysis keeps people private ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_answers():
    """Every demo answer, small groups included: the views' own protection is tested here,
    beyond the room's steps (which never show a cell of fewer than five at all)."""
    return synthetic.demo_store().responses(shown=False)


def test_small_groups_show_no_figure_and_no_text(demo_answers, criteria):
    g = assessment.groups(demo_answers)
    small = g[~g["shown"]]
    assert len(small) > 0  # peers skip some criteria, so some groups are small
    row = small.iloc[0]
    table = assessment.distribution(demo_answers, row["partner"])
    hit = table[(table["criterion"] == row["criterion"]) & (table["role"] == row["role"])]
    assert hit["median"].isna().all() and hit[assessment.LEVEL_COUNTS].isna().all().all()
    assert hit["n_label"].iloc[0] == "1-4"
    own = demo_answers[
        (demo_answers["partner"] == row["partner"])
        & (demo_answers["criterion"] == row["criterion"])
        & (demo_answers["role"] == row["role"])
    ]
    texts = assessment.texts(demo_answers, row["partner"], row["criterion"], "evidence")
    others = demo_answers[
        (demo_answers["partner"] == row["partner"])
        & (demo_answers["criterion"] == row["criterion"])
        & (demo_answers["role"] != row["role"])
    ]
    only_small = set(own["evidence"]) - set(others["evidence"])
    assert not (only_small & set(texts))


def test_network_and_room_count_everyone_or_hide(demo_answers):
    """The network (every partner, by role) and the room (everyone) are cells of the same
    decision as the partner groups: they show every assessor or nothing, never a sum of the
    shown groups only (which, against the room, gave the hidden groups back)."""
    net = assessment.distribution(demo_answers, "network")
    counted = demo_answers.groupby(["criterion", "role"]).size()  # one rating per assessor
    for row in net.itertuples():
        assert pd.isna(row.n) or row.n == counted[row.criterion, row.role]
    room = assessment.room(demo_answers)
    everyone = demo_answers.groupby("criterion").size()
    for row in room.itertuples():
        assert pd.isna(row.n) or row.n == everyone[row.criterion]
    assert net["n"].notna().mean() > 0.8 and room["n"].notna().all()


def _as_feedback(frame: pd.DataFrame, label: str = "respondents_label") -> pd.DataFrame:
    """A self-assessment view in the attacker's shape: partner → provider, role →
    qualification, criterion → question, levels 0…4 → answers 1…5."""
    out = frame.rename(
        columns={
            "partner": "y_tunnus",
            "role": "qualification",
            "criterion": "question_id",
            label: "respondents_label",
        }
    )
    for v in reversed(range(5)):  # from the top, so that no level is overwritten first
        out[f"n_{v + 1}"] = out[f"n_{v}"].astype(float)
    out["n_eos"] = np.where(out["n_1"].isna(), np.nan, 0.0)
    if "respondents_label" not in out:
        out["respondents_label"] = [("" if pd.isna(n) else str(int(n))) for n in out["n"]]
    # each criterion its own "survey": a group's label counts the raters of that criterion
    return out.assign(period="2023-24", survey=out["question_id"])


def test_no_self_assessment_view_pins_a_small_group(demo_answers):
    """Every partner's distribution, the network and the room together, attacked with bounds
    (the leak of issue 10: room minus network gave back EDE4's Kiinko peers, 3 assessors)."""
    from attacker import Published, attack

    finest = _as_feedback(assessment.summary(demo_answers, ["partner", "role", "criterion"]))
    tables = [Published("groups", finest)]
    for partner in partners.ids():
        view = assessment.distribution(demo_answers, partner).assign(partner=partner)
        if partner == assessment.NETWORK:
            view = view.drop(columns="partner")
        tables.append(Published(partner, _as_feedback(view, "n_label")))
    tables.append(Published("room", _as_feedback(assessment.room(demo_answers))))
    kiinko = finest[
        (finest["question_id"] == "EDE4")
        & (finest["y_tunnus"] == "kiinko")
        & (finest["qualification"] == "peer")
    ]
    assert kiinko["respondents_label"].tolist() == ["1-4"]  # the group of the leak is small
    found = attack(tables, finest)
    assert found.findings.empty, found.first()
    # the attacker does find the old leak: the room over everyone next to the shown groups
    # (the old network view added up only those, so it told nothing more)
    raw = assessment.tidy(demo_answers)
    old_room = raw.groupby("criterion", as_index=False)[assessment.LEVEL_COUNTS].sum()
    old_room["n"] = old_room[assessment.LEVEL_COUNTS].sum(axis=1)
    old = raw.assign(n=raw[assessment.LEVEL_COUNTS].sum(axis=1))
    small = old["n"] < 5
    old["respondents_label"] = np.where(small, "1-4", old["n"].astype(str))
    old[assessment.LEVEL_COUNTS] = old[assessment.LEVEL_COUNTS].astype(float).mask(small)
    old_groups = _as_feedback(old)
    leaky = attack(
        [Published("groups", old_groups), Published("room", _as_feedback(old_room))], old_groups
    )
    pinned = leaky.findings
    assert (
        (pinned["question_id"] == "EDE4")
        & pinned["group"].map(lambda g: g.get("y_tunnus") == "kiinko")
    ).any(), leaky.first()


def test_live_view_moves_only_in_steps_of_five(tmp_path, criteria):
    """The live room changes only after five or more new participants rated a criterion, so
    one refresh after one submission shows nothing new; no names or times are shown; the
    header states the threshold."""
    store = selfassess.ResponseStore(tmp_path / "live.sqlite3", criteria)
    live = view.LiveView(store, criteria, lang="en", auto=False)
    assert "at least 5 new people" in live.room.value
    cid = criteria["id"].iloc[0]
    shown = []
    for i in range(12):
        store.submit(
            {
                "partner": "careeria",
                "role": "self",
                "assessor": f"Person {i}",
                "ratings": {cid: {"level": i % 5}},
            }
        )
        live.refresh()
        shown.append(store.shown().get(f"{cid}|careeria|self", 0))
        assert f"Person {i}" not in live.answered.value + live.room.value
        assert f"{i + 1} have answered" in live.answered.value
    # the state moves at the 5th and the 10th rating, and each step holds at least five
    moves = [i for i in range(1, len(shown)) if shown[i] != shown[i - 1]]
    assert moves == [4, 9], shown
    states = [shown[0], *(shown[i] for i in moves)]
    assert states[0] == 0 and all(b - a >= 5 for a, b in zip(states, states[1:])), states
    # a second view of the same store shows the same state (kept in the store)
    again = view.LiveView(store, criteria, lang="en", auto=False)
    assert again.room.value == live.room.value


def test_no_view_names_an_assessor(demo_answers, criteria):
    names = set(demo_answers["assessor"])
    for partner in ("spesia", "network"):
        outputs = [
            assessment.distribution(demo_answers, partner),
            assessment.radar(demo_answers, partner),
            assessment.gaps(demo_answers, criteria, partner),
            assessment.plan(demo_answers, criteria, partner, lang="en"),
        ]
        text = " ".join(o.to_csv() for o in outputs)
        assert not any(n in text for n in names)


def test_gaps_plan_and_export(demo_answers, criteria, tmp_path):
    gaps = assessment.gaps(demo_answers, criteria, "careeria")
    assert (gaps["gap"].abs().diff().dropna() <= 0).all()
    plan = assessment.plan(demo_answers, criteria, "careeria", lang="en")
    assert list(plan.columns) == [
        "Criterion",
        "Current level",
        "Target level",
        "Action",
        "Owner",
        "Deadline",
    ]
    assert (plan["Target level"] > plan["Current level"]).all()
    files = assessment.export_plan(plan, "careeria", str(tmp_path))
    assert [Path(f).suffix for f in files] == [".xlsx", ".csv"]
    assert pd.read_excel(tmp_path / "plan_careeria.xlsx").shape == plan.shape
    # written again unchanged: the same file; once someone fills it in, it is kept
    assert assessment.export_plan(plan, "careeria", str(tmp_path)) == files
    edited = pd.read_excel(tmp_path / "plan_careeria.xlsx", dtype={"Owner": "object"})
    edited.loc[0, "Owner"] = "Maija"
    edited.to_excel(tmp_path / "plan_careeria.xlsx", index=False)
    again = assessment.export_plan(plan, "careeria", str(tmp_path))
    assert Path(again[0]).name == "plan_careeria.new.xlsx"
    assert pd.read_excel(tmp_path / "plan_careeria.xlsx").loc[0, "Owner"] == "Maija"


# --- the workshop in the registry ---------------------------------------------------------------


def test_kit_run_and_serve_include_the_workshop():
    from kit import runner, serve, workshops

    w = workshops.by_name()["self_assessment"]
    assert w.report == "02_self_assessment"
    assert {j.workshop for j in runner.plan()} >= {"dashboards", "self_assessment"}
    for app in ("02_form.ipynb", "02_live.ipynb"):
        assert app in serve.pools()
        for lang in ("fi", "sv", "en"):
            assert (ROOT / "notebooks" / lang / app).exists()
