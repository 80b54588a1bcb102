"""Pages of the field work: inspections with their checklist, campaigns and annual plans."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
