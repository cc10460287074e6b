"""The forum's result as a file: the prioritised training-offer proposal, with the room's
shown ratings, weak signals and proposed links, as one xlsx (``reports/forum/``).

Everything written comes from the room's shown state (:mod:`.room`), so the file shows no more
than the facilitator's screen did: the same privacy rule, the same steps. The first sheet says
what the file is and whether the contributions were invented (the demo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kit import files, paths
from kit.i18n import t


def export(proposal_rows: list[dict], state: dict, plain: dict, store_label: str,
           lang: str = "fi", folder: str | Path | None = None) -> Path:
    """Write ``training_offer_proposal.xlsx`` into ``folder`` (default ``reports/forum``):
    sheets for the proposal, the ratings, the weak signals, the links and what the file is;
    returns its path."""
    import pandas as pd

    col = lambda key: t(f"ws5.col.{key}", lang)  # noqa: E731
    names, regions = plain["names"], plain["regions"]
    proposal = pd.DataFrame(
        [{col("offer"): r["offer"], col("rationale"): r["rationale"],
          col("signal"): r["signal"], col("supporters"): r["supporters"],
          col("owner"): r["owner"]} for r in proposal_rows],
        columns=[col(k) for k in ("offer", "rationale", "signal", "supporters", "owner")])
    ratings = pd.DataFrame(
        [{col("occupation"): names.get(r["occupation"], r["occupation"]),
          col("region"): regions.get(r["region"], r["region"]), col("raters"): r["raters"],
          col("match"): r["match"], col("urgency"): r["urgency"]} for r in state["ratings"]],
        columns=[col(k) for k in ("occupation", "region", "raters", "match", "urgency")])
    weak = pd.DataFrame(
        [{col("field"): plain["fields"].get(f, f), col("weak_signal"): text}
         for f, v in state["weak"].items() for text in v["texts"]],
        columns=[col("field"), col("weak_signal")])
    links = pd.DataFrame(
        [{col("qualification"): r["qualification"], col("occupation"): r["occupation"],
          col("proposers"): r["proposers"], col("notes"): r["notes"],
          col("confirmed"): r["confirmed"]} for r in state["links"]],
        columns=[col(k) for k in ("qualification", "occupation", "proposers", "notes",
                                  "confirmed")])
    about = pd.DataFrame({t("forum.sheet_about", lang): [
        t("forum.export_title", lang), plain["label"], store_label,
        t("forum.export_rule", lang, step=state["k"]),
        t("forum.export_made", lang, when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
          people=state["people"])]})
    target = Path(folder) if folder else paths.reports_dir() / "forum"
    path = target / "training_offer_proposal.xlsx"
    with files.atomic(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as book:
            for sheet, frame in ((t("forum.sheet_proposal", lang), proposal),
                                 (t("forum.sheet_ratings", lang), ratings),
                                 (t("forum.sheet_weak", lang), weak),
                                 (t("forum.sheet_links", lang), links),
                                 (t("forum.sheet_about", lang), about)):
                frame.to_excel(book, sheet_name=sheet[:31], index=False)
    return path


def export_room(path: str | Path, out: str | Path, lang: str | None = None) -> Path:
    """``kit room export anticipation``: the forum's last shown state (:func:`export`) from the
    store at ``path``, with the demo signals' snapshot for names; returns the file."""
    from kit.i18n import check_lang
    from kit.workshops.anticipation import view
    from kit.workshops.anticipation.store import ForumStore

    plain = view.snapshot("demo")
    store = ForumStore(path, view._allowed(plain["fi"]))
    return view.export(store, plain, "", check_lang(lang), out)


def open_store(path: str | Path):
    """The forum's store at ``path``, with what the demo's signals allow."""
    from kit.workshops.anticipation import view
    from kit.workshops.anticipation.store import ForumStore

    return ForumStore(path, view._allowed(view.snapshot("demo")["fi"]))


def sample(store, participant: str, number: int) -> int:
    """One valid contribution of ``participant``: a rating of one of two signals, a weak
    signal and, for every third number, an offer idea (all chosen by ``number``); a
    participant rates a signal once, so the same participant's next numbers rate the other
    signal or are refused."""
    region = store.allowed["regions"][0]
    occupations = store.allowed["occupations"]
    occupation = occupations[number % 2]
    return store.submit({
        "participant": participant, "field": occupation[0], "region": region,
        "ratings": [{"occupation": occupation, "match": number % 5 + 1,
                     "urgency": (number + 2) % 5 + 1}],
        "weak_signal": f"weak signal {number}",
        "idea": {"offer": f"offer {number}", "occupation": occupation} if number % 3 == 0
        else None})


def published(store) -> dict:
    """What the forum's room view and export show of the contributions: the shown ratings,
    weak signals, proposals and links (counts of who is waiting left out: participation)."""
    from kit.workshops.anticipation import room

    items, shown = store.contributions(), store.shown()

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "waiting"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip({"ratings": room.ratings(items, shown), "weak": room.weak_signals(items, shown),
                  "proposals": room.proposals(items, shown), "links": room.links(items, shown)})
