"""Draw warehouse_scale's figures against the corpus size: seconds of each step, and peak memory.

    python -m tools.scale_plot docs/figures/warehouse_scale.csv docs/figures/warehouse_scale.svg

The CSV has one row per run (`python -m benchmarks.warehouse_scale --csv FILE` appends one): documents, then the
columns of TIME_SERIES and MEMORY_SERIES. The plot is a plain SVG (two panels, log-log), written by hand: no
plotting library is needed for two panels of lines.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

TIME_SERIES = {
    "landing_s": ("landing", "#1f77b4"),
    "full_build_s": ("full build", "#d62728"),
    "incremental_build_s": ("incremental build (+10)", "#2ca02c"),
    "incremental_audit_s": ("audit after incremental", "#9467bd"),
}
MEMORY_SERIES = {
    "peak_dbt_mb": ("dbt and its workers", "#d62728"),
    "peak_audit_mb": ("the audit", "#9467bd"),
}
WIDTH, HEIGHT, MARGIN = 440, 300, 56


def read(path: Path) -> list[dict[str, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{key: float(value) for key, value in row.items() if value} for row in csv.DictReader(handle)]


def panel(rows: list[dict], series: dict, title: str, unit: str, left: int, limit: float | None = None) -> list[str]:
    xs = [row["documents"] for row in rows]
    ys = [row[key] for row in rows for key in series if key in row] + ([limit] if limit else [])
    x_low, x_high = math.log10(min(xs)), math.log10(max(xs))
    y_low, y_high = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def x(value: float) -> float:
        return left + MARGIN + (math.log10(value) - x_low) / ((x_high - x_low) or 1) * (WIDTH - 2 * MARGIN)

    def y(value: float) -> float:
        return HEIGHT - MARGIN - (math.log10(value) - y_low) / ((y_high - y_low) or 1) * (HEIGHT - 2 * MARGIN)

    parts = [
        f'<text x="{left + WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">{title}</text>',
        f'<line x1="{left + MARGIN}" y1="{HEIGHT - MARGIN}" x2="{left + WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" '
        'stroke="#333"/>',
        f'<line x1="{left + MARGIN}" y1="{MARGIN}" x2="{left + MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#333"/>',
        f'<text x="{left + WIDTH / 2}" y="{HEIGHT - 14}" text-anchor="middle">documents</text>',
        f'<text x="{left + 14}" y="{HEIGHT / 2}" text-anchor="middle" '
        f'transform="rotate(-90 {left + 14} {HEIGHT / 2})">{unit}</text>',
    ]
    for value in xs:
        parts.append(
            f'<text x="{x(value):.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle">{value / 1000:g}k</text>'
        )
    for exponent in range(y_low, y_high + 1):
        parts.append(
            f'<text x="{left + MARGIN - 6}" y="{y(10**exponent) + 4:.1f}" text-anchor="end">{10**exponent:g}</text>'
        )
        parts.append(
            f'<line x1="{left + MARGIN}" y1="{y(10**exponent):.1f}" x2="{left + WIDTH - MARGIN}" '
            f'y2="{y(10**exponent):.1f}" stroke="#ddd"/>'
        )
    if limit:
        parts.append(
            f'<line x1="{left + MARGIN}" y1="{y(limit):.1f}" x2="{left + WIDTH - MARGIN}" y2="{y(limit):.1f}" '
            'stroke="#555" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{left + WIDTH - MARGIN}" y="{y(limit) - 4:.1f}" text-anchor="end">goal</text>')
    for number, (key, (label, colour)) in enumerate(series.items()):
        points = [(x(row["documents"]), y(row[key])) for row in rows if key in row]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in points]
        parts.append(f'<text x="{left + MARGIN + 8}" y="{MARGIN + 4 + 14 * number}" fill="{colour}">{label}</text>')
    return parts


def draw(rows: list[dict]) -> str:
    rows = sorted(rows, key=lambda row: row["documents"])
    body = panel(rows, TIME_SERIES, "seconds against documents", "seconds", 0)
    body += panel(rows, MEMORY_SERIES, "peak memory against documents", "MB", WIDTH, limit=4096)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{HEIGHT}" '
        'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )


def main() -> int:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(draw(read(source)), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
