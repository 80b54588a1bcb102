from django.urls import path

from anjian.hazards import views, views_major, views_reports

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("report/", views.hazard_report, name="report"),
    path("mine/", views.my_reports, name="mine"),
    path("reports/", views_reports.report_list, name="reports"),
    path("reports/prepare/", views_reports.report_prepare, name="report_prepare"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/xlsx/", views_reports.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/scan/", views_reports.report_scan, name="report_scan"),
    path("photos/<int:photo_pk>/", views.photo_file, name="photo"),
    path("photos/<int:photo_pk>/thumb/", views.photo_file, {"thumb": True}, name="photo_thumb"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/start/", views.hazard_start, name="start"),
    path("<int:pk>/submit/", views.hazard_submit, name="submit"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/report/", views_major.major_report, name="major_report"),
    path("<int:pk>/plan/", views_major.governance_plan, name="governance_plan"),
    path("<int:pk>/listing/", views_major.list_for_supervision, name="listing"),
    path("<int:pk>/<slug:action>/", views.hazard_transition, name="transition"),
]
