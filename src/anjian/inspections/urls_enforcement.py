"""Pages of the paperwork: enforcement documents, reinspections and penalty cases."""

from django.urls import URLPattern, path

from anjian.inspections import views_enforcement as views

urlpatterns: list[URLPattern] = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/issue/", views.document_issue, name="document_issue"),
    path("documents/<int:pk>/serve/", views.document_serve, name="document_serve"),
    path("documents/<int:pk>/<str:fmt>/", views.document_file, name="document_file"),  # docx | pdf
    path("reinspections/", views.reinspection_list, name="reinspection_list"),
    path("reinspections/<int:pk>/", views.reinspection_record, name="reinspection_record"),
    path("penalties/", views.penalty_list, name="penalty_list"),
    path("penalties/new/", views.penalty_create, name="penalty_create"),
    path("penalties/<int:pk>/", views.penalty_detail, name="penalty_detail"),
    path("penalties/<int:pk>/penalties/", views.penalty_items, name="penalty_items"),
    path("penalties/<int:pk>/<slug:action>/", views.penalty_transition, name="penalty_transition"),
]
