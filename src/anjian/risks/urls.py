"""Pages of dual prevention: the register (units, events, assessments, measures, the four-colour map, notice cards,
post lists), and the checks with the government's view (``urls_tasks``)."""

from django.urls import path

from anjian.risks import views
from anjian.risks.urls_tasks import urlpatterns as checks

app_name = "risks"
register = [
    path("", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/events/new/", views.event_create, name="event_create"),
    path("units/<int:pk>/place/", views.unit_place, name="unit_place"),
    path("units/<int:pk>/card/", views.unit_card, name="unit_card"),
    path("events/<int:pk>/assess/", views.event_assess, name="event_assess"),
    path("events/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("enterprises/<int:enterprise_pk>/map/", views.site_plan, name="site_plan"),
    path("enterprises/<int:enterprise_pk>/map/image/", views.site_plan_image, name="site_plan_image"),
    path("enterprises/<int:enterprise_pk>/posts/", views.post_list, name="post_list"),
    path("enterprises/<int:enterprise_pk>/posts/<str:fmt>/", views.post_list_export, name="post_list_export"),
]
urlpatterns = [*register, *checks]
