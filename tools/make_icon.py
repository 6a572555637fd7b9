"""Draw the app icon: the loop as six arcs in the pillar colours around a closed ring.

``python tools/make_icon.py`` writes assets/icons/closed-loop.svg and renders it to
closed-loop-256.png and closed-loop-64.png (the .desktop file and set_window_icon use them).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "icons"
# The loop's six pillars in order (rules/pillars.toml): traffic, storefront, payment,
# logistics, after-sales, data.
COLORS = ("#4C78A8", "#F58518", "#B279A2", "#54A24B", "#E45756", "#72B7B2")


def svg() -> str:
    cx = cy = 128
    r, width, gap = 78, 30, 7.0
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
             '<rect x="8" y="8" width="240" height="240" rx="48" fill="#FFFFFF" stroke="#222222" stroke-width="6"/>']
    for i, color in enumerate(COLORS):
        a0 = math.radians(-90 + i * 60 + gap / 2)
        a1 = math.radians(-90 + (i + 1) * 60 - gap / 2)
        x0, y0 = cx + r * math.cos(a0), cy + r * math.sin(a0)
        x1, y1 = cx + r * math.cos(a1), cy + r * math.sin(a1)
        parts.append(f'<path d="M {x0:.2f} {y0:.2f} A {r} {r} 0 0 1 {x1:.2f} {y1:.2f}" '
                     f'fill="none" stroke="{color}" stroke-width="{width}" stroke-linecap="butt"/>')
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="26" fill="#222222"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "closed-loop.svg").write_text(svg(), encoding="utf-8")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(OUT / "closed-loop.svg"))
    for size in (256, 64):
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p)
        p.end()
        img.save(str(OUT / f"closed-loop-{size}.png"))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
