"""The self-assessment form and the facilitator's live view, as ipywidgets (thin views).

:class:`FormView` collects one assessor's ratings and submits them to a
:class:`~kit.workshops.self_assessment.store.ResponseStore`; the store checks them
(:func:`~kit.workshops.self_assessment.store.check_response`)
and the form shows its message when something is wrong. :class:`LiveView` reads the store on a
button press or every ``every`` seconds and shows how many have answered (per partner and role,
no names or times) and the room's distribution per criterion, which moves on only when five or
more new ratings of it have arrived, so that no update isolates one submission. Both work in JupyterLab and as
Voilà apps; neither computes a figure itself.
"""

from __future__ import annotations

import threading

import ipywidgets as widgets
import pandas as pd

from kit import cards, palette, partners, privacy, templates
from kit.errors import KitInputError
from kit.i18n import check_lang, t
from kit.workshops.self_assessment import assessment
from kit.workshops.self_assessment.criteria import LEVELS, criterion_names, level_names
from kit.workshops.self_assessment.store import ResponseStore

NONE = -1  # "not rated" in the level dropdowns


def response_from(partner: str, role: str, assessor: str,
                  rows: dict[str, dict]) -> dict:
    """A response dict from the form's values; criteria left at "not rated" are left out."""
    ratings = {cid: {"level": int(v["level"]), "confidence": v.get("confidence"),
                     "evidence": v.get("evidence", ""), "idea": v.get("idea", "")}
               for cid, v in rows.items() if v.get("level", NONE) != NONE}
    return {"partner": partner, "role": role, "assessor": assessor, "ratings": ratings}


class FormView:
    """One assessor's form: partner, role, name, and per criterion a level, a confidence,
    evidence and a development idea."""

    def __init__(self, store: ResponseStore, criteria: pd.DataFrame, lang: str | None = None,
                 partner: str | None = None) -> None:
        self.store, self.criteria, self.lang = store, criteria, lang
        lang_ = check_lang(lang)
        style = {"description_width": "initial"}
        ids = partners.ids(include_network=False)
        self.partner = widgets.Dropdown(
            options=[(partners.display_name(p, lang), p) for p in ids],
            value=partner if partner in ids else ids[0],
            description=t("form.partner", lang), style=style)
        self.role = widgets.ToggleButtons(
            options=[(t("form.role_self", lang), "self"), (t("form.role_peer", lang), "peer")],
            value="self", description=t("form.role", lang), style=style)
        self.assessor = widgets.Text(description=t("form.assessor", lang), style=style,
                                     placeholder=t("form.assessor_hint", lang))
        names = level_names(lang)
        level_options = [(t("form.not_rated", lang), NONE)] + [(f"{v} {names[v]}", v)
                                                               for v in LEVELS]
        confidence_options = [("–", None), (t("form.conf_1", lang), 1),
                              (t("form.conf_2", lang), 2), (t("form.conf_3", lang), 3)]
        self.rows: dict[str, dict[str, widgets.Widget]] = {}
        blocks = []
        for c in criteria.itertuples():
            row = {
                "level": widgets.Dropdown(options=level_options, value=NONE,
                                          description=t("form.level", lang), style=style),
                "confidence": widgets.Dropdown(options=confidence_options, value=None,
                                               description=t("form.confidence", lang),
                                               style=style),
                "evidence": widgets.Textarea(placeholder=t("form.evidence", lang),
                                             layout=widgets.Layout(width="95%", height="48px")),
                "idea": widgets.Textarea(placeholder=t("form.idea", lang),
                                         layout=widgets.Layout(width="95%", height="48px")),
            }
            self.rows[c.id] = row
            head = widgets.HTML(templates.render(
                "criterion.html.j2", lang=lang, id=c.id, name=str(getattr(c, f"name_{lang_}")),
                focus=str(getattr(c, f"focus_{lang_}") or ""),
                levels=[(v, names[v], str(getattr(c, f"level_{v}_{lang_}"))) for v in LEVELS]))
            block = widgets.VBox([head, widgets.HBox([row["level"], row["confidence"]]),
                                  row["evidence"], row["idea"]])
            block.add_class(f"kit-criterion-{c.id}")
            blocks.append(block)
        self.submit_button = widgets.Button(description=t("form.submit", lang),
                                            button_style="primary", icon="check")
        self.status = widgets.HTML()
        self.submit_button.on_click(self.submit)
        self.widget = widgets.VBox([self.partner, self.role, self.assessor, *blocks,
                                    self.submit_button, self.status])
        self.widget.add_class("kit-form")

    def values(self) -> dict:
        """The response the form holds now."""
        rows = {cid: {k: w.value for k, w in row.items()} for cid, row in self.rows.items()}
        return response_from(self.partner.value, self.role.value, self.assessor.value, rows)

    def submit(self, _button=None) -> int | None:
        """Store the form's response; show the id or what to fix."""
        try:
            rid = self.store.submit(self.values())
        except KitInputError as exc:
            self.status.value = templates.render("status.html.j2", ok=False,
                                                 text=exc.message(self.lang))
            return None
        self.status.value = templates.render("status.html.j2", ok=True,
                                             text=t("form.saved", self.lang, id=rid))
        return rid


class LiveView:
    """The facilitator's view of the room: how many have answered, and each criterion's
    distribution, updated only in steps of five or more new ratings."""

    def __init__(self, store: ResponseStore, criteria: pd.DataFrame, lang: str | None = None,
                 every: float | None = None) -> None:
        self.store, self.criteria, self.lang = store, criteria, lang
        self.refresh_button = widgets.Button(description=t("live.refresh", lang), icon="refresh")
        self.auto = widgets.Checkbox(value=False, description=t("live.auto", lang))
        self.answered = widgets.HTML()
        self.room = widgets.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.auto.observe(self._auto_changed, names="value")
        self._timer: threading.Timer | None = None
        self.every = every or 10.0
        self.widget = widgets.VBox([widgets.HBox([self.refresh_button, self.auto]),
                                    self.answered, self.room])
        self.widget.add_class("kit-live")
        self.refresh()

    def refresh(self) -> None:
        """Read the store again and redraw: how many have answered, per partner and role
        (no names, no times), and the room in steps of five or more new ratings per
        criterion (:func:`~kit.workshops.self_assessment.assessment.live_steps`)."""
        responses = self.store.responses()
        lang = self.lang
        state = assessment.live_steps(responses, self.store.live_state())
        self.store.set_live_state(state)
        counts = assessment.participation(responses)
        self.answered.value = templates.render("answered.html.j2", lang=lang,
                                               total=int(counts["answered"].sum()), rows=[
            {"partner": partners.display_name(r.partner, lang),
             "role": t(f"form.role_{r.role}", lang), "answered": int(r.answered)}
            for r in counts.itertuples()])
        self.room.value = room_html(responses, self.criteria, lang, state=state)

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
