"""Joining by code: the day's attendee address, as a short link and a QR code.

``kit serve`` serves the attendees' apps on one address (``http://HOST:8866/``, which opens the
day's app when ``--workshop`` names one) and keeps what attendees need to join in the state
folder (:func:`announce`). ``kit serve`` prints the QR code in the terminal (:func:`terminal`),
and the facilitator's console and the start page show it large enough for a projector
(:func:`svg`), with the address written out beside it (:func:`short`). The code carries the
attendees' token where one is set, so a phone that scans it is in.

The QR code is made by segno (pure Python, no image library). What the code holds is exactly
:attr:`Join.url`; the tests decode it back with zbar.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kit import files, paths

if TYPE_CHECKING:  # pragma: no cover - only for the type hints
    import segno

#: the file in the state folder where a running ``kit serve`` says how to join
FILE = "join.json"


@dataclass(frozen=True)
class Join:
    """How attendees join: the full address (with the token, if any) and what it opens."""

    url: str
    workshop: str = ""
    pid: int = 0

    def short(self) -> str:
        """The address as people type it: without ``http://`` and without the token."""
        return short(self.url)


def host_for(ip: str) -> str:
    """The host name attendees use for a server listening on ``ip``: the address itself,
    or, for "all addresses" (``0.0.0.0``, ``::``), this machine's address on its network as
    the system resolves its own name (nothing is sent anywhere)."""
    if ip not in ("0.0.0.0", "::", ""):
        return ip
    try:
        found = socket.gethostbyname(socket.gethostname())
    except OSError:
        found = ""
    return found if found and not found.startswith("127.") else socket.gethostname()


def address(host: str, port: int, token: str | None = None, path: str = "/") -> str:
    """The attendees' address: ``http://HOST:PORT/PATH``, with ``?token=…`` when a token is
    set."""
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{int(port)}"
    query = urllib.parse.urlencode({"token": token}) if token else ""
    return urllib.parse.urlunsplit(("http", netloc, path, query, ""))


def short(url: str) -> str:
    """``url`` without its scheme and query: what fits under a QR code on a slide."""
    parts = urllib.parse.urlsplit(url)
    return parts.netloc + (parts.path if parts.path != "/" else "")


def qr(url: str) -> segno.QRCode:
    """The segno QR code of ``url`` (error correction M, or higher where it fits)."""
    import segno

    return segno.make_qr(url, error="m", boost_error=True)


def svg(url: str, size_px: int = 360, title: str = "") -> str:
    """The QR code of ``url`` as inline SVG, ``size_px`` wide (dark on white, a quiet zone of
    four modules), with ``title`` as its accessible name."""
    code = qr(url)
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(1, size_px // modules)
    text = code.svg_inline(
        scale=scale,
        border=4,
        dark="#000000",
        light="#ffffff",
        title=title or None,
        svgclass="kit-qr",
    )
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def terminal(url: str) -> str:
    """The QR code of ``url`` as text for a terminal (two modules per character row)."""
    code = qr(url)
    rows = [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=2)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    chars = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    # dark modules drawn as background (light terminal text on dark): invert for the reader
    lines = [
        "".join(chars[(not a, not b)] for a, b in zip(top, bottom))
        for top, bottom in zip(rows[::2], rows[1::2])
    ]
    return "\n".join(lines)


PANEL_STYLE = (
    "<style>.kit-join{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center}"
    ".kit-join-address{font-size:2.4rem;font-weight:700;word-break:break-all}"
    "</style>"
)


def panel(lang: str | None = None, size_px: int = 360) -> str:
    """The join code as a projector shows it (the console, the start page): a heading, the QR
    code and the short address in large type; or, when no ``kit serve`` is running, how to
    start one."""
    import html

    from kit.i18n import t

    found = current_join()
    if found is None:
        return "<p>" + html.escape(t("console.not_serving", lang)) + "</p>"
    title = t("console.join_title", lang, address=found.short())
    return (
        PANEL_STYLE + f"<h2>{html.escape(t('console.join', lang))}</h2>"
        "<div class='kit-join'>"
        + svg(found.url, size_px, title)
        + f"<div class='kit-join-address'>{html.escape(found.short())}</div></div>"
    )


def announce(join: Join) -> Path:
    """Keep how to join in the state folder (for the console and the start page)."""
    target = paths.state_dir() / FILE
    files.write_text(target, json.dumps(asdict(join), ensure_ascii=False))
    return target


def withdraw(pid: int) -> None:
    """Forget the join address when the server ``pid`` that announced it stops."""
    target = paths.state_dir() / FILE
    current = current_join()
    if current is not None and current.pid == pid:
        target.unlink(missing_ok=True)


def current_join() -> Join | None:
    """How to join the room that ``kit serve`` is serving now, or ``None`` when no server
    announced one (or the one that did has stopped)."""
    target = paths.state_dir() / FILE
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        join = Join(
            url=str(raw["url"]), workshop=str(raw.get("workshop", "")), pid=int(raw.get("pid", 0))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if join.pid:
        try:
            os.kill(join.pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
    return join
