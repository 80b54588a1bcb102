"""The form renderer: Django's default, with a select's options drawn by the select's own template."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's select template includes one template per option and another for each option's attributes: a
    filter bar of ~200 options (a county's towns and villages, the hazard types) rendered ~400 includes, about a
    third of a list page's time. ``web/widgets/select.html`` is the same markup in one template."""

    overrides = {"django/forms/widgets/select.html": "web/widgets/select.html"}

    def get_template(self, template_name: str) -> Any:
        return super().get_template(self.overrides.get(template_name, template_name))
