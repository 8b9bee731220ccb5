"""The public site under /facts/: no login, published claims only."""

from __future__ import annotations

from django.urls import path

from claims.public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/<int:article_id>/", views.article_page, name="article"),
    path("claims/<int:claim_id>/", views.claim_page, name="claim"),
    path("claims/<int:claim_id>/embed/", views.claim_embed, name="claim-embed"),
    path("feed.jsonld", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
