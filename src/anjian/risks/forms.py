"""Forms of the risk register: a unit (with its object chosen or created inline), an event, an assessment with the
factor values of the table in force, a control measure, the site plan. Choice lists come from the enterprise; the
actions decide the rest (a factor outside the table, an assignee from elsewhere, a window ending before it starts),
so their refusals land on these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.enterprises.models import Enterprise
from anjian.orgs.choices import UserKind
from anjian.orgs.models import User
from anjian.risks.choices import (
    DEFAULT_TIER,
    AccidentType,
    AssessmentMethod,
    ControlTier,
    CycleUnit,
    MeasureClass,
    RiskLevel,
    UnitKind,
)
from anjian.risks.filtersets import distinct_values
from anjian.risks.methods import FACTORS
from anjian.risks.models import AssessmentTable, RiskEvent, RiskObject, RiskUnit
from anjian.web.forms import BootstrapFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
FACTOR_LABELS = {
    "L": _("L: likelihood"),
    "E": _("E: exposure"),
    "C": _("C: consequence"),
    "S": _("S: severity"),
    "M": _("M: control in place"),
}
OBJECT_FIELDS = {"code": "object_code", "name": "object_name", "major_hazard_installation": "object_major_hazard"}


def factor_value(value: Any) -> str:
    """A factor value as the form and the stored inputs write it: 0.5, 6, 100 (no trailing zeros)."""
    return format(Decimal(str(value)).normalize(), "f")


class RiskObjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RiskObject) -> str:
        return f"{obj.code} {obj.name}"


class UnitForm(BootstrapFormMixin, forms.Form):
    """A risk unit of the enterprise, under an object already registered or one created here."""

    risk_object = RiskObjectChoiceField(
        label=_("Risk object"),
        queryset=RiskObject.objects.none(),
        required=False,
        empty_label=_("A new risk object (below)"),
    )
    object_code = forms.CharField(
        label=_("Code of the new object"),
        max_length=40,
        required=False,
        help_text=_("hazardCode of the national interface."),
    )
    object_name = forms.CharField(label=_("Name of the new object"), max_length=100, required=False)
    object_major_hazard = forms.BooleanField(label=_("It is a major hazard installation"), required=False)
    name = forms.CharField(label=_("Unit name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    department = forms.CharField(label=_("Responsible department"), max_length=60)
    responsible_person = forms.CharField(label=pgettext_lazy("risk unit", "Responsible person"), max_length=32)
    post = forms.CharField(
        label=_("Post"),
        max_length=40,
        required=False,
        help_text=_("The post whose list (一岗位一清单) carries this unit."),
    )

    def __init__(self, *args: Any, enterprise: Enterprise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objects = RiskObject.objects.filter(enterprise=enterprise).order_by("code")  # scoped: the manager's own
        self.fields["risk_object"].queryset = objects  # type: ignore[attr-defined]
        units = RiskUnit.objects.filter(enterprise=enterprise)  # scoped: the manager's own enterprise
        # Suggestions (a <datalist>) so one department or post is not typed three ways.
        self.suggestions = {
            "department": distinct_values(units, "department"),
            "post": distinct_values(units, "post"),
        }
        self.apply_bootstrap()
        for name in self.suggestions:
            self.fields[name].widget.attrs["list"] = f"{name}-suggestions"
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("risk_object") is None:
            for name in ("object_code", "object_name"):
                if not data.get(name):
                    self.add_error(name, _("Choose a risk object above, or give the new one's code and name."))
        return data

    def object_data(self) -> dict[str, Any] | None:
        """The new object's fields, or None when an existing one was chosen."""
        if self.cleaned_data["risk_object"] is not None:
            return None
        return {model: self.cleaned_data[field] for model, field in OBJECT_FIELDS.items()}

    @staticmethod
    def object_error_field(name: str) -> str:
        """The field of an error the object's action raised (on no field: its code, which must be unique)."""
        return OBJECT_FIELDS.get(name, "object_code")

    def unit_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "kind", "department", "responsible_person", "post")}


