"""The dashboards' demo data: the core's synthetic demo data set (:mod:`kit.synth`: six
partners, answers and counts in Arvo's and Vipunen's shapes), the synthetic national data set
the country comparison comes from, and that data set's privacy decision (each made on first
use, then kept; labelled synthetic wherever shown)."""

from __future__ import annotations

from kit import datasets


def prepare() -> None:
    """The demo data, the national data and the national data's privacy decision, which the
    national comparison is cut from (each made on first use, then kept)."""
    from kit import feedback

    datasets.ensure("demo")
    feedback.decision(datasets.load("national").feedback)
