"""Draw latency against concurrency for the list and the bare view from a ``make bench`` JSON file.

.venv/bin/python bench/plot.py /tmp/claim-tracker-bench.json docs/img/bench-list-latency.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt


def plot(source: Path, target: Path) -> None:
    data = json.loads(source.read_text())
    figure, axes = plt.subplots(figsize=(7, 4.2))
    for name, style in (("list", "o-"), ("bare", "s--")):
        rows = sorted((row for row in data["rows"] if row["name"] == name), key=lambda row: row["concurrency"])
        clients = [row["concurrency"] for row in rows]
        axes.plot(clients, [row["p50"] for row in rows], style, label=f"{name} p50")
        axes.plot(clients, [row["p99"] for row in rows], style, alpha=0.4, label=f"{name} p99")
    meta = data["meta"]
    axes.set_title(f"GET /api/claims/ at {meta['claims']:,} claims, gunicorn {meta['workers']} workers")
    axes.set_xlabel("concurrent clients")
    axes.set_ylabel("latency (ms)")
    axes.set_yscale("log")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    plot(Path(sys.argv[1]), Path(sys.argv[2]))
