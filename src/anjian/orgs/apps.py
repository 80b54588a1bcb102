from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "anjian.orgs"
    label = "orgs"
    verbose_name = _("Departments and users")

    def ready(self) -> None:
        from anjian.orgs import exports, signals  # noqa: F401  (department export; login/logout auditing)
