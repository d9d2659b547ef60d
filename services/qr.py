"""A QR code as a small inline SVG, for screens (the printed receipt draws its own)."""

from __future__ import annotations

import html

from reportlab.graphics.barcode import qrencoder

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_modules(value: str) -> list[list[bool]]:
    """The dark (True) and light modules of the code for ``value``, level M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def qr_svg(value: str, *, label: str) -> str:
    """The code as one SVG path of horizontal runs: a few kilobytes, no script, no request."""
    modules = qr_modules(value)
    size = len(modules) + 2 * QUIET_ZONE
    runs: list[str] = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    escaped = html.escape(label, quote=True)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="{escaped}" class="qr" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(runs)}"/></svg>')
