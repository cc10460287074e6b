"""One catalogue, three languages: no key may be missing in any of them."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from kit import i18n
from kit.errors import KitInputError
from kit.surveys import KYSELYT, LIKERT_VALUES, SURVEYS, THEMES

ROOT = Path(__file__).resolve().parent.parent


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_every_language_with_the_same_placeholders():
    for key, texts in i18n.catalogue().items():
        assert set(texts) == set(i18n.LANGS), f"{key}: {sorted(texts)}"
        assert all(texts[lang].strip() for lang in i18n.LANGS), key
        found = {lang: placeholders(texts[lang]) for lang in i18n.LANGS}
        assert found["fi"] == found["sv"] == found["en"], f"{key}: {found}"


def used_keys() -> set[str]:
    """Every literal catalogue key in the code and notebooks."""
    pattern = re.compile(
        r"""\b(?:t|say|_row|message|Md)\(\s*f?["']([a-z_][a-z0-9_]*\.[a-z0-9_.]+)["']"""
    )
    keys = set()
    for path in [
        *ROOT.glob("kit/**/*.py"),
        *ROOT.glob("kit/**/*.j2"),
        *ROOT.glob("notebooks/*/*.ipynb"),
    ]:
        keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_key_used_in_code_exists():
    missing = sorted(k for k in used_keys() if "{" not in k and not i18n.has(k))
    assert not missing, missing
    assert len(used_keys()) > 150  # the scan really finds the keys


def test_dynamic_keys_exist():
    """Keys built at run time: reasons, kinds, surveys, scale, themes."""
    from kit.schemas import kinds

    dynamic = (
        [f"survey.{s}" for s in SURVEYS]
        + [f"kysely.{k}" for k in KYSELYT]
        + [f"scale.{v}" for v in LIKERT_VALUES]
        + [f"theme.{th}" for th in THEMES]
        + [f"kind.{k}" for k in kinds()]
        + [f"data.content_{n}" for n in ("demo", "national", "reference")]
    )
    from kit import cli, workshops
    from kit.cli import _ARGPARSE_WORDS

    dynamic += list(_ARGPARSE_WORDS.values())
    dynamic += [w.label_key() for w in workshops.REGISTRY]
    for command in cli.commands():
        dynamic += [f"{command.key}.help", f"{command.key}.description"]
    missing = [k for k in dynamic if not i18n.has(k)]
    assert not missing, missing


def test_every_reason_raised_in_code_exists():
    pattern = re.compile(r"""(?:KitInputError|Problem)\(\s*(?:[^,()]*,\s*)?["']([a-z_]+)["']""")
    reasons = set()
    for path in ROOT.glob("kit/**/*.py"):
        reasons |= set(pattern.findall(path.read_text(encoding="utf-8")))
    from kit.schemas import kinds

    reasons |= {rule.reason for kind in kinds().values() for rule in kind.rules}
    reasons |= {
        "not_integer",
        "negative",
        "bad_year",
        "ytunnus_form",
        "ytunnus_checksum",
        "bad_period",
        "bad_date",
        "likert",
        "bad_flag",
        "bad_choice",
        "missing_value",
    }
    missing = sorted(r for r in reasons if not i18n.has(f"reason.{r}"))
    assert not missing, missing
    assert len(reasons) > 25


def test_scale_labels_are_arvos_own():
    assert i18n.t("scale.1", "fi") == "Täysin eri mieltä"
    assert i18n.t("scale.5", "sv") == "Helt av samma åsikt"
    assert i18n.t("scale.eos", "en") == "I can't say"


def test_languages_switch_and_bad_language_is_refused():
    try:
        i18n.set_language("sv")
        assert i18n.t("data.yes") == "ja"
        with pytest.raises(ValueError):
            i18n.set_language("de")
    finally:
        i18n.set_language("fi")
    assert i18n.t("data.yes") == "kyllä"


def test_error_messages_read_in_each_language():
    err = KitInputError("negative", file="x.csv", row=3, column="n", value=-1)
    assert err.message("fi").startswith('x.csv, rivi 3, sarake "n"')
    assert err.message("sv").startswith('x.csv, rad 3, kolumn "n"')
    assert err.message("en").startswith('x.csv, row 3, column "n"')


def test_the_catalogue_is_merged_from_the_workshops_parts():
    from kit import workshops

    parts = i18n.parts()
    assert parts[0].name == "catalogue.toml" and len(parts) == 1 + len(workshops.REGISTRY)
    for w in workshops.REGISTRY:
        assert w.folder / "catalogue.toml" in parts
    assert i18n.has("workshop.dashboards") and i18n.has("ws2.title")


def test_a_key_in_two_parts_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[x.y]\nfi = "a"\nsv = "a"\nen = "a"\n')
    (tmp_path / "b.toml").write_text('[x.y]\nfi = "b"\nsv = "b"\nen = "b"\n')
    monkeypatch.setattr(i18n, "parts", lambda: [tmp_path / "a.toml", tmp_path / "b.toml"])
    with pytest.raises(ValueError, match="x.y"):
        i18n.catalogue()
    monkeypatch.undo()
    assert i18n.has("ws1.title")
