"""The scorecard (tuloskortti) of one partner: a model of plain data under the app and the exports.

One row per indicator, grouped by perspective: the latest value with its interval and n, the
target (the latest set in the check-in store, else the registry's default), a status that says
*within noise* when the data cannot tell value and target apart, the values of every period for
a sparkline, the owner and the next check-in date. :func:`card` builds it; :func:`export_xlsx`
writes one sheet per partner; :func:`html` renders it (the app's view and ``kit scorecard``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, numbers, palette, partners, templates, uncertainty
from kit.errors import KitInputError
from kit.i18n import check_lang, t
from kit.workshops.indicators.checkins import CheckinStore
from kit.workshops.indicators.indicator_registry import IndicatorRegistry, formatted  # noqa: F401 - re-exported

COLUMNS = [
    "perspective",
    "indicator",
    "name",
    "unit",
    "direction",
    "period",
    "value",
    "low",
    "high",
    "label",
    "target",
    "target_set",
    "status",
    "spark",
    "owner",
    "next_date",
    "delta",
    "p_value",
    "significant",
]
STATUS_COLOUR = {
    uncertainty.ON_TARGET: palette.GOOD,
    uncertainty.OFF_TARGET: palette.BAD,
    uncertainty.WITHIN_NOISE: palette.SCALE[2],
    uncertainty.NO_VALUE: palette.GRID,
    "no_target": palette.BORDER,
}


def card(
    values: pd.DataFrame,
    registry: IndicatorRegistry,
    store: CheckinStore | None,
    scope: str,
    lang: str | None = None,
) -> pd.DataFrame:
    """The scorecard of ``scope`` (a partner or ``network``): :data:`COLUMNS`, in the
    perspectives' order then the registry's."""
    partners.check(scope, parameter="partner")
    lang = check_lang(lang)
    current = store.current(scope).set_index("indicator") if store is not None else None
    order = {p: i for i, p in enumerate(registry.perspectives["id"])}
    rows = []
    for i, ind in registry.frame.iterrows():
        mine = values[(values["indicator"] == ind["id"]) & (values["scope"] == scope)]
        mine = mine.sort_values("period")
        last = mine.iloc[-1] if len(mine) else None
        set_target = None
        if current is not None and ind["id"] in current.index:
            set_target = current.at[ind["id"], "target"]
        target = set_target if set_target is not None and pd.notna(set_target) else ind["target"]
        value = float(last["value"]) if last is not None and last["shown"] else np.nan
        se = float(last["se"]) if last is not None and last["shown"] else np.nan
        from kit.workshops.indicators.values import judge

        status = str(
            judge(
                pd.DataFrame(
                    {
                        "value": [value],
                        "se": [se],
                        "target": [np.nan if pd.isna(target) else target],
                    }
                ),
                ind,
            ).iloc[0]
        )
        if not np.isfinite(value) and status != uncertainty.NO_VALUE:
            status = uncertainty.NO_VALUE
        rows.append(
            {
                "perspective": ind["perspective"],
                "indicator": ind["id"],
                "name": ind[f"name_{lang}"],
                "unit": ind["unit"],
                "direction": ind["direction"],
                "period": last["period"] if last is not None else "",
                "value": value,
                "low": float(last["low"]) if last is not None and last["shown"] else np.nan,
                "high": float(last["high"]) if last is not None and last["shown"] else np.nan,
                "label": str(last["label"]) if last is not None else "–",
                "target": np.nan if pd.isna(target) else float(target),
                "target_set": set_target is not None and pd.notna(set_target),
                "status": status,
                "spark": [float(v) if s else np.nan for v, s in zip(mine["value"], mine["shown"])],
                "owner": _get(current, ind["id"], "owner"),
                "next_date": _get(current, ind["id"], "next_date"),
                "delta": float(last["delta"])
                if last is not None and pd.notna(last["delta"])
                else np.nan,
                "p_value": float(last["p_value"])
                if last is not None and pd.notna(last["p_value"])
                else np.nan,
                "significant": bool(last["significant"]) if last is not None else False,
                "_order": (order.get(ind["perspective"], 99), i),
            }
        )
    out = pd.DataFrame(rows).sort_values("_order").drop(columns="_order")
    return out[COLUMNS].reset_index(drop=True)


def _get(current: pd.DataFrame | None, indicator: str, column: str) -> str:
    if current is None or indicator not in current.index:
        return ""
    value = current.at[indicator, column]
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def change_text(delta: float, unit: str, lang: str | None = None) -> str:
    """A change as people read it: shares in percentage points (``+4,8 %-yks.``), the rest in
    the unit's decimals, always with a sign."""
    if delta is None or not np.isfinite(delta):
        return numbers.MISSING
    if unit == "share":
        return t("scorecard.points", lang, value=numbers.number(delta * 100, 1, lang, sign=True))
    return numbers.number(delta, 2, lang, sign=True)


