"""The forum's room, as plain functions: what its apps read (:func:`snapshot`, what a
contribution may name: :func:`allowed`), the room's shown tables (:func:`room_state`), and its
result as a file: the prioritised training-offer proposal, with the room's shown ratings, weak
signals and proposed links, as one xlsx (:func:`export_forum`, ``reports/forum/``).

Everything written comes from the room's shown state (:mod:`.room`), so the file shows no more
than the facilitator's screen did: the same privacy rule, the same steps. The first sheet says
what the file is and whether the contributions were invented (the demo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kit import files, paths, snapshots
from kit.i18n import LANGS, t
from kit.threshold import threshold
from kit.workshops.anticipation import room
from kit.workshops.anticipation.store import ForumStore


def snapshot(dataset: str = "demo") -> dict:
    """What the app shows, checked once and kept as plain JSON: per region the signals of
    the map's occupations, the names of occupations, fields and qualifications in every
    language, and the data's label."""
    from kit.workshops.anticipation import model

    where = model.folder(dataset)
    sources = [*model._files(where), paths.data_dir() / "occupation_map.csv"]

    def build() -> dict:
        from kit import occupations, qualifications

        out = {}
        for lang in LANGS:
            m = model.build(dataset, lang=lang)
            plain = m.forum_signals()
            fields = sorted({s["field"] for rows in plain["signals"].values() for s in rows})
            plain["fields"] = {f: f"{f} {occupations.name(f, lang)}" for f in fields}
            plain["all_occupations"] = {
                c: f"{c} {n}" for c, n in occupations.names(lang).items() if len(c) == 4
            }
            plain["all_qualifications"] = list(qualifications.cost_groups().index)
            out[lang] = plain
        return out

    import hashlib

    tag = hashlib.sha1(str(where.resolve()).encode()).hexdigest()[:10]
    return snapshots.plain(f"forum-{tag}", sources, build)


def allowed(plain: dict) -> dict:
    """What a forum contribution may name, from the app's snapshot: ``regions``,
    ``occupations`` (the signals), ``all_occupations`` and ``qualifications``."""
    occs = {s["occupation"] for rows in plain["signals"].values() for s in rows}
    return {
        "regions": list(plain["regions"]),
        "occupations": sorted(occs),
        "all_occupations": sorted(plain["all_occupations"]),
        "qualifications": sorted(set(plain["qualifications"]) | set(plain["all_qualifications"])),
    }


def room_state(store: ForumStore, plain: dict, region: str, advance: bool = True) -> dict:
    """The room's shown tables (after one privacy step when ``advance``): ``ratings``,
    ``weak``, ``proposals`` (ranked with the demand trend of ``region``), ``links``, and the
    participation counts ``joined``, ``people``, ``sent``, and ``k``."""
    if advance:
        store.advance()
    shown = store.shown()
    items = store.contributions()
    trend = {s["occupation"]: s["trend"] for s in plain["signals"].get(region, [])}
    return {
        "ratings": room.ratings(items, shown),
        "weak": room.weak_signals(items, shown),
        "proposals": room.proposals(items, shown, signal=trend),
        "links": room.links(items, shown),
        "joined": store.joined(),
        "people": store.participants(),
        "sent": len(items),
        "k": threshold(),
    }


def export_forum(
    store: ForumStore,
    plain: dict,
    region: str = "",
    lang: str = "fi",
    folder: str | Path | None = None,
) -> Path:
    """The forum's xlsx from the room's last shown state (no step is taken)."""
    p = plain[lang]
    region = region if region in p["regions"] else next(iter(p["regions"]))
    state = room_state(store, p, region, advance=False)
    rows = []
    for r in state["proposals"]:
        name = p["names"].get(r["occupation"], r["occupation"]) if r["occupation"] else "–"
        trend = "" if r["trend"] is None else t("forum.trend", lang, trend=f"{r['trend']:+.2f}")
        rows.append({**r, "signal": f"{name} {trend}".strip()})
    from kit import room as rooms

    return export(
        rows, state, p, store.label(lang), lang, folder, rooms.about(store, store.label(lang), lang)
    )


