"""Charts drawn on the server as inline SVG: nothing loads from elsewhere and no script runs.
Colours are presentation attributes, which the content security policy allows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

BAR = "#1d5fa8"
TARGET = "#b3261e"
GRID = "#c8ccd2"
INK = "#1f2328"


def bar_chart(labels: Sequence[str], values: Sequence[int | Decimal | None], *, title: str,
              width: int = 640, height: int = 200, target: Decimal | int | None = None,
              maximum: int | Decimal | None = None, labels_shown: bool = True) -> Markup:
    """Vertical bars with the value as each bar's tooltip and an optional target line."""
    top = float(maximum or max([float(v or 0) for v in values] + [float(target or 0), 1]))
    left, chart_height = (40, height - 34) if labels_shown else (0, height - 12)
    step = (width - left) / max(len(values), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{10 + chart_height}" x2="{width}" y2="{10 + chart_height}" '
        f'stroke="{GRID}"/>',
    ]
    if labels_shown:
        parts.append(f'<text x="{left - 6}" y="16" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{_short(top)}</text>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = 0.0 if value is None else float(value) / top * chart_height
        x = left + index * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{10 + chart_height - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{BAR}"><title>{escape(label)}: '
            f'{"–" if value is None else escape(str(value))}</title></rect>')
        if labels_shown and (len(labels) <= 16 or index % max(1, len(labels) // 8) == 0):
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{height - 6}" text-anchor="middle" '
                f'font-size="11" fill="{INK}">{escape(label)}</text>')
    if target is not None:
        y = 10 + chart_height - float(target) / top * chart_height
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" '
                     f'stroke="{TARGET}" stroke-dasharray="6 4" stroke-width="2"/>')
    parts.append("</svg>")
    # Every text put into the SVG above went through markupsafe.escape (bandit B704).
    return Markup("".join(parts))  # nosec B704


def _short(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
