"""Arvo's CSV downloads as people have them: both layouts in fi/sv/en, ``kit import arvo``,
official qualification codes, working-life durations, own data sets, and every refusal.

The downloads are written by ``tests/arvo_files.py`` from the rules of Arvo's own code, and the
values each test expects come from the respondents it generated, not from the reader.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from kit import cli, datasets, feedback, importer, loader, qualifications, questions
from kit.errors import KitInputError
from tests.arvo_files import Respondent, download, save
from tests.conftest import kit_command

PROVIDER = "2918298-7"  # Careeria


def import_args(path, target, *extra: str) -> list[str]:
    """``kit import arvo`` of ``path`` into ``target`` for the aloittaneet, in English."""
    return [
        "--lang",
        "en",
        "import",
        "arvo",
        str(path),
        "--provider",
        PROVIDER,
        "--survey",
        "aloittaneet",
        "--out",
        str(target),
        *extra,
    ]


#: background headers as Arvo's field list heads them for the student surveys
BACKGROUND = {
    "fi": ["Tutkinto", "Tutkinnon nimi"],
    "sv": ["Examen", "Namn på examen"],
    "en": ["Degree", "Name of degree"],
}


def bank_texts(kysely: str, lang: str) -> dict[str, str]:
    bank = questions.question_bank()
    rows = bank[bank["kysely"] == kysely]
    return dict(zip(rows["id"], rows[f"text_{lang}"]))


def people(
    n: int = 60,
    seed: int = 1,
    kysely: str = "aloituskysely",
    dates: tuple[str, ...] = ("2024-06-20", "2024-07-02", "2024-11-30"),
) -> list[Respondent]:
    """Respondents with answers 1–5, eos and skipped questions, on dates in two periods."""
    rng = random.Random(seed)
    qids = list(bank_texts(kysely, "fi"))
    out = []
    for _i in range(n):
        code = rng.choice(["371101", "331101", "999999"])  # the last: a code the kit lacks
        answers = {q: rng.choice(["1", "2", "3", "4", "4", "5", "5", "eos", None]) for q in qids}
        out.append(
            Respondent(
                f"{rng.randrange(16**8):08X}",
                rng.choice(dates),
                "Careeria; Porvoo",
                {"code": code},
                answers,
            )
        )
    return out


def write(
    tmp: Path,
    who: list[Respondent],
    lang: str,
    layout: str,
    kysely: str = "aloituskysely",
    name: str | None = None,
) -> Path:
    heads = BACKGROUND[lang]
    for p in who:
        p.background = {
            heads[0]: p.background.get("code") or p.background.get(heads[0]),
            heads[1]: qualifications.name(
                p.background.get("code") or p.background.get(heads[0]), lang
            ),
            "code": p.background.get("code") or p.background.get(heads[0]),
        }
    path = tmp / (name or f"aloituskysely-2024-12-01-{lang}-{layout}.csv")
    return save(
        path, download(who, bank_texts(kysely, lang), lang=lang, layout=layout, background=heads)
    )


def expected_values(who: list[Respondent]) -> dict[tuple[str, str], str]:
    return {(p.code, q): v for p in who for q, v in p.answers.items() if v is not None}


def imported_values(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {
        (r, q): v
        for r, q, v in zip(frame["vastaajatunnus"], frame["kysymysid"], frame["numerovalinta"])
    }


VARIANTS = [
    ("fi", "respondent"),
    ("sv", "respondent"),
    ("en", "respondent"),
    ("fi", "answer"),
    ("sv", "answer"),
    ("en", "answer"),
]


@pytest.mark.parametrize(("lang", "layout"), VARIANTS)
def test_download_validates_and_imports_to_the_same_values(tmp_path, capsys, lang, layout):
    who = people()
    path = write(tmp_path, who, lang, layout)
    raw = path.read_bytes()
    # a background value is written as it is, so its ';' makes Arvo quote the cell
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b'"Careeria; Porvoo"' in raw

    assert cli.main(["--lang", "en", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Arvo CSV download" in out and "60 respondents" in out
    assert {"respondent": "one row per respondent", "answer": "one row per answer"}[layout] in out

    target = tmp_path / "answers.csv"
    assert cli.main(import_args(path, target)) == 0
    assert cli.main(["--lang", "en", "validate", str(target)]) == 0
    loaded = loader.read(target)
    assert loaded.kind == "answers"
    assert imported_values(loaded.frame) == expected_values(who)
    # the background is kept: the institution as Arvo wrote it, codes as codes
    table = pd.read_csv(target, dtype="str", keep_default_na=False)
    assert set(table["oppilaitos"]) == {"Careeria; Porvoo"}
    assert set(table["tutkinto"]) == {"371101", "331101", "999999"}
    assert set(table["lahde"]) == {path.name}
    assert set(table["koulutustoimija"]) == {PROVIDER}


def test_periods_come_from_the_response_time(tmp_path):
    who = people(dates=("2024-06-30", "2024-07-01"))
    answers = importer.import_files(
        [write(tmp_path, who, "fi", "respondent")], provider=PROVIDER
    ).answers
    tidy = feedback.from_answers(answers)
    by_period = {
        p: {x.code for x in who if (x.date >= "2024-07-01") == (p == "2024-25")}
        for p in ("2023-24", "2024-25")
    }
    for period, codes in by_period.items():
        n = tidy[(tidy["period"] == period) & (tidy["question_id"] == "A01")][feedback.COUNTS]
        assert int(n.to_numpy().sum()) == sum(
            1 for x in who if x.code in codes and x.answers["A01"] is not None
        )


def test_survey_is_inferred_only_where_the_questions_tell(tmp_path):
    path = write(tmp_path, people(), "fi", "respondent")
    assert importer.import_files([path], provider="careeria").survey == "aloittaneet"
    end = write(
        tmp_path,
        people(kysely="paattokysely"),
        "fi",
        "respondent",
        kysely="paattokysely",
        name="paattokysely.csv",
    )
    with pytest.raises(KitInputError) as err:
        importer.import_files([end], provider=PROVIDER)
    assert err.value.reason == "arvo_survey_needed" and "tutkinnon_osia_suorittaneet" in str(
        err.value
    )
    done = importer.import_files([end], provider=PROVIDER, survey="tutkinnon_osia_suorittaneet")
    assert set(done.answers["kyselypohja_tarkenne"]) == {"tutkinnon_osia_suorittaneet"}


def test_headers_match_after_folding_case_space_and_punctuation_or_by_id(tmp_path):
    texts = bank_texts("aloituskysely", "fi")
    odd = {q: "  " + t.upper().replace(" ", "   ").rstrip(".") + " ?" for q, t in texts.items()}
    odd["A05"] = "A05"  # a bank id as the header
    who = people(10)
    path = save(tmp_path / "odd.csv", download(who, texts, headers=odd))
    got = importer.import_files([path], provider=PROVIDER).answers
    assert imported_values(got) == expected_values(who)


def test_a_question_group_line_above_the_header_is_skipped(tmp_path):
    who = people(8)
    body = download(who, bank_texts("aloituskysely", "fi"))
    line = ";;;" + "Aloitusvaihe" + ";" * 15 + "\r\n"
    path = save(tmp_path / "grouped.csv", b"\xef\xbb\xbf" + line.encode() + body[3:])
    assert imported_values(
        importer.import_files([path], provider=PROVIDER).answers
    ) == expected_values(who)


def test_names_instead_of_codes_and_unknown_codes(tmp_path):
    texts = bank_texts("aloituskysely", "fi")
    who = [
        Respondent(f"N{i}", "2024-09-01", "X", {"Tutkinnon nimi": name}, {q: "4" for q in texts})
        for i, name in enumerate(
            [
                "Sosiaali- ja terveysalan perustutkinto",
                "grundexamen i logistik",
                "Tuntematon tutkinto",
            ]
        )
    ]
    path = save(tmp_path / "names.csv", download(who, texts, background=["Tutkinnon nimi"]))
    got = importer.import_files([path], provider=PROVIDER).answers
    assert dict(zip(got["vastaajatunnus"], got["tutkinto"])) == {
        "N0": "371101",
        "N1": "381408",
        "N2": "Tuntematon tutkinto",
    }
    assert qualifications.name("999999", "fi") == "999999"  # shown by its code, not dropped


def test_qualification_codes_are_official_and_carry_their_cost_group():
    table = qualifications.table()
    groups = qualifications.cost_groups()
    assert len(groups) == 453
    assert table["code"].str.fullmatch(r"[0-9]{6}").all() and table["code"].is_unique
    for code, group in zip(table["code"], table["kustannusryhma"]):
        assert groups[code] == group, code
    assert dict(zip(table["id"], table["code"]))["sote_pt"] == "371101"


def test_demo_data_carries_codes(demo):
    quals = set(demo.feedback["qualification"])
    assert quals and all(q.isdigit() and len(q) == 6 for q in quals)
    answers = next((demo.folder / "answers").glob("opiskelijapalaute_*.csv"))
    assert pd.read_csv(answers, dtype="str", nrows=50)["tutkinto"].str.fullmatch(r"\d{6}").all()
    worklife = next((demo.folder / "answers").glob("tyoelamapalaute_*.csv"))
    kesto = pd.read_csv(worklife, dtype="str", nrows=500)["tyopaikkajakson_kesto"]
    assert kesto.astype(int).between(14, 182).all()


def test_working_life_durations_stay_in_the_tidy_form(tmp_path):
    texts = bank_texts("tyopaikkaohjaajakysely", "fi")
    rng = random.Random(5)
    who = [
        Respondent(
            f"W{i}",
            "2025-03-01",
            "",
            {"tyopaikkajakson_kesto": str(rng.randint(20, 120)), "Tutkinto": "351203"},
            {q: rng.choice(["3", "4", "5", "eos"]) for q in texts},
        )
        for i in range(12)
    ]
    body = download(who, texts, background=["Tutkinto", "tyopaikkajakson_kesto"], amispalaute=False)
    path = save(tmp_path / "tpo.csv", body)
    got = importer.import_files([path], provider=PROVIDER).answers
    assert set(got["kyselypohja_tarkenne"]) == {"tyopaikkaohjaajakysely"}
    tidy = feedback.from_answers(loader.read(_written(tmp_path / "tpo_answers.csv", got)).frame)
    q = next(iter(texts))
    row = tidy[tidy["question_id"] == q].iloc[0]
    for v in ("3", "4", "5", "eos"):
        days = sum(int(p.background["tyopaikkajakson_kesto"]) for p in who if p.answers[q] == v)
        assert int(row[f"days_{v}"]) == days, v
        assert int(row[f"n_{v}"]) == sum(1 for p in who if p.answers[q] == v)


def _written(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("lang", "header", "code"),
    [
        ("fi", "Opiskelijan nimi", "Tutkinto"),
        ("sv", "Studentens namn", "sv"),
        ("en", "Name of the student", "en"),
    ],
)
def test_a_student_name_is_left_out_and_the_code_kept(tmp_path, lang, header, code):
    """Arvo's working-life field list heads the code column "sv" / "en" in those languages."""
    texts = bank_texts("tyopaikkakysely", lang)
    who = [
        Respondent(
            f"S{i}",
            "2025-03-01",
            "",
            {header: "Matti Meikäläinen", code: "351203"},
            {q: "4" for q in texts},
        )
        for i in range(6)
    ]
    path = save(
        tmp_path / "tpk.csv",
        download(who, texts, lang=lang, background=[code, header], amispalaute=False),
    )
    d = loader.read(path).download
    assert d.left_out == (header,)
    got = importer.import_files([path], provider=PROVIDER).answers
    assert "Matti" not in got.to_csv() and set(got["tutkinto"]) == {"351203"}


