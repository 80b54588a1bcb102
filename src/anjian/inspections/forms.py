"""Forms of the field work: starting an inspection, recording a checklist item or a free finding on a phone,
completing the inspection, campaigns with their groups, annual plans. Choice lists come from the user's scope;
the actions decide everything else (two officers, deadlines, periods), so their refusals land on these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.filtersets import industry_choices
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.hazards.choices import HazardLevel
from anjian.hazards.forms import EnterpriseChoiceField
from anjian.inspections.actions import CAMPAIGN_FIELDS, checklists_for, default_checklist
from anjian.inspections.choices import InspectionKind, ItemResult
from anjian.inspections.models import Campaign, Checklist, InspectionPlan
from anjian.orgs.choices import UserKind
from anjian.orgs.models import Department, User
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.web.forms import BootstrapFormMixin

PHOTO_WIDGET_ATTRS = {"accept": "image/*", "capture": "environment"}
GOVERNMENT_KINDS = [(value, label) for value, label in InspectionKind.choices if value != InspectionKind.SELF]


def _position_field() -> forms.FloatField:
    """A coordinate the phone's geolocation fills in (see static/inspections/field.js); empty when it gives none."""
    return forms.FloatField(required=False, widget=forms.HiddenInput)


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        if obj.enforcement_certificate_no:
            return str(
                _("%(name)s (certificate %(number)s)")
                % {"name": obj.display_name, "number": obj.enforcement_certificate_no}
            )
        return str(_("%(name)s (no law-enforcement certificate)") % {"name": obj.display_name})


class IndentedRegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return "\u3000" * max(0, obj.level - RegionLevel.COUNTY) + obj.name


