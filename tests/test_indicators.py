"""Workshop 3: the registry as data, values through the privacy path, the funnel command on
the real counts in every accepted shape, the check-in store, the scorecard and its app."""

from __future__ import annotations

import csv
import dataclasses
import io
import multiprocessing as mp
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kit import partners, privacy
from kit.errors import KitInputError
from kit.workshops.indicators import (
    checkins,
    indicator_registry,
    model,
    scorecard,
    usability,
    values,
)
from tests.conftest import REAL_COUNTS, kit_command, write_csv, write_xlsx


@pytest.fixture(scope="module")
def built(demo):
    return model.build(demo, store=None, lang="en")


def test_registry_is_checked_data():
    reg = indicator_registry.load()
    assert len(reg.ids()) >= 12
    assert set(reg.frame["perspective"]) <= set(reg.perspectives["id"])
    assert {"official", "kit", "partner"} == set(reg.frame["source"])
    assert reg.frame["funding_weight"].dropna().isin([0.0025, 0.0075, 0.18, 0.30]).all()


def test_a_broken_registry_names_row_and_column(tmp_path):
    rows = list(csv.reader(io.StringIO((Path("data") / "indicators.csv").read_text("utf-8"))))
    col = rows[0].index("perspective")
    rows[3][col] = "nosuch"
    bad = write_csv(tmp_path / "indicators.csv", rows)
    with pytest.raises(KitInputError) as err:
        indicator_registry.load(bad)
    assert err.value.row == 4 and err.value.column == "perspective" and "nosuch" in str(err.value)
    rows[3][col] = "students"
    rows[5][rows[0].index("compute")] = "guess:it"
    with pytest.raises(KitInputError) as err:
        indicator_registry.load(write_csv(tmp_path / "indicators2.csv", rows))
    assert err.value.row == 6 and err.value.column == "compute"


def test_values_have_intervals_and_respect_the_privacy_rule(built):
    v = built.values
    shown = v[v["shown"]]
    assert (shown["low"].isna() | (shown["low"] <= shown["value"] + 1e-12)).all()
    assert (shown["high"].isna() | (shown["high"] >= shown["value"] - 1e-12)).all()
    results = shown[
        shown["indicator"].isin(
            [
                "MEAN_A",
                "MEAN_P",
                "LOW_THEME",
                "TEP_MEAN",
                "COMPLETION",
                "DROPOUT",
                "EMPLOYMENT",
                "SA_JOH3",
            ]
        )
    ]
    assert (results["n"] >= privacy.threshold()).all()
    assert v["value"].where(~v["shown"]).isna().all()


def test_a_small_group_of_the_inputs_hides_it_and_the_network(demo):
    """Three graduates at one partner: its employment rate is hidden, and so is the network's
    (which would give it back by subtraction)."""
    ind = demo.key_figures.copy()
    at = ind.index[(ind["y_tunnus"] == partners.y_tunnukset("kiinko")[0]) & (ind["year"] == 2024)][
        0
    ]
    ind.loc[at, ["graduates", "employed_or_studying"]] = [3, 2]
    small = dataclasses.replace(demo, key_figures=ind)
    rows = values._inputs(small, [], kind="employment")
    kiinko = rows[(rows["scope"] == "kiinko") & (rows["period"] == "2024")].iloc[0]
    assert not kiinko["shown"] and np.isnan(kiinko["value"]) and kiinko["label"] == "1-4"
    others = rows[(rows["period"] == "2024") & (rows["scope"] != "kiinko")]
    network = others[others["scope"] == "network"].iloc[0]
    shown_parts = others[(others["scope"] != "network") & others["shown"]]
    # never: the network and all other partners shown (the hidden one would be their difference)
    assert not (network["shown"] and len(shown_parts) == 5)


def test_status_within_noise_and_the_change_test(built):
    v = built.values
    noise = v[v["status"] == "within_noise"]
    reg = built.registry.frame.set_index("id")
    for _, r in noise.head(20).iterrows():
        assert abs(r["value"] - reg.at[r["indicator"], "target"]) < 1.959964 * r["se"]
    real = v[v["significant"].fillna(False).astype(bool)]
    assert len(real) and (real["p_value"] < 0.05).all()


