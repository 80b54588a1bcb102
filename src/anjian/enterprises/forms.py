"""Forms of the enterprise registry. Choice lists come from the user's scope, so out-of-scope values are refused
as invalid choices before any action runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.enterprises import uscc
from anjian.enterprises.actions import EDITABLE_FIELDS, LICENCE_FIELDS
from anjian.enterprises.choices import SupervisionLevel
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag, uscc_message
from anjian.orgs.predicates import is_enterprise_manager
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region
from anjian.web.forms import BootstrapFormMixin

# What an enterprise may correct about itself; its code, industry and location define who supervises it.
SELF_EDITABLE_FIELDS = [
    "address",
    "longitude",
    "latitude",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_officer_name",
    "safety_officer_phone",
    "employee_count",
    "business_scope",
    "has_liability_insurance",
    "liability_insurance_valid_until",
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name if obj.level == RegionLevel.TOWN else f"\u3000{obj.name}"


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Industry) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent else obj.name


class EnterpriseForm(BootstrapFormMixin, forms.ModelForm):
    """Register or edit an enterprise. ``user`` decides the choices and, for enterprise users, the fields."""

    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [*EDITABLE_FIELDS, "tags"]
        widgets = {
            "established_on": DATE_WIDGET,
            "standardization_valid_until": DATE_WIDGET,
            "liability_insurance_valid_until": DATE_WIDGET,
            "business_scope": forms.Textarea(attrs={"rows": 3}),
            "tags": forms.CheckboxSelectMultiple,
        }
        field_classes = {"region": RegionChoiceField, "industry": IndustryChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if is_enterprise_manager(user):
            for name in list(self.fields):
                if name not in SELF_EDITABLE_FIELDS and name != "updated_at":
                    del self.fields[name]
        if "region" in self.fields:
            self.fields["region"].queryset = (  # type: ignore[attr-defined]
                Region.objects.visible_to(user).filter(level__in=[RegionLevel.TOWN, RegionLevel.VILLAGE])
            )
        if "industry" in self.fields:
            from anjian.core.scoping import Scope

            industries = Industry.objects.filter(parent__isnull=False).select_related("parent")
            remit = Scope.for_user(user).industry_ids
            if remit is not None:
                industries = industries.filter(pk__in=remit)
            self.fields["industry"].queryset = industries.order_by("parent__sort_order", "sort_order", "code")  # type: ignore[attr-defined]
        if "grid" in self.fields:
            self.fields["grid"].queryset = Grid.objects.visible_to(user).order_by("code")  # type: ignore[attr-defined]
        if "tags" in self.fields:
            self.fields["tags"].queryset = Tag.objects.all()  # type: ignore[attr-defined]
        if "supervision_level" in self.fields:
            self.fields["supervision_level"].required = False  # defaults to county, the common case
        if self.instance.pk and not self.is_bound:
            self.initial["updated_at"] = self.instance.updated_at.isoformat()
        self.apply_bootstrap()

    def clean_uscc(self) -> str:
        raw = self.cleaned_data.get("uscc", "")
        try:
            return uscc.validate(raw)
        except uscc.USCCError as error:
            raise forms.ValidationError(uscc_message(error)) from None

    def clean_supervision_level(self) -> str:
        return self.cleaned_data.get("supervision_level") or SupervisionLevel.COUNTY

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS and k in self.fields}


class LicenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Licence
        fields = LICENCE_FIELDS
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("Choose the Excel file to import.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file (Excel 2007 or later)."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an Excel .xlsx file."))
        return upload