class StartInspectionForm(BootstrapFormMixin, forms.Form):
    """Start an inspection of one enterprise: a department's (with its officers) or the enterprise's self-inspection."""

    enterprise = EnterpriseChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=GOVERNMENT_KINDS, initial=InspectionKind.ROUTINE)
    officers = OfficerChoiceField(
        label=_("Officers inspecting with you"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A law-enforcement inspection needs at least two officers with certificates: you and a colleague."),
    )
    joint_departments = forms.ModelMultipleChoiceField(
        label=_("Joint departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a joint inspection: the other departments taking part."),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("None")
    )
    plan = forms.ModelChoiceField(
        label=_("Annual plan"), queryset=InspectionPlan.objects.none(), required=False, empty_label=_("None")
    )
    checklist = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=Checklist.objects.none(),
        required=False,
        empty_label=_("The enterprise's default checklist"),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Where on the site; the enterprise's address if left empty."),
    )
    latitude = _position_field()
    longitude = _position_field()

    def __init__(self, *args: Any, user: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        enterprises = Enterprise.objects.visible_to(user).order_by("name", "id")
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        if user.kind == UserKind.ENTERPRISE:
            # The enterprise inspects itself: its own enterprise, a self-inspection, no officers.
            enterprise = enterprises.first()
            self.fields["enterprise"].disabled = True
            self.fields["kind"].choices = [(InspectionKind.SELF.value, InspectionKind.SELF.label)]  # type: ignore[attr-defined]
            self.fields["kind"].initial = InspectionKind.SELF
            for name in ("officers", "joint_departments", "campaign", "plan"):
                del self.fields[name]
        else:
            colleagues = (
                User.objects.visible_to(user)
                .filter(department_id=user.department_id, is_active=True)
                .exclude(pk=user.pk)
                .order_by("name", "username")
            )
            self._limit("officers", colleagues)
            self._limit("joint_departments", Department.objects.visible_to(user).exclude(pk=user.department_id))
            self._limit("campaign", Campaign.objects.visible_to(user).filter(start__lte=today, end__gte=today))
            self._limit(
                "plan",
                InspectionPlan.objects.visible_to(user).filter(department_id=user.department_id, year=today.year),
            )
            if self.is_bound:
                enterprise = self._posted_enterprise(enterprises) or enterprise
            # Another enterprise, other checklists: the page fetches the checklist field again.
            self.fields["enterprise"].widget.attrs.update(
                {
                    "hx-get": reverse("inspections:inspection_create"),
                    "hx-trigger": "change",
                    "hx-target": "#checklist-field",
                    "hx-swap": "outerHTML",
                }
            )
        if enterprise is not None:
            self.initial["enterprise"] = enterprise
            self.fields["checklist"].queryset = checklists_for(enterprise)  # type: ignore[attr-defined]
            self.initial["checklist"] = default_checklist(enterprise)
        else:
            self.fields["checklist"].queryset = Checklist.objects.filter(active=True)  # type: ignore[attr-defined]
        self.apply_bootstrap()

    def _limit(self, name: str, queryset: Any) -> None:
        """Offer the field only when there is something to choose."""
        if queryset.exists():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        else:
            del self.fields[name]

    def _posted_enterprise(self, enterprises: Any) -> Enterprise | None:
        value = str(self.data.get("enterprise", ""))
        return enterprises.filter(pk=int(value)).first() if value.isdigit() else None

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``do_start_inspection`` (the enterprise is its first argument)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "officers": list(data.get("officers") or []),
            "joint_departments": list(data.get("joint_departments") or []),
            "campaign": data.get("campaign"),
            "plan": data.get("plan"),
            "checklist": data.get("checklist"),
            "place": data["place"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
        }


class ResultForm(BootstrapFormMixin, forms.Form):
    """One checklist item's result, posted on its own from the check page."""

    result = forms.ChoiceField(
        label=_("Result"),
        choices=ItemResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose complies, does not comply or not applicable.")},
    )
    note = forms.CharField(
        label=_("What does not comply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a failed item: it becomes the hazard's description."),
    )
    level = forms.ChoiceField(label=_("Hazard level"), choices=HazardLevel.choices, required=False)
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.FileInput(attrs=PHOTO_WIDGET_ATTRS))
    latitude = _position_field()
    longitude = _position_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``do_record_result`` besides the inspection, the item and the actor."""
        data = self.cleaned_data
        return {
            "result": data["result"],
            "note": data["note"],
            "level": data["level"],
            "photo": data["photo"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
        }


class FindingForm(BootstrapFormMixin, forms.Form):
    """A finding outside the checklist: what was checked, what does not comply, a photo (always a failure)."""

    text = forms.CharField(label=_("What was checked"), max_length=500)
    note = forms.CharField(label=_("What does not comply"), widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Hazard level"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.FileInput(attrs=PHOTO_WIDGET_ATTRS))
    latitude = _position_field()
    longitude = _position_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_finding_%s")
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "result": ItemResult.FAIL,
            "text": data["text"],
            "note": data["note"],
            "level": data["level"],
            "photo": data["photo"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
        }


class CompleteForm(BootstrapFormMixin, forms.Form):
    """Finish the inspection: the record's findings and handling, who signed for the enterprise, the deadline."""

    summary = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(
        label=_("Handling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. ordered to rectify within a time limit; rectified on the spot."),
    )
    enterprise_signer = forms.CharField(label=_("Signed for the enterprise by"), max_length=32, required=False)
    signature_refused = forms.BooleanField(label=_("The enterprise refused to sign"), required=False)
    deadline = forms.DateField(
        label=_("Deadline for rectifying the findings"),
        required=False,
        help_text=_("For general hazards; a major hazard's deadline comes with its governance plan."),
    )

    def __init__(self, *args: Any, self_inspection: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self_inspection:  # nobody signs the enterprise's own record
            del self.fields["enterprise_signer"]
            del self.fields["signature_refused"]
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "handling": data["handling"],
            "enterprise_signer": data.get("enterprise_signer", ""),
            "signature_refused": data.get("signature_refused", False),
            "deadline": data["deadline"],
        }


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    """Launch a campaign over (part of) the department's territory."""

    region = IndentedRegionField(label=_("Territory"), queryset=Region.objects.none())
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Categories or industries in scope; none: every industry."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Key-sector tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Enterprises with any of these tags are in scope too."),
    )

    class Meta:
        model = Campaign
        fields = ("kind", "title", "region", "start", "end", "member_departments", "industries", "tags", "description")
        widgets = {
            "member_departments": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        # The model's "from"/"to" read as a transition's on their own: the form says what they are.
        labels = {"kind": _("Kind of campaign"), "start": _("Starts on"), "end": _("Ends on")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = Region.objects.visible_to(user).filter(level__lte=RegionLevel.TOWN).order_by("code")
        self.fields["region"].queryset = territory  # type: ignore[attr-defined]
        if user.department_id:
            self.initial.setdefault("region", user.department.region_id)
        self.fields["member_departments"].queryset = (  # type: ignore[attr-defined]
            Department.objects.visible_to(user).exclude(pk=user.department_id)
        )
        self.fields["industries"].choices = industry_choices(user)  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.initial.setdefault("start", today)
        self.apply_bootstrap()

    def campaign_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CAMPAIGN_FIELDS}


class GroupForm(BootstrapFormMixin, forms.Form):
    """Form an inspection group (督查组) of a campaign from the lead and member departments' staff."""

    name = forms.CharField(label=_("Group name"), max_length=40)
    leader = forms.ModelChoiceField(label=_("Group leader"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    towns = forms.ModelMultipleChoiceField(
        label=_("Towns covered"), queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = [campaign.lead_department_id, *campaign.member_departments.values_list("pk", flat=True)]
        staff = User.objects.visible_to(user).filter(department_id__in=departments, is_active=True).order_by("name")
        self.fields["leader"].queryset = staff  # type: ignore[attr-defined]
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]
        towns = Region.objects.visible_to(user).filter(level=RegionLevel.TOWN, code__startswith=campaign.region.prefix)
        self.fields["towns"].queryset = towns.order_by("code")  # type: ignore[attr-defined]
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "leader": data["leader"],
            "members": list(data["members"]),
            "towns": list(data["towns"]),
        }


class PlanForm(BootstrapFormMixin, forms.Form):
    """Draw up the department's annual plan: key enterprises at the table's frequency, a share of the rest at random."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title"), max_length=100, required=False, help_text=_("“<year> annual inspection plan” if left empty.")
    )
    random_share = forms.DecimalField(
        label=_("Share of the other enterprises drawn at random (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        initial=Decimal(20),
        help_text=_("Enterprises of high-risk industries or with a major hazard source are all planned."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", timezone.localdate().year)
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"year": data["year"], "title": data["title"], "random_share": data["random_share"] / 100}
