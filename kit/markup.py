"""Small HTML pieces that every app and report shares: the style of the pieces, the data's
label as a coloured strip, and a short note; and the style every Voilà page gets
(:data:`APP_STYLE`: contrast, focus ring, tables that fit a phone).

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


#: every app's buttons and focus ring at WCAG 2.1 AA: ipywidgets' coloured buttons carry white
#: text on colours of 2.7–3.5:1, and its focus ring is thin and pale; these reach at least
#: 4.5:1 for the text and 3:1 for the ring. Buttons show their whole label (wrapped, never cut
#: to "Lähetä mu…"), and tables wrap their text rather than run off a phone.
APP_STYLE = """<style>
.jupyter-button.mod-primary { background-color: #1565c0; color: #fff; }
.jupyter-button.mod-success { background-color: #2e7d32; color: #fff; }
.jupyter-button.mod-info { background-color: #00707c; color: #fff; }
.jupyter-button.mod-warning { background-color: #b35900; color: #fff; }
.jupyter-button.mod-danger { background-color: #c62828; color: #fff; }
.jp-Notebook :focus-visible { outline: 3px solid #1a4f8b; outline-offset: 2px; }
.jupyter-widgets.widget-button, .jupyter-widgets.widget-toggle-button { height: auto;
  min-height: var(--jp-widgets-inline-height); white-space: normal; overflow-wrap: anywhere;
  line-height: 1.3; padding-top: 4px; padding-bottom: 4px; }
.jp-RenderedHTMLCommon table { max-width: 100%; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { white-space: normal; overflow-wrap: anywhere; }
</style>"""


def in_voila() -> bool:
    """Whether this kernel runs a Voilà page (Voilà sets ``VOILA_BASE_URL`` for its kernels)."""
    import os

    return "VOILA_BASE_URL" in os.environ
