"""Y-tunnus check digits and funding periods."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kit import partners, periods, ytunnus

REAL = ["2918298-7", "0201375-3", "2811092-2", "0774302-6", "3008326-5", "2756786-7"]


def test_partner_ids_are_valid():
    for y in REAL:
        assert ytunnus.is_valid(y), y
    assert partners.registry()["y_tunnus"].tolist() == REAL


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_exactly_one_check_digit_or_none(body):
    digit = ytunnus.check_digit(body)
    valid = [d for d in range(10) if ytunnus.is_valid(f"{body}-{d}")]
    assert valid == ([] if digit is None else [digit])


def test_malformed_ids():
    for bad in ["2918298", "29182987", "2918298-", "abcdefg-1", "", None, 2918298]:
        assert not ytunnus.is_valid(bad)
    assert ytunnus.normalise(" 201375-3 ") == "0201375-3"


def test_period_spellings():
    for text in [
        "2020-21",
        "2020-2021",
        "2020–21",
        "01.07.2020 - 30.06.2021",
        "1.7.2020-30.6.2021",
    ]:
        assert periods.parse(text) == "2020-21", text
    for bad in ["2020-22", "2020", "01.01.2020 - 31.12.2020", "x", None]:
        assert periods.parse(bad) is None, bad


def test_period_of_a_date_switches_on_1_july():
    days = pd.Series(pd.to_datetime(["2021-06-30", "2021-07-01", "2024-12-31"]))
    assert periods.of_dates(days).tolist() == ["2020-21", "2021-22", "2024-25"]
    assert periods.funding_year("2023-24") == 2025
    assert periods.span("2019-20", "2021-22") == ["2019-20", "2020-21", "2021-22"]


def test_partner_parameter_is_checked():
    assert partners.check("sdo") == "sdo"
    assert len(partners.y_tunnukset("network")) == 6
    try:
        partners.check("nosuch")
    except ValueError as exc:
        text = exc.message("en")
        assert "nosuch" in text and "careeria" in text and "network" in text
    else:
        raise AssertionError("an unknown partner was accepted")