def test_usability_table(built):
    table = usability.table(built.values, built.registry, "kiinko")
    assert list(table["indicator"]) == built.registry.ids()
    assert table["coverage"].between(0, 1).all()
    assert table["reliability"].dropna().between(0, 1).all()
    q, i2, tau2 = usability.heterogeneity(np.array([0.5, 0.5, 0.5]), np.array([0.1, 0.1, 0.1]))
    assert q == 0 and i2 == 0 and tau2 == 0
    q, i2, tau2 = usability.heterogeneity(np.array([0.2, 0.5, 0.8]), np.array([0.01] * 3))
    w = 1 / 0.01**2
    assert q == pytest.approx(w * (0.09 + 0 + 0.09)) and i2 > 0.9
    assert tau2 == pytest.approx((q - 2) / (3 * w - 3 * w**2 / (3 * w)))


def _funnel_by_hand(path: Path, survey_suffix: str) -> list[dict]:
    """The command's definition, from the raw file (not through the kit)."""
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    pairs = [
        (
            r["Koulutuksen järjestäjän Y-tunnus"],
            r[f"Kyselyn kohteena olleet_{survey_suffix}"],
            r[f"Vastanneet_{survey_suffix}"],
        )
        for r in rows
    ]
    pairs = [(y, int(n), int(a)) for y, n, a in pairs if n.strip() and int(n) > 0]
    theta = sum(a for _y, _n, a in pairs) / sum(n for _y, n, _a in pairs)
    out = []
    for y, n, a in sorted(pairs):
        se = (theta * (1 - theta) / n) ** 0.5
        lims = [min(1, max(0, theta + s * z * se)) for z in (1.959964, 3.090232) for s in (-1, 1)]
        rate = a / n
        pos = "above" if rate > lims[3] else "below" if rate < lims[2] else "within"
        out.append(
            {
                "y_tunnus": y,
                "targeted": str(n),
                "answered": str(a),
                "rate": f"{rate:.6f}",
                "lower95": f"{lims[0]:.6f}",
                "upper95": f"{lims[1]:.6f}",
                "lower998": f"{lims[2]:.6f}",
                "upper998": f"{lims[3]:.6f}",
                "position": pos,
            }
        )
    return out


