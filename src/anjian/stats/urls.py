"""Pages of the figures: the dashboard (驾驶舱)."""

from django.urls import path

from anjian.stats import views_dashboard

app_name = "stats"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
]
