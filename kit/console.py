"""The facilitator's console: every room's state and controls, as plain functions.

``kit room status|open|close|reopen|export [WORKSHOP]`` and the console app (``00_console``,
view in :mod:`kit.console_view`) both work through this module. It reads the workshop registry
(it is one of the commands that iterate every workshop): a workshop with a ``room`` entry has a
room store at :func:`kit.store.default_path` of its name.

* **status**: per room, whether the current round is open, the rounds (each with its
  contributions and participants), who joined, when the room last moved, and how many
  participants no shown state holds yet. Counts of who took part are participation and are
  shown as they are.
* **open** makes the room ready (a new store, or the next round when the current one is
  closed); **reopen** starts the next round; **close** takes the last privacy step and closes
  the round (what the rule allows of the rest is shown; the rest is counted).
* **export** writes what the room's last shown state holds (never more), through the
  workshop's own export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kit import paths, workshops
from kit.errors import KitInputError
from kit.i18n import t
from kit.room import Room
from kit.store import default_path
from kit.threshold import threshold
from kit.workshops.spec import Workshop, resolve

ACTIONS = ("status", "open", "close", "reopen", "export")


def rooms() -> list[Workshop]:
    """The workshops that collect from a room, in registry order."""
    return [w for w in workshops.REGISTRY if w.room]


def room_of(name: str) -> Workshop:
    """The workshop ``name``, if it has a room; else a message listing those that do."""
    found = {w.name: w for w in rooms()}
    if name not in found:
        raise KitInputError(
            "unknown_value", parameter="WORKSHOP", value=name, valid=", ".join(found)
        )
    return found[name]


@dataclass(frozen=True)
class RoomState:
    """One room as the console shows it."""

    workshop: str
    path: Path
    exists: bool
    status: dict

    def title(self, lang: str | None = None) -> str:
        """The workshop's name in ``lang``."""
        return t(f"workshop.{self.workshop}", lang)


def store_path(workshop: Workshop, path: str | Path | None = None) -> Path:
    """The room's store: ``path``, or the workshop's default."""
    return Path(path) if path else default_path(workshop.name)


def state(workshop: Workshop, path: str | Path | None = None) -> RoomState:
    """The room's state, without making a store where there is none."""
    where = store_path(workshop, path)
    if not where.exists():
        return RoomState(workshop.name, where, False, {"threshold": threshold()})
    return RoomState(workshop.name, where, True, Room(where).status())


def states(names: list[str] | None = None) -> list[RoomState]:
    """The state of the rooms ``names`` (default: every room)."""
    chosen = [room_of(n) for n in names] if names else rooms()
    return [state(w) for w in chosen]


def open_room(workshop: Workshop, path: str | Path | None = None) -> int:
    """Make the room ready: its store (round 1 open), or the next round when the current one
    is closed; returns the open round's number."""
    store = Room(store_path(workshop, path))
    if store.round_open():
        return store.status()["round"]
    return store.reopen_round()


def reopen_room(workshop: Workshop, path: str | Path | None = None) -> int:
    """Start the room's next round; a round still open is closed first as
    :func:`close_room` closes it (with its last step). Returns the new round's number."""
    return Room(store_path(workshop, path)).reopen_round()


def close_room(workshop: Workshop, path: str | Path | None = None) -> dict:
    """Take the room's last step and close its round (:meth:`kit.room.Room.close`):
    ``closed``, ``round``, ``unshown`` (participants no shown state holds, after the step) and
    ``groups`` (groups still waiting)."""
    store = Room(store_path(workshop, path))
    result = store.close()
    status = store.status()
    return {
        "closed": result["closed"],
        "round": status["round"],
        "unshown": status["unshown"],
        "groups": len(result["unshown"]),
        "k": status["threshold"],
    }


def export_room(
    workshop: Workshop,
    out: str | Path | None = None,
    path: str | Path | None = None,
    lang: str | None = None,
) -> Path:
    """Write what the room's last shown state holds into ``out`` (default
    ``reports/room``), through the workshop's own export; returns the file."""
    where = store_path(workshop, path)
    if not where.exists():
        raise KitInputError(
            "room_missing", parameter="WORKSHOP", value=workshop.name, where=paths.relative(where)
        )
    folder = Path(out) if out else paths.reports_dir() / "room"
    assert workshop.room is not None
    return resolve(workshop.room.export)(where, folder, lang)


def lines(found: RoomState, lang: str | None = None) -> list[str]:
    """The console's text for one room (``kit room status``)."""
    if not found.exists:
        return [
            t(
                "room.status_missing",
                lang,
                workshop=found.title(lang),
                file=paths.relative(found.path),
            )
        ]
    s = found.status
    out = [
        t(
            "room.status_line",
            lang,
            workshop=found.title(lang),
            round=s["round"],
            state=t("room.state_open" if s["open"] else "room.state_closed", lang),
            joined=s["joined"],
            contributors=s["contributors"],
            unshown=s["unshown"],
            last=s["last_step"] or "–",
            k=s["threshold"],
            synthetic=t("room.synthetic", lang) if s["synthetic"] else "",
        )
    ]
    for r in s["rounds"]:
        out.append(
            t(
                "room.status_round",
                lang,
                round=r["round"],
                opened=r["opened_at"][:16],
                closed=(r["closed_at"] or "–")[:16],
                contributions=r["contributions"],
                participants=r["participants"],
            )
        )
    return out


def command(args) -> int:
    """``kit room ACTION [WORKSHOP]``: see the module's docstring."""
    lang = args.lang
    if args.action != "status" and not args.workshop:
        raise KitInputError(
            "room_needs_workshop",
            parameter="WORKSHOP",
            action=args.action,
            valid=", ".join(w.name for w in rooms()),
        )
    if args.store and not args.workshop:
        raise KitInputError(
            "room_needs_workshop",
            parameter="--store",
            action=args.action,
            valid=", ".join(w.name for w in rooms()),
        )
    if args.action == "status":
        chosen = [room_of(args.workshop)] if args.workshop else rooms()
        for w in chosen:
            print("\n".join(lines(state(w, args.store), lang)))
        return 0
    w = room_of(args.workshop)
    title = t(f"workshop.{w.name}", lang)
    if args.action == "open":
        print(t("room.opened", lang, workshop=title, round=open_room(w, args.store)))
    elif args.action == "reopen":
        print(t("room.opened", lang, workshop=title, round=reopen_room(w, args.store)))
    elif args.action == "close":
        done = close_room(w, args.store)
        key = "room.closed_now" if done["closed"] else "room.closed_already"
        print(t(key, lang, workshop=title, round=done["round"]))
        print(
            t("room.unshown", lang, unshown=done["unshown"], groups=done["groups"], k=done["k"])
            if done["unshown"]
            else t("room.all_shown", lang)
        )
    else:
        path = export_room(w, args.out, args.store, lang)
        print(t("room.exported", lang, workshop=title, file=paths.relative(path)))
    return 0
