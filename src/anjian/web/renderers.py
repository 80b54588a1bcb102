"""The form renderer: Django's default, with selects drawn in Python."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    """Django's select template includes one template per option and another for each option's attributes: a
    filter bar of ~200 options (a county's towns and villages, the hazard types) made ~400 includes and ~2,000
    variable lookups, most of a list page's Python. A select (Select, SelectMultiple, NullBooleanSelect) is drawn
    here instead, character for character as those templates draw it (a test compares them); every other widget,
    and a select whose options have a template of their own, goes through its templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT and _plain_options(context["widget"]):
            return mark_safe(_select(context["widget"]))  # noqa: S308 — every value is escaped in _select
        return super().render(template_name, context, request)


def _plain_options(widget: dict[str, Any]) -> bool:
    """Whether every option is drawn by Django's option template (a widget with its own goes through templates)."""
    return all(
        option["template_name"] == OPTION for _name, options, _index in widget["optgroups"] for option in options
    )


def _text(value: Any) -> str:
    """What ``{{ value }}`` writes: localized, then escaped unless already safe."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """What ``django/forms/widgets/attrs.html`` writes (``stringformat:'s'`` is ``str``, and keeps a safe string
    safe, as the filter does)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _select(widget: dict[str, Any]) -> str:
    """What ``select.html`` with ``select_option.html`` writes (stripped, as the renderer strips it)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            value = conditional_escape(str(option["value"]))
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
