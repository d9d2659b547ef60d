"""The kiosk's colours meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for the edges of controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "kiosk" / "static" / "kiosk" / "kiosk.css"


def palette() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour(name: str) -> str:
    return palette().get(name, name)


TEXT_PAIRS = [
    ("ink", "paper"), ("ink", "wash"), ("muted", "paper"), ("muted", "wash"),
    ("#ffffff", "brand"), ("#ffffff", "brand-dark"), ("#ffffff", "accent"),
    ("brand", "paper"), ("error", "paper"), ("error", "wash"), ("ink", "warn-bg"),
    ("#2b323b", "#d5dbe2"),  # a disabled button
    ("ink", "#e3edf8"),  # a chosen option
    ("ink", "#dfe5ec"),  # the keyboard's delete and shift keys
    ("ink", "focus"),  # a key while pressed
]
EDGE_PAIRS = [
    ("line", "paper"), ("line", "wash"), ("ink", "paper"), ("brand", "paper"),
    ("error", "paper"),
]


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_has_at_least_4_5_to_1(text, background):
    assert contrast(colour(text), colour(background)) >= 4.5


@pytest.mark.parametrize(("edge", "background"), EDGE_PAIRS)
def test_control_edges_have_at_least_3_to_1(edge, background):
    assert contrast(colour(edge), colour(background)) >= 3


def test_keys_stand_out_from_the_keyboard_panel():
    assert contrast("#ffffff", "#27313d") >= 3  # a white key on the dark panel


def test_nothing_depends_on_hover():
    assert ":hover" not in CSS.read_text()
