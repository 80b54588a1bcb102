from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("Hazard ledger")

    def ready(self) -> None:
        from anjian.hazards import exports  # noqa: F401  (registers the 三清单 export)
