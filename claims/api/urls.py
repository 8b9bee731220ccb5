"""The API under /api/: one router for the resources, plus auth, ClaimReview and the schema."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from claims.api.alerts import AlertSubscriptionViewSet
from claims.api.auth_views import LoginView, LogoutView
from claims.api.catalog_views import (
    ArticleViewSet,
    ClaimantViewSet,
    EvidenceViewSet,
    SourceCheckViewSet,
    SourceViewSet,
)
from claims.api.claimreview import ClaimReviewFeedView
from claims.api.errors_views import not_found
from claims.api.intake_views import FactCheckViewSet, IntakeViewSet, ProposalViewSet, TwinViewSet
from claims.api.permissions import AllowedMethodsFirst
from claims.api.views import ClaimViewSet

app_name = "api"


# Every API view answers 405 to a method it lacks before asking who is calling (permissions.py).
class RootView(AllowedMethodsFirst, APIRootView):
    pass


class JSONErrors(AllowedMethodsFirst):
    """Errors in the API's JSON shape, not through the page's HTML template or the schema's YAML."""

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)  # type: ignore[misc]
        self.request.accepted_renderer = JSONRenderer()  # type: ignore[attr-defined]
        self.request.accepted_media_type = JSONRenderer.media_type  # type: ignore[attr-defined]
        return response


class SchemaFormatNegotiation(DefaultContentNegotiation):
    """``?format=json`` or ``yaml`` picks the schema's form; only here, so no link carries it."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE="format")


class SchemaView(JSONErrors, SpectacularAPIView):
    content_negotiation_class = SchemaFormatNegotiation


class SwaggerView(JSONErrors, SpectacularSwaggerSplitView):
    http_method_names = ["get", "head"]  # OPTIONS would render metadata through the HTML page's template


class RedocView(JSONErrors, SpectacularRedocView):
    http_method_names = ["get", "head"]


class Router(DefaultRouter):
    APIRootView = RootView
    # No /api/claims.json twins: one URL per resource, and no format to carry into links.
    include_format_suffixes = False


router = Router()
router.register("claims", ClaimViewSet, basename="claim")
router.register("alert-subscriptions", AlertSubscriptionViewSet, basename="alert-subscription")
router.register("claimants", ClaimantViewSet, basename="claimant")
router.register("sources", SourceViewSet, basename="source")
router.register("articles", ArticleViewSet, basename="article")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("checks", SourceCheckViewSet, basename="check")
router.register("intakes", IntakeViewSet, basename="intake")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("twins", TwinViewSet, basename="twin")
router.register("factchecks", FactCheckViewSet, basename="factcheck")

urlpatterns = [
    path("auth/token/", LoginView.as_view(), name="token"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("claimreview/", ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy refuses inline script.
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Anything else under /api/ answers the API's JSON 404, not the site's HTML page.
    re_path(r"^(?P<path>.*)$", not_found),
]
