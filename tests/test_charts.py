"""Chart descriptions: every chart the kit shows carries one, in the page's language, as the
image's alternative text (issue: reports everyone can read)."""

from __future__ import annotations

import datetime as dt
import re

import matplotlib
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after the backend

from kit import charts  # noqa: E402


def trend_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2019-20", "2020-21", "2024-25"] * 2,
            "mean": [4.35, 4.3, 4.27, 4.14, None, 4.21],
            "who": ["SDO"] * 3 + ["verkosto"] * 3,
        }
    )


def test_a_trend_says_its_title_first_and_last_period_and_figures_in_each_language():
    ax = charts.trend(trend_data(), title="Keskiarvon kehitys", label="SYNTEETTINEN")
    fig = charts.figure_of(ax)
    assert charts.description(fig, "fi") == (
        "Kaavio: Keskiarvon kehitys. Kehitys 2019-20–2024-25: SDO 4,35 → 4,27, "
        "verkosto 4,14 → 4,21. SYNTEETTINEN."
    )
    english = charts.description(fig, "en")
    assert english.startswith("Chart: Keskiarvon kehitys. Change 2019-20–2024-25: SDO 4.35")
    assert charts.description(fig, "sv").startswith("Diagram: Keskiarvon kehitys. Utveckling")
    plt.close(fig)


def test_a_hidden_point_is_a_gap_not_a_figure():
    data = trend_data()
    data["mean"] = [None, 4.3, None, 4.14, None, 4.21]
    ax = charts.trend(data, title="t")
    text = charts.description(charts.figure_of(ax), "en")
    assert "SDO" in text and "4.30" not in text  # one point shown: no change to state
    assert "verkosto 4.14 → 4.21" in text
    plt.close(charts.figure_of(ax))


def test_a_trends_figures_are_a_table_too_with_a_hidden_point_hidden():
    from kit import i18n

    data = trend_data().assign(respondents_label=["12", "9", "1-4", "40", "1-4", "41"])
    data.loc[2, "mean"] = None  # hidden: its label, never a figure
    i18n.set_language("fi")
    ax = charts.trend(data, title="Keskiarvon kehitys")
    shown = charts.figures_html(charts.figure_of(ax))
    rows = [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", shown, flags=re.S)
    ]
    assert shown.startswith("<details><summary>") and "Keskiarvon kehitys" in shown
    assert rows == [
        ["Ryhmä", "2019-20", "2020-21", "2024-25"],
        ["SDO", "4,35", "4,30", "1-4"],
        ["verkosto", "4,14", "1-4", "4,21"],
    ]
    plt.close(charts.figure_of(ax))
    bare, _ = plt.subplots()
    assert charts.figures_html(bare.figure) is None  # a chart that kept none shows none


def test_a_given_description_wins_and_no_chart_goes_without_one():
    ax = charts.trend(trend_data(), title="t")
    charts.describe(ax, "Oma kuvaus")
    assert charts.description(charts.figure_of(ax), "fi") == "Oma kuvaus"
    fig, dates = plt.subplots()
    dates.plot([dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)], [1, 2], label="kysyntä")
    dates.legend()
    assert charts.description(fig, "fi") == "Kaavio. Kaaviossa: kysyntä."  # no period to name
    polar = plt.figure().add_subplot(projection="polar")
    polar.plot([0, 1, 2], [1, 2, 3], label="Itsearvio")
    polar.set_title("Tasot")
    polar.legend()
    assert charts.description(polar.figure, "fi") == "Kaavio: Tasot. Kaaviossa: Itsearvio."
    plt.close("all")


def test_a_likert_charts_shares_are_a_table_of_percentages_and_a_funnel_keeps_its_marks():
    """The answers' shares per question as percentages (the hidden question says so), and of
    a funnel's 134 points the marked ones, with both of their figures."""
    from kit import i18n, numbers
    from kit.workshops.dashboards import charts as dashboard_charts
    from kit.workshops.indicators import charts as indicator_charts

    i18n.set_language("fi")
    shares = pd.DataFrame(
        {
            "text": ["Viihdyin"] * 5 + ["Sain tukea"] * 5,
            "answer": [str(a) for a in range(1, 6)] * 2,
            "p": [0.1, 0.1, 0.2, 0.3, 0.3] + [None] * 5,
        }
    )
    ax = dashboard_charts.likert(shares, title="Vastaukset", note="1-4")
    table = charts.figures_of(charts.figure_of(ax))[1]
    percent = [numbers.percent(v, 0) for v in (0.1, 0.1, 0.2, 0.3, 0.3)]
    assert table.iloc[0].tolist() == ["Viihdyin", *percent] and percent[0].startswith("10")
    assert table.iloc[1].tolist() == ["Sain tukea"] + ["–"] * 5
    points = pd.DataFrame(
        {"y_tunnus": [f"{i}-1" for i in range(134)], "targeted": range(10, 144)}
    ).assign(rate=0.5)
    ax = indicator_charts.funnel(
        points, marks={"7-1": "SDO"}, xlabel="Kohteena", ylabel="Vastausosuus"
    )
    table = charts.figures_of(charts.figure_of(ax))[1]
    assert table.columns.tolist() == ["Ryhmä", "Kohteena", "Vastausosuus"]
    assert table.values.tolist() == [["SDO", "17,00", "0,50"]]
    plt.close("all")


def test_funding_curves_without_a_point_of_ones_own_are_a_table_at_four_rates():
    from kit import funding, numbers

    ax = charts.factor_curves(funding.curves())
    table = charts.figures_of(charts.figure_of(ax))[1]
    assert table.columns.tolist()[1:] == [numbers.percent(r, 0) for r in (0.25, 0.5, 0.75, 1.0)]
    assert len(table) == funding.curves()["formula"].nunique() >= 1
    plt.close("all")
