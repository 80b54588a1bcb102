from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from anjian.core import audit_export  # noqa: F401  (registers the audit log export)
