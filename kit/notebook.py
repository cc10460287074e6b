"""Helpers for the notebooks: language, friendly errors, story text, tables and data labels.

Every notebook starts with ``nb.start(lang)``. After that, bad input anywhere in the notebook
shows the same one-line message as the command line (no traceback), story text comes from the
catalogue in the chosen language, and tables and charts carry the label of their data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kit import i18n
from kit.errors import KitInputError
from kit.i18n import t

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import pandas as pd


def start(lang: str = "fi") -> str:
    """Set the language, show kit errors as one line, and set the plotting style."""
    if lang not in i18n.LANGS:
        install_error_display()
        raise KitInputError(
            "unknown_lang", parameter="lang", value=lang, valid=", ".join(i18n.LANGS)
        )
    i18n.set_language(lang)
    install_error_display()
    install_chart_descriptions()
    from kit import markup

    if markup.in_voila():  # the page served as an app (the start page): the apps' style
        from IPython.display import HTML, display

        display(HTML(markup.APP_STYLE))
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    return lang


def install_chart_descriptions() -> None:
    """Show every chart in this kernel with its description (:func:`kit.charts.description`,
    in the notebook's language) as the image's alternative text: the PNG that Jupyter shows
    and that a report's HTML keeps carries it in its metadata, which nbconvert writes as the
    ``alt`` of the image. Voilà's page draws a PNG without reading that metadata, so there a
    chart is shown as an HTML image that carries its ``alt`` itself. Installed once per
    kernel; ``%matplotlib inline`` run again puts Jupyter's own PNG formatter back, and the
    next :func:`start` wraps it again."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib
    from matplotlib.figure import Figure

    from kit.markup import in_voila

    if "inline" in matplotlib.get_backend():
        # load Jupyter's inline backend now: it sets its formatters as it loads, which would
        # otherwise replace these at the first chart of a fresh kernel
        import matplotlib_inline.backend_inline  # noqa: F401

        _draw_once(shell)
    png = shell.display_formatter.formatters["image/png"]
    try:
        drawn = png.lookup_by_type(Figure)
    except KeyError:
        return  # no inline backend: nothing is shown as a PNG
    if getattr(drawn, "kit_described", False):
        return

    def described(fig):
        from kit import charts

        data = drawn(fig)
        if data is None:
            return data
        about = {"alt": charts.description(fig)}
        figures = charts.figures_html(fig)
        if figures:
            about["kit_figures"] = figures  # a report shows it after the chart (kit.runner)
        return data, about

    def as_html(fig):
        import base64
        import html

        from kit import charts

        data = drawn(fig)
        if data is None:
            return None
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode()
        alt = html.escape(charts.description(fig), quote=True)
        image = f'<img alt="{alt}" style="max-width:100%" src="data:image/png;base64,{data}">'
        # the chart's figures as a table too, for those who cannot see it; <details> keeps it
        # out of the way of those who can
        return image + (charts.figures_html(fig) or "")

    described.kit_described = True  # type: ignore[attr-defined]
    png.for_type(Figure, described)
    if in_voila():
        png.pop(Figure)
        png.for_type(Figure, _shown_elsewhere)
        shell.display_formatter.formatters["text/html"].for_type(Figure, as_html)


def _draw_once(shell) -> None:
    """Draw each chart once, as the picture shown. After every cell pyplot redraws the open
    figures on screen (for windows that must follow a change), then the inline backend draws
    them again into the PNG it shows: with no window, the first drawing is a third of a
    chart's cost for nothing."""
    import matplotlib.pyplot as plt

    redraw = getattr(plt, "_draw_all_if_interactive", None)
    if redraw is not None and redraw in shell.events.callbacks.get("post_execute", []):
        shell.events.unregister("post_execute", redraw)


def _shown_elsewhere(fig) -> None:
    """In Voilà a chart's PNG is in its HTML image (see :func:`install_chart_descriptions`)."""
    return None


_shown_elsewhere.kit_described = True  # type: ignore[attr-defined]


def install_error_display() -> None:
    """Show :class:`KitInputError` in this kernel as one line, without a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return

    def one_line(shell, etype, value, tb, tb_offset=None):  # noqa: ARG001 - IPython's signature
        # IPython ignores what a custom handler returns, so publish the error ourselves: the
        # kernel sends it as an error output (ename, evalue, a one-line "traceback").
        lines = [value.message()]
        shell._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((KitInputError,), one_line)


def say(key: str, /, **params: object) -> None:
    """Show catalogue text ``key`` (Markdown) in the current language."""
    from IPython.display import Markdown, display

    display(Markdown(t(key, **params)))


def show(table: pd.DataFrame, caption: str | None = None) -> None:
    """Show a table without its index, with an optional caption (for example the data label)."""
    from IPython.display import display

    styled = table.style.hide(axis="index").format(precision=2, na_rep="–")
    if caption:
        styled = styled.set_caption(caption)
    display(styled)


def banner(label: str, synthetic: bool) -> None:
    """Show a data label as a coloured box: amber for synthetic data, grey for real data."""
    from IPython.display import HTML, display

    from kit import templates

    display(HTML(templates.render("banner.html.j2", text=label, synthetic=synthetic)))


def html(markup: str) -> None:
    """Show ready HTML (the dashboard's cards and lists)."""
    from IPython.display import HTML, display

    display(HTML(markup))


def record(path: str, figures: dict) -> None:
    """Write the headline ``figures`` as JSON to ``path`` (a notebook parameter that
    ``kit run`` sets); with an empty path (JupyterLab, Voilà) nothing is written."""
    if not path:
        return
    import json
    from pathlib import Path

    def plain(value: object) -> object:
        return value.item() if hasattr(value, "item") else str(value)

    Path(path).write_text(
        json.dumps(figures, ensure_ascii=False, indent=1, default=plain), encoding="utf-8"
    )


_session: dict = {}


def remember_session() -> None:
    """Keep the plot settings of a freshly warmed kernel (``kit run`` calls this once)."""
    import matplotlib

    _session["rc"] = {
        k: v for k, v in matplotlib.rcParams.items() if k not in ("backend", "interactive")
    }


def restore_session() -> None:
    """Make a used kernel look fresh for the next notebook: its namespace empty, figures
    closed, plot settings and language as they were after warming up (``kit run`` calls this
    between notebooks)."""
    import matplotlib
    import matplotlib.pyplot as plt

    _empty_namespace()
    plt.close("all")
    if "rc" in _session:
        with __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore")
            matplotlib.rcParams.update(_session["rc"])
    i18n.set_language(i18n.DEFAULT_LANG)


def _empty_namespace() -> None:
    """What ``%reset -f`` does, but for its two full garbage collections: a warm kernel holds
    the kit's kept models, and each collection walks all of them (a third of a second, twice
    per report). Python's own collector still frees what a notebook left in cycles."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    hook = shell.displayhook
    full, hook.do_full_cache = hook.do_full_cache, False  # its flush would collect
    try:
        shell.reset(new_session=False)
    finally:
        hook.do_full_cache = full
    hook._ = hook.__ = hook.___ = ""  # the last outputs, which the flush lets go of


def small_label() -> str:
    """How a group of 1–4 is written ("1-4")."""
    from kit import privacy

    return privacy.small_label()
