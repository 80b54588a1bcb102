from django.urls import path

from anjian.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_root, name="list"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("<str:code>/", views.region_detail, name="detail"),
]
