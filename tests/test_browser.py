"""A real browser on the Voilà apps: every app (and the start page) opens without an error, on the dashboard a
slicer change changes a KPI, and two tabs submit to the form while the live view shows both.

Playwright drives Debian's chromium (``executable_path``), so nothing is downloaded at run time;
`.ci/run` installs the package. Without a chromium the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import pytest

from kit import paths, workshops
from tests.conftest import served_notebooks

pytestmark = [pytest.mark.xdist_group("voila"), pytest.mark.slow]
NOTEBOOKS = served_notebooks()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_app_opens_without_error(browser, rendered, notebook):
    text = rendered[notebook].text
    assert text is not None
    assert "There was an error" not in text and "Traceback" not in text
    collects = {a.filename for w in workshops.REGISTRY for a in w.apps if not a.shows_data}
    if notebook not in collects:  # a form over a real store shows no data set
        assert "SYNTEETTI" in text  # the data's label is shown


def test_slicer_change_changes_a_kpi(served, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/voila/render/01_dashboard_app.ipynb", timeout=240_000)
    app = page.locator(".kit-dashboard")
    app.wait_for(timeout=240_000)
    respondents = app.locator('.kit-card[data-kpi="0"] .v')
    respondents.wait_for(timeout=60_000)
    before = respondents.inner_text()
    assert before.strip() not in ("", "–")
    partner = app.locator("select").first
    partner.select_option(label="Suomen Diakoniaopisto (SDO)")
    page.wait_for_function(
        """([sel, old]) => {
             const el = document.querySelector(sel);
             return el && el.innerText.trim() !== old.trim();
           }""",
        arg=['.kit-dashboard .kit-card[data-kpi="0"] .v', before], timeout=60_000)
    after = respondents.inner_text()
    assert after != before
    assert "SYNTEETTINEN" in app.inner_text()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert "Traceback" not in page.content()
    page.close()


def _phone_answer(browser, served, name: str, ratings: dict[str, str], swedish: bool) -> str:
    """One attendee on a phone (390 × 844): optionally switch to Swedish, write a name, rate
    criteria page by page with the level buttons, send; returns the receipt text."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                            has_touch=True)
    page.goto(f"{served}/voila/render/02_form.ipynb", timeout=240_000)
    form = page.locator(".kit-form")
    form.wait_for(timeout=240_000)
    words = {"next": "Seuraava", "send": "Lähetä arvio", "rated": "arvioitu", "page": "Sivu"}
    if swedish:
        page.locator(".kit-lang button", has_text="svenska").click()
        form.locator("h3", has_text="Vem bedömer?").wait_for(timeout=60_000)
        words = {"next": "Nästa", "send": "Skicka bedömningen", "rated": "bedömda",
                 "page": "Sida"}
    box = form.locator("input[type=text]").first
    box.fill(name)
    box.press("Enter")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the form is wider than the phone ({width} px)"
    done = 0
    for number in range(2, 8):  # through the area pages to "send"
        form.locator("button", has_text=words["next"]).click()
        form.locator("p", has_text=f"{words['page']} {number} / 7").wait_for(timeout=60_000)
        for cid, level in ratings.items():
            buttons = form.locator(f".kit-criterion-{cid} .kit-levels button")
            if buttons.count():
                target = buttons.filter(has_text=level).first
                height = target.bounding_box()["height"]
                assert height >= 44, f"a level button is {height} px high"
                target.click()
                done += 1
                form.locator(".kit-progress", has_text=f"{done} / 15 {words['rated']}").wait_for(
                    timeout=60_000)
        if form.locator("button", has_text=words["send"]).count():
            break
    assert done == len(ratings)
    form.locator("button", has_text=words["send"]).click()
    saved = page.locator(".kit-saved")
    saved.wait_for(timeout=60_000)
    text = saved.inner_text()
    assert "Traceback" not in page.content()
    page.close()
    return text


def test_on_a_phone_in_swedish_three_ratings_and_the_live_view_counts_them(served, browser):
    """In Chromium at phone size an attendee switches the form to Swedish, rates three
    criteria and sends; the live view's count goes up."""
    from kit.workshops.self_assessment.store import ResponseStore

    before = ResponseStore(served.store).count()
    receipt = _phone_answer(browser, served, "Testaaja Ruotsi",
                            {"JOH1": "3", "EDE1": "2", "TUL2": "4"}, swedish=True)
    assert "kvittokod" in receipt.lower()
    stored = ResponseStore(served.store).responses()
    mine = stored[stored["assessor"] == "Testaaja Ruotsi"].set_index("criterion")["level"]
    assert mine.to_dict() == {"EDE1": 2, "JOH1": 3, "TUL2": 4}
    live = browser.new_page(viewport={"width": 1280, "height": 900})
    live.goto(f"{served}/voila/render/02_live.ipynb", timeout=240_000)
    view = live.locator(".kit-live")
    view.wait_for(timeout=240_000)
    view.locator("button", has_text="Päivitä").click()
    live.locator(".kit-live h4", has_text=f"Vastanneita {before + 1}").wait_for(timeout=60_000)
    content = live.content()
    assert "Traceback" not in content and "Testaaja" not in content  # no names in the room
    live.close()


