"""The synthetic demo data: reproducible, calibrated to the real 2020-21 counts, labelled."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kit import datasets, feedback, loader, partners, paths, response, synth
from tests.conftest import REAL_COUNTS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo"
    return synth.build(out, seed=synth.SEED)


def test_same_seed_same_files(built, tmp_path):
    again = synth.build(tmp_path / "again", seed=synth.SEED)
    first = json.loads((built.out / "manifest.json").read_text())["files"]
    second = json.loads((again.out / "manifest.json").read_text())["files"]
    assert first == second and len(first) >= 12
    other = synth.build(tmp_path / "other", seed=synth.SEED + 1)
    third = json.loads((other.out / "manifest.json").read_text())["files"]
    assert third["feedback_counts.csv"] != first["feedback_counts.csv"]


def test_the_bundled_demo_is_the_default_seed(demo, built):
    ours = json.loads((paths.demo_dir() / "manifest.json").read_text())["files"]
    fresh = json.loads((built.out / "manifest.json").read_text())["files"]
    assert ours == fresh


def test_calibrated_to_the_real_2020_21_counts(built):
    real = response.from_counts(loader.read(REAL_COUNTS).frame)
    ours = loader.load_response([built.out / "response_counts.csv"])
    keys = ["y_tunnus", "survey", "targeted", "answered"]
    six = partners.y_tunnukset("network")
    expected = real[real["y_tunnus"].isin(six)][keys].sort_values(keys).reset_index(drop=True)
    got = ours[(ours["period"] == "2020-21") & ours["survey"].isin(expected["survey"])][keys]
    pd.testing.assert_frame_equal(
        got.sort_values(keys).reset_index(drop=True), expected, check_dtype=False
    )


def test_answers_match_the_answered_counts(built):
    """Every answered student is a respondent in the answer files, period by period."""
    resp = loader.load_response([built.out / "response_counts.csv"])
    tidy = loader.load_feedback(sorted((built.out / "answers").glob("*.csv")))
    people = feedback.aggregate(tidy, ["y_tunnus", "period", "survey"]).set_index(
        ["y_tunnus", "period", "survey"]
    )["respondents"]
    answered = resp[resp["answered"] > 0].set_index(["y_tunnus", "period", "survey"])["answered"]
    assert people.sort_index().equals(answered.astype("int64").sort_index())


def test_six_partners_six_periods_and_working_life(built):
    data = loader.load_feedback([built.out / "feedback_counts.csv"])
    assert set(data["y_tunnus"]) == set(partners.y_tunnukset("network"))
    assert sorted(data["period"].unique()) == synth.PERIODS
    worklife = data[data["survey"].isin(["tyopaikkaohjaajakysely", "tyopaikkakysely"])]
    assert sorted(worklife["period"].unique()) == synth.PERIODS[2:]


def test_partners_differ_and_small_groups_exist(demo):
    means = feedback.summary(
        demo.feedback, by=["y_tunnus"], select={"survey": "tutkinnon_suorittaneet"}
    )
    assert means["mean"].max() - means["mean"].min() > 0.2
    fine = feedback.aggregate(demo.feedback, ["y_tunnus", "period", "survey", "qualification"])
    small = fine[(fine["respondents"] > 0) & (fine["respondents"] < 5)]
    assert len(small) >= 10


def test_indicators_sized_by_real_student_years(built):
    ind = loader.read(built.out / "key_figures.csv").frame
    real = loader.read(paths.reference_dir() / synth.REAL_STUDENT_YEARS).frame
    real2020 = real[real["vuosi"] == 2020].set_index("ytunnus")["tavoitteelliset_opiskelijavuodet"]
    ours = ind[ind["vuosi"] == 2020].set_index("ytunnus")["opiskelijavuodet"]
    for y in partners.y_tunnukset("network"):
        assert ours[y] == real2020[y]
    assert set(ind["vuosi"]) == set(synth.YEARS)


def test_labelled_synthetic_everywhere(built, demo):
    manifest = json.loads((built.out / "manifest.json").read_text())
    assert manifest["synthetic"] is True and "SYNTHETIC" in manifest["notice"]
    assert "SYNTHETIC DEMO DATA" in (built.out / "SYNTHETIC.md").read_text()
    assert demo.synthetic and "SYNTEETTINEN" in demo.label("fi")


def test_a_failed_build_keeps_the_old_data(built, monkeypatch):
    before = {p: p.read_bytes() for p in built.out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synth.key_figures, "to_file", broken)
    with pytest.raises(RuntimeError):
        synth.build(built.out, seed=99)
    after = {p: p.read_bytes() for p in built.out.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in built.out.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_national_scale_has_all_154_real_providers(tmp_path):
    built = synth.build(tmp_path / "national", scale="national")
    counts = loader.read(built.out / "response_counts.csv").frame
    real = loader.read(REAL_COUNTS).frame
    period = counts[counts["tilastokausi"] == "2020-21"]
    assert set(period["koulutuksen_jarjestajan_y_tunnus"]) == set(
        real["koulutuksen_jarjestajan_y_tunnus"]
    )
    assert len(period) == 154
    assert not (built.out / "answers").exists()  # aggregate only at national scale
    tidy = loader.load_feedback([built.out / "feedback_counts.csv"])
    assert tidy["y_tunnus"].nunique() > 120


def test_missing_demo_is_built_on_demand(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("KIT_WORK_DIR", str(work))
    assert not datasets.is_built("demo")
    loaded = datasets.load("demo")
    assert datasets.is_built("demo") and loaded.synthetic
