"""The anticipation forum as ipywidgets (thin views on :mod:`.store` and :mod:`.room`).

**Taking part** (:class:`ForumView`, the attendees' app ``05_forum``): a working-life partner
picks their field (an occupation major group) and region, rates the signals of their field
(does it match what they see, how urgent is it), writes a weak signal, proposes an offer idea
or a link between a qualification and an occupation, and supports ideas already shown; one tap
sends it all as one contribution. **The room** (:class:`ForumRoomView`, the facilitator's app
``05_forum_room``): the ratings, weak signals, the prioritised training offer proposal and the
proposed links, through the privacy rule, moving in the room's privacy steps; one button
exports them as xlsx (:func:`export`, from the last shown state).

The signals come from a checked snapshot (:func:`snapshot`), so the kernel does not read the
statistics files again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from kit import paths
from kit.app import text_field
from kit.errors import KitInputError
from kit.i18n import t
from kit.workshops.anticipation import proposals
from kit.workshops.anticipation.store import SCALE, ForumStore

WIDE = widgets.Layout(width="100%")
TARGET = widgets.Layout(width="100%", min_height="44px")


def _table(rows: list[dict], columns: list[tuple[str, str]], empty: str) -> str:
    if not rows:
        return f"<p><i>{html.escape(empty)}</i></p>"
    head = "".join(f"<th>{html.escape(label)}</th>" for _key, label in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(r.get(k, '')))}</td>" for k, _label in columns)
        + "</tr>"
        for r in rows
    )
    return f"<table class='kit-forum-table'><tr>{head}</tr>{body}</table>"


class ForumView:
    """The forum for one participant's device, and the room's view."""

    def __init__(self, store: ForumStore, plain: dict, lang: str = "fi", region: str = "") -> None:
        self.store, self.all, self.lang = store, plain, lang
        #: who contributes on this page: joins with the first contribution
        self.participant: str | None = None
        first = self.plain["regions"]
        self.region = widgets.Dropdown(layout=WIDE)
        self.region.add_class("kit-forum-region")
        self.field = widgets.Dropdown(layout=WIDE)
        self.field.add_class("kit-forum-field")
        self.signal_box = widgets.VBox(layout=WIDE)
        self.ratings: dict[str, tuple[widgets.Dropdown, widgets.Dropdown]] = {}
        self.weak = text_field(area=True, layout=WIDE)
        self.weak.add_class("kit-forum-weak")
        self.offer = text_field(layout=WIDE)
        self.offer.add_class("kit-forum-offer")
        self.idea_occupation = widgets.Dropdown(layout=WIDE)
        self.rationale = text_field(area=True, layout=WIDE)
        self.rationale.add_class("kit-forum-rationale")
        self.owner = text_field(layout=WIDE)
        self.owner.add_class("kit-forum-owner")
        self.link_q = widgets.Dropdown(layout=WIDE)
        self.link_o = widgets.Dropdown(layout=WIDE)
        self.link_note = text_field(layout=WIDE)
        self.send = widgets.Button(button_style="primary", icon="check", layout=TARGET)
        self.send.add_class("kit-forum-send")
        self.send.on_click(lambda _b: self.submit())
        self.message = widgets.HTML()
        self.message.add_class("kit-status")
        self.message.add_class("kit-forum-message")
        self.support_list = widgets.SelectMultiple(layout=WIDE)
        self.support_button = widgets.Button(icon="thumbs-up", layout=TARGET)
        self.support_button.add_class("kit-forum-support")
        self.support_button.on_click(lambda _b: self.support())
        self.closed = widgets.HTML()
        self.texts = {
            k: widgets.HTML()
            for k in ("label", "intro", "rate", "weak", "idea", "link", "supports")
        }
        take_part = widgets.VBox(
            [
                self.texts["intro"],
                self.region,
                self.field,
                self.texts["rate"],
                self.signal_box,
                self.texts["weak"],
                self.weak,
                self.texts["idea"],
                self.offer,
                self.idea_occupation,
                self.rationale,
                self.owner,
                self.texts["link"],
                self.link_q,
                self.link_o,
                self.link_note,
                self.send,
                self.message,
                self.texts["supports"],
                self.support_list,
                self.support_button,
            ],
            layout=WIDE,
        )
        self.widget = widgets.VBox(
            [self.texts["label"], self.closed, take_part],
            layout=widgets.Layout(max_width="720px", width="100%"),
        )
        self.widget.add_class("kit-forum")
        self.region.observe(lambda _c: self._draw_signals(), names="value")
        self.field.observe(lambda _c: self._draw_signals(), names="value")
        self._region0 = region if region in first else next(iter(first))
        self.relabel(lang)

    @property
    def plain(self) -> dict:
        return self.all[self.lang]

    # --- taking part ---------------------------------------------------------------------
    def _signals(self) -> list[dict]:
        rows = self.plain["signals"].get(self.region.value or "", [])
        return [s for s in rows if s["field"] == self.field.value]

    def _draw_signals(self) -> None:
        lang = self.lang

        def scale(kind: str) -> list[tuple[str, int | None]]:
            """1–5 with what its ends mean ("1 · ei lainkaan" … "5 · täysin")."""
            ends = {
                SCALE[0]: t(f"forum.{kind}_low", lang),
                SCALE[-1]: t(f"forum.{kind}_high", lang),
            }
            return [("–", None)] + [(f"{v} · {ends[v]}" if v in ends else str(v), v) for v in SCALE]

        old = {o: (m.value, u.value) for o, (m, u) in self.ratings.items()}
        self.ratings = {}
        children = []
        for s in self._signals():
            occ = s["occupation"]
            name = self.plain["names"].get(occ, occ)
            trend = t(f"forum.direction.{s['direction']}", lang)
            tight = (
                "–"
                if s["tightness"] is None
                else f"{s['tightness']:.2f}".replace(".", "," if lang != "en" else ".")
            )
            info = widgets.HTML(
                f"<b>{html.escape(name)}</b><br>"
                + html.escape(t("forum.signal_line", lang, tightness=tight, direction=trend))
            )
            match = widgets.Dropdown(
                options=scale("match"),
                value=old.get(occ, (None, None))[0],
                description=t("forum.match", lang),
                style={"description_width": "initial"},
            )
            urgency = widgets.Dropdown(
                options=scale("urgency"),
                value=old.get(occ, (None, None))[1],
                description=t("forum.urgency", lang),
                style={"description_width": "initial"},
            )
            match.add_class("kit-forum-match")
            urgency.add_class("kit-forum-urgency")
            self.ratings[occ] = (match, urgency)
            # side by side where there is room, one under the other on a phone
            pair = widgets.HBox([match, urgency], layout=widgets.Layout(flex_flow="row wrap"))
            children.append(widgets.VBox([info, pair]))
        if not children:
            children = [widgets.HTML(f"<i>{html.escape(t('forum.no_signals', lang))}</i>")]
        self.signal_box.children = children
        occs = [("–", "")] + [
            (self.plain["names"].get(s["occupation"], s["occupation"]), s["occupation"])
            for s in self._signals()
        ]
        keep = self.idea_occupation.value
        self.idea_occupation.options = occs
        self.idea_occupation.value = keep if keep in [v for _l, v in occs] else ""

    def contribution(self) -> dict:
        """What the form holds now, as a contribution for the store."""
        return {
            "participant": self.participant,
            "field": self.field.value or "",
            "region": self.region.value or "",
            "ratings": [
                {"occupation": o, "match": m.value, "urgency": u.value}
                for o, (m, u) in self.ratings.items()
            ],
            "weak_signal": self.weak.value,
            "idea": {
                "offer": self.offer.value,
                "occupation": self.idea_occupation.value,
                "rationale": self.rationale.value,
                "owner": self.owner.value,
            },
            "link": {
                "qualification": self.link_q.value,
                "occupation": self.link_o.value,
                "note": self.link_note.value,
            }
            if self.link_q.value or self.link_o.value
            else None,
            "supports": [],
        }

    def submit(self) -> bool:
        """Send the form as one contribution; clears it when it was taken."""
        try:
            self.participant = self.participant or self.store.join()
            number = self.store.submit(self.contribution())
        except KitInputError as exc:
            self.message.value = f"<b>{html.escape(exc.reason_text(self.lang))}</b>"
            return False
        for m, u in self.ratings.values():
            m.value = u.value = None
        for w in (self.weak, self.offer, self.rationale, self.owner, self.link_note):
            w.value = ""
        self.idea_occupation.value = ""
        self.link_q.value = self.link_o.value = ""
        self.message.value = html.escape(t("forum.thanks", self.lang, number=number))
        self.refresh()
        return True

    def support(self) -> bool:
        """Support the ideas picked in the list (one contribution)."""
        picked = list(self.support_list.value)
        try:
            self.participant = self.participant or self.store.join()
            self.store.submit(
                {
                    "participant": self.participant,
                    "field": self.field.value,
                    "region": self.region.value,
                    "supports": picked,
                }
            )
        except KitInputError as exc:
            self.message.value = f"<b>{html.escape(exc.reason_text(self.lang))}</b>"
            return False
        self.support_list.value = ()
        self.message.value = html.escape(t("forum.supported", self.lang, count=len(picked)))
        self.refresh()
        return True

    def refresh(self) -> dict:
        """Take the room's step and offer the shown proposals to support (not one's own)."""
        state = proposals.room_state(self.store, self.all[self.lang], self._region0)
        self.closed.value = (
            ""
            if self.store.round_open()
            else f"<p class='kit-room-closed'><b>{html.escape(t('room.closed', self.lang))}</b></p>"
        )
        mine = {i["id"] for i in self.store.contributions() if i["participant"] == self.participant}
        self.support_list.options = [
            (r["offer"], r["id"]) for r in state["proposals"] if r["id"] not in mine
        ]
        return state

    def relabel(self, lang: str) -> None:
        """Show the view in ``lang``, keeping what is filled in."""
        self.lang = lang
        p = self.plain
        label = p["label"] + " · " + self.store.label(lang)
        self.texts["label"].value = f"<div class='kit-label'>{html.escape(label)}</div>"
        for key in ("intro", "rate", "weak", "idea", "link", "supports"):
            self.texts[key].value = f"<p><b>{html.escape(t(f'forum.{key}', lang))}</b></p>"
        keep_region = self.region.value or self._region0
        keep_field = self.field.value
        self.region.options = [(name, code) for code, name in p["regions"].items()]
        self.region.value = keep_region if keep_region in p["regions"] else next(iter(p["regions"]))
        self.region.description = t("ws5.col.region", lang)
        self.field.options = [(name, code) for code, name in p["fields"].items()]
        self.field.value = keep_field if keep_field in p["fields"] else next(iter(p["fields"]))
        self.field.description = t("ws5.col.field", lang)
        for w in (self.region, self.field):
            w.style = {"description_width": "initial"}
        self.weak.placeholder = t("forum.weak_placeholder", lang)
        self.offer.placeholder = t("forum.offer_placeholder", lang)
        self.rationale.placeholder = t("forum.rationale_placeholder", lang)
        self.owner.placeholder = t("forum.owner_placeholder", lang)
        self.link_note.placeholder = t("forum.note_placeholder", lang)
        keep_q, keep_o = self.link_q.value, self.link_o.value
        self.link_q.options = [("–", "")] + [
            (f"{c} {n}", c) for c, n in p["qualifications"].items()
        ]
        self.link_q.value = keep_q or ""
        self.link_o.options = [("–", "")] + [(n, c) for c, n in p["all_occupations"].items()]
        self.link_o.value = keep_o or ""
        self.link_q.description = t("ws5.col.qualification", lang)
        self.link_o.description = t("ws5.col.occupation", lang)
        # every list has its name, which a screen reader reads with it
        self.idea_occupation.description = t("ws5.col.occupation", lang)
        self.support_list.description = t("forum.ideas_list", lang)
        for w in (self.link_q, self.link_o, self.idea_occupation, self.support_list):
            w.style = {"description_width": "initial"}
        self.send.description = t("forum.send", lang)
        self.support_button.description = t("forum.support", lang)
        self._draw_signals()
        self.refresh()


class ForumRoomView:
    """The facilitator's view of the forum (``05_forum_room``): the room's shown proposal,
    ratings, weak signals and links, and the export."""

    def __init__(self, store: ForumStore, plain: dict, lang: str = "fi", region: str = "") -> None:
        self.store, self.all, self.lang = store, plain, lang
        first = plain[lang]["regions"]
        self.region = region if region in first else next(iter(first))
        self.refresh_button = widgets.Button(icon="refresh", layout=TARGET)
        self.refresh_button.add_class("kit-forum-refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.export_button = widgets.Button(icon="download", layout=TARGET)
        self.export_button.add_class("kit-forum-export")
        self.export_button.on_click(lambda _b: self.export())
        self.label = widgets.HTML()
        self.room_html = widgets.HTML()
        self.room_html.add_class("kit-forum-room")
        self.room_message = widgets.HTML()
        self.room_message.add_class("kit-status")
        self.room_message.add_class("kit-forum-room-message")
        self.widget = widgets.VBox(
            [
                self.label,
                self.refresh_button,
                self.room_html,
                self.export_button,
                self.room_message,
            ],
            layout=widgets.Layout(max_width="960px", width="100%"),
        )
        self.widget.add_class("kit-forum")
        self.relabel(lang)

    @property
    def plain(self) -> dict:
        return self.all[self.lang]

    def state(self, advance: bool = True) -> dict:
        """The room's shown tables (:func:`room_state`)."""
        return proposals.room_state(self.store, self.plain, self.region, advance)

    def refresh(self) -> dict:
        """Move the room's view one step and draw it."""
        state = self.state()
        lang, p = self.lang, self.plain
        names, regions, fields = p["names"], p["regions"], p["fields"]
        quals = {**{q: q for q in p["all_qualifications"]}, **p["qualifications"]}
        col = lambda key: t(f"ws5.col.{key}", lang)  # noqa: E731
        hidden = t("forum.hidden", lang)
        ratings = [
            {
                **r,
                "name": names.get(r["occupation"], r["occupation"]),
                "region": regions.get(r["region"], r["region"]),
                "match": hidden if r["match"] is None else r["match"],
                "urgency": hidden if r["urgency"] is None else r["urgency"],
            }
            for r in state["ratings"]
        ]
        proposals = self._proposal_rows(state["proposals"])
        weak = [
            {"field": fields.get(f, f), "text": text}
            for f, v in state["weak"].items()
            for text in v["texts"]
        ]
        links = [
            {
                "qualification": quals.get(r["qualification"], r["qualification"]),
                "occupation": p["all_occupations"].get(r["occupation"], r["occupation"]),
                "proposers": r["proposers"],
                "notes": r["notes"],
                "confirmed": t("forum.yes" if r["confirmed"] else "forum.no", lang),
            }
            for r in state["links"]
        ]
        closed = (
            ""
            if self.store.round_open()
            else f"<p class='kit-room-closed'><b>{html.escape(t('room.closed', lang))}</b></p>"
        )
        body = [
            closed,
            html.escape(
                t(
                    "forum.room_head",
                    lang,
                    people=state["people"],
                    sent=state["sent"],
                    step=state["k"],
                )
            ),
            f"<h4>{html.escape(t('forum.proposals', lang))}</h4>",
            _table(
                proposals,
                [(k, col(k)) for k in ("offer", "rationale", "signal", "supporters", "owner")],
                t("forum.empty", lang),
            ),
            f"<h4>{html.escape(t('forum.ratings', lang))}</h4>",
            _table(
                ratings,
                [
                    ("name", col("occupation")),
                    ("region", col("region")),
                    ("raters", col("raters")),
                    ("match", col("match")),
                    ("urgency", col("urgency")),
                ],
                t("forum.empty", lang),
            ),
            f"<h4>{html.escape(t('forum.weak', lang))}</h4>",
            _table(
                weak,
                [("field", col("field")), ("text", col("weak_signal"))],
                t("forum.empty", lang),
            ),
            f"<h4>{html.escape(t('forum.links', lang))}</h4>",
            _table(
                links,
                [
                    (k, col(k))
                    for k in ("qualification", "occupation", "proposers", "notes", "confirmed")
                ],
                t("forum.empty", lang),
            ),
        ]
        self.room_html.value = "".join(body)
        return state

    def _proposal_rows(self, rows: list[dict]) -> list[dict]:
        lang, p = self.lang, self.plain
        out = []
        for r in rows:
            name = p["names"].get(r["occupation"], r["occupation"]) if r["occupation"] else "–"
            trend = "" if r["trend"] is None else t("forum.trend", lang, trend=f"{r['trend']:+.2f}")
            out.append({**r, "signal": f"{name} {trend}".strip()})
        return out

    def export(self, folder: str | Path | None = None) -> Path:
        """Write the room's shown tables as xlsx (the proposal first); returns the file."""
        path = proposals.export_forum(self.store, self.all, self.region, self.lang, folder)
        self.room_message.value = html.escape(
            t("forum.exported", self.lang, file=paths.relative(path))
        )
        return path

    def relabel(self, lang: str) -> None:
        """Show the view in ``lang``."""
        self.lang = lang
        label = self.plain["label"] + " · " + self.store.label(lang)
        self.label.value = (
            f"<div class='kit-label'>{html.escape(label)}</div>"
            f"<p><b>{html.escape(t('forum.room', lang))}</b></p>"
        )
        self.refresh_button.description = t("forum.refresh", lang)
        self.export_button.description = t("forum.export", lang)
        self.refresh()


