"""A real browser on the Voilà apps: every notebook opens without an error, on the dashboard a
slicer change changes a KPI, and two tabs submit to the form while the live view shows both.

Playwright drives Debian's chromium (``executable_path``), so nothing is downloaded at run time;
`.ci/run` installs the package. Without a chromium the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import pytest

from kit import paths, workshops

pytestmark = [pytest.mark.xdist_group("voila"), pytest.mark.slow]
NOTEBOOKS = sorted(p.name for p in paths.notebooks_dir("fi").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_opens_as_an_app_without_error(browser, rendered, notebook):
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


def test_two_tabs_submit_and_the_live_view_shows_both(served, browser):
    names = ["Testaaja Yksi", "Testaaja Kaksi"]
    for i, name in enumerate(names):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{served}/voila/render/02_form.ipynb", timeout=240_000)
        form = page.locator(".kit-form")
        form.wait_for(timeout=240_000)
        form.locator("input[type=text]").first.fill(name)
        form.locator(".kit-criterion-JOH1 select").first.select_option(value=None, index=i + 2)
        form.locator(".kit-criterion-JAR3 select").first.select_option(index=4)
        form.locator("button", has_text="Lähetä").click()
        page.locator(".kit-saved").wait_for(timeout=60_000)
        page.close()
    live = browser.new_page(viewport={"width": 1280, "height": 900})
    live.goto(f"{served}/voila/render/02_live.ipynb", timeout=240_000)
    view = live.locator(".kit-live")
    view.wait_for(timeout=240_000)
    view.locator("button", has_text="Päivitä").click()
    # how many have answered, per partner and role: no names, no times
    live.locator(".kit-live h4", has_text="Vastanneita").wait_for(timeout=60_000)
    content = live.content()
    assert "Traceback" not in content and not any(name in content for name in names)
    from kit.workshops.self_assessment.store import ResponseStore

    stored = ResponseStore(served.store).responses()
    assert set(names) <= set(stored["assessor"])
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
