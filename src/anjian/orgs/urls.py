from django.urls import path

from anjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.department_list, name="department_list"),
    path("<int:pk>/", views.department_detail, name="department_detail"),
]
