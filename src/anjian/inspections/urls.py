"""Pages of inspections and enforcement: the field work (inspections, campaigns, plans) and the paperwork
(documents, reinspections, penalty cases)."""

from anjian.inspections.urls_enforcement import urlpatterns as enforcement
from anjian.inspections.urls_inspections import urlpatterns as field_work

app_name = "inspections"
urlpatterns = [*field_work, *enforcement]
