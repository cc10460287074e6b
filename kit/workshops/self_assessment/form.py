"""The self-assessment form for phones: a model of plain functions and data, and a thin view.

**Model.** An :class:`Answer` is what one attendee has entered so far: partner, role, name and
per criterion a level, a confidence, evidence and an idea. :func:`set_rating` changes it only
to valid values (anything else is refused with the same message as the store's check), so a
visitor who sends the kernel a crafted widget value gets a message, not a stored value.
:func:`send` stores the answer, or amends it when it came with a receipt code, and
:func:`load` fetches an earlier answer by its code while the round is open.

**View.** :class:`FormView` shows one page at a time: who is answering, then one area of the
criteria per page (large level buttons, the level descriptors one tap away), then "send". The
progress ("7 / 15 rated") stays in view. ``relabel(lang)`` re-draws it in another language from
the same :class:`Answer`, so nothing typed is lost.

Neither part imports numpy, pandas or anything for plotting: the form's kernel stays small
(``bench/room.py`` measures it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kit import partners, templates
from kit.app import text_field
from kit.errors import KitInputError
from kit.i18n import check_lang, t
from kit.workshops.self_assessment.criteria import LEVELS, area_of, level_names
from kit.workshops.self_assessment.store import ResponseStore
from kit.workshops.self_assessment.submission import CONFIDENCE, MAX_TEXT, ROLES, check_receipt

TEXTS = ("evidence", "idea")


@dataclass
class Answer:
    """One attendee's answer as entered so far; ``receipt`` is set once it is stored, and the
    next :func:`send` then amends it."""

    partner: str
    role: str = "self"
    assessor: str = ""
    ratings: dict[str, dict] = field(default_factory=dict)
    receipt: str = ""


def new_answer(partner: str | None = None) -> Answer:
    """An empty answer, for ``partner`` if it is one of the six (else the first)."""
    ids = partners.ids(include_network=False)
    return Answer(partner=partner if partner in ids else ids[0])


def set_field(answer: Answer, name: str, value: object) -> None:
    """Set ``partner``, ``role`` or ``assessor`` to a valid value, or refuse it."""
    if name == "partner":
        valid = partners.ids(include_network=False)
        if value not in valid:
            raise KitInputError(
                "unknown_partner", parameter="partner", value=value, valid=", ".join(valid)
            )
    elif name == "role":
        if value not in ROLES:
            raise KitInputError(
                "unknown_value", parameter="role", value=value, valid=", ".join(ROLES)
            )
    elif name == "assessor":
        if not isinstance(value, str) or len(value) > 200:
            raise KitInputError("response_bad_assessor", parameter="assessor")
    else:
        raise KitInputError(
            "unknown_value", parameter="field", value=name, valid="partner, role, assessor"
        )
    setattr(answer, name, value)


def set_rating(
    answer: Answer, criteria: list[Mapping], criterion: str, name: str, value: object
) -> None:
    """Set one field of one criterion's rating (``level``: 0–4 or ``None`` for not rated,
    ``confidence``: 1–3 or ``None``, ``evidence`` / ``idea``: text), or refuse the value."""
    ids = [c["id"] for c in criteria]
    if criterion not in ids:
        raise KitInputError(
            "unknown_value", parameter="criterion", value=criterion, valid=", ".join(ids)
        )
    where = f"ratings.{criterion}.{name}"
    if name == "level":
        if value is not None and (isinstance(value, bool) or value not in LEVELS):
            raise KitInputError("response_bad_level", parameter=where, value=value)
    elif name == "confidence":
        if value is not None and (isinstance(value, bool) or value not in CONFIDENCE):
            raise KitInputError("response_bad_confidence", parameter=where, value=value)
    elif name in TEXTS:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise KitInputError("response_bad_text", parameter=where, limit=MAX_TEXT)
    else:
        raise KitInputError(
            "unknown_value",
            parameter="field",
            value=name,
            valid="level, confidence, evidence, idea",
        )
    answer.ratings.setdefault(criterion, {})[name] = value


def rated(answer: Answer) -> int:
    """How many criteria have a level."""
    return sum(1 for r in answer.ratings.values() if r.get("level") is not None)


def response(answer: Answer) -> dict:
    """The answer as the store takes it; criteria without a level are left out."""
    ratings = {
        cid: {
            "level": r["level"],
            "confidence": r.get("confidence"),
            "evidence": r.get("evidence") or "",
            "idea": r.get("idea") or "",
        }
        for cid, r in answer.ratings.items()
        if r.get("level") is not None
    }
    return {
        "partner": answer.partner,
        "role": answer.role,
        "assessor": answer.assessor,
        "ratings": ratings,
    }


def send(store: ResponseStore, answer: Answer) -> str:
    """Store the answer (or amend it, when it has a receipt: the participant's code, or the
    signed-in user behind the hub); returns the receipt. The store checks it; a refusal
    raises :class:`KitInputError` and changes nothing."""
    answer.receipt = store.receipt(store.submit(response(answer), answer.receipt or None))
    return answer.receipt


def load(store: ResponseStore, code: str) -> Answer:
    """The stored answer with receipt ``code``, ready to amend (refused once the round is
    closed or when no answer has that code)."""
    receipt = check_receipt(code)
    stored = store.answer(receipt)
    return Answer(
        partner=stored["partner"],
        role=stored["role"],
        assessor=stored["assessor"],
        ratings={cid: dict(r) for cid, r in stored["ratings"].items()},
        receipt=receipt,
    )


def pages(criteria: list[Mapping]) -> list[tuple[str, list[Mapping]]]:
    """The form's pages: ``("who", [])``, one ``(area, criteria)`` per area, ``("send", [])``."""
    by_id = {c["id"]: c for c in criteria}
    return [
        ("who", []),
        *((area, [by_id[i] for i in ids]) for area, ids in area_of(list(criteria)).items()),
        ("send", []),
    ]


