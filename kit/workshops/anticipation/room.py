"""What the facilitator may show of the forum: the room's ratings, weak signals, offer
proposals and proposed links, through the privacy rule (plain Python: the app's kernel stays
small).

**Groups.** Each part of a contribution belongs to one group, and each figure or text to its
own: a rating's "match" and its "urgency" to ``match:<region>:<occupation>`` and
``urgency:<region>:<occupation>`` (only when given), a weak signal to ``texts:<field>``, an idea
to ``ideas:<field>``, a support to ``supports:<field>`` (the idea's field), a proposed link to
``links``. **Steps.** The shown state keeps, per group, the last contribution taken in (the
room's privacy step, :func:`kit.room.step`): a group moves on only when at least *k* (the
privacy threshold) *different participants* have added to it since its last step, so two shown
states of a figure, a field's texts or its ideas differ by *k* participants or more, and each is
first shown with *k* or more. A mean shown after a step is therefore over *k* or more new givers
of that very figure, and a new text or idea is one of *k* or more new ones. **Figures.** Texts
are sorted and shown without names or regions. Counts of who has taken part are participation
and are shown as they are.

**What it cannot see.** Without the hub's login, "different participants" are different
joins: one person with several devices, or who presses "next person", counts several times
(README, "Privacy"). Behind the hub's login a person is one participant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kit.threshold import effective

#: how many different people must propose a link before the forum's map takes it in
CONFIRMATIONS = 2


FIGURES = ("match", "urgency")


def groups(item: Mapping, ideas: Mapping[int, str]) -> set[str]:
    """The groups a contribution adds to (``ideas`` maps an idea's id to its field)."""
    out = {
        f"{fig}:{item['region']}:{r['occupation']}"
        for r in item["ratings"]
        for fig in FIGURES
        if r.get(fig) is not None
    }
    if item["weak_signal"]:
        out.add(f"texts:{item['field']}")
    if item["idea"]:
        out.add(f"ideas:{item['field']}")
    for s in item["supports"]:
        if s in ideas:
            out.add(f"supports:{ideas[s]}")
    if item["link"]:
        out.add("links")
    return out


def _ideas(items: Sequence[Mapping]) -> dict[int, str]:
    return {i["id"]: i["field"] for i in items if i.get("idea")}


def _visible(items: Sequence[Mapping], shown: Mapping[str, int], group: str) -> list[Mapping]:
    through = shown.get(group, 0)
    return [i for i in items if i["id"] <= through]


def _mean(values: list[int], k: int) -> float | None:
    return round(sum(values) / len(values), 2) if len(values) >= k else None


def ratings(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None) -> list[dict]:
    """Per rated signal: ``region, occupation``, ``raters`` (people whose shown figures it
    holds), ``waiting`` (ratings sent since), ``match`` and ``urgency`` (means, each over its
    own shown givers, ``None`` while fewer than ``k``), most urgent first."""
    k = effective(k)
    out = []
    keys = sorted({(i["region"], r["occupation"]) for i in items for r in i["ratings"]})
    for region, occ in keys:
        rows = [
            (i, r)
            for i in items
            for r in i["ratings"]
            if i["region"] == region and r["occupation"] == occ
        ]
        means, people = {}, set()
        for fig in FIGURES:
            through = shown.get(f"{fig}:{region}:{occ}", 0)
            given = [(i, r) for i, r in rows if r.get(fig) is not None and i["id"] <= through]
            people |= {i["participant"] for i, _r in given}
            means[fig] = _mean([r[fig] for _i, r in given], k)
        last = max((shown.get(f"{fig}:{region}:{occ}", 0) for fig in FIGURES), default=0)
        if not last:
            continue  # a signal no shown state holds is not listed: not even that it was rated
        waiting = sum(
            1
            for i, r in rows
            if all(
                r.get(fig) is None or i["id"] > shown.get(f"{fig}:{region}:{occ}", 0)
                for fig in FIGURES
            )
        )
        out.append(
            {
                "region": region,
                "occupation": occ,
                "raters": len(people),
                "waiting": waiting if last or rows else 0,
                **means,
            }
        )
    return sorted(out, key=lambda r: (-(r["urgency"] or 0), -(r["raters"]), r["occupation"]))


def _in_group(
    items: Sequence[Mapping], shown: Mapping[str, int], group: str, ideas: Mapping[int, str]
) -> tuple[list[Mapping], int]:
    """The contributions to ``group`` that are shown, and how many people wait in it."""
    through = shown.get(group, 0)
    inside = [i for i in items if group in groups(i, ideas)]
    waiting = len({i["participant"] for i in inside if i["id"] > through})
    return [i for i in inside if i["id"] <= through], waiting


def _fields(items: Sequence[Mapping], ideas: Mapping[int, str]) -> list[str]:
    return sorted(
        {
            g.split(":", 1)[1]
            for i in items
            for g in groups(i, ideas)
            if g.split(":", 1)[0] in ("texts", "ideas", "supports")
        }
    )


def weak_signals(
    items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None
) -> dict[str, dict]:
    """Per field: ``people`` (the writers of its shown weak signals), ``texts`` (sorted, empty
    while fewer than ``k`` wrote) and ``waiting`` (writers since)."""
    k = effective(k)
    ideas = _ideas(items)
    out = {}
    for field in _fields(items, ideas):
        rows, waiting = _in_group(items, shown, f"texts:{field}", ideas)
        people = len({i["participant"] for i in rows})
        if not people:
            continue  # a field no shown state holds is not listed
        texts = sorted(i["weak_signal"] for i in rows) if people >= k else []
        out[field] = {"people": people, "texts": texts, "waiting": waiting}
    return out


def proposals(
    items: Sequence[Mapping],
    shown: Mapping[str, int],
    k: int | None = None,
    signal: Mapping[tuple[str, str], float] | None = None,
) -> list[dict]:
    """The training-offer proposals shown: a field's ideas once ``k`` or more people proposed
    them (and in steps of ``k`` new proposers), each with ``supporters`` (its proposer and the
    field's shown supports, which move in steps of ``k`` supporters too), prioritised by
    supporters, then by the demand signal (``signal``: trend per occupation in the forum's
    region), then by age. An idea is shown without its proposer's region (or any detail
    about its proposer): within a step of ``k`` proposers a region could hold only one."""
    k = effective(k)
    ideas = _ideas(items)
    out = []
    for field in _fields(items, ideas):
        rows, _waiting = _in_group(items, shown, f"ideas:{field}", ideas)
        if len({i["participant"] for i in rows}) < k:
            continue
        backing, _w = _in_group(items, shown, f"supports:{field}", ideas)
        supports: dict[int, set] = {}
        if len({i["participant"] for i in backing}) >= k:
            for i in backing:
                for s in i["supports"]:
                    supports.setdefault(s, set()).add(i["participant"])
        for i in rows:
            idea = i["idea"]
            trend = (signal or {}).get(idea["occupation"])
            out.append(
                {
                    "id": i["id"],
                    "offer": idea["offer"],
                    "field": field,
                    "occupation": idea["occupation"],
                    "rationale": idea["rationale"],
                    "trend": trend,
                    "supporters": 1 + len(supports.get(i["id"], set()) - {i["participant"]}),
                    "owner": idea["owner"],
                }
            )
    return sorted(
        out,
        key=lambda r: (
            -r["supporters"],
            -(r["trend"] if r["trend"] is not None else -1e9),
            r["id"],
        ),
    )


def links(items: Sequence[Mapping], shown: Mapping[str, int], k: int | None = None) -> list[dict]:
    """The proposed qualification–occupation links, once ``k`` or more people have proposed
    links: ``qualification, occupation, proposers, notes, confirmed`` (proposed by
    :data:`CONFIRMATIONS` or more people)."""
    k = effective(k)
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
    return [
        {
            "qualification": q,
            "occupation": o,
            "proposers": len(v["people"]),
            "notes": " · ".join(sorted(v["notes"])),
            "confirmed": len(v["people"]) >= CONFIRMATIONS,
        }
        for (q, o), v in sorted(found.items(), key=lambda kv: (-len(kv[1]["people"]), kv[0]))
    ]
