"""Workshop 5: reading StatFin and Vipunen files as they are downloaded, the demand signals,
the supply, the quadrant, the forum store and what the room may show of it.

Figures are checked against small files written here with values chosen by hand.
"""

from __future__ import annotations

import json
import subprocess
import threading

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kit import loader, privacy
from kit.errors import KitInputError
from kit.workshops.anticipation import bridge, checks, model, room, signals, supply, synthetic
from kit.workshops.anticipation.store import ForumStore
from tests.conftest import kit_command, write_csv, write_xlsx

U, V = "TYOTTOMATLOPUSSA", "AVPAIKATLOPUSSA"


def px_text(regions, occs, months, values, *, occ_codes=None, cells=None):
    """A PC-Axis file in StatFin's layout: STUB Alue, Ammattiryhmä; HEADING Kuukausi, Tiedot.
    ``values[(region, occ, month)] = (unemployed, vacancies)``."""
    q = lambda xs: ",".join(f'"{x}"' for x in xs)  # noqa: E731
    occ_codes = occ_codes or occs
    lines = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="utf-8";',
        'LANGUAGE="fi";',
        'MATRIX="12ti";',
        'CONTENTS="test";',
        'TITLE="test";',
        'UNITS="lukumäärä";',
        'STUB="Alue","Ammattiryhmä";',
        'HEADING="Kuukausi","Tiedot";',
        f'VALUES("Alue")={q(regions)};',
        f'VALUES("Ammattiryhmä")={q(occs)};',
        f'VALUES("Kuukausi")={q(months)};',
        'VALUES("Tiedot")="Työttömät","Avoimet";',
        f'CODES("Alue")={q(regions)};',
        f'CODES("Ammattiryhmä")={q(occ_codes)};',
        f'CODES("Kuukausi")={q(months)};',
        f'CODES("Tiedot")="{U}","{V}";',
        "DATA=",
    ]
    data = (
        cells
        if cells is not None
        else [
            " ".join(f"{values[(r, o, m)][0]} {values[(r, o, m)][1]}" for m in months)
            for r in regions
            for o in occ_codes
        ]
    )
    return "\n".join(lines + data) + ";\n"


def small_px(tmp_path, name="t.px", **kw):
    regions, occs, months = ["SSS", "ELY01"], ["5321", "2512"], ["2025M01", "2025M02"]
    values = {
        (r, o, m): (10 * (i + 1), 3 * (i + 1) + j)
        for i, r in enumerate(regions)
        for j, o in enumerate(occs)
        for m in months
    }
    path = tmp_path / name
    path.write_text(px_text(regions, occs, months, values, **kw), encoding="utf-8")
    return path, values


# --- reading the files as they are downloaded ------------------------------------------------


def test_pc_axis_file_reads_into_cells_with_official_codes(tmp_path):
    path, values = small_px(tmp_path)
    loaded = loader.read(path)
    assert loaded.kind == "labour_market"
    f = loaded.frame
    assert len(f) == 2 * 2 * 2 * 2
    row = f[
        (f.alue == "ELY01") & (f.ammatti == "2512") & (f.kuukausi == "2025M02") & (f.tiedot == V)
    ]
    assert int(row["arvo"].iloc[0]) == values[("ELY01", "2512", "2025M02")][1] == 7


