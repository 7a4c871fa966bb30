from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from shelter.api.routes import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through Shelter's own sign-in, which asks for the two-factor code.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("shelter.access.urls")),
    path("", include("shelter.site.urls")),
    path("registry/", include("shelter.registry.urls")),
    path("incidents/", include("shelter.incidents.urls")),
    path("notices/", include("shelter.notices.urls")),
    path("threats/", include("shelter.threats.urls")),
    path("analytics/", include("shelter.analytics.urls")),
    path("network/", include("shelter.network.urls")),
    path("monitoring/", include("shelter.monitoring.urls")),
    path("surveillance/", include("shelter.surveillance.urls")),
    path("jobs/", include("shelter.jobs.urls")),
    path("records/", include("shelter.connectors.urls")),
]

# Errors Django answers before a view runs (unknown path, bad host, uncaught error): JSON under /api/, pages elsewhere.
handler400 = "shelter.api.routes.bad_request"
handler403 = "shelter.api.routes.forbidden_page"
handler404 = "shelter.api.routes.not_found"
handler500 = "shelter.api.routes.server_error"
