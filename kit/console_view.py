"""The facilitator's console as ipywidgets (``00_console``): a thin view on :mod:`kit.console`.

On the projector: the join code (a large QR code and the short address of the day's attendee
app, when ``kit serve`` is running) and, per room, whether its round is open, who has joined and
contributed and how many no shown state holds yet, in large type. For the facilitator: per room
a button to open the next round, one to close the round (it asks for confirmation first: closing
takes the last privacy step and stops every app from taking contributions) and one to export
what the room's last shown state holds. The view reads the rooms when it opens and refreshes
itself every ``every`` seconds (a refresh that finds nothing new sends nothing to the page).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable

import ipywidgets as widgets

from kit import console, joincode, paths
from kit.errors import KitInputError
from kit.i18n import check_lang, t

STYLE = """<style>
.kit-console{font-size:1.15rem}
.kit-console .kit-room-card{border:2px solid #444;border-radius:8px;padding:.6rem 1rem;margin:.5rem 0}
.kit-console .kit-room-card h3{font-size:1.5rem;margin:.2rem 0}
.kit-console .kit-counts{display:flex;flex-wrap:wrap;gap:1.2rem;font-size:1.4rem}
.kit-console .kit-counts b{font-size:2rem;display:block}
.kit-console .kit-state-open{color:#1b5e20;font-weight:700}
.kit-console .kit-state-closed{color:#8b0000;font-weight:700}
.kit-console .widget-button{min-height:44px;font-size:1.05rem}
</style>"""


class RoomCard:
    """One room's state and its controls."""

    def __init__(self, name: str, lang: str, on_change) -> None:
        self.name, self.lang, self.on_change = name, lang, on_change
        self.workshop = console.room_of(name)
        self.info = widgets.HTML()
        self.open_button = widgets.Button(icon="play", layout=widgets.Layout(width="auto"))
        self.close_button = widgets.Button(
            icon="lock", button_style="warning", layout=widgets.Layout(width="auto")
        )
        self.export_button = widgets.Button(icon="download", layout=widgets.Layout(width="auto"))
        self.confirm = widgets.Button(
            button_style="danger", icon="check", layout=widgets.Layout(width="auto", display="none")
        )
        self.cancel = widgets.Button(
            icon="times", layout=widgets.Layout(width="auto", display="none")
        )
        for b, name_ in (
            (self.open_button, "open"),
            (self.close_button, "close"),
            (self.export_button, "export"),
            (self.confirm, "confirm"),
            (self.cancel, "cancel"),
        ):
            b.add_class(f"kit-console-{name_}")
        self.message = widgets.HTML()
        self.message.add_class("kit-status")
        self.open_button.on_click(lambda _b: self.open_round())
        self.close_button.on_click(lambda _b: self.ask_close())
        self.confirm.on_click(lambda _b: self.close_round())
        self.cancel.on_click(lambda _b: self._asking(False))
        self.export_button.on_click(lambda _b: self.export())
        self.widget = widgets.VBox(
            [
                self.info,
                widgets.HBox(
                    [
                        self.open_button,
                        self.close_button,
                        self.confirm,
                        self.cancel,
                        self.export_button,
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.message,
            ]
        )
        self.widget.add_class("kit-room-card")
        self.widget.add_class(f"kit-room-{name}")
        self.state = console.state(self.workshop)
        self.relabel(lang)

    def relabel(self, lang: str) -> None:
        """Show the card in ``lang``."""
        self.lang = lang
        self.open_button.description = t("console.open", lang)
        self.close_button.description = t("console.close", lang)
        self.export_button.description = t("console.export", lang)
        self.confirm.description = t("console.confirm_close", lang)
        self.cancel.description = t("console.cancel", lang)
        self.draw()

    def draw(self) -> None:
        """Draw the room's state (read by :meth:`refresh`)."""
        lang, s = self.lang, self.state
        title = html.escape(self.state.title(lang))
        if not s.exists:
            self.info.value = (
                f"<h3>{title}</h3><p>" + html.escape(t("console.no_room", lang)) + "</p>"
            )
            self.close_button.disabled = self.export_button.disabled = True
            return
        st = s.status
        state = (
            f"<span class='kit-state-open'>{html.escape(t('room.state_open', lang))}</span>"
            if st["open"]
            else f"<span class='kit-state-closed'>{html.escape(t('room.state_closed', lang))}"
            "</span>"
        )
        counts = "".join(
            f"<div><b>{value}</b>{html.escape(t(f'console.count_{key}', lang))}</div>"
            for key, value in (
                ("joined", st["joined"]),
                ("contributors", st["contributors"]),
                ("unshown", st["unshown"]),
            )
        )
        synthetic = html.escape(t("room.synthetic", lang)) if st["synthetic"] else ""
        self.info.value = (
            f"<h3>{title}{synthetic}</h3><p>"
            + html.escape(t("console.round", lang, round=st["round"]))
            + f" {state}</p>"
            f"<div class='kit-counts'>{counts}</div><p>"
            + html.escape(t("room.step_rule", lang, k=st["threshold"]))
            + "</p>"
        )
        self.close_button.disabled = not st["open"]
        self.open_button.disabled = st["open"]  # close first (it asks), then the next round
        self.export_button.disabled = False

    def refresh(self) -> None:
        """Read the room again and redraw it if anything changed."""
        new = console.state(self.workshop)
        if new != self.state:
            self.state = new
            self.draw()

    def _asking(self, asking: bool) -> None:
        self.confirm.layout.display = None if asking else "none"
        self.cancel.layout.display = None if asking else "none"
        self.close_button.layout.display = "none" if asking else None
        self.message.value = html.escape(t("console.really_close", self.lang)) if asking else ""

    def ask_close(self) -> None:
        """Closing asks first: it stops every app of the room from taking contributions."""
        self._asking(True)

    def close_round(self) -> dict:
        """Close the round (after the confirmation): the last step, then closed."""
        done = console.close_room(self.workshop)
        self._asking(False)
        self.message.value = html.escape(
            t(
                "room.unshown",
                self.lang,
                unshown=done["unshown"],
                groups=done["groups"],
                k=done["k"],
            )
            if done["unshown"]
            else t("room.all_shown", self.lang)
        )
        self.refresh()
        self.on_change()
        return done

    def open_round(self) -> int:
        """Open the room, or its next round."""
        number = console.open_room(self.workshop)
        self.message.value = html.escape(t("console.opened", self.lang, round=number))
        self.refresh()
        self.on_change()
        return number

    def export(self) -> str:
        """Write what the room's last shown state holds; says where."""
        try:
            path = console.export_room(self.workshop, lang=self.lang)
        except KitInputError as exc:
            self.message.value = html.escape(exc.reason_text(self.lang))
            return ""
        self.message.value = html.escape(
            t("console.exported", self.lang, file=paths.relative(path))
        )
        return str(path)


class ConsoleView:
    """The whole console: the join code above one card per room."""

    def __init__(self, lang: str | None = None, every: float = 10.0, auto: bool = True) -> None:
        self.lang = check_lang(lang)
        self.join = widgets.HTML()
        self.join.add_class("kit-join-code")
        self.cards = [RoomCard(w.name, self.lang, self.refresh) for w in console.rooms()]
        self.widget = widgets.VBox(
            [widgets.HTML(STYLE), self.join, *[c.widget for c in self.cards]]
        )
        self.widget.add_class("kit-console")
        self.every, self.auto = every, auto
        self._timer: threading.Timer | None = None
        self.relabel(self.lang)
        if auto:
            self._tick()

    def relabel(self, lang: str) -> None:
        """Show the console in ``lang``."""
        self.lang = check_lang(lang)
        for card in self.cards:
            card.relabel(self.lang)
        self.draw_join()

    def draw_join(self) -> None:
        """The join code of the day's attendee app, or how to start serving."""
        self.join.value = joincode.panel(self.lang)

    def refresh(self) -> None:
        """Read every room and the join code again."""
        for card in self.cards:
            card.refresh()
        self.draw_join()

    def _tick(self) -> None:
        self.refresh()
        self._timer = threading.Timer(self.every, self._tick)
        self._timer.daemon = True
        self._timer.start()


def maker() -> Callable[[str, object], ConsoleView]:
    """``make(lang, old)`` for :func:`kit.app.shell`."""

    def make(lang: str, old: object) -> ConsoleView:
        if isinstance(old, ConsoleView):
            old.relabel(lang)
            return old
        return ConsoleView(lang)

    return make
