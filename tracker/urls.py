from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Claim verification tracker"
admin.site.site_title = "Claim tracker"
admin.site.index_title = "Verification desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tracker.health_urls")),
    path("api/", include("claims.api.urls")),
]
