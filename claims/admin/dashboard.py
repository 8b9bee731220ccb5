"""The admin front page's dashboard: charts made on the server from claims/dashboard.py."""

from __future__ import annotations

from typing import Any

from claims import dashboard
from claims.admin import charts
from claims.admin.display import STATUS_COLOURS
from claims.models import Claim, Source


def dashboard_context() -> dict[str, Any]:
    days, by_status = dashboard.claims_by_status()
    labelled = {Claim.Status(s).label: values for s, values in by_status.items()}
    status_colours = {Claim.Status(s).label: c for s, c in STATUS_COLOURS.items()}
    check_days, outcomes = dashboard.check_outcomes()
    outcome_labels = {
        (Source.Outcome(o).label if o in Source.Outcome.values else o): v for o, v in sorted(outcomes.items())
    }
    queue = dashboard.review_queue()
    sites = dashboard.failing_sites()
    return {
        "status_chart": charts.line_chart(
            "Claims by status, last 30 days", days, labelled, charts.colours_for(list(labelled), status_colours)
        ),
        "status_table": {"days": days[-7:], "rows": [(name, values[-7:]) for name, values in labelled.items()]},
        "queue": queue,
        "queue_chart": charts.horizontal_bars(
            "Review queue by age of the flag", list(queue.ages.items()), colour="#b45309"
        ),
        "checks_chart": charts.stacked_bars(
            "Re-check outcomes per day, last 14 days",
            check_days,
            outcome_labels,
            charts.colours_for(list(outcome_labels)),
        ),
        "checks_table": [(name, sum(values)) for name, values in outcome_labels.items()],
        "sites": sites,
        "sites_chart": charts.horizontal_bars(
            "Sites with the most failed checks, last 7 days", [(s.host, s.failures) for s in sites]
        ),
    }
