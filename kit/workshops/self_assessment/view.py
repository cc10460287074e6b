"""The facilitator's live view of the self-assessment room, as ipywidgets (a thin view).

The attendees' form is :mod:`kit.workshops.self_assessment.form`. :class:`LiveView` reads the
store on a button press or every ``every`` seconds and shows how many have answered (per
partner and role, no names or times) and the room's distribution per criterion, which moves on
only when five or more new ratings of it have arrived, so that no update isolates one
submission. Its step and the amendments' check are one transaction: an answer the view has
shown can no longer be amended, so no two of its states, and no report, differ by one person's
change. The facilitator closes the
round here; after that no answer can be amended. It works in JupyterLab and as a Voilà app and
computes no figure itself.
"""

from __future__ import annotations

import threading

import ipywidgets as widgets
import pandas as pd

from kit import cards, palette, partners, privacy, templates
from kit.i18n import t
from kit.workshops.self_assessment import assessment
from kit.workshops.self_assessment.criteria import LEVELS, criterion_names, level_names
from kit.workshops.self_assessment.store import ResponseStore


class LiveView:
    """The facilitator's view of the room: how many have answered, and each criterion's
    distribution, updated only in steps of five or more new ratings."""

    def __init__(self, store: ResponseStore, criteria: pd.DataFrame | list[dict],
                 lang: str | None = None, every: float | None = None) -> None:
        self.store, self.lang = store, lang
        self.criteria = criteria if isinstance(criteria, pd.DataFrame) else pd.DataFrame(criteria)
        self.refresh_button = widgets.Button(description=t("live.refresh", lang), icon="refresh")
        self.auto = widgets.Checkbox(value=False, description=t("live.auto", lang))
        closed = not store.round_open()
        self.round = widgets.ToggleButton(value=closed, icon="lock", disabled=closed,
                                          description=t("live.close_round", lang),
                                          tooltip=t("live.close_round_help", lang))
        self.round.add_class("kit-live-round")
        self.answered = widgets.HTML()
        self.room = widgets.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.auto.observe(self._auto_changed, names="value")
        self.round.observe(self._round_changed, names="value")
        self._timer: threading.Timer | None = None
        self.every = every or 10.0
        self.widget = widgets.VBox([widgets.HBox([self.refresh_button, self.auto, self.round],
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.answered, self.room])
        self.widget.add_class("kit-live")
        self.refresh()

    def refresh(self) -> None:
        """Read the store again and redraw: how many have answered, per partner and role
        (no names, no times), and the room in steps of five or more new ratings per
        criterion (:func:`~kit.workshops.self_assessment.assessment.live_steps`)."""
        responses, state = self.store.advance_live(assessment.live_steps)
        lang = self.lang
        counts = assessment.participation(responses)
        self.answered.value = templates.render("answered.html.j2", lang=lang,
                                               total=int(counts["answered"].sum()), rows=[
            {"partner": partners.display_name(r.partner, lang),
             "role": t(f"form.role_{r.role}", lang), "answered": int(r.answered)}
            for r in counts.itertuples()])
        self.room.value = room_html(responses, self.criteria, lang, state=state)

    def relabel(self, lang: str) -> None:
        """Show the view in ``lang``."""
        self.lang = lang
        self.refresh_button.description = t("live.refresh", lang)
        self.auto.description = t("live.auto", lang)
        self.round.description = t("live.close_round", lang)
        self.round.tooltip = t("live.close_round_help", lang)
        self.refresh()

    def _round_changed(self, change: dict) -> None:
        """Closing is one way: anyone who can open the live view could otherwise reopen a
        round after its report is out and let an amendment change it."""
        if change["new"] and self.store.round_open():
            self.store.close_round()
        self.round.value = not self.store.round_open()
        self.round.disabled = self.round.value

    def _auto_changed(self, change: dict) -> None:
        if change["new"]:
            self._tick()
        elif self._timer:
            self._timer.cancel()

    def _tick(self) -> None:
        if not self.auto.value:
            return
        self.refresh()
        self._timer = threading.Timer(self.every, self._tick)
        self._timer.daemon = True
        self._timer.start()


def room_html(responses: pd.DataFrame, criteria: pd.DataFrame, lang: str | None = None,
              state: dict[str, int] | None = None) -> str:
    """Each criterion's distribution in the room as bars (levels 0–4), or "1-4" where it is
    hidden; as of the live ``state`` when one is given."""
    names = criterion_names(criteria, lang)
    table = assessment.room(responses) if state is None else assessment.live_room(responses,
                                                                                   state)
    level = level_names(lang)
    rows = []
    for cid in criteria["id"]:
        r = table[table["criterion"] == cid]
        row = {"label": f"{cid} {names.get(cid, '')}", "parts": []}
        if r.empty or pd.isna(r["median"].iloc[0]):
            row["n"] = privacy.small_label() if not r.empty else "0"
        else:
            r = r.iloc[0]
            total = sum(r[f"n_{v}"] for v in LEVELS)
            row["n"] = int(r["n"])
            row["parts"] = [{"width": r[f"n_{v}"] / total * 100, "colour": c,
                             "title": f"{level[v]}: {int(r[f'n_{v}'])}"}
                            for v, c in zip(LEVELS, palette.SCALE)]
        rows.append(row)
    return templates.render("room.html.j2", lang=lang, style=cards.style(),
                            items=[(f"{v} {level[v]}", c) for v, c in zip(LEVELS, palette.SCALE)],
                            right=False, rows=rows)
