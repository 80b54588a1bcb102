"""Pages of the field work: inspections with their checklist, campaigns and annual plans."""

from django.urls import URLPattern, path

from anjian.inspections import views

urlpatterns: list[URLPattern] = [
    path("", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/check/", views.inspection_check, name="inspection_check"),
    path("<int:pk>/check/finding/", views.inspection_finding, name="inspection_finding"),
    path("<int:pk>/check/<int:item_pk>/", views.inspection_record, name="inspection_record"),
    path("<int:pk>/complete/", views.inspection_complete, name="inspection_complete"),
    path("results/<int:pk>/photo/", views.result_photo, name="result_photo"),
    path("results/<int:pk>/thumb/", views.result_photo, {"thumb": True}, name="result_photo_thumb"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/groups/", views.campaign_group_add, name="campaign_group_add"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
]
