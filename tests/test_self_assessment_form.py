"""The self-assessment form (issue 13): the phone form's model, receipts and amendments, the
live view's freeze, lean app kernels, the language selector and checked snapshots."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from traitlets import TraitError

from kit import app, paths, snapshots
from kit.errors import KitInputError
from kit.workshops.self_assessment import criteria, form
from kit.workshops.self_assessment.store import ResponseStore
from kit.workshops.self_assessment.submission import RECEIPT_ALPHABET, check_receipt
from kit.workshops.self_assessment.view import LiveView


@pytest.fixture
def store(tmp_path):
    return ResponseStore(tmp_path / "responses.sqlite3")


def _rate(view: form.FormView, levels: dict[str, int]) -> None:
    """Tap level buttons as a visitor would: a name first (the form goes on only with one),
    then page by page, through the widgets."""
    if not view.answer.assessor:
        view.go(0)
        view.assessor.value = "Testaaja"
    for page, (_name, items) in enumerate(view.pages):
        ids = {c["id"] for c in items} & set(levels)
        if not ids:
            continue
        view.go(page)
        for block in view.widget.children:
            for cid in ids:
                if f"kit-criterion-{cid}" in getattr(block, "_dom_classes", ()):
                    block.children[2].value = levels[cid]  # the level buttons


# --- the form's model ------------------------------------------------------------------------


def test_pages_hold_every_criterion_once_one_area_each():
    table = criteria.plain()
    pages = form.pages(table)
    assert pages[0][0] == "who" and pages[-1][0] == "send"
    shown = [c["id"] for _name, items in pages[1:-1] for c in items]
    assert sorted(shown) == sorted(c["id"] for c in table)
    for name, items in pages[1:-1]:
        assert {c["area"] for c in items} == {name}


@pytest.mark.parametrize(
    "name, value",
    [
        ("level", 5),
        ("level", -1),
        ("level", True),
        ("level", "3"),
        ("confidence", 4),
        ("confidence", 0),
        ("evidence", 7),
        ("idea", "x" * 4001),
        ("colour", "red"),
    ],
)
def test_a_crafted_widget_value_is_refused_and_changes_nothing(name, value):
    answer = form.new_answer("spesia")
    with pytest.raises(KitInputError):
        form.set_rating(answer, criteria.plain(), "JOH1", name, value)
    assert answer.ratings.get("JOH1", {}).get(name) is None


def test_unknown_criterion_partner_or_role_is_refused():
    answer = form.new_answer()
    with pytest.raises(KitInputError):
        form.set_rating(answer, criteria.plain(), "NOPE1", "level", 2)
    for field, value in (
        ("partner", "network"),
        ("partner", "x"),
        ("role", "boss"),
        ("assessor", 3),
    ):
        with pytest.raises(KitInputError):
            form.set_field(answer, field, value)


def test_progress_counts_rated_criteria_and_unrating_takes_one_off(store):
    view = form.FormView(store, criteria.plain(), "en")
    assert view.progress() == f"0 / {len(view.criteria)} rated"
    _rate(view, {"JOH1": 3, "JAR3": 1, "TUL2": 4})
    assert view.progress().startswith("3 / ")
    form.set_rating(view.answer, view.criteria, "JAR3", "level", None)
    assert form.rated(view.answer) == 2
    assert set(form.response(view.answer)["ratings"]) == {"JOH1", "TUL2"}


def test_a_missing_name_is_said_on_its_own_page_and_the_form_waits_for_it(store):
    view = form.FormView(store, criteria.plain(), "fi")
    view.go(1)
    assert view.page == 0 and "nimesi" in view.message  # said where the name is asked
    view.go(6)  # no way round it further on either
    assert view.page == 0
    view.assessor.value = "  "
    view.go(1)
    assert view.page == 0
    view.assessor.value = "Kaisa"
    view.go(1)
    assert view.page == 1 and view.message == ""
    view.go(0)  # back is always open
    assert view.page == 0


def test_switching_language_relabels_in_place_and_keeps_what_was_entered(store):
    view = form.FormView(store, criteria.plain(), "fi")
    view.assessor.value = "Kaisa"
    _rate(view, {"JOH1": 2})
    shell = app.Shell(lambda lang, old: view, "fi")
    before = view.widget
    shell.switch("sv")
    assert view.widget is before and view.lang == "sv"  # the same widget, new labels
    assert "bedömda" in view.progress() and view.answer.assessor == "Kaisa"
    assert view.answer.ratings["JOH1"]["level"] == 2
    view.go(0)
    assert view.assessor.value == "Kaisa" and view.assessor.description == "Ditt namn"


def test_the_language_bar_offers_only_the_catalogues_languages():
    seen = []
    bar = app.language_bar("fi", seen.append)
    assert [v for _label, v in bar.options] == ["fi", "sv", "en"]
    with pytest.raises(TraitError):  # a value not offered is not taken (ipywidgets refuses)
        bar.value = "de"
    bar.value = "en"
    assert seen == ["en"]


# --- receipts and amendments -----------------------------------------------------------------


def test_submit_gives_a_receipt_and_the_code_amends_until_the_round_closes(store):
    view = form.FormView(store, criteria.plain(), "en")
    view.assessor.value = "Anna"
    _rate(view, {"JOH1": 1, "JOH2": 2})
    code = view.submit()
    assert code and len(code) == 6 and set(code) <= set(RECEIPT_ALPHABET)
    assert code in view.message and store.count() == 1
    again = form.FormView(store, criteria.plain(), "en")
    assert again.amend(code.lower()[:3] + "-" + code.lower()[3:])  # as typed on a phone
    assert again.answer.assessor == "Anna" and again.answer.ratings["JOH1"]["level"] == 1
    _rate(again, {"JOH1": 4})
    assert again.submit() == code
    assert store.count() == 1  # still one answer
    now = store.responses(shown=False).set_index("criterion")["level"]
    assert now["JOH1"] == 4 and now["JOH2"] == 2
    assert set(store.responses(shown=False)["response_id"]) == {1}  # keeps its place
    again.start_over()
    assert again.answer.receipt == "" and form.rated(again.answer) == 0  # the next person
    store.close_round()
    late = form.FormView(store, criteria.plain(), "en")
    assert "closed" in late.widget.children[1].value  # the page says so before anything
    assert not late.amend(code)
    assert "closed" in late.message
    with pytest.raises(KitInputError):
        store.amend(code, form.response(again.answer))
    late.answer.assessor = "Late"
    _rate(late, {"JOH1": 2})
    assert late.submit() is None and "closed" in late.message and store.count() == 1
    store.reopen_round()  # a new round: last round's answers stay as they were
    with pytest.raises(KitInputError) as err:
        store.answer(code)
    assert "this round" in err.value.message("en")


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABCDE0", "ABCDEI", 123456, None])
def test_a_malformed_receipt_code_is_refused_with_what_a_code_looks_like(code):
    with pytest.raises(KitInputError) as err:
        check_receipt(code)
    assert "6" in err.value.message("en")


def test_an_unknown_code_is_refused_and_nothing_changes(store):
    with pytest.raises(KitInputError) as err:
        store.amend(
            "ABCDEF",
            {
                "partner": "spesia",
                "role": "self",
                "assessor": "X",
                "ratings": {"JOH1": {"level": 1}},
            },
        )
    assert "ABCDEF" in err.value.message("en") and store.count() == 0


def test_an_answer_the_live_view_has_shown_can_no_longer_be_amended(store):
    """Amending is open until the room's view includes the answer: after that, a change would
    show on its own between two states of the live view, or between the live view and the
    report. The view's step and the amendment's check are one transaction."""
    codes = []
    for i in range(6):
        rid = store.submit(
            {
                "partner": "spesia",
                "role": "self",
                "assessor": f"P{i}",
                "ratings": {"JOH1": {"level": i % 5}},
            }
        )
        codes.append(store.receipt(rid))
    late = store.submit(
        {"partner": "live", "role": "self", "assessor": "Late", "ratings": {"JOH2": {"level": 1}}}
    )
    amended = {
        "partner": "spesia",
        "role": "self",
        "assessor": "P",
        "ratings": {"JOH1": {"level": 4}},
    }
    store.amend(codes[0], amended)  # not shown yet: allowed
    live = LiveView(store, criteria.plain(), "en", auto=False)  # shows JOH1 (six raters)
    shown = live.room.value
    assert store.responses()["level"].tolist().count(4) >= 1
    with pytest.raises(KitInputError) as err:
        store.amend(codes[1], amended)
    assert "summary" in err.value.message("en")
    with pytest.raises(KitInputError):  # not by loading it either
        form.load(store, codes[2])
    # the late answer is in no shown state yet (JOH2 has too few ratings to show): allowed
    store.amend(
        store.receipt(late),
        {"partner": "live", "role": "self", "assessor": "Late", "ratings": {"JOH2": {"level": 3}}},
    )
    live.refresh()
    assert live.room.value == shown and "7" in live.answered.value


def test_failed_code_lookups_lock_loading_until_the_round_reopens(store):
    from kit.room import MAX_FAILED_LOOKUPS

    rid = store.submit(
        {"partner": "spesia", "role": "self", "assessor": "A", "ratings": {"JOH1": {"level": 2}}}
    )
    code = store.receipt(rid)
    wrong = next(c * 6 for c in RECEIPT_ALPHABET if c * 6 != code)
    for _ in range(MAX_FAILED_LOOKUPS):
        with pytest.raises(KitInputError):
            store.answer(wrong)
    with pytest.raises(KitInputError) as err:
        store.answer(code)  # even the right code, once locked
    assert "locked" in err.value.message("en")
    store.reopen_round()  # the next round forgets the failures
    with pytest.raises(KitInputError) as err:
        store.answer(wrong)
    assert "locked" not in err.value.message("en")


def test_the_console_asks_before_closing_and_the_form_then_says_closed(store, monkeypatch):
    from kit import console_view

    monkeypatch.setenv("KIT_STORE_SELF_ASSESSMENT", str(store.path))
    view = console_view.ConsoleView("en", auto=False)
    card = next(c for c in view.cards if c.name == "self_assessment")
    assert "open" in card.info.value
    card.close_button.click()
    assert store.round_open() and "Close the round?" in card.message.value  # only asked
    card.cancel.click()
    assert store.round_open()
    card.close_button.click()
    card.confirm.click()
    assert not store.round_open() and "closed" in card.info.value
    page = form.FormView(store, criteria.plain(), "en")
    assert "The round is closed" in page.widget.children[1].value
    card.open_button.click()
    assert store.round_open() and store.status()["round"] == 2


def test_a_store_of_an_earlier_version_is_refused_in_one_line(tmp_path):
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE responses (id INTEGER PRIMARY KEY AUTOINCREMENT, submitted_at TEXT NOT NULL,
            partner TEXT NOT NULL, role TEXT NOT NULL, assessor TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}');
        INSERT INTO responses VALUES (1, '2026-01-01', 'spesia', 'self', 'Old', '{}');""")
    con.commit()
    con.close()
    old = ResponseStore(path)
    with pytest.raises(KitInputError) as err:
        old.submit(
            {
                "partner": "live",
                "role": "peer",
                "assessor": "New",
                "ratings": {"JOH1": {"level": 2}},
            }
        )
    assert "old.sqlite3" in err.value.message("en")
    with sqlite3.connect(path) as con:  # nothing already stored is lost
        assert con.execute("SELECT assessor FROM responses").fetchall() == [("Old",)]