def sparkline(values: list[float], width: int = 90, height: int = 22) -> str:
    """An inline SVG polyline of ``values`` (gaps where hidden); empty with fewer than two."""
    shown = [v for v in values if np.isfinite(v)]
    if len(shown) < 2:
        return ""
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    parts, current = [], []
    for i, v in enumerate(values):
        if np.isfinite(v):
            current.append(f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}")
        elif current:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    lines = "".join(
        f'<polyline fill="none" stroke="{palette.GROUPS[0]}" stroke-width="1.5" '
        f'points="{" ".join(p)}"/>'
        for p in parts
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true">{lines}</svg>'
    )


def html(
    table: pd.DataFrame,
    registry: IndicatorRegistry,
    scope: str,
    label: str,
    synthetic: bool,
    lang: str | None = None,
) -> str:
    """The scorecard as HTML: one block per perspective, a status colour per indicator."""
    lang = check_lang(lang)
    groups = []
    for perspective, rows in table.groupby("perspective", sort=False):
        items = []
        for _, r in rows.iterrows():
            items.append(
                {
                    "id": r["indicator"],
                    "name": r["name"],
                    "value": formatted(r["value"], r["unit"], lang),
                    "interval": ""
                    if not np.isfinite(r["low"])
                    else f"{formatted(r['low'], r['unit'], lang)} – {formatted(r['high'], r['unit'], lang)}",
                    "label": r["label"],
                    "period": r["period"],
                    "target": formatted(r["target"], r["unit"], lang),
                    "target_set": bool(r["target_set"]),
                    "status": t(f"scorecard.status.{r['status']}", lang),
                    "colour": STATUS_COLOUR[r["status"]],
                    "spark": sparkline(r["spark"]),
                    "owner": r["owner"],
                    "next": r["next_date"],
                    "change": ""
                    if not np.isfinite(r["delta"])
                    else t(
                        "scorecard.change_plain",
                        lang,
                        change=change_text(r["delta"], r["unit"], lang),
                    )
                    if not np.isfinite(r["p_value"])
                    else t(
                        "scorecard.change_real" if r["significant"] else "scorecard.change_noise",
                        lang,
                        change=change_text(r["delta"], r["unit"], lang),
                    ),
                }
            )
        groups.append({"name": registry.perspective_name(perspective, lang), "rows": items})
    return templates.render(
        "scorecard.html.j2",
        lang=lang,
        groups=groups,
        label=label,
        synthetic=synthetic,
        partner=partners.display_name(scope, lang),
    )


