"""/summaries/: the work summaries page, its downloads and the 下步工作 editor."""

from django.urls import path

from anjian.stats import views_summary

app_name = "summaries"

urlpatterns = [
    path("", views_summary.summary_page, name="page"),
    path("download/<str:fmt>/", views_summary.summary_download, name="download"),
    path("next-steps/<str:code>/", views_summary.next_steps_edit, name="next_steps"),
]
