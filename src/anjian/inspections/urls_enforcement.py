"""Pages of the paperwork: enforcement documents, reinspections and penalty cases."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