# --- lean kernels, checked snapshots ---------------------------------------------------------


def _run_app_code(notebook: str, tmp_path) -> list[str]:
    nb = json.loads((paths.notebooks_dir("fi") / notebook).read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    probe = code + (
        "\nimport sys\nprint(sorted(m for m in ('pandas', 'numpy', 'pyarrow', "
        "'scipy', 'seaborn', 'matplotlib', 'pandera') if sys.modules.get(m)))"
    )
    env = {
        **os.environ,
        "VOILA_BASE_URL": "/",
        "KIT_STORE_SELF_ASSESSMENT": str(tmp_path / "s.sqlite3"),
    }
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=str(paths.notebooks_dir("fi")),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1].replace("'", '"'))


def test_the_form_kernel_imports_no_pandas_and_the_live_view_no_pyarrow(tmp_path):
    criteria.plain()  # the snapshot, as kit serve makes it before the kernels start
    from kit import partners

    partners.ids()
    assert _run_app_code("02_form.ipynb", tmp_path) == []
    assert _run_app_code("02_live.ipynb", tmp_path) == ["numpy", "pandas"]


def test_a_changed_reference_file_is_checked_again(tmp_path, monkeypatch):
    source = tmp_path / "table.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    monkeypatch.setenv("KIT_WORK_DIR", str(tmp_path / "work"))
    calls = []

    def build():
        calls.append(1)
        return source.read_text(encoding="utf-8")

    assert snapshots.plain("t", [source], build) == "a\n1\n"
    assert snapshots.plain("t", [source], build) == "a\n1\n" and len(calls) == 1
    source.write_text("a\n22\n", encoding="utf-8")
    assert snapshots.plain("t", [source], build) == "a\n22\n" and len(calls) == 2


def test_a_kept_model_is_made_again_when_the_catalogue_changes(tmp_path, monkeypatch):
    """A kept model holds words from the catalogue (labels, regions' names): a changed
    translation makes it again, as changed code does."""
    (tmp_path / "model.py").write_text("X = 1\n", encoding="utf-8")
    words = tmp_path / "workshop" / "catalogue.toml"
    words.parent.mkdir()
    words.write_text('[region.ELY01]\nsv = "Uusimaa"\n', encoding="utf-8")
    monkeypatch.setattr(snapshots, "__file__", str(tmp_path / "snapshots.py"))

    def stamp() -> str:
        snapshots.code_stamp.cache_clear()  # computed once per process, as the kit runs
        return snapshots.code_stamp()

    try:
        before = stamp()
        assert stamp() == before  # the same files, the same stamp
        words.write_text('[region.ELY01]\nsv = "Nyland"\n', encoding="utf-8")
        assert stamp() != before
    finally:
        snapshots.code_stamp.cache_clear()  # the kit's own again for the next test
