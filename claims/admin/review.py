"""The review queue: claims a re-check flagged, newest first, with a link to what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from claims.admin.display import status_badge
from claims.models import Claim
from claims.services.review import claim_mark_reviewed, claim_recovery_notes

PER_PAGE = 100


@dataclass(frozen=True)
class QueueRow:
    claim: Claim
    badge: SafeString
    diff_url: str | None
    source_name: str | None
    recovery: str = ""


def diff_link(claim: Claim) -> tuple[str | None, str | None]:
    """The source diff that shows what the flagging check found, if the flag came from a check."""
    check = claim.review_check
    if check is None:
        return None, None
    url = reverse("admin:claims_source_diff", args=[check.source_id])
    if check.snapshot_id:
        url += "?" + urlencode({"b": check.snapshot_id})
    return url, check.source.name


def _mark_reviewed(request: HttpRequest) -> None:
    cleared, skipped = 0, 0
    for value in request.POST.getlist("claim"):
        pk, _, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            continue
        # The version the editor saw: a claim flagged again since then stays in the queue.
        if claim_mark_reviewed(claim_id=int(pk), expected_version=int(version)):
            cleared += 1
        else:
            skipped += 1
    if cleared:
        messages.success(request, f"Marked {cleared} claim{'s' if cleared != 1 else ''} as reviewed.")
    if skipped:
        messages.warning(
            request,
            f"{skipped} claim{'s' if skipped != 1 else ''} changed since you opened the queue "
            f"(flagged again, reviewed or edited by someone else) and stayed in the queue; look again.",
        )
    if not cleared and not skipped:
        messages.info(request, "Select the claims you have reviewed first.")


def _queue(show: str) -> QuerySet[Claim]:
    """Flagged claims, newest first; those whose failing source has come back sorted apart, after the rest.

    ``show``: "1" only those whose source is back, "0" only the others, "" all.
    """
    flagged = Claim.objects.flagged().with_recovery().select_related("claimant", "review_check__source")
    if show in ("0", "1"):
        flagged = flagged.filter(recovery_check_id__isnull=show == "0")
    return flagged.order_by(F("recovery_check_id").asc(nulls_first=True), "-review_flagged_at", "-id")


def review_queue_view(modeladmin: admin.ModelAdmin) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        if not modeladmin.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not modeladmin.has_change_permission(request):
                raise PermissionDenied
            _mark_reviewed(request)
            return HttpResponseRedirect(request.get_full_path())
        show = request.GET.get("recovered", "")
        page = Paginator(_queue(show), PER_PAGE).get_page(request.GET.get("page"))
        notes = claim_recovery_notes(claim_ids=[claim.pk for claim in page.object_list])
        rows = [
            QueueRow(claim, status_badge(claim.status), *diff_link(claim), recovery=notes.get(claim.pk, ""))
            for claim in page.object_list
        ]
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Review queue",
            "subtitle": None,
            "opts": modeladmin.model._meta,
            "rows": rows,
            "page": page,
            "can_mark": modeladmin.has_change_permission(request),
            "show": show,
        }
        return TemplateResponse(request, "admin/claims/claim/review_queue.html", context)

    return view
