from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Claim verification tracker"
admin.site.site_title = "Claim tracker"
admin.site.index_title = "Verification desk"
# The admin's "View site" link: the API's own documentation is the tracker's other face.
admin.site.site_url = "/api/docs/"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every site; answer with the static icon."""

    permanent = True

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("claims/favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("tracker.health_urls")),
    path("api/", include("claims.api.urls")),
    path("facts/", include("claims.public.urls")),
]