def test_free_text_is_left_out_and_unknown_scale_questions_on_request(tmp_path):
    texts = bank_texts("aloituskysely", "fi")
    extra = {
        "Mitä muuta haluat sanoa?": ["Hyvä", "", "Kiitos paljon"] * 4,
        "Oma kysymyksemme opiskelijoille": ["4", "5", ""] * 4,
    }
    who = [Respondent(f"F{i}", "2024-09-01", "", {}, {q: "4" for q in texts}) for i in range(12)]
    for p, i in zip(who, range(12)):  # the writer takes answers by their column's key
        p.answers.update({k: v[i] for k, v in extra.items()})
    body = download(who, {**texts, **{k: k for k in extra}})
    path = save(tmp_path / "extra.csv", body)
    with pytest.raises(KitInputError) as err:
        importer.import_files([path], provider=PROVIDER)
    assert err.value.reason == "arvo_unknown_question" and "Oma kysymyksemme" in str(err.value)
    assert "TPK" not in str(err.value)  # the closest texts come from the file's questionnaire
    done = importer.import_files([path], provider=PROVIDER, skip_unknown=True)
    assert set(done.downloads[0].skipped) == set(extra)
    assert imported_values(done.answers) == {(p.code, q): "4" for p in who for q in texts}


def test_durations_are_checked(tmp_path):
    texts = bank_texts("tyopaikkaohjaajakysely", "fi")
    for value, ok in (("45,0", True), ("45.5", False), ("abc", False), ("-3", False)):
        who = [
            Respondent(
                f"D{i}", "2025-03-01", "", {"tyopaikkajakson_kesto": value}, {q: "4" for q in texts}
            )
            for i in range(6)
        ]
        path = save(
            tmp_path / "d.csv",
            download(who, texts, background=["tyopaikkajakson_kesto"], amispalaute=False),
        )
        if ok:
            got = importer.import_files([path], provider=PROVIDER).answers
            assert set(got["tyopaikkajakson_kesto"]) == {"45"}
        else:
            with pytest.raises(KitInputError) as err:
                importer.import_files([path], provider=PROVIDER)
            assert err.value.reason == "arvo_bad_duration" and err.value.row == 2