class EventForm(BootstrapFormMixin, forms.ModelForm):
    """What can go wrong in the unit, and the accident it would be (GB 6441)."""

    class Meta:
        model = RiskEvent
        fields = ["name", "accident_type"]
        labels = {"name": _("Risk event")}
        help_texts = {"name": _("What can go wrong, e.g. 储罐泄漏遇点火源发生火灾爆炸.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accident_type"].choices = [("", "---------"), *AccidentType.choices]  # type: ignore[attr-defined]
        self.apply_bootstrap()


class AssessmentForm(BootstrapFormMixin, forms.Form):
    """An assessment by LEC, LS or MES. Each method's factors are selects of the values its table allows (the table
    in force in the enterprise's region); the action checks them again against the same table."""

    method = forms.ChoiceField(label=_("Method"), choices=AssessmentMethod.choices)
    residual = forms.BooleanField(label=_("Residual risk: assessed with the control measures in place"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, tables: dict[str, AssessmentTable], event: RiskEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tables = tables
        self.fields["method"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in AssessmentMethod.choices if value in tables
        ]
        latest = event.assessments.order_by("-version").first()
        if latest is not None and latest.method in tables:
            self.fields["method"].initial = latest.method
        for method, table in tables.items():
            for factor in FACTORS[AssessmentMethod(method)]:
                choices = [("", "—")] + [
                    (factor_value(value), f"{factor_value(value)}　{meaning}")
                    for value, meaning in table.factors[factor]
                ]
                field = forms.CharField(
                    label=FACTOR_LABELS.get(factor, factor),
                    required=False,
                    widget=forms.Select(choices=choices, attrs={"data-factor": factor}),
                )
                if latest is not None and latest.method == method:
                    stored = latest.inputs.get(factor)
                    field.initial = factor_value(stored) if stored not in (None, "") else ""
                self.fields[self.factor_field(method, factor)] = field
        self.apply_bootstrap()

    @staticmethod
    def factor_field(method: str, factor: str) -> str:
        return f"{method}_{factor}"

    def factor_groups(self) -> list[tuple[str, str, list[BoundField]]]:
        """(method, label, its factor fields) for the template: one group shown at a time."""
        labels = dict(AssessmentMethod.choices)
        return [
            (
                method,
                str(labels[method]),
                [self[self.factor_field(method, f)] for f in FACTORS[AssessmentMethod(method)]],
            )
            for method in self.tables
        ]

    def arguments(self) -> dict[str, Any]:
        method = self.cleaned_data["method"]
        return {
            "method": method,
            "inputs": {
                f: self.cleaned_data.get(self.factor_field(method, f)) or None
                for f in FACTORS[AssessmentMethod(method)]
            },
            "residual": self.cleaned_data["residual"],
            "note": self.cleaned_data["note"],
        }

    def error_field(self, name: str) -> str:
        """The form field an action's error on ``name`` belongs to (a factor: the chosen method's select)."""
        method = self.cleaned_data.get("method", "")
        candidate = self.factor_field(method, name)
        return candidate if candidate in self.fields else name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.get_role_display()}）"


class MeasureForm(BootstrapFormMixin, forms.Form):
    """A control measure with what to check, its classes, the control tier, the check cycle and who checks."""

    description = forms.CharField(label=_("Control measure"), widget=forms.Textarea(attrs={"rows": 2}))
    check_content = forms.CharField(
        label=_("What to check"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person checking looks at (排查内容)."),
    )
    classify1 = forms.ChoiceField(label=_("Class"), choices=[("", "---------"), *MeasureClass.choices])
    classify2 = forms.CharField(label=_("Subclass"), max_length=20, required=False)
    classify3 = forms.CharField(label=_("Detail class"), max_length=40, required=False)
    control_tier = forms.ChoiceField(label=_("Control tier"), choices=[("", "---------"), *ControlTier.choices])
    cycle = forms.IntegerField(label=_("Check every"), min_value=1, max_value=366, initial=1)
    cycle_unit = forms.ChoiceField(label=_("Cycle unit"), choices=CycleUnit.choices, initial=CycleUnit.DAY)
    window_start = forms.TimeField(label=_("Work window from"), required=False, widget=TIME_WIDGET)
    window_end = forms.TimeField(label=_("Work window to"), required=False, widget=TIME_WIDGET)
    assignee = MemberChoiceField(label=_("Checked by"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("Checks from"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, event: RiskEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(  # scoped: the members of the manager's own enterprise
            kind=UserKind.ENTERPRISE, enterprise_id=event.unit.enterprise_id, is_active=True
        ).order_by("name", "username")
        self.fields["assignee"].queryset = members  # type: ignore[attr-defined]
        self.fields["starts_on"].initial = timezone.localdate()
        if event.level:
            self.fields["control_tier"].initial = DEFAULT_TIER[RiskLevel(event.level)]
        self.apply_bootstrap()
        self.fields["classify2"].widget.attrs.update({"list": "classify2-suggestions", "autocomplete": "off"})

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SitePlanForm(BootstrapFormMixin, forms.Form):
    image = forms.FileField(
        label=_("Site plan"),
        help_text=_("A JPEG or PNG drawing or photo of the site plan (平面布置图), up to 15 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class PlaceForm(forms.Form):
    """Where a unit lies on the plan, as fractions of its width and height; both empty: off the plan."""

    x = forms.DecimalField(required=False, min_value=0, max_value=1, decimal_places=6)
    y = forms.DecimalField(required=False, min_value=0, max_value=1, decimal_places=6)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("x") is None) != (data.get("y") is None):
            raise forms.ValidationError(_("Give both positions, or neither."))
        return data