# --- the view ------------------------------------------------------------------------------------

#: large targets on a phone: at least 44 px high, 16 px text (no zoom on focus); the levels as
#: full-width buttons that carry their names (phones show no tooltips); whole labels on every
#: button; the progress kept in view at the top while the page scrolls (the boxes around the form
#: let it: a box that clips its content would hold the sticky bar in place); a receipt code
STYLE = """<style>
.kit-form { max-width: 40rem; }
.kit-form .widget-toggle-button, .kit-form .widget-button, .kit-app .kit-lang button {
  min-height: 44px; font-size: 16px; }
.kit-form textarea, .kit-form input, .kit-form select { font-size: 16px; min-height: 44px; }
.kit-form .widget-button { width: auto; max-width: 100%; }
.kit-form .kit-levels > div { display: flex; flex-direction: column; align-items: stretch;
  width: 100%; }
.kit-form .kit-levels .widget-toggle-button { width: 100%; margin: 0 0 4px 0; text-align: left; }
.kit-form details summary { min-height: 44px; line-height: 44px; cursor: pointer; }
.kit-form > .kit-progress-bar { position: sticky; top: 0; z-index: 2; background: #fff;
  border-bottom: 1px solid #767676; }
.jp-OutputArea:has(.kit-form), .jp-OutputArea-child:has(.kit-form),
.jp-OutputArea-output:has(.kit-form), .widget-box:has(.kit-form), .kit-form {
  overflow: visible !important; }
.kit-form .kit-progress { font-size: 1.1rem; font-weight: 600; padding: 6px 0; }
.kit-form .kit-receipt { font: 700 2rem/1.3 monospace; letter-spacing: 0.15em; color: #111; }
</style>"""


