"""The form renderer draws a select exactly as Django's select and option templates draw it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from anjian.web.renderers import FormRenderer

CHOICES = [
    ("", "全部"),
    ("a", "安澜县 <县>"),
    ("化工", [("01", "危险化学品"), ("02", '烟花爆竹 & "鞭炮"')]),
    (3, "第三"),
    (4, 2026),
    ("lazy", gettext_lazy("Overdue")),
    ("safe", mark_safe("<b>粗体</b>")),
    ("x'y", "O'Brien"),
]


def test_a_select_renders_as_django_renders_it() -> None:
    values: list[Any] = [None, "", "a", "02", 3, 4, "lazy", "safe", "x'y", ["a", "02"], "unknown"]
    widgets = [
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-x": "1", "required": True}), values),
        (
            forms.Select(
                choices=CHOICES, attrs={"data-none": None, "title": 'a "quoted" <title>', "data-safe": mark_safe("<i>")}
            ),
            values,
        ),
        (forms.SelectMultiple(choices=CHOICES, attrs={"disabled": False}), values),
        (forms.NullBooleanSelect(), [None, True, False, "unknown"]),
    ]
    for widget, tried in widgets:
        for value in tried:
            ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=FormRenderer())
            django = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
            assert ours == django
    selected = forms.Select(choices=CHOICES).render("f", "02", renderer=FormRenderer())
    assert '<option value="02" selected>烟花爆竹 &amp; &quot;鞭炮&quot;</option>' in selected
    assert '<optgroup label="化工">' in selected and "&lt;县&gt;" in selected


def test_the_settings_use_it() -> None:
    assert isinstance(forms.Form().renderer or forms.renderers.get_default_renderer(), FormRenderer)


class _OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_select_with_its_own_option_template_goes_through_the_templates() -> None:
    widget = _OwnOption(choices=CHOICES[:3])
    ours = widget.render("f", "a", renderer=FormRenderer())
    assert ours == widget.render("f", "a", renderer=DjangoTemplates())
    assert "<input" in ours and "</option>" not in ours
