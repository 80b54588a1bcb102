"""Addresses of the checks and of the government's view of dual prevention (merged into the app's ``urls.py``)."""

from django.urls import path

from anjian.risks import views_tasks

urlpatterns = [
    path("tasks/", views_tasks.task_list, name="task_list"),
    path("tasks/<int:pk>/record/", views_tasks.task_record, name="task_record"),
    path("government/", views_tasks.government, name="government"),
    path("government/map/", views_tasks.government_map, name="government_map"),
]
