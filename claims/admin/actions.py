"""Admin actions: bulk status, mark reviewed and re-checks. Each calls one service per row."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from claims.admin.display import short
from claims.admin.forms import SetStatusForm
from claims.models import Claim, Source, SourceCheck, StatusChange
from claims.services.publishing import claim_publish, claim_unpublish
from claims.services.rechecks import RecheckUnavailable, recheck_request, recheck_request_for_claim
from claims.services.review import claim_mark_reviewed
from claims.services.status import claim_change_status

QUEUE_DOWN = "The re-check queue cannot be reached right now; try again in a minute."


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@admin.action(description="Set status…", permissions=["change_status"])
def set_status(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]
) -> TemplateResponse | None:
    """Ask for a status and rationale on a confirmation page, then move each selected claim.

    Each claim goes through ``claim_change_status`` on its own: a claim the
    rules refuse is reported and left as it was; the others are changed.
    """
    form = SetStatusForm(request.POST if request.POST.get("post") == "yes" else None)
    if form.is_bound and form.is_valid():
        changed, refused = 0, 0
        for claim in queryset.select_related("claimant").order_by("pk"):
            try:
                claim_change_status(
                    claim_id=claim.pk,
                    to_status=form.cleaned_data["status"],
                    rationale=form.cleaned_data["rationale"],
                    user=request.user,
                    expected_version=None,  # acts on each claim as it is now, by design
                    via=StatusChange.Via.BULK,
                )
                changed += 1
            except ValidationError as exc:
                refused += 1
                messages.error(request, f"Not changed: “{short(claim.text, 70)}” (#{claim.pk}): {error_text(exc)}")
        label = Claim.Status(form.cleaned_data["status"]).label.lower()
        if changed:
            messages.success(request, f"Set {changed} claim{'s' if changed != 1 else ''} to {label}.")
        if refused:
            messages.warning(
                request, f"{refused} claim{'s were' if refused != 1 else ' was'} left unchanged (see above)."
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Set the status of the selected claims",
        "opts": modeladmin.model._meta,
        "claims": queryset.select_related("claimant").order_by("pk"),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/claims/claim/set_status.html", context)


@admin.action(description="Mark reviewed", permissions=["change"])
def mark_reviewed(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    """Clear the review flag of the selected claims."""
    cleared = sum(
        claim_mark_reviewed(claim_id=pk) for pk in queryset.filter(needs_review=True).values_list("pk", flat=True)
    )
    if cleared:
        messages.success(request, f"Marked {cleared} claim{'s' if cleared != 1 else ''} as reviewed.")
    else:
        messages.info(request, "None of the selected claims was waiting for review.")


@admin.action(description="Re-check sources now", permissions=["recheck"])
def recheck_claim_sources(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    """Queue a re-check of every fetchable source of the selected claims."""
    checks: set[int] = set()
    for claim in queryset.order_by("pk"):
        try:
            checks.update(
                c.pk for c in recheck_request_for_claim(claim_id=claim.pk, user=request.user, trigger="admin")
            )
        except ValidationError as exc:
            messages.warning(request, f"“{short(claim.text, 70)}” (#{claim.pk}): {error_text(exc)}")
        except RecheckUnavailable as exc:
            # The service says whether the check was recorded for the sweep.
            messages.error(request, str(exc) or QUEUE_DOWN)
            return
    if checks:
        messages.success(request, f"{len(checks)} source re-check{'s' if len(checks) != 1 else ''} queued.")


def recheck_one_source(request: HttpRequest, source: Source) -> SourceCheck | None:
    """Queue a re-check of ``source`` and tell the editor what happened; never raises."""
    try:
        return _recheck_source(request, source)
    except RecheckUnavailable as exc:
        messages.error(request, str(exc) or f"{source}: {QUEUE_DOWN}")
        return None


def _recheck_source(request: HttpRequest, source: Source) -> SourceCheck | None:
    """Like ``recheck_one_source`` but lets RecheckUnavailable through, so a loop can stop."""
    try:
        check = recheck_request(source_id=source.pk, user=request.user, trigger=SourceCheck.Trigger.ADMIN)
    except ValidationError as exc:
        messages.error(request, f"{source}: {error_text(exc)}")
        return None
    state = "queued" if check.state == SourceCheck.State.QUEUED else "already running"
    messages.success(request, f"Re-check of “{source}” {state} (check #{check.pk}).")
    return check


@admin.action(description="Re-check now", permissions=["recheck"])
def recheck_sources(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Source]) -> None:
    sources = list(queryset.order_by("pk"))
    for done, source in enumerate(sources):
        try:
            _recheck_source(request, source)
        except RecheckUnavailable as exc:
            # Each further try would wait for the broker's timeout again, and fail the same way.
            rest = len(sources) - done - 1
            skipped = f" The other {rest} selected source{'s were' if rest != 1 else ' was'} not tried." if rest else ""
            messages.error(request, (str(exc) or f"{source}: {QUEUE_DOWN}") + skipped)
            return


@admin.action(description="Publish to readers", permissions=["publish"])
def publish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    """Show the selected claims on the public pages (archived ones are refused, one message each)."""
    done = 0
    for claim in queryset.filter(is_published=False).order_by("pk"):
        try:
            claim_publish(claim_id=claim.pk, user=request.user)
            done += 1
        except ValidationError as exc:
            messages.error(request, f"Not published: “{short(claim.text, 70)}” (#{claim.pk}): {error_text(exc)}")
    messages.info(request, f"Published {done} claim{'s' if done != 1 else ''}.")


@admin.action(description="Withdraw from readers", permissions=["publish"])
def unpublish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    """Take the selected claims off the public pages."""
    done = 0
    for pk in queryset.filter(is_published=True).order_by("pk").values_list("pk", flat=True):
        claim_unpublish(claim_id=pk, user=request.user)
        done += 1
    messages.info(request, f"Withdrew {done} claim{'s' if done != 1 else ''} from readers.")