class FormView:
    """The phone form over one :class:`Answer` (see the module's docstring)."""

    def __init__(
        self,
        store: ResponseStore,
        criteria: list[Mapping],
        lang: str | None = None,
        partner: str | None = None,
    ) -> None:
        import ipywidgets as widgets

        self.store, self.criteria = store, list(criteria)
        self.lang = check_lang(lang)
        self.answer = new_answer(partner)
        self.pages = pages(self.criteria)
        self.page = 0
        self.message = ""
        self.widget = widgets.VBox()
        self.widget.add_class("kit-form")
        self._draw()

    # the model's operations, as the buttons call them
    def go(self, page: int) -> None:
        """Show page ``page`` (clipped to the pages there are). Onward from the first page
        only with a name: a missing one is said there, where it is asked, not at "send"."""
        page = max(0, min(int(page), len(self.pages) - 1))
        if (
            self.pages[self.page][0] == "who"
            and page > self.page
            and not self.answer.assessor.strip()
        ):
            self.message = templates.render(
                "status.html.j2", ok=False, text=t("form.name_missing", self.lang)
            )
            self._draw()
            return
        self.page = page
        self.message = ""
        self._draw()

    def submit(self, _button=None) -> str | None:
        """Send the answer; show its receipt code or what to fix."""
        try:
            code = send(self.store, self.answer)
        except KitInputError as exc:
            self.message = templates.render(
                "status.html.j2", ok=False, text=exc.reason_text(self.lang)
            )
            self._draw()
            return None
        signed_in = ":" in code  # behind the hub the answer is the user's, with no code
        self.message = templates.render(
            "status.html.j2",
            ok=True,
            text=t("form.saved_signed_in" if signed_in else "form.saved_code", self.lang),
            code="" if signed_in else code,
        )
        self._draw()
        return code

    def start_over(self, _button=None) -> None:
        """A new, empty answer (the next person on the same phone), on the first page."""
        self.answer = new_answer(self.answer.partner)
        self.page, self.message = 0, ""
        self._draw()

    def amend(self, code: str) -> bool:
        """Load the answer with receipt ``code`` to change it."""
        try:
            self.answer = load(self.store, code)
        except KitInputError as exc:
            self.message = templates.render(
                "status.html.j2", ok=False, text=exc.reason_text(self.lang)
            )
            self._draw()
            return False
        self.page = 1
        self.message = templates.render(
            "status.html.j2", ok=True, text=t("form.loaded", self.lang, code=self.answer.receipt)
        )
        self._draw()
        return True

    def relabel(self, lang: str) -> None:
        """Draw the form again in ``lang``, with everything entered kept."""
        self.lang = check_lang(lang)
        self._draw()

    def progress(self) -> str:
        """ "7 / 15 rated", in the form's language."""
        return t("form.progress", self.lang, rated=rated(self.answer), total=len(self.criteria))

    # drawing
    def _draw(self) -> None:
        import ipywidgets as widgets

        name, items = self.pages[self.page]
        self.progress_label = widgets.HTML(f'<div class="kit-progress">{self.progress()}</div>')
        self.progress_label.add_class("kit-progress-bar")  # stays at the top while scrolling
        head = widgets.HTML(
            STYLE + f"<h3>{self._title(name)}</h3>"
            f"<p>{t('form.page', self.lang, page=self.page + 1, pages=len(self.pages))}</p>"
        )
        body = (
            self._who()
            if name == "who"
            else self._send()
            if name == "send"
            else [self._criterion(c) for c in items]
        )
        self.back = widgets.Button(
            description=t("form.back", self.lang), icon="arrow-left", disabled=self.page == 0
        )
        self.forward = widgets.Button(
            description=t("form.next", self.lang),
            icon="arrow-right",
            button_style="info",
            disabled=self.page == len(self.pages) - 1,
        )
        self.back.on_click(lambda _b: self.go(self.page - 1))
        self.forward.on_click(lambda _b: self.go(self.page + 1))
        head.add_class("kit-heading")  # a new page: focus moves here (kit.app.shell)
        status = widgets.HTML(self.message)
        status.add_class("kit-status")  # announced when it changes
        closed = widgets.HTML(
            ""
            if self.store.round_open()
            else templates.render("status.html.j2", ok=False, text=t("room.closed", self.lang))
        )
        self.widget.children = [
            head,
            closed,
            self.progress_label,
            *body,
            status,
            widgets.HBox([self.back, self.forward]),
        ]

    def _title(self, name: str) -> str:
        if name in ("who", "send"):
            return t(f"form.page_{name}", self.lang)
        return t(f"selfassess.area.{name}", self.lang)

    def _observe(self, widget, apply) -> None:
        def changed(change: dict) -> None:
            try:
                apply(change["new"])
            except KitInputError as exc:
                self.message = templates.render(
                    "status.html.j2", ok=False, text=exc.reason_text(self.lang)
                )
                self._draw()
                return
            self.progress_label.value = f'<div class="kit-progress">{self.progress()}</div>'

        widget.observe(changed, names="value")

    def _who(self) -> list:
        import ipywidgets as widgets

        lang, style = self.lang, {"description_width": "initial"}
        partner = widgets.Dropdown(
            options=[
                (partners.display_name(p, lang), p) for p in partners.ids(include_network=False)
            ],
            value=self.answer.partner,
            description=t("form.partner", lang),
            style=style,
        )
        role = widgets.ToggleButtons(
            options=[(t("form.role_self", lang), "self"), (t("form.role_peer", lang), "peer")],
            value=self.answer.role,
            description=t("form.role", lang),
            tooltip=t("form.role", lang),  # else ipywidgets titles the label "null"
            style=style,
        )
        name = text_field(
            value=self.answer.assessor,
            description=t("form.assessor", lang),
            placeholder=t("form.assessor_hint", lang),
            style=style,
        )
        for w, key in ((partner, "partner"), (role, "role"), (name, "assessor")):
            self._observe(w, lambda v, key=key: set_field(self.answer, key, v))
        self.partner, self.role, self.assessor = partner, role, name
        return [partner, role, name]

    def _criterion(self, c: Mapping):
        import ipywidgets as widgets

        lang, cid = self.lang, c["id"]
        names = level_names(lang)
        rating = self.answer.ratings.get(cid, {})
        head = widgets.HTML(
            templates.render(
                "criterion.html.j2",
                lang=lang,
                id=cid,
                name=c[f"name_{lang}"],
                focus=c.get(f"focus_{lang}", ""),
                levels=[(v, names[v], c[f"level_{v}_{lang}"]) for v in LEVELS],
            )
        )
        level = widgets.ToggleButtons(
            options=[(f"{v} · {names[v]}", v) for v in LEVELS],
            value=rating.get("level"),
            tooltip=t("form.level", lang),  # the group's name (else ipywidgets writes "null")
        )
        level.add_class("kit-levels")
        confidence = widgets.ToggleButtons(
            options=[(t(f"form.conf_{v}", lang), v) for v in CONFIDENCE],
            value=rating.get("confidence"),
            description=t("form.confidence", lang),
            style={"description_width": "initial", "button_width": "auto"},
        )
        texts = {
            k: text_field(
                area=True,
                value=rating.get(k) or "",
                placeholder=t(f"form.{k}", lang),
                layout=widgets.Layout(width="100%", height="64px"),
            )
            for k in TEXTS
        }
        for w, key in (
            (level, "level"),
            (confidence, "confidence"),
            *((w, k) for k, w in texts.items()),
        ):
            self._observe(w, lambda v, key=key: set_rating(self.answer, self.criteria, cid, key, v))
        block = widgets.VBox(
            [
                head,
                widgets.HTML(f"<b>{t('form.level', lang)}</b>"),
                level,
                confidence,
                *texts.values(),
            ]
        )
        block.add_class(f"kit-criterion-{cid}")
        return block

    def _send(self) -> list:
        import ipywidgets as widgets

        lang = self.lang
        button = widgets.Button(
            description=t("form.amend_submit" if self.answer.receipt else "form.submit", lang),
            button_style="primary",
            icon="check",
        )
        button.on_click(self.submit)
        code = text_field(
            placeholder=t("form.code_hint", lang),
            description=t("form.code", lang),
            style={"description_width": "initial"},
        )
        fetch = widgets.Button(description=t("form.load", lang), icon="pencil")
        fetch.on_click(lambda _b: self.amend(code.value))
        fresh = widgets.Button(description=t("form.start_over", lang), icon="user-plus")
        fresh.on_click(self.start_over)
        self.submit_button, self.code, self.fetch, self.fresh = button, code, fetch, fresh
        return [
            button,
            widgets.HTML(f"<p>{t('form.amend_help', lang)}</p>"),
            widgets.HBox([code, fetch], layout=widgets.Layout(flex_flow="row wrap")),
            fresh,
        ]
