from django.urls import path

from anjian.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/status/<slug:action>/", views.enterprise_transition, name="transition"),
    path("<int:pk>/licences/new/", views.licence_create, name="licence_create"),
    path("<int:pk>/licences/<int:licence_pk>/edit/", views.licence_edit, name="licence_edit"),
    path(
        "<int:pk>/licences/<int:licence_pk>/status/<slug:action>/",
        views.licence_transition,
        name="licence_transition",
    ),
]
