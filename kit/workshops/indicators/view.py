"""Workshop 3's app: the scorecard (tuloskortti) of one partner, with an edit mode that sets
targets, owners and the next check-in, records check-in notes and RACER ratings. A thin widget
layer over :mod:`.scorecard` and :mod:`.checkins`: every value goes through their checks, and
the card is rebuilt from the store after each save, so a reload shows what was saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets

from kit import markup, partners
from kit.app import text_field
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.indicators import scorecard
from kit.workshops.indicators.checkins import KARVI, RACER
from kit.workshops.indicators.indicator_registry import formatted


class ScorecardView:
    """The scorecard app over a :class:`~kit.workshops.indicators.model.Model`."""

    def __init__(self, model, partner: str, lang: str | None = None) -> None:
        self.model, self.lang = model, lang
        ids = model.registry.ids()
        self.partner = widgets.Dropdown(
            options=[(partners.display_name(p, lang), p) for p in partners.ids()],
            value=partners.check(partner),
            description=t("dashboard.slicer_partner", lang),
            style={"description_width": "initial"},
        )
        self.card = widgets.HTML()
        #: who rates on this page (RACER ratings are room contributions): joins with the first
        self.participant: str | None = None
        #: what the editor showed when it was filled (see :meth:`_fill`)
        self.loaded: dict[str, object] = {}
        self.edit = widgets.ToggleButton(
            value=False,
            description=t("scorecard.edit", lang),
            tooltip=t("scorecard.edit", lang),  # else ipywidgets titles it "null"
            icon="pencil",
        )
        self.indicator = widgets.Dropdown(
            options=[(model.registry.name(i, lang), i) for i in ids],
            description=t("scorecard.col.name", lang),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.target = text_field(
            description=t("scorecard.col.target", lang),
            placeholder="0.65",
            style={"description_width": "initial"},
        )
        self.owner = text_field(
            description=t("scorecard.col.owner", lang), style={"description_width": "initial"}
        )
        self.next = widgets.DatePicker(
            description=t("scorecard.col.next", lang), style={"description_width": "initial"}
        )
        self.note = text_field(
            area=True,
            placeholder=t("scorecard.note_placeholder", lang),
            layout=widgets.Layout(width="100%"),
        )
        self.author = text_field(
            description=t("scorecard.author", lang), style={"description_width": "initial"}
        )
        self.save = widgets.Button(
            description=t("scorecard.save", lang), button_style="primary", icon="check"
        )
        self.racer = {
            name: widgets.Dropdown(
                options=[("–", None)]
                + [(f"{i} {t(f'karvi.{k}', lang)}", i) for i, k in enumerate(KARVI)],
                description=t(f"racer.{name}", lang),
                style={"description_width": "initial"},
            )
            for name in RACER
        }
        self.rate = widgets.Button(description=t("scorecard.rate", lang), icon="star")
        self.message = widgets.HTML()
        self.message.add_class("kit-status")
        for w, name in (
            (self.partner, "partner"),
            (self.edit, "edit"),
            (self.indicator, "indicator"),
            (self.target, "target"),
            (self.owner, "owner"),
            (self.note, "note"),
            (self.save, "save"),
            (self.rate, "rate"),
            (self.message, "message"),
        ):
            w.add_class(f"kit-sc-{name}")
        editor = widgets.VBox(
            [
                self.indicator,
                widgets.HBox([self.target, self.owner, self.next]),
                self.note,
                widgets.HBox([self.author, self.save]),
                widgets.HTML(f"<b>{t('scorecard.racer_heading', lang)}</b>"),
                widgets.HBox(
                    list(self.racer.values()), layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.rate,
            ]
        )
        self.editor = editor
        editor.layout.display = "none"
        # the editor opens right under its button and the message follows it, above the card:
        # on a phone, below the card they were a long scroll away from the tap
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.partner, self.edit], layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.editor,
                self.message,
                self.card,
            ]
        )
        self.widget.add_class("kit-scorecard-app")
        self.partner.observe(lambda _c: self.refresh(), names="value")
        self.edit.observe(self._toggle, names="value")
        self.indicator.observe(lambda _c: self._fill(), names="value")
        self.save.on_click(self._save)
        self.rate.on_click(self._rate)
        self.refresh()

    def keep(self, old: ScorecardView) -> None:
        """Carry over what ``old`` (the same app in another language) held: the open editor,
        the indicator, what was typed and not yet saved, the RACER choices and who rates."""
        self.participant = old.participant
        self.indicator.value = old.indicator.value  # fills the fields from the store first
        for name in ("target", "owner", "next", "note", "author"):
            getattr(self, name).value = getattr(old, name).value
        self.loaded = dict(old.loaded)  # what that tab showed: a save writes only changes
        for name, box in self.racer.items():
            box.value = old.racer[name].value
        self.edit.value = old.edit.value

    def refresh(self) -> None:
        """Rebuild the card from the values and the store."""
        try:
            self.card.value = markup.style() + self.model.card_html(self.partner.value)
            self._fill()
        except KitInputError as exc:
            self.message.value = markup.note("✘ " + exc.reason_text(self.lang))

    def _fill(self) -> None:
        row = self.model.card(self.partner.value).set_index("indicator").loc[self.indicator.value]
        # as the card shows it ("60,0 %"), and read back the same way (:meth:`_target`)
        self.target.value = (
            ""
            if row["target"] != row["target"]
            else formatted(
                row["target"], self.model.registry.row(self.indicator.value)["unit"], self.lang
            )
        )
        self.owner.value = row["owner"]
        self.next.value = dt.date.fromisoformat(row["next_date"]) if row["next_date"] else None
        # what this tab showed: a save writes only the fields changed here, so a tab opened
        # before another one saved never writes the old values back over the new
        self.loaded = {
            "target": self.target.value,
            "owner": self.owner.value,
            "next": self.next.value,
        }

    def _toggle(self, change: dict) -> None:
        self.editor.layout.display = "flex" if change["new"] else "none"

    def _target(self) -> float | None:
        """The target typed (``0.65``, ``0,65``, ``65 %``; a share typed as ``65`` is read as
        65 %), checked against the indicator's unit by :func:`.scorecard.save_edit`."""
        raw = self.target.value.strip()
        text = raw.replace(",", ".").rstrip("%").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise KitInputError("checkin_bad_target", parameter="target", value=raw) from None
        unit = self.model.registry.row(self.indicator.value)["unit"]
        if raw.endswith("%") or (unit == "share" and 1 < value <= 100):
            value /= 100
        return value

    def _save(self, _button=None) -> None:
        try:
            changed_target = self.target.value != self.loaded["target"]
            saved = scorecard.save_edit(
                self.model.store,
                self.partner.value,
                self.indicator.value,
                target=self._target() if changed_target else None,
                owner=self.owner.value if self.owner.value != self.loaded["owner"] else None,
                next_date=self.next.value.isoformat()
                if self.next.value is not None and self.next.value != self.loaded["next"]
                else None,
                note=self.note.value.strip() or None,
                author=self.author.value,
                registry=self.model.registry,
            )
            self.note.value = ""
            self.message.value = markup.note(t("scorecard.saved", self.lang, count=len(saved)))
            self.model.refresh_targets()
            self.refresh()
        except KitInputError as exc:
            self.message.value = markup.note("✘ " + exc.reason_text(self.lang))

    def _rate(self, _button=None) -> None:
        levels = {name: w.value for name, w in self.racer.items()}
        try:
            self.participant = self.participant or self.model.store.join()
            scorecard.save_racer(
                self.model.store,
                self.partner.value,
                self.indicator.value,
                levels,
                note=self.note.value.strip(),
                author=self.author.value,
                participant=self.participant,
            )
            self.message.value = markup.note(t("scorecard.rated", self.lang))
            for w in self.racer.values():
                w.value = None
        except KitInputError as exc:
            self.message.value = markup.note("✘ " + exc.reason_text(self.lang))


def app(model, partner: str = partners.NETWORK, lang: str | None = None) -> widgets.VBox:
    """The scorecard app's widget."""
    return ScorecardView(model, partner, lang).widget


def maker(
    data, partner: str = partners.NETWORK, store: str = ""
) -> Callable[[str, ScorecardView | None], ScorecardView]:
    """For :func:`kit.app.shell`: ``make(lang, old)`` gives the scorecard in ``lang`` on the
    old view's partner (first ``partner``); edits go to the same store in every language, and
    the model is built again on each switch, so targets saved a moment ago show."""
    from kit.workshops.indicators import model as indicators

    target = indicators.store_for(store)

    def make(lang: str, old: ScorecardView | None) -> ScorecardView:
        chosen = old.partner.value if old is not None else partner
        view = ScorecardView(indicators.build(data, lang=lang, store=target), chosen, lang)
        if old is not None:
            view.keep(old)
        return view

    return make
