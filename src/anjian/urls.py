"""The URL map: pages per app, the API under /api/v1/, the administration site, health check."""

from django.urls import include, path
from django.views.i18n import set_language

from anjian.api import api
from anjian.web.admin_site import admin_site
from anjian.web.views import auth, home
from anjian.web.views.health import healthz

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("enterprises/", include("anjian.enterprises.urls")),
    path("hazards/", include("anjian.hazards.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("risks/", include("anjian.risks.urls")),
    path("notifications/", include("anjian.notifications.urls")),
    path("regions/", include("anjian.regions.urls")),
    path("departments/", include("anjian.orgs.urls")),
    path("dashboards/", include("anjian.stats.urls")),
    path("summaries/", include("anjian.stats.urls_summary")),
    path("", include("anjian.core.urls")),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
]

handler400 = "anjian.web.views.errors.bad_request"
handler403 = "anjian.web.views.errors.permission_denied"
handler404 = "anjian.web.views.errors.page_not_found"
handler500 = "anjian.web.views.errors.server_error"
