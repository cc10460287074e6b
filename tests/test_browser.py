"""A real browser on the Voilà apps: every app (and the start page) opens without an error, on the dashboard a
slicer change changes a KPI, and two tabs submit to the form while the live view shows both.

Playwright drives Debian's chromium (``executable_path``), so nothing is downloaded at run time;
`.ci/run` installs the package. Without a chromium the tests are skipped locally and fail in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import paths, workshops
from tests.conftest import kit_command, served_notebooks

pytestmark = [pytest.mark.xdist_group("voila"), pytest.mark.slow]
NOTEBOOKS = served_notebooks()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_app_opens_without_error(browser, rendered, notebook):
    text = rendered[notebook].text
    assert text is not None
    assert "There was an error" not in text and "Traceback" not in text
    collects = {a.filename for a in workshops.apps() if not a.shows_data}
    if notebook not in collects:  # a form over a real store shows no data set
        assert "SYNTEETTI" in text  # the data's label is shown


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_app_meets_wcag_at_phone_and_laptop_size(browser, rendered, notebook):
    """axe-core finds no WCAG 2.1 A or AA violation on the app after it has drawn, at a
    laptop's and at a phone's width; the page has a title of its own and says its language,
    and at a phone's width (390 px) and at 320 px no control, cell or picture lies off the
    side, not even in a box that scrolls sideways."""
    from tests.conftest import AXE, LAPTOP, NARROW, PHONE, ZOOMED

    page = rendered[notebook]
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make setup installs it with npm)")
    for width in (LAPTOP[0], PHONE[0]):
        found = page.violations[width]
        assert found == [], (width, [(v["id"], v["impact"], v["nodes"]) for v in found])
    assert page.lang == "fi"
    assert page.title and not page.title.endswith(".ipynb") and "_" not in page.title
    assert page.phone_width <= PHONE[0]
    # no sideways scrolling, even inside a box: on a phone, a laptop at 200 % and at 320 px
    assert set(page.offscreen) == {PHONE[0], ZOOMED, NARROW}
    for width, beyond in page.offscreen.items():
        assert beyond == [], (width, beyond)
    assert page.null_titles == 0


#: what only a developer should read: a parameter's name, a path on the server, a command
#: line, a raw error or a missing value's "null"
DEVELOPER_TEXT = {
    "parameter": r"\bparametr(i|e|ar)\b|\bparameter\b",
    "path": r"(?<![\w.])/(tmp|work|home|root|usr|var|srv)/|\.(sqlite3|ipynb|parquet|npz)\b",
    "command": r"\bkit (demo|run|serve|room|assess|demo-data|validate)\b|--[a-z]+-[a-z]+",
    "raw error": r"Traceback|KitInputError|Exception:|\bnull\b|\bNone\b|\bnan\b",
}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_app_shows_developer_text(browser, rendered, notebook):
    """What an app shows after it has drawn holds no parameter name, server path or raw
    error, and an attendee's app no command line: attendees read the catalogue's words (the
    facilitator's pages may say which command starts the room)."""
    import re

    from kit.workshops.spec import ROOM

    attendees = {a.filename for a in workshops.apps() if a.audience == ROOM}
    text = rendered[notebook].text
    found = {
        kind: [m.group(0) for m in re.finditer(rf".{{0,40}}(?:{pattern}).{{0,40}}", text, re.I)]
        for kind, pattern in DEVELOPER_TEXT.items()
        if kind != "command" or notebook in attendees
    }
    assert {k: v for k, v in found.items() if v} == {}


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
        arg=['.kit-dashboard .kit-card[data-kpi="0"] .v', before],
        timeout=60_000,
    )
    after = respondents.inner_text()
    assert after != before
    assert "SYNTEETTINEN" in app.inner_text()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert "Traceback" not in page.content()
    page.close()