def test_the_demo_pc_axis_and_json_stat_files_agree_where_their_months_overlap(demo):
    folder = model.folder("demo")
    px = loader.read(folder / "tyonv_12ti.px").frame
    js = loader.read(folder / "api" / "tyonv_12ti.json").frame
    keys = ["alue", "ammatti", "kuukausi", "tiedot"]
    both = px.merge(js, on=keys, suffixes=("_px", "_js"))
    assert sorted(both["kuukausi"].unique()) == [f"2025M0{i}" for i in range(1, 7)]
    assert len(both) == 16 * len(synthetic.OCCUPATIONS) * 6 * 2
    assert (both["arvo_px"] == both["arvo_js"]).all()
    assert loader.read(folder / "tyonv_12ti.px").synthetic


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda text: text.replace("DATA=", "DAT="), "px_malformed"),
        (lambda text: text.rsplit("\n", 2)[0] + ";\n", "px_cells"),
        (lambda text: text.replace("10 3", "10 -3", 1), "cube_negative"),
        (lambda text: text.replace("10 3", "10 x3", 1), "cube_value"),
        (
            lambda text: text.replace(
                'CODES("Ammattiryhmä")="5321"', 'CODES("Ammattiryhmä")="9999"'
            ),
            "unknown_occupation",
        ),
        (
            lambda text: "\n".join(
                line for line in text.splitlines() if not line.startswith('CODES("Tiedot")')
            ),
            "cube_no_codes",
        ),
    ],
)
def test_a_broken_pc_axis_file_is_refused_in_one_line_naming_the_file(tmp_path, mutate, reason):
    path, _ = small_px(tmp_path)
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(KitInputError) as err:
        loader.read(path)
    assert err.value.reason == reason
    message = err.value.message("en")
    assert "t.px" in message and "\n" not in message
    if reason == "cube_negative":
        assert "Alue=SSS" in message and "Tiedot=AVPAIKATLOPUSSA" in message


def jsonstat(values, regions=("SSS", "ELY01"), occs=("5321",), months=("2025M01", "2025M02")):
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "t",
        "id": ["Alue", "Ammattiryhmä", "Kuukausi", "Tiedot"],
        "size": [len(regions), len(occs), len(months), 2],
        "dimension": {
            "Alue": {"label": "Alue", "category": {"index": {r: i for i, r in enumerate(regions)}}},
            "Ammattiryhmä": {
                "label": "Ammattiryhmä",
                "category": {
                    "index": {o: i for i, o in enumerate(occs)},
                    "label": {o: f"{o} x" for o in occs},
                },
            },
            "Kuukausi": {"label": "Kuukausi", "category": {"index": list(months)}},
            "Tiedot": {"label": "Tiedot", "category": {"index": {U: 0, V: 1}}},
        },
        "value": values,
    }


def test_json_stat_2_reads_with_null_as_missing(tmp_path):
    path = tmp_path / "api.json"
    path.write_text(json.dumps(jsonstat([10, 2, 11, None, 20, 4, 21, 5])), encoding="utf-8")
    f = loader.read(path).frame
    cell = f[(f.alue == "SSS") & (f.kuukausi == "2025M02") & (f.tiedot == V)]["arvo"]
    assert cell.isna().all()
    cell = f[(f.alue == "ELY01") & (f.kuukausi == "2025M02") & (f.tiedot == V)]["arvo"]
    assert int(cell.iloc[0]) == 5


@pytest.mark.parametrize(
    "doc, reason",
    [
        ({**jsonstat([1] * 8), "version": "1.3"}, "jsonstat_version"),
        ({**jsonstat([1] * 7)}, "px_cells"),
        ({**jsonstat([1] * 8), "size": [3, 1, 2, 2]}, "cube_dimension"),
        ({k: v for k, v in jsonstat([1] * 8).items() if k != "dimension"}, "jsonstat_malformed"),
        (jsonstat([1, 2, 3, 4, 5, 6, 7, -8]), "cube_negative"),
        ({**jsonstat([1] * 8), "value": None}, "jsonstat_malformed"),
        ({**jsonstat([1] * 8), "value": {"-1": 3}}, "jsonstat_malformed"),
        ({**jsonstat([1] * 8), "dimension": []}, "jsonstat_malformed"),
    ],
)
def test_a_broken_json_stat_file_is_refused_naming_the_file(tmp_path, doc, reason):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(KitInputError) as err:
        loader.read(path)
    assert err.value.reason == reason
    assert "bad.json" in err.value.message("en")
    if reason == "cube_dimension":
        assert err.value.column == "Alue"


