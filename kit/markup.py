"""Small HTML pieces that every app and report shares: the style of the pieces, the data's
label as a coloured strip, and a short note.

Each renders a Jinja2 template (:mod:`kit.templates`; every value is escaped). A workshop's own
pieces (the dashboards' KPI cards and bars, :mod:`kit.workshops.dashboards.cards`) use the same
style.
"""

from __future__ import annotations

from kit import templates


def style() -> str:
    """The ``<style>`` block the pieces below need (once per page or app)."""
    return templates.render("cards_style.html.j2")


def label(text: str, synthetic: bool) -> str:
    """The data label as a coloured strip: amber for synthetic data, grey for real data."""
    return templates.render("label.html.j2", text=text, synthetic=synthetic)


def note(text: str) -> str:
    """A short note in italics (for example why nothing is shown)."""
    return templates.render("note.html.j2", text=text)