def export_xlsx(
    cards: dict[str, pd.DataFrame],
    out: str | Path,
    label: str,
    lang: str | None = None,
    registry: IndicatorRegistry | None = None,
) -> Path:
    """Write one sheet per partner (their scorecards, with headings in ``lang`` and the data's
    label on top) to ``out``."""
    out = Path(out)
    with files.atomic(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for scope, table in cards.items():
            readable = display(table, lang, registry)
            sheet = partners.display_name(scope, lang)[:31].replace("/", "-")
            pd.DataFrame({label: []}).to_excel(writer, sheet_name=sheet, index=False)
            readable.to_excel(writer, sheet_name=sheet, index=False, startrow=2)
    return out


def display(
    table: pd.DataFrame, lang: str | None = None, registry: IndicatorRegistry | None = None
) -> pd.DataFrame:
    """The scorecard as a table for people: headings and statuses in ``lang``."""
    lang = check_lang(lang)
    name = (lambda p: registry.perspective_name(p, lang)) if registry is not None else str
    return pd.DataFrame(
        {
            t("ind.col.perspective", lang): table["perspective"].map(name),
            t("ind.col.name", lang): table["name"],
            t("scorecard.col.period", lang): table["period"],
            t("scorecard.col.value", lang): [
                formatted(v, u, lang) for v, u in zip(table["value"], table["unit"])
            ],
            t("scorecard.col.interval", lang): [
                ""
                if not np.isfinite(lo)
                else f"{formatted(lo, u, lang)} – {formatted(hi, u, lang)}"
                for lo, hi, u in zip(table["low"], table["high"], table["unit"])
            ],
            t("scorecard.col.n", lang): table["label"],
            t("scorecard.col.target", lang): [
                formatted(v, u, lang) for v, u in zip(table["target"], table["unit"])
            ],
            t("scorecard.col.status", lang): table["status"].map(
                lambda s: t(f"scorecard.status.{s}", lang)
            ),
            t("scorecard.col.owner", lang): table["owner"],
            t("scorecard.col.next", lang): table["next_date"],
        }
    )


#: the range a target may take, by the indicator's unit
TARGET_RANGE = {"share": (0.0, 1.0), "mean": (1.0, 5.0), "level": (0.0, 4.0), "factor": (1.0, 5.0)}


def save_edit(
    store: CheckinStore,
    scope: str,
    indicator: str,
    *,
    target: float | None = None,
    owner: str | None = None,
    next_date: str | None = None,
    note: str | None = None,
    author: str = "",
    registry: IndicatorRegistry | None = None,
) -> list[int]:
    """Record what an edit changed as check-ins (each one its own transaction, so two people
    editing at once both land); every value is checked first, so a bad one stores nothing.
    A target must lie in its unit's range (:data:`TARGET_RANGE`, when ``registry`` is given).
    Returns the new check-ins' ids."""
    from kit.workshops.indicators.checkins import check

    wanted = []
    if target is not None and registry is not None:
        low, high = TARGET_RANGE[registry.row(indicator)["unit"]]
        if not (np.isfinite(target) and low <= target <= high):
            raise KitInputError(
                "checkin_target_range", parameter="target", value=target, low=low, high=high
            )
    if target is not None:
        wanted.append({"kind": "target", "target": target})
    if owner:
        wanted.append({"kind": "owner", "owner": owner})
    if next_date:
        wanted.append({"kind": "next", "next_date": next_date})
    if note:
        wanted.append({"kind": "note", "note": note})
    checked = [dict(w, indicator=indicator, scope=scope, author=author) for w in wanted]
    for c in checked:
        check(c, store.indicators)
    return [store.add(c) for c in checked]


def save_racer(
    store: CheckinStore,
    scope: str,
    indicator: str,
    levels: dict[str, int],
    note: str = "",
    author: str = "",
    participant: str | None = None,
) -> int:
    """Record ``participant``'s RACER rating of ``indicator`` for ``scope`` (levels 0–3 on the
    Karvi scale): a room contribution, shown only through the room's privacy steps."""
    return store.add(
        {
            "indicator": indicator,
            "scope": scope,
            "kind": "racer",
            "author": author,
            "note": note,
            **levels,
        },
        participant=participant,
    )


def page(body: str, lang: str | None = None) -> str:
    """A whole HTML page around a rendered scorecard."""
    return templates.render("scorecard_page.html.j2", lang=check_lang(lang), body=body)


def png(
    table: pd.DataFrame,
    registry: IndicatorRegistry,
    scope: str,
    label: str,
    out: str | Path,
    lang: str | None = None,
) -> Path:
    """The scorecard as a PNG image (a table with the status colours), for slides."""
    import matplotlib.pyplot as plt

    from kit import charts

    readable = display(table, lang, registry)
    keep = [c for c in readable.columns][:8]
    fig, ax = plt.subplots(figsize=(12, 0.42 * (len(readable) + 2)))
    ax.axis("off")
    cells = ax.table(
        cellText=readable[keep].to_numpy(), colLabels=keep, loc="upper left", cellLoc="left"
    )
    cells.auto_set_font_size(False)
    cells.set_fontsize(8)
    status_col = keep.index(t("scorecard.col.status", lang))
    for i, status in enumerate(table["status"], start=1):
        cells[i, status_col].set_facecolor(STATUS_COLOUR[status] + "55")
    ax.set_title(t("scorecard.title", lang, partner=partners.display_name(scope, lang)), loc="left")
    charts.footnote(ax, label)
    data = charts.to_png(ax, dpi=110, tight=True)
    plt.close(fig)
    return files.write_bytes(out, data)