def test_json_that_is_cut_off_names_its_line(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"version": "2.0",\n "class": "dataset",\n "value": [1, 2', encoding="utf-8")
    with pytest.raises(KitInputError) as err:
        loader.read(path)
    assert err.value.reason == "json_malformed" and err.value.row == 3


RECORD = {
    "tilastovuosi": 2025,
    "tutkinto": "Sosiaali- ja terveysalan perustutkinto",
    "koodiTutkinto": "371101",
    "koodiKoulutuksenJarjestaja": "2918298-7",
    "koulutuksenJarjestaja": "Careeria Oy",
    "uudetOpiskelijatLkm": 40,
    "opiskelijatLkm": 100,
    "tutkinnonSuorittaneetLkm": 20,
}


def test_vipunen_api_json_reads_camel_case_and_omitted_nulls(tmp_path):
    path = tmp_path / "vipunen.json"
    rec = {k: v for k, v in RECORD.items() if k != "tutkinnonSuorittaneetLkm"}
    path.write_text(json.dumps([RECORD, {**rec, "tilastovuosi": 2024}]), encoding="utf-8")
    loaded = loader.read(path)
    assert loaded.kind == "supply"
    f = loaded.frame
    assert list(f["uudet_opiskelijat_lkm"]) == [40, 40]
    assert f["tutkinnon_suorittaneet_lkm"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    "change, reason, column",
    [
        ({"uudetOpiskelijatLkm": -3}, "negative", "uudetOpiskelijatLkm"),
        ({"koodiTutkinto": "999123"}, "unknown_qualification", "koodiTutkinto"),
        ({"koodiTutkinto": "37110"}, "bad_qualification_code", "koodiTutkinto"),
    ],
)
def test_a_broken_vipunen_record_is_refused_naming_record_and_field(
    tmp_path, change, reason, column
):
    path = tmp_path / "vipunen.json"
    path.write_text(json.dumps([RECORD, {**RECORD, **change}]), encoding="utf-8")
    with pytest.raises(KitInputError) as err:
        loader.read(path)
    assert (err.value.reason, err.value.row, err.value.column) == (reason, 2, column)


def test_the_supply_table_reads_alike_from_json_csv_and_xlsx(tmp_path):
    records = [
        RECORD,
        {**RECORD, "tilastovuosi": 2024, "uudetOpiskelijatLkm": 32},
        {
            **RECORD,
            "koodiKoulutuksenJarjestaja": "0201375-3",
            "opiskelijatLkm": 300,
            "koulutuksenJarjestaja": "Live",
        },
    ]
    (tmp_path / "a.json").write_text(json.dumps(records), encoding="utf-8")
    header = [
        "Tilastovuosi",
        "Tutkinto",
        "Koodi tutkinto",
        "Koodi koulutuksen järjestäjä",
        "Koulutuksen järjestäjä",
        "Uudet opiskelijat lkm",
        "Opiskelijat lkm",
        "Tutkinnon suorittaneet lkm",
    ]
    rows = [
        [
            str(r[k])
            for k in (
                "tilastovuosi",
                "tutkinto",
                "koodiTutkinto",
                "koodiKoulutuksenJarjestaja",
                "koulutuksenJarjestaja",
                "uudetOpiskelijatLkm",
                "opiskelijatLkm",
                "tutkinnonSuorittaneetLkm",
            )
        ]
        for r in records
    ]
    write_csv(tmp_path / "b.csv", [header, *rows], ";")
    write_xlsx(tmp_path / "c.xlsx", [header, *rows])
    tables = [
        supply.table(supply.tidy(loader.read(tmp_path / n).frame), ["2918298-7"])
        for n in ("a.json", "b.csv", "c.xlsx")
    ]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], table)
    row = tables[0].iloc[0]
    # Careeria 100 of 400 students; new 40 against 32 the year before
    assert row["share"] == pytest.approx(0.25) and row["growth"] == pytest.approx(0.25)