def _maker(
    view: type[Any], dataset: str, region: str, store: str | Path | None
) -> Callable[[str, object], Any]:
    plain = proposals.snapshot(dataset)
    allowed = proposals.allowed(plain["fi"])
    wanted = str(region or "").strip().casefold()
    region = next(
        (c for c, n in plain["fi"]["regions"].items() if wanted in (c.casefold(), n.casefold())), ""
    )

    def make(lang: str, old: object) -> Any:
        if isinstance(old, view):
            old.relabel(lang)
            return old
        return view(ForumStore(store or None, allowed), plain, lang, region)

    return make


def maker(
    dataset: str = "demo", region: str = "", store: str | Path | None = None
) -> Callable[[str, object], Any]:
    """``make(lang, old)`` for :func:`kit.app.shell`: the forum on the store ``store``
    (default the workshop's: :func:`.store.default_store`), opening on ``region``."""
    return _maker(ForumView, dataset, region, store)


def room_maker(
    dataset: str = "demo", region: str = "", store: str | Path | None = None
) -> Callable[[str, object], Any]:
    """``make(lang, old)`` for :func:`kit.app.shell`: the facilitator's view of the forum,
    its proposals ranked by the demand trends of ``region``."""
    return _maker(ForumRoomView, dataset, region, store)