def test_funnel_command_on_the_real_counts_in_every_shape(tmp_path, real_rows):
    want = _funnel_by_hand(REAL_COUNTS, "A")
    shapes = [
        write_csv(tmp_path / "semi.csv", real_rows, ";", "cp1252"),
        write_csv(tmp_path / "tab.csv", real_rows, "\t", "utf-8-sig"),
        write_xlsx(tmp_path / "counts.xlsx", real_rows),
        REAL_COUNTS,
    ]
    for path in shapes:
        done = subprocess.run(
            kit_command("indicators", "funnel", "--counts", str(path), "--survey", "aloittaneet"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        got = list(csv.DictReader(io.StringIO(done.stdout)))
        assert sorted(got, key=lambda r: r["y_tunnus"]) == want, path
        assert len(got) == 134


def test_funnel_command_refuses_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Tilastokausi,Koulutuksen järjestäjän Y-tunnus\n2020-21,1234567-8\n")
    done = subprocess.run(
        kit_command(
            "--lang", "en", "indicators", "funnel", "--counts", str(bad), "--survey", "aloittaneet"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "bad.csv" in done.stderr and "Traceback" not in done.stderr


# --- the check-in store ------------------------------------------------------------------------


def _writer(path: str, who: int, count: int) -> None:
    store = checkins.CheckinStore(path)
    for i in range(count):
        store.add(
            {
                "indicator": "RR_A",
                "scope": "kiinko",
                "kind": "note",
                "author": f"w{who}",
                "note": f"note {who}-{i}",
            }
        )


def test_two_editors_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "c.sqlite3")
    checkins.CheckinStore(path)
    ctx = mp.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(path, w, 25)) for w in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    store = checkins.CheckinStore(path)
    assert store.count() == 50 and store.integrity() == "ok"
    assert set(store.history()["note"]) == {f"note {w}-{i}" for w in range(2) for i in range(25)}


def test_bad_checkins_are_refused_and_store_nothing(tmp_path):
    store = checkins.CheckinStore(tmp_path / "c.sqlite3")
    for bad in (
        {"indicator": "NOPE", "scope": "kiinko", "kind": "note", "note": "x"},
        {"indicator": "RR_A", "scope": "nosuch", "kind": "note", "note": "x"},
        {"indicator": "RR_A", "scope": "kiinko", "kind": "target", "target": "high"},
        {"indicator": "RR_A", "scope": "kiinko", "kind": "next", "next_date": "31.1."},
        {"indicator": "RR_A", "scope": "kiinko", "kind": "racer", "relevant": 5},
        {"indicator": "RR_A", "scope": "kiinko", "kind": "note", "note": ""},
    ):
        with pytest.raises(KitInputError):
            store.add(bad)
    assert store.count() == 0


def test_targets_are_history_and_the_latest_is_current(tmp_path, built):
    store = checkins.CheckinStore(tmp_path / "c.sqlite3")
    scorecard.save_edit(store, "kiinko", "RR_A", target=0.5, owner="A")
    scorecard.save_edit(store, "kiinko", "RR_A", target=0.45, note="lowered for this year")
    assert list(store.history("RR_A", "kiinko")["kind"]) == ["target", "owner", "target", "note"]
    card = scorecard.card(built.values, built.registry, store, "kiinko", "en")
    row = card.set_index("indicator").loc["RR_A"]
    assert row["target"] == 0.45 and row["target_set"] and row["owner"] == "A"
    with pytest.raises(KitInputError):  # a bad value in an edit stores none of it
        scorecard.save_edit(store, "kiinko", "RR_A", owner="B", next_date="someday")
    assert store.count() == 4


def test_the_app_saves_and_a_reload_shows_it(tmp_path, built):
    from kit.workshops.indicators import view

    m = dataclasses.replace(built, store=checkins.CheckinStore(tmp_path / "c.sqlite3"))
    first = view.ScorecardView(m, "sdo", "en")
    second = view.ScorecardView(m, "sdo", "en")  # another tab, open at the same time
    first.indicator.value = "MEAN_P"
    first.target.value = "4.3"
    first.owner.value = "Quality manager"
    second.indicator.value = "RR_PT"
    second.note.value = "Reminders sent in week 12"
    first._save()
    second._save()
    assert "✘" not in first.message.value + second.message.value
    again = view.ScorecardView(m, "sdo", "en")  # a reload
    row = m.card("sdo").set_index("indicator")
    assert row.at["MEAN_P", "target"] == 4.3 and row.at["MEAN_P", "owner"] == "Quality manager"
    assert "Quality manager" in again.card.value
    assert "Reminders sent in week 12" in set(m.store.history("RR_PT", "sdo")["note"])
    first.target.value = "lots"
    first._save()
    assert "✘" in first.message.value and m.store.count() == 3


def test_a_language_switch_keeps_what_was_typed(tmp_path, built, monkeypatch):
    """The scorecard in another language (the app's language selector) keeps the open editor,
    the indicator and what was typed but not saved; a save then writes it once."""
    from kit.workshops.indicators import view

    m = dataclasses.replace(built, store=checkins.CheckinStore(tmp_path / "c.sqlite3"))
    monkeypatch.setattr(model, "build", lambda data, lang, store: m)
    make = view.maker(None, "sdo", str(tmp_path / "c.sqlite3"))
    finnish = make("fi", None)
    finnish.edit.value = True
    finnish.indicator.value = "MEAN_P"
    finnish.target.value = "4,3"
    finnish.owner.value = "Laatupäällikkö"
    finnish.note.value = "Muistutukset viikolla 12"
    swedish = make("sv", finnish)
    assert swedish.lang == "sv" and swedish.edit.value and swedish.indicator.value == "MEAN_P"
    assert (swedish.target.value, swedish.owner.value, swedish.note.value) == (
        "4,3",
        "Laatupäällikkö",
        "Muistutukset viikolla 12",
    )
    assert swedish.editor.layout.display == "flex"
    swedish._save()
    row = m.card("sdo").set_index("indicator")
    assert row.at["MEAN_P", "target"] == 4.3 and row.at["MEAN_P", "owner"] == "Laatupäällikkö"


def test_scorecard_exports(tmp_path, built):
    out = scorecard.export_xlsx(
        {p: built.card(p) for p in partners.ids()},
        tmp_path / "s.xlsx",
        built.label,
        "en",
        built.registry,
    )
    book = pd.ExcelFile(out)
    assert len(book.sheet_names) == 7
    first = pd.read_excel(out, sheet_name=book.sheet_names[0], header=None)
    assert "SYNTHETIC" in str(first.iloc[0, 0])
    done = subprocess.run(
        kit_command("scorecard", "--partner", "kiinko", "--out", str(tmp_path / "cards")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cards" / "scorecard_kiinko.png").stat().st_size > 5000
    assert "kit-scorecard" in (tmp_path / "cards" / "scorecard_kiinko.html").read_text("utf-8")


def test_racer_ratings_have_a_history_and_small_groups_show_nothing(tmp_path):
    store = checkins.CheckinStore(tmp_path / "r.sqlite3")
    levels = {"relevant": 3, "accepted": 2, "credible": 2, "easy": 3, "robust": 1}
    for i in range(4):
        scorecard.save_racer(store, "kiinko", "RR_A", levels, author=f"k{i}")
    store.advance()  # four raters: the room does not move
    assert store.ratings().empty
    few = usability.racer_summary(store.ratings())
    assert few["suppressed"].all() and few["median"].isna().all()
    scorecard.save_racer(store, "kiinko", "RR_A", levels, author="k4")
    for p in ("careeria", "sdo"):
        for i in range(5):
            scorecard.save_racer(store, p, "RR_A", {**levels, "robust": 0}, author=f"{p}{i}")
    store.advance()
    many = usability.racer_summary(store.ratings()).set_index("criterion")
    assert not many["suppressed"].any() and many.at["relevant", "median"] == 3
    assert many.at["robust", "median"] == 0  # 10 of 15 rated it 0
    # a group that rates again counts once, with its latest rating
    scorecard.save_racer(store, "sdo", "RR_A", {**levels, "relevant": 0}, author="sdo0")
    store.advance()  # one new rater: not shown, and the shown state stays as it was
    assert (
        int(usability.racer_tidy(store.ratings())[["n_0", "n_1", "n_2", "n_3"]].sum(axis=1).max())
        == 5
    )


def test_a_stale_tab_never_writes_old_values_back(tmp_path, built):
    from kit.workshops.indicators import view

    m = dataclasses.replace(built, store=checkins.CheckinStore(tmp_path / "c.sqlite3"))
    a, b = view.ScorecardView(m, "sdo", "en"), view.ScorecardView(m, "sdo", "en")
    a.indicator.value = b.indicator.value = "MEAN_P"
    b.target.value, b.owner.value = "4.3", "Rehtori"
    b._save()
    a.note.value = "only a note from the older tab"
    a._save()
    assert model.targets_of(m.store)[("MEAN_P", "sdo")] == 4.3
    current = m.store.current("sdo").set_index("indicator")
    assert current.at["MEAN_P", "owner"] == "Rehtori"
    assert list(m.store.history("MEAN_P", "sdo")["kind"]) == ["target", "owner", "note"]


def test_targets_are_checked_against_the_unit(tmp_path, built):
    from kit.workshops.indicators import view

    m = dataclasses.replace(built, store=checkins.CheckinStore(tmp_path / "c.sqlite3"))
    app = view.ScorecardView(m, "kiinko", "en")
    app.indicator.value = "RR_A"
    app.target.value = "65"  # a share typed as a percentage
    app._save()
    assert model.targets_of(m.store)[("RR_A", "kiinko")] == pytest.approx(0.65)
    for bad, indicator in (("inf", "RR_A"), ("7", "MEAN_A"), ("-0.1", "RR_A")):
        app.indicator.value = indicator
        app.target.value = bad
        app._save()
        assert "✘" in app.message.value, bad
    assert m.store.count() == 1
    with pytest.raises(KitInputError):
        scorecard.save_racer(m.store, "kiinko", "RR_A", {r: 2 for r in checkins.RACER})  # no rater


def test_the_status_follows_a_target_set_on_the_scorecard(tmp_path, built):
    store = checkins.CheckinStore(tmp_path / "c.sqlite3")
    m = dataclasses.replace(built, store=store, values=built.values.copy())
    latest = m.values[(m.values["indicator"] == "RR_A") & (m.values["scope"] == "kiinko")].iloc[-1]
    scorecard.save_edit(
        store, "kiinko", "RR_A", target=float(latest["value"]) - 0.2, registry=m.registry
    )
    m.refresh_targets()
    again = m.values[(m.values["indicator"] == "RR_A") & (m.values["scope"] == "kiinko")].iloc[-1]
    assert again["status"] == "on_target" and again["target"] == pytest.approx(
        latest["value"] - 0.2
    )
    card = m.card("kiinko").set_index("indicator")
    assert card.at["RR_A", "status"] == "on_target" and card.at["RR_A", "target_set"]
    other = m.values[(m.values["indicator"] == "RR_A") & (m.values["scope"] == "sdo")]
    assert (other["target"] == 0.60).all()  # another partner keeps the default
