from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from anjian.core import audit_export, lookups  # noqa: F401  (register the audit log export, the lookups)