def test_kit_validate_accepts_the_three_shapes_and_refuses_a_broken_one(demo, tmp_path):
    folder = model.folder("demo")
    run = lambda *files: subprocess.run(  # noqa: E731
        kit_command("--lang", "en", "validate", *map(str, files)),
        capture_output=True,
        text=True,
    )
    good = run(
        folder / "tyonv_12ti.px", folder / "api" / "tyonv_12ti.json", folder / "vipunen_supply.json"
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "PC-Axis" in good.stdout and "JSON-stat 2" in good.stdout and "Vipunen" in good.stdout
    broken = tmp_path / "broken.px"
    broken.write_bytes((folder / "tyonv_12ti.px").read_bytes()[:-4000])
    bad = run(broken)
    assert bad.returncode == 1
    assert "broken.px" in bad.stdout and "Traceback" not in bad.stdout + bad.stderr


# --- the bridge ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, reason",
    [
        (["371101", "9999", "0.5", "x", "network"], "unknown_occupation"),
        (["371101", "5321", "0", "x", "network"], "bridge_weight"),
        (["999123", "5321", "0.5", "x", "network"], "unknown_qualification"),
    ],
)
def test_the_bridge_is_checked_by_the_loader(tmp_path, row, reason):
    path = write_csv(
        tmp_path / "occupation_map.csv",
        [["qualification", "occupation", "weight", "note", "source"], row],
    )
    with pytest.raises(KitInputError) as err:
        bridge.load(path)
    assert err.value.reason == reason and err.value.row == 2


def test_confirmed_forum_links_enter_the_map_as_the_forums():
    base = bridge.load()
    confirmed = pd.DataFrame(
        [
            {"qualification": "371101", "occupation": "5321", "weight": 0.7, "note": "forum"},
            {"qualification": "381142", "occupation": "5246", "weight": 0.2, "note": "new"},
        ]
    )
    merged = bridge.merge(base, confirmed)
    assert len(merged) == len(base) + 1
    got = merged.set_index(["qualification", "occupation"])
    assert got.loc[("371101", "5321"), "source"] == "forum"
    assert got.loc[("371101", "5321"), "weight"] == 0.7
    assert "1 " in bridge.label(bridge.merge(base, confirmed.head(1)), "en")


# --- the signals, by hand --------------------------------------------------------------------


def months_frame(tightness, unemployed=100, start="2022-01"):
    stamps = pd.date_range(start, periods=len(tightness), freq="MS")
    return pd.DataFrame(
        {
            "region": "ELY01",
            "region_name": "Uusimaa",
            "occupation": "5321",
            "occupation_name": "x",
            "month": stamps,
            "unemployed": unemployed,
            "vacancies": np.asarray(tightness) * unemployed,
            "tightness": np.asarray(tightness, dtype=float),
            "low_base": False,
        }
    )


def test_tightness_is_vacancies_per_unemployed_and_a_small_base_is_left_out(tmp_path):
    path, values = small_px(tmp_path)
    m = signals.monthly(loader.read(path).frame)
    row = m[(m.region == "ELY01") & (m.occupation == "2512")].iloc[0]
    assert row["tightness"] == pytest.approx(7 / 20)
    cube = loader.read(path).frame.copy()
    cube.loc[cube["tiedot"] == U, "arvo"] = 4
    assert signals.monthly(cube)["tightness"].isna().all()


