"""User-facing text in Finnish (default), Swedish and English, from one catalogue.

Every label, message and heading the kit shows comes from the catalogue: the shared part in
``kit/catalogue.toml`` and the parts registered with :func:`kit.parts.add_catalogue` (each
workshop's ``catalogue.toml``), merged into one (a key defined in two parts is an error). Keys are dotted paths
(``validate.missing_column``); each key has an ``fi``, ``sv`` and ``en`` text, which may hold
``{placeholders}`` filled from keyword arguments.

>>> t("lang.name", "en")
'English'
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGS: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANG = "fi"
_CATALOGUE = Path(__file__).with_name("catalogue.toml")
_current = os.environ.get("KIT_LANG", DEFAULT_LANG)


def parts() -> list[Path]:
    """The catalogue's files: the shared part, then each registered part (in order)."""
    from kit.parts import REGISTERED

    return [_CATALOGUE, *(p for p in REGISTERED.catalogues if p.exists())]


def catalogue() -> dict[str, dict[str, str]]:
    """Return the whole catalogue as ``{key: {lang: text}}``, all parts merged (kept until a
    part is registered).

    Raises ``ValueError`` naming the key and both files when two parts define the same key.
    """
    return _merged(tuple(parts()))


@cache
def _merged(files: tuple[Path, ...]) -> dict[str, dict[str, str]]:
    flat: dict[str, dict[str, str]] = {}
    origin: dict[str, Path] = {}

    def walk(node: dict, prefix: str, path: Path) -> None:
        for name, value in node.items():
            key = f"{prefix}.{name}" if prefix else name
            if isinstance(value, dict) and not (set(value) & set(LANGS)):
                walk(value, key, path)
            elif key in flat:
                raise ValueError(
                    f"catalogue key {key!r} is defined in both {origin[key]} and {path}"
                )
            else:
                flat[key], origin[key] = value, path

    for path in files:
        with path.open("rb") as f:
            walk(tomllib.load(f), "", path)
    return flat


def check_lang(lang: str | None) -> str:
    """Return a valid language code; ``None`` means the current language.

    Raises ``ValueError`` listing the valid codes when ``lang`` is not one of them.
    """
    if lang is None:
        return get_language()
    if lang not in LANGS:
        valid = ", ".join(LANGS)
        raise ValueError(t("lang.invalid", DEFAULT_LANG, value=lang, valid=valid))
    return lang


def set_language(lang: str) -> str:
    """Make ``lang`` the default for every later :func:`t` call and return it."""
    global _current
    _current = check_lang(lang)
    return _current


def get_language() -> str:
    """The current language (``KIT_LANG`` or Finnish unless :func:`set_language` was called)."""
    return _current if _current in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` (default: the current language), filling placeholders.

    A missing key raises ``KeyError``: the catalogue test makes sure that never reaches a user.
    """
    text = catalogue()[key][check_lang(lang)]
    return text.format(**params) if params else text


def tn(key: str, count: int, lang: str | None = None, /, **params: object) -> str:
    """Like :func:`t` for a text about ``count`` things: uses ``key + "_one"`` when ``count``
    is 1 and the catalogue has it."""
    one = f"{key}_one"
    return t(one if count == 1 and has(one) else key, lang, count=count, **params)


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in catalogue()
