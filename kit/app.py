"""What every Voilà app shares: a lean start, a language selector and a "warm" signal.

An app notebook's cells are ``app.start(lang)``, then ``app.shell(make, lang)`` as the last
expression. :func:`start` sets the language and the one-line error display and imports nothing
for plotting, so a kernel that draws no chart (the self-assessment form, the live view) stays
small; with ``lean=True`` it also keeps pyarrow out of pandas (pandas then holds text as Python
strings), which saves about 35 MB per kernel.

:func:`shell` puts a fi / sv / en selector above the app's view. Choosing a language re-labels
the app in place, for this visitor only (each visitor has a kernel of their own), and keeps what
they have entered: a view with a ``relabel(lang)`` method re-labels itself; any other view is
made again by ``make(lang, old_view)``, which carries its selections over. Nothing here reads
the query string; the selector offers only the catalogue's languages.

When ``kit serve`` pre-warms kernels it sets ``KIT_READY_DIR``; a pooled kernel that has drawn
its app leaves a mark there (:func:`mark_ready`), so ``kit serve`` can say "ready" only when
the pools have executed their notebooks, not merely started them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kit import i18n
from kit.errors import KitInputError
from kit.markup import APP_STYLE, in_voila

READY_ENV = "KIT_READY_DIR"
#: the selector's labels: each language's name in itself
LANG_LABELS = {"fi": "suomi", "sv": "svenska", "en": "English"}


def start(lang: str = "fi", *, lean: bool = False) -> str:
    """Set the app's language and the one-line error display; ``lean`` keeps pyarrow out of
    this kernel (only before pandas is first imported)."""
    from kit import notebook

    if lean and "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # pandas falls back to Python strings
    if lang not in i18n.LANGS:
        notebook.install_error_display()
        raise KitInputError(
            "unknown_lang", parameter="lang", value=lang, valid=", ".join(i18n.LANGS)
        )
    i18n.set_language(lang)
    notebook.install_error_display()
    return lang


def language_bar(lang: str, on_change: Callable[[str], None]) -> object:
    """The fi / sv / en selector; calls ``on_change(lang)`` with a checked language."""
    import ipywidgets as widgets

    bar = widgets.ToggleButtons(
        options=[(LANG_LABELS[code], code) for code in i18n.LANGS],
        value=i18n.check_lang(lang),
        style={"button_width": "auto"},
    )
    bar.add_class("kit-lang")

    def changed(change: dict) -> None:
        new = change["new"]
        if new in i18n.LANGS:
            on_change(new)

    bar.observe(changed, names="value")
    return bar


def text_field(*, area: bool = False, **options: Any) -> Any:
    """A text field (``area``: of several lines) whose text reaches the kernel whole when the
    person leaves the field, not key by key.

    ipywidgets holds back a field's further changes while the kernel has not answered its first
    one, but sends a button's click at once: a fast typist (or a busy kernel) who presses "save"
    right after typing had only the first letter saved. Sent on leaving the field, the text
    always arrives before the click that follows it.
    """
    import ipywidgets as widgets

    options.setdefault("continuous_update", False)
    return (widgets.Textarea if area else widgets.Text)(**options)


#: in Voilà the app's own heading replaces the notebook's Markdown cell, so that all of the
#: page follows the selector (JupyterLab readers still see the cell)
HIDE_MARKDOWN = "<style>.jp-MarkdownCell { display: none; }</style>"


class Shell:
    """An app with its language selector: ``widget`` holds the bar, the app's introduction
    (catalogue key ``intro``, Markdown) and the current view."""

    def __init__(self, make: Callable[[str, object], Any], lang: str, intro: str = "") -> None:
        import ipywidgets as widgets

        self.make, self.lang, self.intro_key = make, i18n.check_lang(lang), intro
        self.view = make(self.lang, None)
        self.intro = widgets.HTML(self._intro())
        self.body = widgets.Box([self.view.widget], layout=widgets.Layout(width="100%"))
        self.bar = language_bar(self.lang, self.switch)
        self.widget = widgets.VBox([self.bar, self.intro, self.body])
        self.widget.add_class("kit-app")

    def _intro(self) -> str:
        if not (self.intro_key and in_voila()):
            return APP_STYLE
        import mistune  # comes with nbconvert, which Voilà and papermill use

        return APP_STYLE + HIDE_MARKDOWN + str(mistune.html(i18n.t(self.intro_key, self.lang)))

    def switch(self, lang: str) -> None:
        """Show the app in ``lang``, keeping what the visitor has chosen and entered."""
        self.lang = i18n.set_language(lang)
        relabel = getattr(self.view, "relabel", None)
        if relabel is not None:
            relabel(lang)
        else:
            self.view = self.make(lang, self.view)
        self.intro.value = self._intro()
        self.body.children = (self.view.widget,)


def shell(
    make: Callable[[str, object], object], lang: str, name: str = "", intro: str = ""
) -> object:
    """The app's widget: the language selector over ``make(lang, None)``'s view (see
    :class:`Shell`), with the introduction ``intro`` (a catalogue key) in Voilà; marks this
    kernel warm for ``kit serve`` (``name``: the notebook)."""
    app = Shell(make, lang, intro)
    if in_voila():
        from IPython.display import Javascript, display

        from kit import templates

        # keyboard and screen-reader behaviour ipywidgets lacks (kit/templates/app_access.js)
        display(Javascript(templates.read("app_access.js")))
    mark_ready(name)
    return app.widget


def mark_ready(name: str) -> Path | None:
    """In a kernel that ``kit serve`` pre-warms, leave the mark that it has drawn app
    ``name``; elsewhere do nothing."""
    folder = os.environ.get(READY_ENV)
    if not folder or os.environ.get("VOILA_PREHEAT") != "True":
        return None
    mark = Path(folder) / f"{name or 'app'}.{os.getpid()}"
    try:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.write_text("", encoding="utf-8")
    except OSError:
        return None
    return mark
