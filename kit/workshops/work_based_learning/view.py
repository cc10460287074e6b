"""The room's vote on the critical points to work on, as ipywidgets (a thin view).

:class:`VoteView` shows the seven phases as large buttons (the critical points marked), lets
an attendee pick up to three and send them to the :class:`~.votes.VoteStore` (sending again
changes the ballot until the tally shows it; "next person" starts a new participant on the
same device). Below, the room's tally: it moves on only when at least the privacy threshold of
different people have voted since (the room's privacy step), so no update isolates one
person's choice. It reads the phases and the critical points from a checked snapshot
(:func:`snapshot`), so the kernel does not cut the model again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from kit import paths, snapshots
from kit.errors import KitInputError
from kit.i18n import LANGS, t, tn
from kit.workshops.work_based_learning.votes import PICKS, VoteStore

TARGET = widgets.Layout(width="100%", min_height="44px")


def snapshot(partner: str = "network") -> dict:
    """The phases (id, names in every language) and ``partner``'s critical points, checked
    once and kept as plain JSON (``kit serve`` makes it before the room's kernels start),
    keyed by the files it is made of (the demo's feedback and work periods too) and by the
    privacy threshold (:func:`kit.snapshots.plain`)."""
    sources = [
        paths.data_dir() / "wbl_phases.csv",
        paths.data_dir() / "questions.csv",
        *sorted(p for p in paths.demo_dir().glob("*") if p.suffix in (".csv", ".json")),
    ]

    def build() -> dict:
        from kit.workshops.work_based_learning import model

        m = model.build()
        out = {}
        for p in ["network", "careeria", "live", "spesia", "kiinko", "taitotalo", "sdo"]:
            ranked = m.phases(p)
            out[p] = {r.phase: (int(r.rank) if r.critical else 0) for r in ranked.itertuples()}
        names = {lang: m.process.names(lang) for lang in LANGS}
        return {"ids": m.process.ids(), "names": names, "critical": out}

    return snapshots.plain("wbl-vote", sources, build)


class VoteView:
    """A ballot of up to :data:`PICKS` phases, and the room's tally in steps of five."""

    def __init__(
        self, store: VoteStore, phases: dict, partner: str = "network", lang: str = "fi"
    ) -> None:
        self.store, self.phases, self.lang = store, phases, lang
        #: who votes on this page: joins with the first ballot; "next person" starts anew
        self.participant: str | None = None
        self.critical = phases["critical"].get(partner, {})
        self.buttons = {}
        for p in phases["ids"]:
            b = widgets.ToggleButton(value=False, layout=TARGET)
            b.observe(lambda change, p=p: self._picked(p, change), names="value")
            b.add_class("kit-vote-phase")
            self.buttons[p] = b
        self.send = widgets.Button(button_style="primary", layout=TARGET, icon="check")
        self.send.add_class("kit-vote-send")
        self.send.on_click(lambda _b: self.submit())
        self.next_person = widgets.Button(icon="user-plus", layout=TARGET)
        self.next_person.add_class("kit-vote-next")
        self.next_person.on_click(lambda _b: self.start_over())
        self.message = widgets.HTML()
        self.message.add_class("kit-status")
        self.refresh_button = widgets.Button(icon="refresh", layout=TARGET)
        self.refresh_button.add_class("kit-vote-refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.tally = widgets.HTML()
        self.tally.add_class("kit-vote-tally")
        self.heading = widgets.HTML()
        self.widget = widgets.VBox(
            [
                self.heading,
                *self.buttons.values(),
                self.send,
                self.message,
                self.next_person,
                self.refresh_button,
                self.tally,
            ],
            layout=widgets.Layout(max_width="560px", width="100%"),
        )
        self.widget.add_class("kit-vote")
        self.relabel(lang)

    def chosen(self) -> list[str]:
        """The phases picked now, in process order."""
        return [p for p, b in self.buttons.items() if b.value]

    def _picked(self, phase: str, change: dict) -> None:
        if change["new"] and len(self.chosen()) > PICKS:
            self.buttons[phase].value = False
            self.message.value = html.escape(t("wbl.vote_too_many", self.lang, most=PICKS))

    def submit(self) -> bool:
        """Send the ballot; clears the buttons for the next person when it was taken."""
        try:
            self.participant = self.participant or self.store.join()
            self.store.cast(self.chosen(), self.participant)
        except KitInputError as exc:
            self.message.value = f"<b>{html.escape(exc.reason_text(self.lang))}</b>"
            return False
        for b in self.buttons.values():
            b.value = False
        self.message.value = html.escape(t("wbl.vote_thanks", self.lang))
        self.refresh()
        return True

    def start_over(self) -> None:
        """The next person on this device: a new participant, nothing picked."""
        self.participant = None
        for b in self.buttons.values():
            b.value = False
        self.message.value = ""

    def refresh(self) -> None:
        """Take the room's privacy step and draw the tally."""
        self.store.advance()
        state = self.store.tally()
        lang = self.lang
        if state["voters"] == 0:
            body = t("wbl.tally_empty", lang, step=state["step"])
        else:
            top = max(state["votes"].values()) or 1
            rows = []
            for p in self.phases["ids"]:
                v = state["votes"].get(p, 0)
                width = int(100 * v / top)
                rows.append(
                    f"<div class='kit-tally-row'><span>{html.escape(self._name(p))}"
                    f"</span><div style='background:#1f5f8b;height:14px;"
                    f"width:{width}%'></div><b>{v}</b></div>"
                )
            body = t("wbl.tally_head", lang, voters=state["voters"]) + "".join(rows)
        if state["waiting"]:
            body += (
                "<p>"
                + tn(
                    "wbl.tally_waiting",
                    state["waiting"],
                    lang,
                    waiting=state["waiting"],
                    step=state["step"],
                )
                + "</p>"
            )
        if not self.store.round_open():
            body = (
                f"<p class='kit-room-closed'><b>{html.escape(t('room.closed', lang))}</b></p>"
                + body
            )
        self.tally.value = body

    def _name(self, phase: str) -> str:
        name = f"{phase} {self.phases['names'][self.lang][phase]}"
        rank = self.critical.get(phase, 0)
        return f"{name} · {t('wbl.vote_critical', self.lang, rank=rank)}" if rank else name

    def relabel(self, lang: str) -> None:
        """Show the view in ``lang``, keeping what is picked."""
        self.lang = lang
        self.heading.value = "<b>" + html.escape(t("wbl.vote_heading", lang, most=PICKS)) + "</b>"
        for p, b in self.buttons.items():
            b.description = self._name(p)
            b.tooltip = self._name(p)
        self.send.description = t("wbl.vote_send", lang)
        self.refresh_button.description = t("wbl.vote_refresh", lang)
        self.next_person.description = t("wbl.vote_next", lang)
        self.refresh()


def maker(
    partner: str = "network", store: str | Path | None = None
) -> Callable[[str, object], VoteView]:
    """``make(lang, old)`` for :func:`kit.app.shell`: the voting view on the store ``store``
    (default the workshop's: :func:`.votes.default_store`)."""
    phases = snapshot()

    def make(lang: str, old: object) -> VoteView:
        return VoteView(VoteStore(store or None, phases["ids"]), phases, partner, lang)

    return make
