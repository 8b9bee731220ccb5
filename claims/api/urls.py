"""The API under /api/: one router for the resources, plus auth, ClaimReview and the schema."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

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
from claims.api.views import ClaimViewSet

app_name = "api"

router = DefaultRouter()
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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy refuses inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Anything else under /api/ answers the API's JSON 404, not the site's HTML page.
    re_path(r"^.*$", not_found),
]
