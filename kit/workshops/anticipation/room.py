"""What the facilitator may show of the forum: the room's ratings, weak signals, offer
proposals and proposed links, through the privacy rule (plain Python: the app's kernel stays
small).

**Groups.** Each part of a contribution belongs to one group: a rating to its signal
(``signal:<region>:<occupation>``), a weak signal, an idea and a support to the field
(``field:<major group>``), a proposed link to ``links``. **Steps.** The shown state keeps,
per group, the last contribution taken in (:func:`step`): a group moves on only when at least
the threshold (5) of *different people* have added to it since its last step, so two shown
states of a group differ by five people or more, and a group is first shown with five or more.
**Figures.** A mean is shown only where five or more gave the figure (a rating's "match" and
"urgency" separately); free text (weak signals, ideas, link notes) only for groups of five or
more people, sorted, without names. Counts of who has taken part are participation and are
shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kit import privacy

#: how many different people must propose a link before the forum's map takes it in
CONFIRMATIONS = 2


def groups(item: Mapping, ideas: Mapping[int, str]) -> set[str]:
    """The groups a contribution adds to (``ideas`` maps an idea's id to its field)."""
    out = {f"signal:{item['region']}:{r['occupation']}" for r in item["ratings"]}
    if item["weak_signal"] or item["idea"]:
        out.add(f"field:{item['field']}")
    for s in item["supports"]:
        if s in ideas:
            out.add(f"field:{ideas[s]}")
    if item["link"]:
        out.add("links")
    return out


def _ideas(items: Sequence[Mapping]) -> dict[int, str]:
    return {i["id"]: i["field"] for i in items if i.get("idea")}


def step(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None) -> dict:
    """The next shown state: each group takes in its new contributions if at least ``k``
    (default: the privacy threshold) different people made them since its last step."""
    k = privacy.effective(k)
    ideas = _ideas(items)
    new: dict[str, dict] = {}
    for item in items:
        for g in groups(item, ideas):
            if item["id"] > shown.get(g, 0):
                entry = new.setdefault(g, {"people": set(), "last": 0})
                entry["people"].add(item["participant"])
                entry["last"] = max(entry["last"], item["id"])
    out = dict(shown)
    for g, entry in new.items():
        if len(entry["people"]) >= k:
            out[g] = entry["last"]
    return out


def _visible(items: Sequence[Mapping], shown: Mapping[str, int], group: str) -> list[Mapping]:
    through = shown.get(group, 0)
    return [i for i in items if i["id"] <= through]


def _mean(values: list[int], k: int) -> float | None:
    return round(sum(values) / len(values), 2) if len(values) >= k else None


def ratings(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None) -> list[dict]:
    """Per rated signal: ``region, occupation, raters`` (shown), ``waiting`` (sent since),
    ``match`` and ``urgency`` (means, ``None`` where fewer than ``k`` gave them), most urgent
    first."""
    k = privacy.effective(k)
    out = []
    keys = sorted({(i["region"], r["occupation"]) for i in items for r in i["ratings"]})
    for region, occ in keys:
        g = f"signal:{region}:{occ}"
        through = shown.get(g, 0)
        rows = [r for i in items for r in i["ratings"]
                if i["region"] == region and r["occupation"] == occ and i["id"] <= through]
        waiting = sum(1 for i in items for r in i["ratings"]
                      if i["region"] == region and r["occupation"] == occ and i["id"] > through)
        match = [r["match"] for r in rows if r["match"] is not None]
        urgency = [r["urgency"] for r in rows if r["urgency"] is not None]
        small = len(rows) < k
        out.append({"region": region, "occupation": occ, "raters": len(rows),
                    "waiting": waiting, "match": None if small else _mean(match, k),
                    "urgency": None if small else _mean(urgency, k)})
    return sorted(out, key=lambda r: (-(r["urgency"] or 0), -(r["raters"]), r["occupation"]))


def _field_people(items: Sequence[Mapping], shown: Mapping[str, int], field: str,
                  ideas: Mapping[int, str]) -> list[Mapping]:
    g = f"field:{field}"
    return [i for i in _visible(items, shown, g) if g in groups(i, ideas)]


def weak_signals(items: Sequence[Mapping], shown: Mapping[str, int],
                 k: int | None = None) -> dict[str, dict]:
    """Per field: ``people`` (who added to the field's shown texts), ``texts`` (the weak
    signals, sorted, or empty while fewer than ``k`` people) and ``waiting``."""
    k = privacy.effective(k)
    ideas = _ideas(items)
    out = {}
    for field in sorted({i["field"] for i in items if f"field:{i['field']}" in groups(i, ideas)}
                        | {ideas[s] for i in items for s in i["supports"] if s in ideas}):
        rows = _field_people(items, shown, field, ideas)
        people = len({i["participant"] for i in rows})
        through = shown.get(f"field:{field}", 0)
        waiting = len({i["participant"] for i in items if i["id"] > through
                       and f"field:{field}" in groups(i, ideas)})
        texts = sorted(i["weak_signal"] for i in rows if i["weak_signal"]) if people >= k else []
        out[field] = {"people": people, "texts": texts, "waiting": waiting}
    return out


def proposals(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None,
              signal: Mapping[tuple[str, str], float] | None = None) -> list[dict]:
    """The training-offer proposals shown: ideas of fields with ``k`` or more people, each
    with ``supporters`` (its proposer and the shown supports), prioritised by supporters, then
    by the demand signal (``signal``: trend per region and occupation), then by age."""
    k = privacy.effective(k)
    ideas = _ideas(items)
    shown_fields = {f for f, v in weak_signals(items, shown, k).items() if v["people"] >= k}
    out = []
    for field in shown_fields:
        rows = _field_people(items, shown, field, ideas)
        supports: dict[int, set] = {}
        for i in rows:
            for s in i["supports"]:
                supports.setdefault(s, set()).add(i["participant"])
        for i in rows:
            if not i["idea"]:
                continue
            idea = i["idea"]
            trend = (signal or {}).get((i["region"], idea["occupation"]))
            out.append({"id": i["id"], "offer": idea["offer"], "region": i["region"],
                        "field": field, "occupation": idea["occupation"],
                        "rationale": idea["rationale"], "trend": trend,
                        "supporters": 1 + len(supports.get(i["id"], set()) - {i["participant"]}),
                        "owner": idea["owner"]})
    return sorted(out, key=lambda r: (-r["supporters"], -(r["trend"] if r["trend"] is not None
                                                           else -1e9), r["id"]))


def links(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None) -> list[dict]:
    """The proposed qualification–occupation links, once ``k`` or more people have proposed
    links: ``qualification, occupation, proposers, notes, confirmed`` (proposed by
    :data:`CONFIRMATIONS` or more people)."""
    k = privacy.effective(k)
    rows = [i for i in _visible(items, shown, "links") if i["link"]]
    if len({i["participant"] for i in rows}) < k:
        return []
    found: dict[tuple[str, str], dict] = {}
    for i in rows:
        key = (i["link"]["qualification"], i["link"]["occupation"])
        entry = found.setdefault(key, {"people": set(), "notes": []})
        entry["people"].add(i["participant"])
        if i["link"]["note"]:
            entry["notes"].append(i["link"]["note"])
    return [{"qualification": q, "occupation": o, "proposers": len(v["people"]),
             "notes": " · ".join(sorted(v["notes"])),
             "confirmed": len(v["people"]) >= CONFIRMATIONS}
            for (q, o), v in sorted(found.items(), key=lambda kv: (-len(kv[1]["people"]), kv[0]))]
