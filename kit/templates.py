"""HTML from Jinja2 templates, with autoescaping: every page and piece of markup the kit makes.

Templates live in ``kit/templates/`` and in the folders registered with
:func:`kit.parts.add_templates` (each workshop's ``templates/``). Every value
is escaped unless a template marks it ``|safe`` (only markup the kit itself rendered, such as a
card inside a page), so a partner name, a question text or an attendee's free text can never
inject markup. Templates get the helpers they need as globals:
``t`` (the catalogue), ``number``, ``percent`` and ``integer`` (:mod:`kit.numbers`) and
``palette`` (:mod:`kit.palette`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from kit import numbers, palette
from kit.i18n import t


def environment() -> jinja2.Environment:
    """The one template environment (made once per process, again when a folder is
    registered)."""
    from kit.parts import REGISTERED

    return _environment(tuple(REGISTERED.templates))


@cache
def _environment(registered: tuple[Path, ...]) -> jinja2.Environment:
    folders = [str(Path(__file__).with_name("templates"))]
    folders += [str(f) for f in registered if f.exists()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        t=t,
        number=numbers.number,
        percent=numbers.percent,
        integer=numbers.integer,
        palette=palette,
    )
    return env


def render(name: str, /, **context: object) -> str:
    """Render template ``name`` with ``context``."""
    return environment().get_template(name).render(**context)


def read(name: str) -> str:
    """The kit's own file ``name`` from ``kit/templates/`` as it is (a script or a style that
    takes no values)."""
    return Path(__file__).with_name("templates").joinpath(name).read_text(encoding="utf-8")
