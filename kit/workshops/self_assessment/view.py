"""The facilitator's live view of the self-assessment room, as ipywidgets (a thin view).

The attendees' form is :mod:`kit.workshops.self_assessment.form`. :class:`LiveView` reads the
store on a button press or every ``every`` seconds and shows how many have answered (per
partner and role, no names or times) and the room's distribution per criterion, which moves on
only when at least the privacy threshold of different participants have rated it since
(the room's privacy step, :mod:`kit.room`), so that no update isolates one submission. An
answer a shown state holds can no longer be amended, so no two of its states, and no report,
differ by one person's change. It refreshes itself and shows whether the round is open; the
facilitator opens and closes rounds in the console (``00_console``, or ``kit room``). It works
in JupyterLab and as a Voilà app and computes no figure itself.
"""

from __future__ import annotations

import threading
from typing import Any

import ipywidgets as widgets
import pandas as pd

from kit import markup, palette, partners, privacy, templates
from kit.i18n import t
from kit.workshops.self_assessment import assessment
from kit.workshops.self_assessment.criteria import LEVELS, criterion_names, level_names
from kit.workshops.self_assessment.store import ResponseStore


class LiveView:
    """The facilitator's view of the room: how many have answered, and each criterion's
    distribution, updated only in the room's privacy steps; refreshing itself every ``every``
    seconds while ``auto`` (a refresh that finds nothing new sends nothing to the page)."""

    def __init__(
        self,
        store: ResponseStore,
        criteria: pd.DataFrame | list[dict],
        lang: str | None = None,
        every: float | None = None,
        auto: bool = True,
    ) -> None:
        self.store, self.lang = store, lang
        self.criteria = criteria if isinstance(criteria, pd.DataFrame) else pd.DataFrame(criteria)
        self.refresh_button = widgets.Button(description=t("live.refresh", lang), icon="refresh")
        self.auto = widgets.Checkbox(value=auto, description=t("live.auto", lang))
        self.round = widgets.HTML()
        self.round.add_class("kit-live-round")
        self.answered = widgets.HTML()
        self.room = widgets.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.auto.observe(self._auto_changed, names="value")
        self._timer: threading.Timer | None = None
        self.every = every or 10.0
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.refresh_button, self.auto], layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.round,
                self.answered,
                self.room,
            ]
        )
        self.widget.add_class("kit-live")
        self._tick()

    def refresh(self) -> None:
        """Take the room's privacy step and redraw: how many have answered, per partner and
        role (participation: no names, no times), the round, and the room's last shown
        state."""
        self.store.advance()
        lang = self.lang
        counts = assessment.participation(self.store.responses(shown=False))
        self.answered.value = templates.render(
            "answered.html.j2",
            lang=lang,
            total=int(counts["answered"].sum()),
            rows=[
                {
                    "partner": partners.display_name(r.partner, lang),
                    "role": t(f"form.role_{r.role}", lang),
                    "answered": int(r.answered),
                }
                for r in counts.itertuples()
            ],
        )
        self.room.value = room_html(self.store.responses(), self.criteria, lang)
        status = self.store.status()
        self.round.value = templates.render(
            "status.html.j2",
            ok=status["open"],
            text=t(
                "live.round_open" if status["open"] else "room.closed",
                lang,
                round=status["round"],
                joined=status["joined"],
            ),
        )

    def relabel(self, lang: str) -> None:
        """Show the view in ``lang``."""
        self.lang = lang
        self.refresh_button.description = t("live.refresh", lang)
        self.auto.description = t("live.auto", lang)
        self.refresh()

    def _auto_changed(self, change: dict) -> None:
        if change["new"]:
            self._tick()
        elif self._timer:
            self._timer.cancel()

    def _tick(self) -> None:
        self.refresh()
        if not self.auto.value:
            return
        self._timer = threading.Timer(self.every, self._tick)
        self._timer.daemon = True
        self._timer.start()


def room_html(responses: pd.DataFrame, criteria: pd.DataFrame, lang: str | None = None) -> str:
    """Each criterion's distribution in the room as bars (levels 0–4), or "1-4" where it is
    hidden (``responses``: the room's last shown state)."""
    names = criterion_names(criteria, lang)
    table = assessment.room(responses)
    level = level_names(lang)
    rows = []
    for cid in criteria["id"]:
        r = table[table["criterion"] == cid]
        row: dict[str, Any] = {"label": f"{cid} {names.get(cid, '')}", "parts": []}
        if r.empty or pd.isna(r["median"].iloc[0]):
            row["n"] = privacy.small_label() if not r.empty else "0"
        else:
            r = r.iloc[0]
            total = sum(r[f"n_{v}"] for v in LEVELS)
            row["n"] = int(r["n"])
            row["parts"] = [
                {
                    "width": r[f"n_{v}"] / total * 100,
                    "colour": c,
                    "ink": "#ffffff" if c in (palette.SCALE[0], palette.SCALE[-1]) else "#111111",
                    "count": int(r[f"n_{v}"]),
                    "title": f"{level[v]}: {int(r[f'n_{v}'])}",
                }
                for v, c in zip(LEVELS, palette.SCALE)
            ]
            row["described"] = "; ".join(p["title"] for p in row["parts"])
        rows.append(row)
    return templates.render(
        "room.html.j2",
        lang=lang,
        style=markup.style(),
        items=[(f"{v} {level[v]}", c) for v, c in zip(LEVELS, palette.SCALE)],
        right=False,
        rows=rows,
        k=privacy.threshold(),
    )
