"""Forms of the hazard ledger. Choice lists come from the user's scope; the actions decide everything else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.models import Enterprise
from anjian.hazards.actions import PLAN_FIELDS, REGISTRATION_FIELDS
from anjian.hazards.choices import (
    REASON_REQUIRED,
    EvaluationKind,
    HazardAction,
    HazardLevel,
    HazardSource,
    ManagementClass,
    PhotoStage,
    RectificationMode,
    SupervisionLevel,
)
from anjian.hazards.models import GovernancePlan, Hazard, HazardType, MajorHazardReport
from anjian.orgs.choices import UserKind
from anjian.web.forms import BootstrapFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHOTOS = 9
# The hazard category of a quick report: the reporter names what and where; an officer may reclassify it later.
QUICK_REPORT_TYPE = "other"


def default_source(user: Any) -> HazardSource:
    """How a hazard this user reports was found: the enterprise's routine check, a grid patrol, an inspection."""
    if user.kind == UserKind.GRID:
        return HazardSource.GRID_PATROL
    if user.kind == UserKind.DEPARTMENT:
        return HazardSource.GOVERNMENT_INSPECTION
    return HazardSource.DAILY


def _only(enterprises: QuerySet[Enterprise]) -> Enterprise | None:
    """The enterprise when the user sees exactly one (a grid worker's grid often has one): the default choice."""
    first_two = list(enterprises[:2])
    return first_two[0] if len(first_two) == 1 else None


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one file input; the actions check and re-encode each one."""

    def __init__(self, *args: Any, capture: bool = False, **kwargs: Any) -> None:
        attrs = {"accept": "image/*", **({"capture": "environment"} if capture else {})}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos at a time.") % {"n": MAX_PHOTOS}, code="too_many")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enterprise) -> str:
        return obj.name


class HazardForm(BootstrapFormMixin, forms.ModelForm):
    """Register a hazard (隐患登记): the registration fields, the enterprise in the user's scope, the photos."""

    enterprise = EnterpriseChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    photos = PhotosField(label=_("Photos of the hazard"), capture=True)
    after_photos = PhotosField(
        label=_("Photos after rectification"),
        help_text=_("Only for a hazard rectified on the spot."),
        capture=True,
    )

    class Meta:
        model = Hazard
        fields = REGISTRATION_FIELDS
        widgets = {
            "found_on": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 2}),
            "contingency_plan": forms.Textarea(attrs={"rows": 2}),
            "rectification": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "rectification": _("Only for a hazard rectified on the spot: what was done."),
            "deadline": _("For rectification by a deadline; it can also be set when rectification starts."),
        }

    def __init__(self, *args: Any, user: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Enterprise.objects.visible_to(user).order_by("name", "id")
        field = self.fields["enterprise"]
        field.queryset = choices  # type: ignore[attr-defined]
        self.initial.setdefault("found_on", timezone.localdate())
        self.initial.setdefault("source", default_source(user))
        if user.kind == UserKind.ENTERPRISE:
            field.disabled = True  # always the user's own enterprise
            enterprise = choices.first()
        elif enterprise is None:
            enterprise = _only(choices)
        if enterprise is not None:
            self.initial["enterprise"] = enterprise
        self.apply_bootstrap()

    def registration_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REGISTRATION_FIELDS if name in self.cleaned_data}


