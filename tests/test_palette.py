"""The kit's colours can be read (WCAG 2.1 AA) and told apart with a colour-vision deficiency.

Contrast is WCAG's relative-luminance ratio. Colour-vision deficiencies are simulated with the
matrices of Machado, Oliveira and Fernandes (2009, IEEE TVCG 15(6), severity 1.0) in linear
sRGB; two colours count as apart when their CIELAB distance (ΔE*ab, D65) under the simulation
is at least 10, about five times a just-noticeable difference.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from kit import markup, palette

MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def linear(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def contrast(a: str, b: str = "#ffffff") -> float:
    light, dark = sorted(float(linear(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b))[::-1]
    return (light + 0.05) / (dark + 0.05)


def lab(rgb: np.ndarray) -> np.ndarray:
    to_xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = to_xyz @ np.clip(rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str, matrix=None) -> float:
    m = np.eye(3) if matrix is None else np.asarray(matrix)
    return float(np.linalg.norm(lab(m @ linear(a)) - lab(m @ linear(b))))


def test_the_measures_match_known_values():
    """The measures themselves: black on white is 21:1, WCAG's own 4.5:1 example grey is
    #767676, and a simulated deuteranope cannot tell ColorBrewer's red from its green apart
    as well as anyone else can."""
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777") < 4.5
    red, green = "#d7191c", "#1a9641"
    assert distance(red, green, MACHADO["deuteranopia"]) < distance(red, green) / 3


@pytest.mark.parametrize("background", ["#ffffff", "#eeeeee"])  # a page, a striped row
def test_every_text_colour_can_be_read(background):
    for colour in palette.GROUPS:
        assert contrast(colour, background) >= 4.5, colour
    for colour in (palette.TEXT, palette.SECONDARY, palette.GOOD, palette.BAD):
        assert contrast(colour, background) >= 4.5, colour
    assert contrast(palette.MUTED) >= 4.5  # notes, on white only


@pytest.mark.parametrize("deficiency", list(MACHADO))
def test_the_first_four_groups_stay_apart(deficiency):
    for a, b in itertools.combinations(palette.GROUPS[:4], 2):
        assert distance(a, b, MACHADO[deficiency]) >= 10, (deficiency, a, b)


def test_the_apps_buttons_carry_their_white_text():
    backgrounds = re.findall(r"background-color: (#[0-9a-f]{6}); color: #fff", markup.APP_STYLE)
    assert len(backgrounds) == 5
    for colour in backgrounds:
        assert contrast(colour) >= 4.5, colour
    ring = re.search(r"outline: 3px solid (#[0-9a-f]{6})", markup.APP_STYLE).group(1)
    assert contrast(ring) >= 3