def test_a_provider_name_is_refused_only_when_it_is_another_partners(tmp_path):
    texts = bank_texts("aloituskysely", "fi")
    for name, ok in (("AEL-Amiedu Oy", True), ("Careeria Oy", False)):
        who = [
            Respondent(
                f"P{i}", "2024-09-01", "", {"Koulutustoimijan nimi": name}, {q: "4" for q in texts}
            )
            for i in range(6)
        ]
        path = save(tmp_path / "n.csv", download(who, texts, background=["Koulutustoimijan nimi"]))
        if ok:
            assert len(importer.import_files([path], provider="3008326-5").answers)
        else:
            with pytest.raises(KitInputError) as err:
                importer.import_files([path], provider="3008326-5")
            assert err.value.reason == "arvo_provider_disagrees"


def test_validate_names_the_missing_respondent_column(tmp_path, capsys):
    texts = bank_texts("aloituskysely", "fi")
    who = [Respondent(f"V{i}", "2024-09-01", "X", {}, {q: "4" for q in texts}) for i in range(6)]
    data = download(who, texts).replace(b"Vastaajatunnus;", b"Tunnus;")
    path = save(tmp_path / "no_code.csv", data)
    assert cli.main(["--lang", "en", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "respondent column is missing" in out and "Vastaajatunnus" in out


def test_out_may_not_be_an_input(tmp_path):
    path = write(tmp_path, people(6), "fi", "respondent")
    with pytest.raises(KitInputError) as err:
        importer.import_files([path], provider=PROVIDER, out=path, force=True)
    assert err.value.reason == "arvo_out_is_input"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfVastaajatunnus")


def test_an_own_folder_may_not_count_answers_twice(tmp_path):
    who = people(3)  # a group of three: shown once as 6 it would be published
    folder = tmp_path / "own"
    target = folder / "a.csv"
    importer.import_files([write(tmp_path, who, "fi", "respondent")], provider=PROVIDER, out=target)
    (folder / "copy.csv").write_bytes(target.read_bytes())
    with pytest.raises(KitInputError) as err:
        datasets.load(str(folder))
    assert err.value.reason == "dataset_answers_twice" and "a.csv" in str(err.value)


# --- refusals -----------------------------------------------------------------------------------


def broken(tmp: Path) -> dict[str, tuple[Path, str, str]]:
    """Each broken variant: (file, the reason, text the message must hold)."""
    texts = bank_texts("aloituskysely", "fi")

    def group(n=6):
        return [
            Respondent(
                f"R{i}", "2024-10-01", "Opisto", {"Tutkinto": "371101"}, {q: "4" for q in texts}
            )
            for i in range(n)
        ]

    out = {}
    out["unknown_question"] = (
        save(
            tmp / "unknown.csv",
            download(
                group(),
                texts,
                background=["Tutkinto"],
                headers={"A03": "Koen kuuluvani opiskeluyhteisöön aivan hyvin"},
            ),
        ),
        "arvo_unknown_question",
        "A03 Koen kuuluvani opiskeluyhteisööni",
    )
    g = group()
    g[3].answers["A05"] = "7"
    out["outside_scale"] = (
        save(tmp / "scale.csv", download(g, texts, background=["Tutkinto"])),
        "arvo_scale",
        "'7'",
    )
    data = download(group(), texts, background=["Tutkinto"]).replace(b"Vastaajatunnus;", b"Tunnus;")
    out["no_respondent_column"] = (
        save(tmp / "norespondent.csv", data),
        "arvo_no_respondent",
        "Vastaajatunnus",
    )
    g = group()
    g[4].code = "R1"
    out["respondent_twice"] = (
        save(tmp / "twice.csv", download(g, texts, background=["Tutkinto"])),
        "arvo_respondent_twice",
        "R1",
    )
    g = group()
    g[2].date = "2024-13-45"
    out["unreadable_date"] = (
        save(tmp / "date.csv", download(g, texts, background=["Tutkinto"])),
        "bad_date",
        "2024-13-45",
    )
    mixed = dict(texts)
    end = questions.question_bank().query("kysely == 'paattokysely'").iloc[0]
    mixed[end["id"]] = end["text_fi"]
    out["mixed_surveys"] = (
        save(tmp / "mixed.csv", download(group(), mixed, background=["Tutkinto"])),
        "arvo_mixed_surveys",
        "Päättökysely",
    )
    g = group()
    for p in g:
        p.background["Koulutustoimija"] = "0201375-3"
    out["provider_disagrees"] = (
        save(tmp / "provider.csv", download(g, texts, background=["Tutkinto", "Koulutustoimija"])),
        "arvo_provider_disagrees",
        "0201375-3",
    )
    g = group()
    out["respondent_twice_per_answer"] = (
        save(
            tmp / "twice_answer.csv",
            download([*g, g[0]], texts, layout="answer", background=["Tutkinto"]),
        ),
        "arvo_answer_twice",
        "R0",
    )
    return out


@pytest.mark.parametrize(
    "variant",
    [
        "unknown_question",
        "outside_scale",
        "no_respondent_column",
        "respondent_twice",
        "unreadable_date",
        "mixed_surveys",
        "provider_disagrees",
        "respondent_twice_per_answer",
    ],
)
def test_each_broken_download_is_refused_in_one_line(tmp_path, variant):
    path, reason, text = broken(tmp_path)[variant]
    with pytest.raises(KitInputError) as err:
        importer.import_files([path], provider=PROVIDER, survey="aloittaneet")
    assert err.value.reason == reason
    assert err.value.file.endswith(path.name) and err.value.row is not None
    assert err.value.column
    message = err.value.message("en")
    assert "\n" not in message and text in message and "row" in message


def test_refusals_through_the_real_command_keep_what_was_stored(tmp_path, capsys):
    """Every broken download is refused in one line naming the file, and the stored answers
    stay as they were: the first variant through the real ``kit`` process (plain, with
    ``--append`` and with ``--force``), the others through the same command in this process
    (a process each cost the suite 20 s and tested nothing more)."""
    good = write(tmp_path, people(10), "fi", "respondent")
    target = tmp_path / "answers.csv"
    first = subprocess.run(
        kit_command("import", "arvo", str(good), "--provider", PROVIDER, "--out", str(target)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    before = target.read_bytes()
    for i, (name, (path, _reason, _text)) in enumerate(broken(tmp_path).items()):
        # every variant as a plain import; the first also with --append and --force
        for extra in ([], ["--append"], ["--force"]) if i == 0 else ([],):
            if i == 0:
                done = subprocess.run(
                    kit_command(*import_args(path, target, *extra)),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                status, out, err = done.returncode, done.stdout, done.stderr
            else:
                status = cli.main(import_args(path, target, *extra))
                out, err = capsys.readouterr()
            assert status == 1, (name, out, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 and path.name in lines[0] and "Traceback" not in err
            assert target.read_bytes() == before, name


def test_an_existing_output_is_kept_appended_or_replaced_on_request(tmp_path):
    a, b = people(10, seed=1), people(12, seed=2)
    fa = write(tmp_path, a, "fi", "respondent", name="a.csv")
    fb = write(tmp_path, b, "sv", "answer", name="b.csv")
    target = tmp_path / "answers.csv"
    importer.import_files([fa], provider=PROVIDER, out=target)
    with pytest.raises(KitInputError) as err:
        importer.import_files([fb], provider=PROVIDER, out=target)
    assert err.value.reason == "arvo_out_exists"
    importer.import_files([fb], provider=PROVIDER, out=target, append=True)
    both = loader.read(target).frame
    assert imported_values(both) == expected_values(a) | expected_values(b)
    with pytest.raises(KitInputError) as err:
        importer.import_files([fb], provider=PROVIDER, out=target, append=True)
    assert err.value.reason == "arvo_already_in_out"
    importer.import_files([fb], provider=PROVIDER, out=target, force=True)
    assert imported_values(loader.read(target).frame) == expected_values(b)


def test_the_same_respondent_in_two_files_is_refused(tmp_path):
    who = people(10)
    fa = write(tmp_path, who, "fi", "respondent", name="a.csv")
    fb = write(tmp_path, who, "fi", "answer", name="b.csv")
    with pytest.raises(KitInputError) as err:
        importer.import_files([fa, fb], provider=PROVIDER)
    assert err.value.reason == "arvo_respondent_in_two_files" and "a.csv" in str(err.value)


def test_a_raw_download_as_a_data_set_says_how_to_import_it(tmp_path):
    path = write(tmp_path, people(10), "fi", "respondent")
    with pytest.raises(KitInputError) as err:
        datasets.load(str(path))
    assert err.value.reason == "dataset_raw_arvo" and "kit import arvo" in str(err.value)


# --- own data sets ------------------------------------------------------------------------------


def test_imported_data_is_labelled_with_its_source_and_protected(tmp_path):
    texts = bank_texts("aloituskysely", "fi")
    rng = random.Random(3)
    big = [
        Respondent(
            f"B{i}",
            "2024-09-01",
            "",
            {"Tutkinto": "371101"},
            {q: rng.choice("12345") for q in texts},
        )
        for i in range(30)
    ]
    small = [
        Respondent(
            f"S{i}",
            "2024-09-01",
            "",
            {"Tutkinto": "331101"},
            {q: rng.choice("12345") for q in texts},
        )
        for i in range(3)
    ]
    path = save(tmp_path / "own.csv", download([*big, *small], texts, background=["Tutkinto"]))
    target = tmp_path / "own" / "aloittaneet.csv"
    importer.import_files([path], provider=PROVIDER, out=target)
    data = datasets.load(str(target.parent))
    assert not data.synthetic and "own.csv" in data.label("en")
    assert "SYNTHETIC" not in data.label("en")
    table = data.feedback_summary(["y_tunnus", "qualification"], {"question_id": "A01"})
    small_row = table[table["qualification"] == "331101"].iloc[0]
    assert bool(small_row["suppressed"]) and pd.isna(small_row["mean"])
    assert small_row["respondents_label"] != "3"


@pytest.mark.slow
def test_dashboards_notebook_runs_on_imported_data(tmp_path, execute, chromium_browser):
    """An imported Arvo export as the dashboards notebook's ``dataset`` (in a warm kernel, as
    ``kit run`` runs it); its Finnish report meets WCAG 2.1 AA at both widths."""
    from tests.conftest import audit_report

    who = people(80)
    path = write(tmp_path, who, "sv", "answer")
    target = tmp_path / "mine.csv"
    importer.import_files([path], provider=PROVIDER, out=target)
    notebook = Path(__file__).parent.parent / "notebooks" / "fi" / "01_dashboards.ipynb"
    ran = execute(notebook, dataset=str(target), partner="careeria")
    assert not ran.errors
    text = json.dumps(ran.nb["cells"])
    assert "Oma aineisto" in text and path.name in text
    assert "SYNTEETTINEN DEMOAINEISTO" not in text
    found = audit_report(chromium_browser, ran.nb, "fi", tmp_path)
    assert not found, found


def test_kit_run_and_export_take_own_data(tmp_path):
    from kit import export, runner

    target = tmp_path / "own" / "aloittaneet.csv"
    importer.import_files(
        [write(tmp_path, people(30), "en", "respondent")], provider="live", out=target
    )
    jobs = runner.plan("dashboards", "all", "en", str(tmp_path / "own"))
    assert [j.partner for j in jobs] == ["live", "network"]
    assert {j.dataset for j in jobs} == {str((tmp_path / "own").resolve())}
    about = export.tables(datasets.load(str(target)), None)["about"].iloc[0]
    assert not about["synthetic"]
    for lang, word in (
        ("fi", "Arvon lataukset"),
        ("sv", "nedladdningar från Arvo"),
        ("en", "Arvo downloads"),
    ):
        assert word in about[f"label_{lang}"] and target.name not in about[f"label_{lang}"]


def test_commas_in_texts_do_not_fool_the_separator(tmp_path):
    """Every line holds exactly one comma (in the institution, and in the one question that
    has one): the file is still read as separated by ';'."""
    texts = {
        q: t
        for q, t in bank_texts("aloituskysely", "fi").items()
        if q in ("A01", "A03", "A13", "A14", "A16")
    }
    who = [
        Respondent(f"C{i}", "2024-09-01", "Careeria, Porvoo", {}, {q: "4" for q in texts})
        for i in range(12)
    ]
    path = save(tmp_path / "commas.csv", download(who, texts))
    assert all(line.count(b",") == 1 for line in path.read_bytes().splitlines())
    loaded = loader.read(path)
    assert loaded.kind == "arvo" and loaded.fmt["delimiter"] == "semicolon"
    assert imported_values(
        importer.import_files([path], provider=PROVIDER).answers
    ) == expected_values(who)


def test_a_provider_named_in_the_file_name_must_agree(tmp_path):
    who = people(6)
    for name, other in (
        ("aloituskysely-2024-12-01-0201375-3.csv", "0201375-3"),
        ("aloituskysely-2024-12-01-Ammattiopisto Live.csv", "Ammattiopisto Live"),
    ):
        path = write(tmp_path, who, "fi", "respondent", name=name)
        with pytest.raises(KitInputError) as err:
            importer.import_files([path], provider=PROVIDER)
        assert err.value.reason == "arvo_provider_in_name" and other in str(err.value)
    fine = write(tmp_path, who, "fi", "respondent", name="aloituskysely-2024-12-01-Careeria Oy.csv")
    assert len(importer.import_files([fine], provider=PROVIDER).answers)


def test_dashboards_on_own_data_name_what_is_there(tmp_path):
    from kit.workshops.dashboards import dashboard

    target = tmp_path / "own.csv"
    importer.import_files(
        [write(tmp_path, people(40), "fi", "respondent")], provider=PROVIDER, out=target
    )
    model = dashboard.build(datasets.load(str(target)), lang="en")
    assert model.present == ("careeria", "network") and not model.national
    assert "Careeria" in model.name("network", "en") and "all six" not in model.name(
        "network", "en"
    )
    sel = model.check(dashboard.Selection(partner="careeria"))
    assert sel.survey == "aloittaneet"
    assert set(dashboard.comparison(model, sel, lang="en")["who"]) == {
        "Careeria",
        model.name("network", "en"),
    }
    with pytest.raises(KitInputError) as err:
        model.check(dashboard.Selection(partner="live"))
    assert err.value.reason == "partner_not_in_data"


def test_own_data_of_a_provider_outside_the_network(tmp_path):
    from kit.workshops.dashboards import dashboard

    target = tmp_path / "omnia.csv"
    importer.import_files(
        [write(tmp_path, people(40), "fi", "respondent")], provider="0101263-6", out=target
    )  # a provider outside the six
    model = dashboard.build(datasets.load(str(target)), lang="en")
    assert model.present == ("network",)
    sel = model.check(dashboard.Selection(partner="network"))
    assert dashboard.kpis(model, sel)["mean"] is not None
    assert "0101263-6" in model.name("network", "en") or "Omnia" in model.name("network", "en")
