from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "anjian.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprise registry")

    def ready(self) -> None:
        from anjian.enterprises import exports  # noqa: F401  (registers the enterprise export)