def _phone_answer(browser, served, name: str, ratings: dict[str, str], swedish: bool) -> str:
    """One attendee on a phone (390 × 844): optionally switch to Swedish, write a name, rate
    criteria page by page with the level buttons, send; returns the receipt text."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(served if "?" in served else f"{served}/voila/render/02_form.ipynb", timeout=240_000)
    form = page.locator(".kit-form")
    form.wait_for(timeout=240_000)
    words = {"next": "Seuraava", "send": "Lähetä arvio", "rated": "arvioitu", "page": "Sivu"}
    if swedish:
        page.locator(".kit-lang button", has_text="svenska").click()
        form.locator("h3", has_text="Vem bedömer?").wait_for(timeout=60_000)
        # the page says its new language (for screen readers)
        page.wait_for_function("() => document.documentElement.lang === 'sv'")
        words = {"next": "Nästa", "send": "Skicka bedömningen", "rated": "bedömda", "page": "Sida"}
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
                    timeout=60_000
                )
        if number == 2:  # the progress stays in view when the page scrolls down
            page.mouse.wheel(0, 1500)
            page.wait_for_function(
                "() => document.querySelector('.kit-form input, .kit-form button')"
                ".getBoundingClientRect().top < 0"
            )
            top = form.locator(".kit-progress").bounding_box()["y"]
            assert 0 <= top < 100, f"the progress scrolled away (at {top} px)"
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


def test_the_form_can_be_filled_and_sent_by_keyboard_alone_on_a_phone(served, browser):
    """An attendee with a keyboard only, on a phone-sized page: Tab reaches the name, each
    button group is one Tab stop whose choice the arrow keys change (a radio group), focus
    follows to the new page's heading after "Seuraava", and after sending to the result,
    which is announced (role="status")."""
    from kit.workshops.self_assessment.store import ResponseStore

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{served}/voila/render/02_form.ipynb", timeout=240_000)
    form = page.locator(".kit-form")
    form.wait_for(timeout=240_000)
    page.locator(".kit-form [role=radiogroup]").first.wait_for(timeout=60_000)
    visited: list[str] = []

    def tab_to(test: str, limit: int = 80) -> None:
        """Press Tab until the focused element passes ``test`` (JavaScript on ``e``)."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            found = page.evaluate(
                "() => { const e = document.activeElement; return [e.tagName, e.textContent, "
                f"!!e && ({test})]; }}"
            )
            visited.append(found[0])
            if found[2]:
                return
        raise AssertionError(f"Tab never reached {test}: {visited[-limit:]}")

    def focus_is(test: str) -> None:
        page.wait_for_function(f"() => {{ const e = document.activeElement; return {test}; }}")

    tab_to("e.matches('.kit-form input[type=text]')")
    page.keyboard.type("Näppäimistö Testaaja")
    before = len(visited)
    tab_to("e.textContent.includes('Seuraava')")
    # the role's two buttons were one stop on the way, not two
    assert visited[before:].count("BUTTON") <= 2, visited[before:]
    page.keyboard.press("Enter")
    focus_is("e.tagName === 'H3'")  # the new page's heading
    form.locator("p", has_text="Sivu 2 / 7").wait_for(timeout=60_000)
    tab_to("e.getAttribute('role') === 'radio' && !!e.closest('.kit-levels')")
    group = page.evaluate("() => document.activeElement.parentElement.getAttribute('role')")
    assert group == "radiogroup"
    page.keyboard.press("ArrowRight")  # the next level, chosen
    form.locator(".kit-progress", has_text="1 / 15").wait_for(timeout=60_000)
    checked = form.locator(".kit-levels [aria-checked=true]")
    assert checked.count() == 1
    for number in range(3, 8):  # on through the pages to "send"
        tab_to("e.textContent.includes('Seuraava') && !e.disabled")
        page.keyboard.press("Enter")
        form.locator("p", has_text=f"Sivu {number} / 7").wait_for(timeout=60_000)
        if form.locator("button", has_text="Lähetä arvio").count():
            break
    tab_to("e.textContent.includes('Lähetä arvio')")
    page.keyboard.press("Enter")
    page.locator(".kit-saved").wait_for(timeout=60_000)
    focus_is("!!e.closest('.kit-status') || e.classList.contains('kit-status')")
    assert page.locator(".kit-status[role=status]").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    names = set(ResponseStore(served.store).responses(shown=False)["assessor"])
    assert "Näppäimistö Testaaja" in names
    page.close()


