"""Forms of the enforcement paperwork: drafting a document, recording service and a reinspection, filing a penalty
case and moving it along. Choice lists come from the user's scope; the actions decide everything else (a refusal
comes back as an error on the form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.models import Licence
from anjian.hazards.models import Hazard
from anjian.inspections.choices import (
    DocumentKind,
    PenaltyAction,
    PenaltyKind,
    ReinspectionResult,
    ViolationClass,
)
from anjian.inspections.models import Inspection
from anjian.web.forms import BootstrapFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The documents an officer drafts by hand; notices, decisions and reinspection opinions come from their actions.
DRAFTABLE_KINDS = (DocumentKind.SITE_RECORD, DocumentKind.RECTIFICATION_ORDER, DocumentKind.SITE_MEASURES)
PENALTY_ROWS = 4


class HazardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.description}"


class DocumentDraftForm(BootstrapFormMixin, forms.Form):
    """What a document of ``kind`` needs beyond its inspection: the hazards and deadline of an order to rectify,
    the measures of an on-site decision. The site record is filled from the inspection alone."""

    hazards = HazardChoiceField(
        label=_("Hazards to rectify"),
        queryset=Hazard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Rectify by"), required=False, widget=DATE_WIDGET)
    measures = forms.CharField(
        label=_("Measures ordered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. withdraw the workers, stop production or operation, stop using the equipment."),
    )

    def __init__(self, *args: Any, kind: DocumentKind, hazards: QuerySet[Hazard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["hazards"].queryset = hazards  # type: ignore[attr-defined]
        if kind != DocumentKind.RECTIFICATION_ORDER:
            del self.fields["hazards"], self.fields["deadline"]
        if kind != DocumentKind.SITE_MEASURES:
            del self.fields["measures"]
        self.apply_bootstrap()

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``enforcement.do_draft_document`` this form supplies."""
        data = self.cleaned_data
        return {
            "hazards": list(data.get("hazards") or []),
            "deadline": data.get("deadline"),
            "measures": data.get("measures") or "",
        }


class ServeForm(BootstrapFormMixin, forms.Form):
    """送达: when, and who signed the receipt (or how it was served when nobody signed)."""

    served_on = forms.DateField(label=_("Served on"), widget=DATE_WIDGET)
    received_by = forms.CharField(label=_("Receipt signed by"), max_length=32, required=False)
    note = forms.CharField(
        label=_("How it was served"),
        max_length=200,
        required=False,
        help_text=_("Needed when nobody signed: left at the premises, by post, by public notice …"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"served_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class ReinspectionForm(BootstrapFormMixin, forms.Form):
    """复查: the result, the day, and what is still not rectified."""

    result = forms.ChoiceField(label=_("Result"), choices=ReinspectionResult.choices, widget=forms.RadioSelect)
    done_on = forms.DateField(label=_("Reinspected on"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Findings"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when not rectified: what is still not rectified."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class InspectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {timezone.localtime(obj.started_at):%Y-%m-%d} · {obj.get_kind_display()}"


class LicenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} {obj.number} ({obj.get_status_display()})"


class PenaltyCaseForm(BootstrapFormMixin, forms.Form):
    """立案: the violation, its legal basis, and where it came from; the penalties are in ``PenaltyItemForm`` rows."""

    violation_class = forms.ChoiceField(
        label=_("Kind of violation"), choices=ViolationClass.choices, widget=forms.RadioSelect
    )
    facts = forms.CharField(
        label=_("Facts of the violation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Written into the notice and the decision after “经查，你单位”."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. 《中华人民共和国安全生产法》第一百零二条"),
    )
    on_major_hazard = forms.BooleanField(
        label=_("Concerns a major hazard (counts towards 安全生产法 Art.113)"), required=False
    )
    inspection = InspectionChoiceField(
        label=_("Inspection"), queryset=Inspection.objects.none(), required=False, empty_label=_("None")
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, inspections: QuerySet[Inspection], **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("filed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections  # type: ignore[attr-defined]
        self.apply_bootstrap()


class PenaltyItemForm(BootstrapFormMixin, forms.Form):
    """One proposed penalty; a row left empty is ignored."""

    kind = forms.ChoiceField(label=_("Penalty"), choices=[("", "—"), *PenaltyKind.choices], required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, required=False, min_value=0)
    licence = LicenceChoiceField(label=_("Licence"), queryset=Licence.objects.none(), required=False, empty_label="—")
    persons = forms.IntegerField(label=_("Persons referred"), min_value=1, max_value=999, required=False)

    def __init__(self, *args: Any, licences: QuerySet[Licence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence"].queryset = licences  # type: ignore[attr-defined]
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
        self.apply_bootstrap()

    def item(self) -> dict[str, Any] | None:
        """The row as ``do_file_case`` takes it; None for an empty row (a row with values but no kind is passed on,
        so the action names what is missing)."""
        data = self.cleaned_data
        if not any(data.get(name) not in (None, "") for name in ("kind", "amount", "licence", "persons")):
            return None
        licence = data.get("licence")
        return {
            "kind": data.get("kind") or "",
            "amount": data.get("amount"),
            "licence": licence.pk if licence is not None else None,
            "persons": data.get("persons"),
        }


PenaltyItemFormSet = forms.formset_factory(PenaltyItemForm, extra=PENALTY_ROWS, max_num=PENALTY_ROWS)


class PenaltyStepForm(BootstrapFormMixin, forms.Form):
    """What a step of a case takes: a date (decided, executed, closed on; today when left empty) and a note, which
    is the reason when the case is withdrawn."""

    on = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, action: PenaltyAction, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action == PenaltyAction.WITHDRAW:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason")
            self.fields["note"].error_messages["required"] = _("Give the reason.")
        self.apply_bootstrap()

    def day(self) -> dt.date | None:
        on: dt.date | None = self.cleaned_data.get("on")
        return on