def test_seasonal_adjustment_removes_a_pure_season_and_keeps_a_trend():
    season = 1 + 0.3 * np.sin(np.arange(36) / 12 * 2 * np.pi)
    flat = signals.summary(months_frame(1.5 * season))
    assert flat["direction"].iloc[0] == signals.UNCERTAIN
    assert abs(flat["trend"].iloc[0]) < 0.02
    assert abs(flat["change"].iloc[0]) < 0.02
    adjusted = signals.adjust(months_frame(1.5 * season))
    assert adjusted["adjusted"].std() < 0.01 * adjusted["tightness"].std()
    rising = signals.summary(months_frame((1 + 0.5 * np.arange(36) / 12) * season))
    assert rising["direction"].iloc[0] == signals.GROWING
    assert rising["trend"].iloc[0] == pytest.approx(0.5, rel=0.05)
    falling = signals.summary(months_frame((3 - 0.5 * np.arange(36) / 12) * season))
    assert falling["direction"].iloc[0] == signals.SHRINKING


def test_a_short_series_is_not_adjusted_and_says_so():
    out = signals.summary(months_frame(np.linspace(1, 2, 12)))
    assert not out["seasonal"].iloc[0]
    assert out["trend"].iloc[0] == pytest.approx(12 / 11, rel=1e-6)


# --- the quadrant ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case, want",
    [
        ((0.1, 0.3, 20, 50), "candidate"),
        ((0.1, 0.3, 80, 50), "supplied"),
        ((-0.4, -0.1, 80, 50), "review"),
        ((-0.4, -0.1, 20, 50), "small"),
        ((-0.1, 0.2, 10, 50), "uncertain"),
        ((0.0, 0.2, 10, 50), "uncertain"),
        ((0.05, 0.2, 50, 50), "candidate"),
    ],
)
def test_classify(case, want):
    assert model.classify(*case) == want


def test_the_demo_names_growing_demand_with_little_supply_in_uusimaa(demo):
    m = model.build(lang="en")
    region = m.region("uusimaa")
    assert region == "ELY01"
    q = m.quadrant(region)
    assert set(q["quadrant"]) <= set(model.QUADRANTS)
    for r in q.itertuples():
        assert r.quadrant == model.classify(r.trend_low, r.trend_high, r.supply, r.median)
    candidates = q[q["quadrant"] == model.CANDIDATE]
    assert len(candidates) and (candidates["trend_low"] > 0).all()
    assert (candidates["supply"] <= q["supply"].median()).all()
    words = m.candidate_words(region)
    assert candidates["occupation"].iloc[0] in words["candidates"]
    with pytest.raises(KitInputError) as err:
        m.region("Atlantis")
    assert "Uusimaa" in err.value.message("en")


def test_a_partners_picture_covers_only_its_qualifications(demo):
    m = model.build(lang="fi")
    table = m.supply_table("kiinko", raw=True)
    offered = set(table["qualification"])
    assert offered and offered <= set(m.bridge["qualification"])
    occs = set(m.occupations_of("kiinko"))
    assert occs == set(m.bridge[m.bridge["qualification"].isin(offered)]["occupation"])
    assert set(m.heatmap_data("kiinko")["occupation"]) == occs


def test_exercise_checks_accept_the_solutions_and_refuse_near_misses():
    assert checks.tightness(lambda v, u: None if u < 5 else v / u).passed
    assert not checks.tightness(lambda v, u: None if u <= 5 else v / u).passed
    assert not checks.tightness(lambda v, u: v / u if u else None).passed
    assert checks.quadrant(model.classify).passed
    assert not checks.quadrant(
        lambda lo, hi, s, m: "candidate" if lo >= 0 and s <= m else model.classify(lo, hi, s, m)
    ).passed


# --- the forum store -------------------------------------------------------------------------

ALLOWED = {
    "regions": ["SSS", "ELY01"],
    "occupations": ["5321", "5322", "2512"],
    "all_occupations": ["5321", "5322", "2512", "5246"],
    "qualifications": ["371101", "381142"],
}


def contribution(who, **extra):
    return {"participant": who, "field": "5", "region": "ELY01", **extra}


def rate(who, occ="5321", match=4, urgency=5, **extra):
    return contribution(
        who, ratings=[{"occupation": occ, "match": match, "urgency": urgency}], **extra
    )


