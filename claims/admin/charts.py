"""Server-made SVG charts for the admin dashboard: no JavaScript, no network, readable by screen readers.

Each chart has a <title> and <desc> and is followed in the page by the same
numbers as a table, so nothing depends on seeing colours.
"""

from __future__ import annotations

from datetime import date
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 150, 12, 28
PALETTE = ["#4b5563", "#b45309", "#15803d", "#7c3aed", "#b91c1c", "#0369a1", "#a16207", "#be185d", "#0f766e"]
_ids = count(1)


def _frame(title: str, desc: str, body: list[str], height: int = HEIGHT) -> SafeString:
    ident = f"chart-{next(_ids)}"
    head = format_html(
        '<svg class="dash-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        WIDTH, height, ident, ident, ident, title, ident, desc,
    )  # fmt: skip
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every piece is escaped above or below)


def _axes(top: int, days: list[date], height: int = HEIGHT) -> list[str]:
    plot_w = WIDTH - LEFT - RIGHT
    base = height - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" stroke="#6b7280"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11" fill="#374151">{top}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="11" fill="#374151">0</text>',
    ]
    for i in (0, len(days) // 2, len(days) - 1):
        x = LEFT + plot_w * i / max(len(days) - 1, 1)
        parts.append(
            f'<text x="{x:.0f}" y="{base + 16}" text-anchor="middle" font-size="11" fill="#374151">'
            f"{days[i]:%d %b}</text>"
        )
    return parts


def _legend(names: list[str], colours: dict[str, str]) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        y = TOP + 14 * i + 8
        parts.append(f'<rect x="{WIDTH - RIGHT + 10}" y="{y - 8}" width="10" height="10" fill="{colours[name]}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 26}" y="{y + 1}" font-size="11" fill="#111827">{escape(name)}</text>')
    return parts


def colours_for(names: list[str], fixed: dict[str, str] | None = None) -> dict[str, str]:
    fixed = fixed or {}
    return {name: fixed.get(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)}


def line_chart(title: str, days: list[date], series: dict[str, list[int]], colours: dict[str, str]) -> SafeString:
    top = max([1, *(v for values in series.values() for v in values)])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = _axes(top, days)
    for name, values in series.items():
        points = " ".join(
            f"{LEFT + plot_w * i / max(len(values) - 1, 1):.1f},{TOP + plot_h * (1 - v / top):.1f}"
            for i, v in enumerate(values)
        )
        body.append(f'<polyline fill="none" stroke="{colours[name]}" stroke-width="2" points="{points}"/>')
    body += _legend(list(series), colours)
    return _frame(title, f"One line per status over {len(days)} days; the table below has the numbers.", body)


def stacked_bars(title: str, days: list[date], series: dict[str, list[int]], colours: dict[str, str]) -> SafeString:
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    top = max([1, *totals])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    body = _axes(top, days)
    for i in range(len(days)):
        y = HEIGHT - BOTTOM
        for name, values in series.items():
            h = plot_h * values[i] / top
            if h:
                y -= h
                body.append(
                    f'<rect x="{LEFT + slot * i + 2:.1f}" y="{y:.1f}" width="{slot - 4:.1f}" height="{h:.1f}" '
                    f'fill="{colours[name]}"/>'
                )
    body += _legend(list(series), colours)
    return _frame(
        title, f"Bars per day over {len(days)} days, split by outcome; the table below has the numbers.", body
    )


def horizontal_bars(title: str, rows: list[tuple[str, int]], colour: str = "#b91c1c") -> SafeString:
    height = TOP + 22 * max(len(rows), 1) + 8
    top = max([1, *(v for _, v in rows)])
    body = []
    for i, (label, value) in enumerate(rows):
        y = TOP + 22 * i
        w = (WIDTH - 260) * value / top
        body.append(
            f'<text x="200" y="{y + 14}" text-anchor="end" font-size="12" fill="#111827">{escape(label)}</text>'
        )
        body.append(f'<rect x="208" y="{y + 3}" width="{w:.1f}" height="14" fill="{colour}"/>')
        body.append(f'<text x="{212 + w:.1f}" y="{y + 14}" font-size="12" fill="#111827">{value}</text>')
    return _frame(title, "One bar per site; the table below has the numbers.", body, height=height)