def export(
    proposal_rows: list[dict],
    state: dict,
    plain: dict,
    store_label: str,
    lang: str = "fi",
    folder: str | Path | None = None,
    room_lines: list[str] | None = None,
) -> Path:
    """Write ``training_offer_proposal.xlsx`` into ``folder`` (default ``reports/forum``):
    sheets for the proposal, the ratings, the weak signals, the links and what the file is;
    returns its path."""
    import pandas as pd

    col = lambda key: t(f"ws5.col.{key}", lang)  # noqa: E731
    names, regions = plain["names"], plain["regions"]
    proposal = pd.DataFrame(
        [
            {
                col("offer"): r["offer"],
                col("rationale"): r["rationale"],
                col("signal"): r["signal"],
                col("supporters"): r["supporters"],
                col("owner"): r["owner"],
            }
            for r in proposal_rows
        ],
        columns=[col(k) for k in ("offer", "rationale", "signal", "supporters", "owner")],
    )
    ratings = pd.DataFrame(
        [
            {
                col("occupation"): names.get(r["occupation"], r["occupation"]),
                col("region"): regions.get(r["region"], r["region"]),
                col("raters"): r["raters"],
                col("match"): r["match"],
                col("urgency"): r["urgency"],
            }
            for r in state["ratings"]
        ],
        columns=[col(k) for k in ("occupation", "region", "raters", "match", "urgency")],
    )
    weak = pd.DataFrame(
        [
            {col("field"): plain["fields"].get(f, f), col("weak_signal"): text}
            for f, v in state["weak"].items()
            for text in v["texts"]
        ],
        columns=[col("field"), col("weak_signal")],
    )
    links = pd.DataFrame(
        [
            {
                col("qualification"): r["qualification"],
                col("occupation"): r["occupation"],
                col("proposers"): r["proposers"],
                col("notes"): r["notes"],
                col("confirmed"): r["confirmed"],
            }
            for r in state["links"]
        ],
        columns=[
            col(k) for k in ("qualification", "occupation", "proposers", "notes", "confirmed")
        ],
    )
    about = pd.DataFrame(
        {
            t("forum.sheet_about", lang): [
                t("forum.export_title", lang),
                plain["label"],
                store_label,
                t("forum.export_rule", lang, step=state["k"]),
                t(
                    "forum.export_made",
                    lang,
                    when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                    people=state["people"],
                ),
                *(room_lines or []),
            ]
        }
    )
    target = Path(folder) if folder else paths.reports_dir() / "forum"
    path = target / "training_offer_proposal.xlsx"
    with files.atomic(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as book:
            for sheet, frame in (
                (t("forum.sheet_proposal", lang), proposal),
                (t("forum.sheet_ratings", lang), ratings),
                (t("forum.sheet_weak", lang), weak),
                (t("forum.sheet_links", lang), links),
                (t("forum.sheet_about", lang), about),
            ):
                frame.to_excel(book, sheet_name=sheet[:31], index=False)
    return path


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export anticipation``: the forum's last shown state (:func:`export`) from the
    store at ``path``, with the demo signals' snapshot for names; returns the file."""
    from kit.i18n import check_lang

    plain = snapshot("demo")
    store = ForumStore(path, allowed(plain["fi"]))
    return export_forum(store, plain, "", check_lang(lang), out)


def open_store(path: str | Path) -> ForumStore:
    """The forum's store at ``path``, with what the demo's signals allow."""
    return ForumStore(path, allowed(snapshot("demo")["fi"]))


def sample(store: ForumStore, participant: str, number: int) -> int:
    """One valid contribution of ``participant``: a rating of one of two signals, a weak
    signal and, for every third number, an offer idea (all chosen by ``number``); a
    participant rates a signal once, so the same participant's next numbers rate the other
    signal or are refused."""
    region = store.allowed["regions"][0]
    occupations = store.allowed["occupations"]
    occupation = occupations[number % 2]
    return store.submit(
        {
            "participant": participant,
            "field": occupation[0],
            "region": region,
            "ratings": [
                {"occupation": occupation, "match": number % 5 + 1, "urgency": (number + 2) % 5 + 1}
            ],
            "weak_signal": f"weak signal {number}",
            "idea": {"offer": f"offer {number}", "occupation": occupation}
            if number % 3 == 0
            else None,
        }
    )


def published(store: ForumStore) -> dict:
    """What the forum's room view and export show of the contributions: the shown ratings,
    weak signals, proposals and links (counts of who is waiting left out: participation)."""
    items, shown = store.contributions(), store.shown()

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "waiting"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(
        {
            "ratings": room.ratings(items, shown),
            "weak": room.weak_signals(items, shown),
            "proposals": room.proposals(items, shown),
            "links": room.links(items, shown),
        }
    )