class Joining(ForumStore):
    """The forum's store, where each name a test contributes under has joined the room (as a
    signed-in user would)."""

    def submit(self, contribution):
        if isinstance(contribution, dict) and isinstance(contribution.get("participant"), str):
            self.join(contribution["participant"])
        return super().submit(contribution)


def store(tmp_path):
    return Joining(tmp_path / "forum.sqlite3", ALLOWED)


@pytest.mark.parametrize(
    "bad, reason",
    [
        (contribution("a"), "forum_empty"),
        (rate("a", match=6), "forum_bad_score"),
        (rate("a", occ="9999"), "unknown_value"),
        ({**rate("a"), "region": "ELY99"}, "unknown_value"),
        (contribution("a", weak_signal="x" * 1001), "forum_too_long"),
        (contribution("a", idea={"rationale": "no offer"}), "forum_idea_offer"),
        (
            contribution("a", link={"qualification": "123456", "occupation": "5321"}),
            "unknown_value",
        ),
        (contribution("a", supports=[99]), "forum_no_idea"),
        (contribution("a", ratings=["5321"]), "forum_bad"),
        (contribution("a", idea="a text"), "forum_bad"),
        (contribution("a", supports=3), "forum_bad"),
    ],
)
def test_a_bad_contribution_is_refused_and_nothing_stored_is_lost(tmp_path, bad, reason):
    s = store(tmp_path)
    s.submit(rate("first"))
    with pytest.raises(KitInputError) as err:
        s.submit(bad)
    assert err.value.reason == reason
    assert s.count() == 1 and s.integrity() == "ok"


def test_ratings_and_supports_cannot_be_given_twice_and_a_closed_round_takes_nothing(tmp_path):
    s = store(tmp_path)
    s.submit(rate("a"))
    with pytest.raises(KitInputError, match="5321"):
        s.submit(rate("a", match=1))
    idea = s.submit(contribution("b", idea={"offer": "short package"}))
    with pytest.raises(KitInputError):
        s.submit(contribution("b", supports=[idea]))  # one's own idea
    s.submit(contribution("a", supports=[idea]))
    with pytest.raises(KitInputError):
        s.submit(contribution("a", supports=[idea]))
    s.close_round()
    with pytest.raises(KitInputError) as err:
        s.submit(rate("c"))
    assert err.value.reason == "round_closed" and s.count() == 3


