"""Forms of the checks: one check recorded on a phone (normal, or abnormal with a note and a photo, the position
from the device), and the narrowing of the government view (region, industry). The action decides the rest (the
window, who may record, the note an abnormal check needs), so its refusals land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.filtersets import REGION_CODE, industry_choices, region_choices
from anjian.inspections.forms import PHOTO_WIDGET_ATTRS  # the phone's camera, as on the inspection pages
from anjian.risks.choices import CheckResult
from anjian.web.forms import BootstrapFormMixin


def _position_field() -> forms.FloatField:
    """A coordinate the phone's geolocation fills in (static/inspections/field.js); empty when it gives none."""
    return forms.FloatField(required=False, widget=forms.HiddenInput)


class CheckRecordForm(BootstrapFormMixin, forms.Form):
    """One check task's result, posted on its own from the list of today's checks."""

    result = forms.ChoiceField(
        label=_("Result"),
        choices=CheckResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose normal or abnormal.")},
    )
    note = forms.CharField(
        label=_("What is abnormal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when abnormal: it becomes the hazard's description."),
    )
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.FileInput(attrs=PHOTO_WIDGET_ATTRS))
    latitude = _position_field()
    longitude = _position_field()

    def __init__(self, *args: Any, task_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_task{task_id}_%s")
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``do_record_check`` besides the task and the actor."""
        data = self.cleaned_data
        return {
            "result": data["result"],
            "note": data["note"],
            "photo": data["photo"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
        }


class RiskScopeForm(forms.Form):
    """The part of the user's scope the government view and the map show (the filter bar's form)."""

    region = forms.CharField(label=_("Region"), required=False, validators=[REGION_CODE])
    industry = forms.ChoiceField(label=_("Industry"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = forms.Select(choices=[("", _("All regions")), *region_choices(user)])
        self.fields["industry"].choices = [("", _("All industries")), *industry_choices(user)]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs.setdefault("class", css)