def _png(rows: list[list[bool]], scale: int = 8) -> bytes:
    """A greyscale PNG of a module matrix (True: dark), for the QR decoder."""
    import struct
    import zlib

    pixels = b"".join(
        b"\x00" + bytes(0 if dark else 255 for dark in row for _ in range(scale))
        for row in rows
        for _ in range(scale)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    width, height = len(rows[0]) * scale, len(rows) * scale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _decode_printed_qr(text: str, folder) -> str:
    """Read the QR code ``kit serve`` printed (half-block characters, light modules drawn)
    back into modules, and decode it with zbar."""
    import shutil
    import subprocess

    light = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}
    lines = [ln for ln in text.splitlines() if ln and set(ln) <= set(light) and "█" in ln]
    rows = []
    for line in lines:
        rows.append([not light[c][0] for c in line])
        rows.append([not light[c][1] for c in line])
    quiet = [[False] * (len(rows[0]) + 8) for _ in range(4)]
    rows = quiet + [[False] * 4 + r + [False] * 4 for r in rows] + quiet
    image = folder / "printed_qr.png"
    image.write_bytes(_png(rows))
    zbar = shutil.which("zbarimg")
    if zbar is None:
        import os

        if os.environ.get("CI") == "true":
            pytest.fail("zbarimg is missing: .ci/run installs zbar-tools")
        pytest.skip("zbarimg (Debian's zbar-tools) is not installed")
    done = subprocess.run(
        [zbar, "--raw", "-q", str(image)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_printed_join_code_leads_a_phone_to_the_form(demo, browser, tmp_path):
    """``kit serve --workshop self_assessment --room 1`` says "Ready" only once its pooled
    kernels have drawn their apps, then prints a QR code; its decoded address opens the form in
    a phone-sized Chromium, which sends an answer in Swedish. With the attendees' address the
    live view and the console are not there; the facilitators' address, with its own token,
    shows the live view counting the answer. Then `kill PID` (SIGTERM) ends both servers and
    everything they started, and frees both ports."""
    import contextlib
    import os
    import re
    import signal
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request

    from kit.workshops.self_assessment.store import ResponseStore

    # two ports the system has free (port + 1 may be anybody's)
    with socket.socket() as one, socket.socket() as two:
        one.bind(("127.0.0.1", 0))
        two.bind(("127.0.0.1", 0))
        port, facilitator = one.getsockname()[1], two.getsockname()[1]
    store = tmp_path / "answers.sqlite3"
    env = {
        **os.environ,
        "KIT_STORE_SELF_ASSESSMENT": str(store),
        "KIT_STATE_DIR": str(tmp_path / "state"),
    }
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        kit_command(
            "--lang",
            "fi",
            "serve",
            "--workshop",
            "self_assessment",
            "--room",
            "1",
            "--port",
            str(port),
            "--token",
            "--facilitator-port",
            str(facilitator),
        ),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    from tests.test_serve import _alive, _descendants

    try:
        out = ""
        deadline = time.time() + 400
        while not re.search(r"00_console\.ipynb\?token=\S+\n", out) and time.time() < deadline:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, out + (tmp_path / "serve.log").read_text()
            out += line
        ready = [ln for ln in out.splitlines() if ln.startswith("Valmis:")]
        assert ready and ready[0].startswith("Valmis: 6 kerneliä"), out  # 2 forms, 2 + 2
        assert out.index("Valmis:") < out.index("█")  # the code only once the room is warm
        below = _descendants(proc.pid)
        kernels = [
            pid
            for pid in below
            if b"ipykernel" in (Path("/proc") / str(pid) / "cmdline").read_bytes()
        ]
        assert len(kernels) >= 6, "the pools' kernels run under kit serve"
        url = _decode_printed_qr(out, tmp_path)
        assert url.startswith(f"http://127.0.0.1:{port}/?token="), url
        assert url in out  # the code holds exactly the printed address
        console = re.search(r"(http://\S+00_console\.ipynb\?token=\S+)", out).group(1)
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        token = url.split("token=")[1]
        for path in (
            "voila/render/02_live.ipynb",
            "voila/render/00_console.ipynb",
            "voila/render/02_self_assessment.ipynb",
        ):
            try:
                page = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/{path}?token={token}", timeout=120
                )
                body = page.read().decode()
                assert "kit-live" not in body and "kit-console" not in body, path
                assert "02_live" not in page.url and "00_console" not in page.url, page.url
            except urllib.error.HTTPError as exc:
                assert exc.code in (403, 404), (path, exc.code)
        receipt = _phone_answer(
            browser, url, "Testaaja Ruotsi", {"JOH1": "3", "EDE1": "2", "TUL2": "4"}, swedish=True
        )
        assert "din kod" in receipt.lower()
        mine = ResponseStore(store).responses(shown=False).set_index("criterion")["level"]
        assert mine.to_dict() == {"EDE1": 2, "JOH1": 3, "TUL2": 4}
        for guess in ("", f"?token={token}"):  # no token, or the attendees': the login page
            page = urllib.request.urlopen(console.split("?")[0] + guess, timeout=60)
            assert "/login" in page.url and "kit-console" not in page.read().decode()
        live = browser.new_page(viewport={"width": 1280, "height": 900})
        live.goto(console.replace("00_console", "02_live"), timeout=240_000)
        live.locator(".kit-live h4", has_text="Vastanneita 1").wait_for(timeout=240_000)
        content = live.content()
        assert "Traceback" not in content and "Testaaja" not in content  # no names
        live.close()
        below |= _descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        deadline = time.time() + 30
        while time.time() < deadline and below & _alive(below):
            time.sleep(0.5)
        assert not (below & _alive(below)), "processes left after SIGTERM"
        for taken in (port, facilitator):
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", taken)) != 0, f"port {taken} is taken"
        assert not (tmp_path / "state" / "join.json").exists()  # the code is withdrawn
    finally:
        if proc.poll() is None:
            # a failed test stops the servers too: kit serve passes SIGTERM on to them (its
            # servers run in sessions of their own, so a SIGKILL to it alone left them running)
            left = _descendants(proc.pid)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
            for pid in _alive(left):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        log.close()


def test_scorecard_target_and_checkin_survive_a_reload_and_two_tabs(served, browser):
    """Set a target in one tab (a laptop, the mouse) and record a check-in note in another (a
    phone, the keyboard alone: the editor opens under its button, in view), at once; a reload
    shows the target, and the store holds both."""
    pages = []
    for size in ({"width": 1280, "height": 1000}, {"width": 390, "height": 844}):
        page = browser.new_page(viewport=size)
        page.goto(f"{served}/voila/render/03_scorecard.ipynb", timeout=240_000)
        page.locator(".kit-scorecard").wait_for(timeout=240_000)
        pages.append(page)
    first, second = pages
    first.locator(".kit-sc-edit").click()
    first.locator(".kit-sc-indicator select").select_option(index=6)  # MEAN_P
    # the editor shows the indicator's target as the card does before anyone types over it
    first.wait_for_function(
        """() => {
          const cell = document.querySelector('tr[data-indicator="MEAN_P"] td:nth-child(3)');
          const box = document.querySelector('.kit-sc-target input');
          return !!cell && !!box && box.value !== '' && cell.textContent.startsWith(box.value);
        }"""
    )
    first.locator(".kit-sc-target input").fill("4.35")

    def tab_to(test: str, limit: int = 40) -> None:
        for _ in range(limit):
            second.keyboard.press("Tab")
            if second.evaluate(
                f"() => {{ const e = document.activeElement; return !!e && ({test}); }}"
            ):
                return
        raise AssertionError(f"Tab never reached {test}")

    tab_to("!!e.closest('.kit-sc-edit')")
    second.keyboard.press("Space")  # the editor opens right under its button, on the screen
    editor = second.locator(".kit-sc-indicator select")
    editor.wait_for(timeout=60_000)
    assert editor.bounding_box()["y"] < 844
    tab_to("!!e.closest('.kit-sc-indicator')")
    second.keyboard.press("ArrowDown")  # the next indicator: RR_PT
    second.locator(".kit-sc-target input").wait_for(timeout=60_000)
    tab_to("!!e.closest('.kit-sc-note')")
    second.keyboard.type("Muistutukset lähetetty viikolla 12")
    first.locator(".kit-sc-save").click()
    tab_to("!!e.closest('.kit-sc-save')")
    second.keyboard.press("Enter")
    for page in pages:
        page.locator(".kit-sc-message", has_text="Tallennettu").wait_for(timeout=60_000)
    second.wait_for_function("() => !!document.activeElement.closest('.kit-status')")
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
    """Two phones vote at once for their top three, the second with the keyboard alone (Tab to
    a phase, Space picks it and says so with aria-pressed, Enter on "send" sends, and focus
    goes to the announced result); the store holds both ballots, and the tally shows nothing
    until five have voted (no update isolates a person's choice)."""
    from kit.workshops.work_based_learning.votes import VoteStore

    pages = []
    for _phone in range(2):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{served}/voila/render/04_vote.ipynb", timeout=240_000)
        page.locator(".kit-vote").wait_for(timeout=240_000)
        pages.append(page)
    mouse, keys = pages
    for phase in ("P4", "P6", "P7"):
        mouse.locator(".kit-vote-phase", has_text=f"{phase} ").click()

    def tab_to(test: str, limit: int = 40) -> None:
        for _ in range(limit):
            keys.keyboard.press("Tab")
            if keys.evaluate(
                f"() => {{ const e = document.activeElement; return !!e && ({test}); }}"
            ):
                return
        raise AssertionError(f"Tab never reached {test}")

    for phase in ("P2", "P4"):
        tab_to(f"e.matches('.kit-vote-phase') && e.textContent.startsWith('{phase} ')")
        keys.keyboard.press("Space")
        keys.locator(".kit-vote-phase[aria-pressed=true]", has_text=f"{phase} ").wait_for(
            timeout=60_000
        )
    mouse.locator(".kit-vote-send").click()
    tab_to("e.matches('.kit-vote-send')")
    keys.keyboard.press("Enter")
    for page in pages:
        page.locator(".kit-vote", has_text="Kiitos").wait_for(timeout=60_000)
    keys.wait_for_function("() => !!document.activeElement.closest('.kit-status')")
    assert keys.locator(".kit-vote-phase[aria-pressed=true]").count() == 0  # cleared
    store = VoteStore(served.votes, [f"P{i}" for i in range(1, 8)])
    assert store.count() == 2 and store.status()["contributors"] == 2
    store.advance()
    state = store.tally()
    assert state["voters"] == 0 and state["waiting"] == 2
    pages[0].locator(".kit-vote-refresh").click()
    pages[0].locator(".kit-vote-tally", has_text="2 uutta äänestäjää odottaa").wait_for(
        timeout=60_000
    )
    for page in pages:
        page.close()


def test_two_tabs_at_the_forum_rate_and_propose_and_the_room_and_export_show_both(served, browser):
    """Two phones at the anticipation forum each rate a signal and propose an offer idea;
    with three earlier participants in the same field, the facilitator's view shows both
    ideas and the rating of all five, and the exported proposal table holds both (the
    five proposers make the field's ideas one step of five)."""
    import openpyxl

    from kit.workshops.anticipation import proposals
    from kit.workshops.anticipation.store import ForumStore

    plain = proposals.snapshot("demo")["fi"]
    field = next(iter(plain["fields"]))
    occ = next(s["occupation"] for s in plain["signals"]["SSS"] if s["field"] == field)
    seed = ForumStore(served.forum, proposals.allowed(plain))
    for i in range(3):
        seed.submit(
            {
                "participant": seed.join(),
                "field": field,
                "region": "SSS",
                "ratings": [{"occupation": occ, "match": 3, "urgency": 3}],
                "idea": {"offer": f"seed idea {i}"},
            }
        )
    pages = []
    for _phone in range(2):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{served}/voila/render/05_forum.ipynb", timeout=240_000)
        page.locator(".kit-forum").wait_for(timeout=240_000)
        pages.append(page)
    touch, keys = pages  # the second phone is used with a keyboard alone
    touch.locator(".kit-forum-match select").first.select_option(index=5)  # "5 · täysin"
    touch.locator(".kit-forum-urgency select").first.select_option("4")
    touch.locator(".kit-forum-offer input").fill("Puhelin 0 paketti")
    touch.locator(".kit-forum-rationale textarea").fill("näemme tämän")

    def tab_to(test: str, limit: int = 80) -> None:
        for _ in range(limit):
            keys.keyboard.press("Tab")
            if keys.evaluate(
                f"() => {{ const e = document.activeElement; return !!e && ({test}); }}"
            ):
                return
        raise AssertionError(f"Tab never reached {test}")

    tab_to("!!e.closest('.kit-forum-match')")
    keys.keyboard.press("5")  # a list picks the option its typed start names: "5 · täysin"
    chosen = keys.locator(".kit-forum-match select").first
    shown = chosen.evaluate("e => e.options[e.selectedIndex].text")
    assert shown.replace("\xa0", " ") == "5 · täysin"  # ipywidgets writes no-break spaces
    tab_to("!!e.closest('.kit-forum-urgency')")
    keys.keyboard.press("4")
    tab_to("!!e.closest('.kit-forum-offer')")
    keys.keyboard.type("Puhelin 1 paketti")
    tab_to("!!e.closest('.kit-forum-rationale')")
    keys.keyboard.type("näemme tämän")
    touch.locator(".kit-forum-send").click()
    tab_to("!!e.closest('.kit-forum-send')")
    keys.keyboard.press("Enter")
    for page in pages:
        page.locator(".kit-forum-message", has_text="Kiitos").wait_for(timeout=60_000)
    keys.wait_for_function("() => !!document.activeElement.closest('.kit-status')")
    assert ForumStore(served.forum, proposals.allowed(plain)).count() == 5
    for page in pages:
        page.close()
    room = browser.new_page(viewport={"width": 1280, "height": 900})  # the facilitator's app
    room.goto(f"{served}/voila/render/05_forum_room.ipynb", timeout=240_000)
    room.locator(".kit-forum-room").wait_for(timeout=240_000)
    room.locator(".kit-forum-refresh").click()
    for n in range(2):
        room.locator(".kit-forum-room", has_text=f"Puhelin {n} paketti").wait_for(timeout=60_000)
    room.locator(".kit-forum-export").click()
    room.locator(".kit-forum-room-message", has_text="training_offer_proposal.xlsx").wait_for(
        timeout=60_000
    )
    book = openpyxl.load_workbook(paths.reports_dir() / "forum" / "training_offer_proposal.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Puhelin 0 paketti" in cells and "Puhelin 1 paketti" in cells
    room.close()


def test_an_answer_takes_the_focus_only_from_where_the_person_acted(browser):
    """The apps' keyboard script (kit/templates/app_access.js) on a page of its own: a message
    that comes after Enter on a button takes the focus (the result is read out at once); one
    that comes after the person has gone on to type in a field leaves the focus there."""
    from kit import templates

    page = browser.new_page()
    try:
        page.set_content(
            '<button id="send">Send</button><textarea id="note"></textarea>'
            '<div class="kit-status"></div>'
        )
        page.add_script_tag(content=templates.read("app_access.js"))
        say = "text => { document.querySelector('.kit-status').textContent = text; }"
        focused = "() => document.activeElement.className || document.activeElement.id"
        page.focus("#send")
        page.keyboard.press("Enter")
        page.evaluate(say, "Sent")
        page.wait_for_function("() => document.activeElement.classList.contains('kit-status')")
        page.focus("#send")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.type("Muist")
        page.evaluate(say, "Saved")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        assert page.evaluate(focused) == "note"
        page.keyboard.type("utukset")
        assert page.input_value("#note") == "Muistutukset"
    finally:
        page.close()