def test_a_room_submitting_at_once_loses_nothing(tmp_path):
    s = store(tmp_path)
    errors = []

    def send(i):
        try:
            for occ in ALLOWED["occupations"]:
                s.submit(rate(f"p{i}", occ=occ, weak_signal=f"signal {i}"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert s.count() == 30 and s.participants() == 10 and s.integrity() == "ok"


# --- what the room may show ------------------------------------------------------------------


def test_ratings_of_four_people_are_never_shown_and_the_view_moves_in_steps_of_five(tmp_path):
    s = store(tmp_path)
    for i in range(4):
        s.submit(rate(f"p{i}", match=i + 1))
    s.advance()
    assert room.ratings(s.contributions(), s.shown()) == []  # not even listed
    assert s.waiting()["match:ELY01:5321"] == 4
    s.submit(rate("p4", match=5))
    s.advance()
    [row] = room.ratings(s.contributions(), s.shown())
    assert (row["raters"], row["match"], row["urgency"]) == (5, 3.0, 5.0)
    s.submit(rate("p5", match=1))  # a sixth alone would reveal their rating: it waits
    s.advance()
    [row] = room.ratings(s.contributions(), s.shown())
    assert (row["raters"], row["waiting"], row["match"]) == (5, 1, 3.0)
    for i in range(6, 10):
        s.submit(rate(f"p{i}", match=1))
    s.advance()
    [row] = room.ratings(s.contributions(), s.shown())
    assert (row["raters"], row["match"]) == (10, pytest.approx(2.0))


def test_a_mean_that_fewer_than_five_gave_is_hidden_even_in_a_shown_group(tmp_path):
    s = store(tmp_path)
    for i in range(5):
        s.submit(rate(f"p{i}", match=4 if i < 4 else None, urgency=i + 1))
    s.advance()
    [row] = room.ratings(s.contributions(), s.shown())
    assert row["raters"] == 5 and row["match"] is None and row["urgency"] == 3.0


def test_free_text_and_ideas_wait_for_five_people_in_the_field(tmp_path):
    s = store(tmp_path)
    for i in range(4):
        s.submit(
            contribution(
                f"p{i}", weak_signal=f"w{i}", idea={"offer": f"idea {i}", "occupation": "5321"}
            )
        )
    s.advance()
    items = s.contributions()
    assert room.weak_signals(items, s.shown()) == {}  # the field is not even listed
    assert room.proposals(items, s.shown()) == []
    s.submit(contribution("p4", weak_signal="w4", idea={"offer": "idea 4"}))
    s.advance()
    items = s.contributions()
    assert room.weak_signals(items, s.shown())["5"]["texts"] == [f"w{i}" for i in range(5)]
    rows = room.proposals(items, s.shown(), signal={"5321": 0.3})
    assert all("region" not in r for r in rows)  # a proposer's region could single them out
    assert len(rows) == 5 and {r["supporters"] for r in rows} == {1}
    assert rows[0]["offer"] == "idea 0" and rows[0]["trend"] == 0.3  # the signal breaks the tie
    for i in range(5, 9):  # four supporters of idea 2 wait: a step needs five
        s.submit(contribution(f"p{i}", supports=[2]))
    s.advance()
    assert {r["supporters"] for r in room.proposals(s.contributions(), s.shown())} == {1}
    s.submit(contribution("p9", supports=[2]))
    s.advance()
    rows = room.proposals(s.contributions(), s.shown())
    assert rows[0]["offer"] == "idea 1" and rows[0]["supporters"] == 6


def test_a_text_is_released_only_among_five_new_writers(tmp_path):
    """Four people who only propose ideas and one who writes a weak signal: the text waits,
    since it would be that one person's."""
    s = store(tmp_path)
    for i in range(4):
        s.submit(contribution(f"p{i}", idea={"offer": f"idea {i}"}))
    s.submit(contribution("p4", weak_signal="only mine", idea={"offer": "idea 4"}))
    s.advance()
    items = s.contributions()
    assert len(room.proposals(items, s.shown())) == 5
    assert "5" not in room.weak_signals(items, s.shown())
    assert s.waiting()["texts:5"] == 1


def test_one_persons_figure_cannot_be_worked_out_from_two_states(tmp_path):
    """Five give both figures, then five more rate of whom only one gives "match": the match
    mean must not move (6 × new − 5 × old would be that person's answer)."""
    s = store(tmp_path)
    for i in range(5):
        s.submit(rate(f"p{i}", match=4, urgency=4))
    s.advance()
    [before] = room.ratings(s.contributions(), s.shown())
    s.submit(rate("p5", match=1, urgency=2))
    for i in range(6, 10):
        s.submit(rate(f"p{i}", match=None, urgency=2))
    s.advance()
    [after] = room.ratings(s.contributions(), s.shown())
    assert before["match"] == after["match"] == 4.0
    assert after["urgency"] == pytest.approx((5 * 4 + 5 * 2) / 10)


def test_links_are_shown_for_five_proposers_and_confirmed_by_two(tmp_path):
    s = store(tmp_path)
    for i in range(5):
        occ = "5246" if i < 2 else "5321"
        s.submit(
            contribution(
                f"p{i}", link={"qualification": "381142", "occupation": occ, "note": f"n{i}"}
            )
        )
    assert room.links(s.contributions(), s.shown()) == []
    s.advance()
    links = {
        (r["qualification"], r["occupation"]): r for r in room.links(s.contributions(), s.shown())
    }
    assert links[("381142", "5246")]["confirmed"] and links[("381142", "5246")]["proposers"] == 2
    assert links[("381142", "5321")]["proposers"] == 3


def test_two_devices_and_the_facilitators_export_show_both_ideas(demo, tmp_path):
    from kit.workshops.anticipation import view

    path = tmp_path / "forum.sqlite3"
    make = view.maker(region="Uusimaa", store=path)
    tabs = [make("fi", None), make("fi", None)]
    seed = Joining(path, tabs[0].store.allowed)
    first = tabs[0]
    occ = next(iter(first.ratings))
    for i in range(3):
        seed.submit(
            {
                "participant": f"seed{i}",
                "field": first.field.value,
                "region": "ELY01",
                "ratings": [{"occupation": occ, "match": 3, "urgency": 3}],
                "idea": {"offer": f"seed idea {i}"},
            }
        )
    for n, tab in enumerate(tabs):
        tab.ratings[occ][0].value = 5
        tab.ratings[occ][1].value = 4
        tab.offer.value = f"Tab {n} package"
        tab.rationale.value = "the room sees it"
        assert tab.submit(), tab.message.value
    facilitator = view.room_maker(region="Uusimaa", store=path)("fi", None)
    state = facilitator.refresh()
    offers = {r["offer"] for r in state["proposals"]}
    assert offers == {"Tab 0 package", "Tab 1 package", *(f"seed idea {i}" for i in range(3))}
    [rating] = [r for r in state["ratings"] if r["occupation"] == occ]
    assert rating["raters"] == 5 and rating["match"] == pytest.approx((3 * 3 + 2 * 5) / 5)
    tabs[0].refresh()  # the attendee's list of ideas to support: the shown ones, not their own
    assert {o for o, _id in tabs[0].support_list.options} == offers - {"Tab 0 package"}
    exported = facilitator.export(tmp_path)
    book = openpyxl.load_workbook(exported)
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Tab 0 package" in cells and "Tab 1 package" in cells
    about = [c for row in book.worksheets[-1].iter_rows(values_only=True) for c in row]
    assert any("SYNTEETTINEN" in str(c) for c in about)


def test_the_threshold_can_be_raised_for_the_room(tmp_path):
    s = store(tmp_path)
    for i in range(6):
        s.submit(rate(f"p{i}"))
    privacy.set_threshold(7)
    try:
        s.advance()
        assert room.ratings(s.contributions(), s.shown()) == []
        s.submit(rate("p6"))
        s.advance()
        assert room.ratings(s.contributions(), s.shown())[0]["raters"] == 7
    finally:
        privacy.set_threshold(None)


@pytest.mark.xdist_group("kit_demo")
def test_the_report_for_uusimaa_in_kit_demo(demo_run):
    """The done-when run, as ``make demo`` makes it (region Uusimaa, the network, English):
    the tightness heatmap, the quadrant with its named candidates, the trends and the supply
    table, labelled synthetic; and ``kit demo`` names the candidates in one line."""
    import nbformat

    from kit import i18n

    folder = demo_run.reports / "anticipation"
    ran = nbformat.read(folder / "network_en.ipynb", as_version=4)
    outputs = [o for c in ran.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 3  # heatmap, quadrant, trends
    html = (folder / "network_en.html").read_text(encoding="utf-8")
    for key in ("ws5.heatmap", "ws5.quadrant", "ws5.trends", "ws5.supply", "ws5.bridge"):
        assert i18n.t(key, "en").splitlines()[0].lstrip("# ") in html
    words = model.build(lang="en").candidate_words("ELY01")
    assert words["candidates"] in html and "Growing demand, little supply" in html
    assert "Market share" in html and "SYNTHETIC" in html
    headline = json.loads((folder / "network_en.json").read_text(encoding="utf-8"))
    assert headline["region"] == "ELY01" and headline["candidates"]
    assert i18n.t("demo.ws5", "en", **words) in demo_run.stdout