def test_scorecard_target_and_checkin_survive_a_reload_and_two_tabs(served, browser):
    """Set a target in one tab and record a check-in note in another, at once; a reload shows
    the target, and the store holds both."""
    pages = []
    for _ in range(2):
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{served}/voila/render/03_scorecard.ipynb", timeout=240_000)
        page.locator(".kit-scorecard").wait_for(timeout=240_000)
        page.locator(".kit-sc-edit").click()
        pages.append(page)
    first, second = pages
    first.locator(".kit-sc-indicator select").select_option(index=6)  # MEAN_P
    first.locator(".kit-sc-target input").fill("4.35")
    second.locator(".kit-sc-indicator select").select_option(index=1)  # RR_PT
    second.locator(".kit-sc-note textarea").fill("Muistutukset lähetetty viikolla 12")
    first.locator(".kit-sc-save").click()
    second.locator(".kit-sc-save").click()
    for page in pages:
        page.locator(".kit-sc-message", has_text="Tallennettu").wait_for(timeout=60_000)
    first.reload()
    card = first.locator(".kit-scorecard")
    card.wait_for(timeout=240_000)
    row = card.locator('tr[data-indicator="MEAN_P"]')
    assert "4,35" in row.inner_text() and "✎" in row.inner_text()
    from kit.workshops.indicators.checkins import CheckinStore

    history = CheckinStore(served.scorecard).history()
    assert set(history["kind"]) == {"target", "note"}
    assert "Muistutukset lähetetty viikolla 12" in set(history["note"])
    assert "Traceback" not in first.content()
    for page in pages:
        page.close()


def test_two_tabs_vote_and_the_tally_waits_for_five(served, browser):
    """Two phones vote at once for their top three; the store holds both ballots, and the
    tally shows nothing until five have voted (no update isolates a person's choice)."""
    from kit.workshops.work_based_learning.votes import VoteStore

    pages = []
    for picks in (("P4", "P6", "P7"), ("P4", "P2")):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{served}/voila/render/04_vote.ipynb", timeout=240_000)
        page.locator(".kit-vote").wait_for(timeout=240_000)
        for phase in picks:
            page.locator(".kit-vote-phase", has_text=f"{phase} ").click()
        pages.append(page)
    for page in pages:
        page.locator(".kit-vote-send").click()
    for page in pages:
        page.locator(".kit-vote", has_text="Kiitos").wait_for(timeout=60_000)
    store = VoteStore(served.votes, [f"P{i}" for i in range(1, 8)])
    assert store.count() == 2
    state = store.advance()
    assert state["voters"] == 0 and state["waiting"] == 2
    pages[0].locator(".kit-vote-refresh").click()
    pages[0].locator(".kit-vote-tally", has_text="2 uutta ääntä odottaa").wait_for(timeout=60_000)
    for page in pages:
        page.close()


def test_two_tabs_at_the_forum_rate_and_propose_and_the_room_and_export_show_both(served, browser):
    """Two phones at the anticipation forum each rate a signal and propose an offer idea;
    with three earlier participants in the same field, the facilitator's view shows both
    ideas and the rating of all five, and the exported proposal table holds both (the
    five proposers make the field's ideas one step of five)."""
    import openpyxl

    from kit import paths
    from kit.workshops.anticipation import view
    from kit.workshops.anticipation.store import ForumStore

    plain = proposals.snapshot("demo")["fi"]
    field = next(iter(plain["fields"]))
    occ = next(s["occupation"] for s in plain["signals"]["SSS"] if s["field"] == field)
    seed = ForumStore(served.forum, proposals.allowed(plain))
    for i in range(3):
        seed.submit({"participant": f"seed{i}", "field": field, "region": "SSS",
                     "ratings": [{"occupation": occ, "match": 3, "urgency": 3}],
                     "idea": {"offer": f"seed idea {i}"}})
    pages = []
    for n in range(2):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{served}/voila/render/05_forum.ipynb", timeout=240_000)
        page.locator(".kit-forum").wait_for(timeout=240_000)
        page.locator(".kit-forum-match select").first.select_option("5")
        page.locator(".kit-forum-urgency select").first.select_option("4")
        page.locator(".kit-forum-offer input").fill(f"Puhelin {n} paketti")
        page.locator(".kit-forum-rationale textarea").fill("näemme tämän")
        pages.append(page)
    for page in pages:
        page.locator(".kit-forum-send").click()
    for page in pages:
        page.locator(".kit-forum-message", has_text="Kiitos").wait_for(timeout=60_000)
    assert ForumStore(served.forum, proposals.allowed(plain)).count() == 5
    room = pages[0]
    room.get_by_text("Huone", exact=True).click()
    room.locator(".kit-forum-refresh").click()
    for n in range(2):
        room.locator(".kit-forum-room", has_text=f"Puhelin {n} paketti").wait_for(timeout=60_000)
    room.locator(".kit-forum-export").click()
    room.locator(".kit-forum-room-message", has_text="training_offer_proposal.xlsx").wait_for(
        timeout=60_000)
    book = openpyxl.load_workbook(paths.reports_dir() / "forum" / "training_offer_proposal.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Puhelin 0 paketti" in cells and "Puhelin 1 paketti" in cells
    for page in pages:
        page.close()