class QuickReportForm(BootstrapFormMixin, forms.Form):
    """The fast report from a phone (随手拍): what, where, a photo, and the enterprise for government staff."""

    description = forms.CharField(
        label=_("What is wrong"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control form-control-lg",
                "placeholder": _("e.g. the gas detector in the tank farm is off"),
            }
        ),
    )
    location = forms.CharField(
        label=_("Where"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "placeholder": _("e.g. tank farm, east side")}
        ),
    )
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(
            attrs={"class": "form-control form-control-lg", "accept": "image/*", "capture": "environment"}
        ),
        error_messages={"required": _("Take a photo of the hazard.")},
    )
    enterprise = EnterpriseChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )

    def __init__(self, *args: Any, user: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.own_enterprise: Enterprise | None = None
        choices = Enterprise.objects.visible_to(user).order_by("name", "id")
        if user.kind == UserKind.ENTERPRISE:
            del self.fields["enterprise"]  # always the user's own
            self.own_enterprise = choices.first()
        else:
            self.fields["enterprise"].queryset = choices  # type: ignore[attr-defined]
            if enterprise is None:
                enterprise = _only(choices)
            if enterprise is not None:
                self.initial["enterprise"] = enterprise
        self.apply_bootstrap()

    def chosen_enterprise(self) -> Enterprise | None:
        return self.cleaned_data.get("enterprise") or self.own_enterprise

    def registration_data(self) -> dict[str, Any]:
        """The report with the defaults of a quick report: a general hazard, by a deadline, found today."""
        return {
            "description": self.cleaned_data["description"],
            "location": self.cleaned_data["location"],
            "level": HazardLevel.GENERAL,
            "source": default_source(self.user),
            "hazard_type": HazardType.objects.filter(code=QUICK_REPORT_TYPE).first(),
            "management_class": ManagementClass.THING,
            "rectification_mode": RectificationMode.DEADLINE,
            "found_on": timezone.localdate(),
        }


class PlanForm(BootstrapFormMixin, forms.ModelForm):
    """The 五落实 named when rectification starts: measures, responsibility, funds, deadline, contingency plan."""

    class Meta:
        model = Hazard
        fields = ("measures", "responsible_person", "responsible_phone", "funds", "deadline", "contingency_plan")
        widgets = {
            "deadline": DATE_WIDGET,
            "measures": forms.Textarea(attrs={"rows": 3}),
            "contingency_plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PLAN_FIELDS:
            self.fields[name].required = True
        self.apply_bootstrap()

    def plan(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SubmitForm(BootstrapFormMixin, forms.Form):
    """提交验收: what was done, with photos of the result (unless some were uploaded already)."""

    rectification = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe what was done.")},
    )
    photo = PhotosField(label=_("Photos of the result"), capture=True)
    # A major hazard is submitted with the evaluation of its governance: its resumption application.
    evaluation_kind = forms.ChoiceField(label=_("Evaluated by"), choices=EvaluationKind.choices, required=False)
    evaluator = forms.CharField(label=_("Evaluation agency"), required=False, max_length=120)
    evaluation = forms.CharField(
        label=_("Evaluation of the governance"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, major: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not major:
            for name in ("evaluation_kind", "evaluator", "evaluation"):
                del self.fields[name]
        else:
            self.fields["evaluation_kind"].required = True
            self.fields["evaluation"].required = True
        self.apply_bootstrap()


class MajorReportForm(BootstrapFormMixin, forms.ModelForm):
    """The three parts of a major hazard's report."""

    class Meta:
        model = MajorHazardReport
        fields = ("state_and_cause", "harm_and_difficulty", "approach")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class GovernancePlanForm(BootstrapFormMixin, forms.ModelForm):
    """The six parts of a major hazard's governance plan."""

    class Meta:
        model = GovernancePlan
        fields = ("objectives", "methods", "funding", "organisation", "schedule", "safety_measures")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class ListingForm(BootstrapFormMixin, forms.Form):
    """挂牌督办: level, deadline, the day the notice is served, and whether production stops meanwhile."""

    level = forms.ChoiceField(
        label=_("Listing level"), choices=SupervisionLevel.choices, initial=SupervisionLevel.COUNTY
    )
    deadline = forms.DateField(label=_("Supervision deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    served_on = forms.DateField(label=_("Served on"), widget=forms.DateInput(attrs={"type": "date"}))
    suspend_enterprise = forms.BooleanField(
        label=_("Order the enterprise to suspend until it is written off"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class PhotoForm(BootstrapFormMixin, forms.Form):
    """Add photos to an open hazard, before or after rectification (the stages the user may add to)."""

    stage = forms.ChoiceField(label=_("Stage"), choices=PhotoStage.choices)
    photo = PhotosField(label=_("Photos"), required=True, capture=True)

    def __init__(self, *args: Any, stages: list[PhotoStage] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["stage"].choices = [(s.value, s.label) for s in stages]  # type: ignore[attr-defined]
        self.apply_bootstrap()


class DecisionForm(BootstrapFormMixin, forms.Form):
    """The note of a workflow action: a reason where the transition table requires one, a new deadline for an
    extension request."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)

    def __init__(self, action: HazardAction, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action in REASON_REQUIRED:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")
            self.fields["note"].error_messages["required"] = _("Give the reason.")
        if action != HazardAction.REQUEST_EXTENSION:
            del self.fields["deadline"]
        else:
            self.fields["deadline"].error_messages["required"] = _("Give the new deadline.")
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``actions.perform``."""
        arguments: dict[str, Any] = {"note": self.cleaned_data["note"]}
        if "deadline" in self.fields:
            arguments["deadline"] = self.cleaned_data["deadline"]
        return arguments
