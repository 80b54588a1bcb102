"""The periodic hazard statistics report (16号令 Art.14): periods and due dates, preparing a report pre-filled
from the ledger, submitting it with the principal's signed scan, and the report as a spreadsheet."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.enterprises.models import Enterprise
from anjian.hazards import rules as hazard_rules
from anjian.hazards.choices import HazardStatus, ReportPeriod, ReportStatus
from anjian.hazards.models import Hazard, HazardPeriodicReport
from anjian.stats.hazards import end_of_day, hazard_figures
from anjian.utilities.images import process_photo
from anjian.utilities.xlsx import print_setup

MAX_SCAN_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Period:
    kind: ReportPeriod
    year: int
    quarter: int | None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1) if self.quarter else dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if not self.quarter:
            return dt.date(self.year, 12, 31)
        month = 3 * self.quarter
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def due_on(self) -> dt.date:
        """Quarterly: the 15th of the first month of the next quarter; annual: 31 January of the next year."""
        if not self.quarter:
            return dt.date(self.year + 1, 1, 31)
        following = self.end + dt.timedelta(days=1)
        return following.replace(day=15)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}
        return _("%(year)d annual") % {"year": self.year}


def period(kind: str, year: int, quarter: int | None = None) -> Period:
    chosen = ReportPeriod(kind)
    if chosen == ReportPeriod.QUARTER and quarter not in (1, 2, 3, 4):
        raise InvalidInput(_("Choose a quarter (1–4)."), field_errors={"quarter": [_("Choose a quarter (1–4).")]})
    return Period(chosen, year, quarter if chosen == ReportPeriod.QUARTER else None)


def recent_periods(today: dt.date, count: int = 4) -> list[Period]:
    """The last ``count`` quarters that have ended, and the last ended year, newest first."""
    quarter = (today.month - 1) // 3  # the quarter before the current one (0 → the last of last year)
    year = today.year
    periods = []
    for _index in range(count):
        if quarter == 0:
            year, quarter = year - 1, 4
        periods.append(Period(ReportPeriod.QUARTER, year, quarter))
        quarter -= 1
    return [*periods, Period(ReportPeriod.YEAR, today.year - 1, None)]


@dataclass(frozen=True)
class Submissions:
    enterprises: int  # enterprises that owe the report (not closed, in scope)
    submitted: int
    late: int  # of the submitted, those after the due date

    @property
    def missing(self) -> int:
        return self.enterprises - self.submitted


def submission_figures(enterprises: QuerySet[Enterprise], chosen: Period) -> Submissions:
    """Who submitted the period's report, and how many late, among ``enterprises`` (already scoped)."""
    submitted = HazardPeriodicReport.objects.filter(
        enterprise__in=enterprises,
        period=chosen.kind,
        year=chosen.year,
        quarter=chosen.quarter,
        status=ReportStatus.SUBMITTED,
    )
    late_after = end_of_day(chosen.due_on)
    figures = submitted.aggregate(n=Count("pk"), late=Count("pk", filter=Q(submitted_at__gte=late_after)))
    return Submissions(enterprises.count(), figures["n"], figures["late"])


def ledger_figures(enterprise: Enterprise, chosen: Period) -> dict[str, Any]:
    """What the ledger says about the period: the binding figures, plus breakdowns the form asks for."""
    hazards = Hazard.objects.filter(enterprise=enterprise)
    figures = hazard_figures(hazards, chosen.start, chosen.end).as_dict()
    found = hazards.exclude(status=HazardStatus.VOIDED).filter(found_on__gte=chosen.start, found_on__lte=chosen.end)
    by_type = dict(found.values_list("hazard_type__name").annotate(n=Count("pk")).order_by("hazard_type__sort_order"))
    by_class = {
        str(dict(Hazard._meta.get_field("management_class").flatchoices)[k]): n
        for k, n in found.values_list("management_class").annotate(n=Count("pk")).order_by("management_class")
    }
    funds = found.filter(status=HazardStatus.CLOSED).aggregate(total=Sum("funds"))["total"]
    return {
        "found": figures["found"],
        "rectified": figures["rectified"],
        "rectification_rate": str(figures["rectification_rate"]) if figures["rectification_rate"] is not None else None,
        "major_found": figures["major_found"],
        "major_rectified": figures["major_rectified"],
        "overdue_open": figures["overdue_open"],
        "self_found": found.filter(finding_department__isnull=True).count(),
        "by_type": by_type,
        "by_class": by_class,
        "funds": str(funds or 0),
    }


def do_prepare_periodic_report(
    enterprise: Enterprise, chosen: Period, *, actor: Any, today: dt.date | None = None
) -> HazardPeriodicReport:
    """Prepare (or refresh, while a draft) the report of an ended period from the ledger."""
    today = today or timezone.localdate()
    if not hazard_rules.manages_enterprise(actor, enterprise.pk):
        raise ActionError(_("You may not do this."), code="forbidden").with_status(403)
    if chosen.end >= today:
        message = _("The period has not ended yet.")
        raise InvalidInput(message, field_errors={"period": [message]})
    figures = ledger_figures(enterprise, chosen)
    with transaction.atomic():
        report = (
            HazardPeriodicReport.objects.select_for_update()
            .filter(enterprise=enterprise, period=chosen.kind, year=chosen.year, quarter=chosen.quarter)
            .first()
        )
        if report is not None and report.status == ReportStatus.SUBMITTED:
            raise ActionError(_("This report has been submitted: it can no longer change."), code="invalid_transition")
        if report is None:
            try:
                with transaction.atomic():
                    report = HazardPeriodicReport.objects.create(
                        enterprise=enterprise,
                        period=chosen.kind,
                        year=chosen.year,
                        quarter=chosen.quarter,
                        start=chosen.start,
                        end=chosen.end,
                        due_on=chosen.due_on,
                        figures=figures,
                        principal_name=enterprise.principal_name,
                        prepared_by=actor,
                    )
            except IntegrityError:
                raise ActionError(_("Someone prepared this report at the same moment."), code="conflict") from None
        else:
            report.figures = figures
            report.prepared_by = actor
            report.prepared_at = timezone.now()
            report.save(update_fields=["figures", "prepared_by", "prepared_at"])
        record_event(EventCode.HAZARD_REPORT_PREPARED, actor=actor, target=report, new={"figures": figures})
    return report


def _check_scan(upload: Any) -> tuple[str, Any]:
    name = str(getattr(upload, "name", "")).lower()
    if getattr(upload, "size", 0) > MAX_SCAN_BYTES:
        message = _("The scan is larger than 10 MB.")
        raise InvalidInput(message, field_errors={"signed_scan": [message]})
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "scan.pdf", upload
    if name.endswith(".pdf"):
        message = _("This is not a PDF file.")
        raise InvalidInput(message, field_errors={"signed_scan": [message]})
    return "scan.jpg", process_photo(upload, field="signed_scan").image


def do_submit_periodic_report(
    report: HazardPeriodicReport,
    *,
    signed_scan: Any,
    principal_name: str,
    analysis: str = "",
    actor: Any,
    at: dt.datetime | None = None,
) -> HazardPeriodicReport:
    """报送: the report with the principal's signed scan (PDF or photo); a submitted report never changes."""
    if signed_scan is None:
        message = _("Upload the scan signed by the principal.")
        raise InvalidInput(message, field_errors={"signed_scan": [message]})
    if not principal_name.strip():
        message = _("Name the principal who signed.")
        raise InvalidInput(message, field_errors={"principal_name": [message]})
    filename, content = _check_scan(signed_scan)
    with transaction.atomic():
        locked = HazardPeriodicReport.objects.select_for_update().get(pk=report.pk)
        if not hazard_rules.manages(actor, locked):
            raise ActionError(_("You may not do this."), code="forbidden").with_status(403)
        if locked.status == ReportStatus.SUBMITTED:
            raise ActionError(_("This report has been submitted: it can no longer change."), code="invalid_transition")
        locked.signed_scan.save(filename, content, save=False)
        locked.principal_name = principal_name.strip()
        locked.analysis = analysis.strip()
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_by = actor
        locked.submitted_at = at or timezone.now()  # ``at``: when it was submitted on paper (imports, the demo)
        locked.save()
        record_event(
            EventCode.HAZARD_REPORT_SUBMITTED,
            actor=actor,
            target=locked,
            new={"principal": locked.principal_name, "late": locked.is_late},
        )
    return locked


def workbook(report: HazardPeriodicReport) -> bytes:
    """The report as the statistics table (统计分析表) a spreadsheet program opens."""
    chosen = Period(ReportPeriod(report.period), report.year, report.quarter)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = _("Statistics")[:31]
    bold = Font(bold=True)
    figures = report.figures
    rows: list[tuple[str, Any]] = [
        (_("Hazard statistics report"), ""),
        (_("Enterprise"), report.enterprise.name),
        (_("Unified social credit code"), report.enterprise.uscc),
        (_("Period"), chosen.label),
        (_("From"), report.start),
        (_("To"), report.end),
        (_("Due on"), report.due_on),
        (_("Hazards found"), figures.get("found")),
        (_("Rectified"), figures.get("rectified")),
        (_("Rectification rate"), figures.get("rectification_rate") or ""),
        (_("Major hazards found"), figures.get("major_found")),
        (_("Major hazards rectified"), figures.get("major_rectified")),
        (_("Open and overdue at the end of the period"), figures.get("overdue_open")),
        (_("Found by the enterprise itself"), figures.get("self_found")),
        (_("Funds spent on rectification (yuan)"), figures.get("funds")),
    ]
    rows += [(_("Type") + "：" + name, n) for name, n in figures.get("by_type", {}).items()]
    rows += [(_("Classification") + "：" + name, n) for name, n in figures.get("by_class", {}).items()]
    rows += [
        (_("Analysis"), report.analysis),
        (_("Signed by (principal)"), report.principal_name),
        (_("Status"), report.get_status_display()),
        (
            _("Submitted at"),
            timezone.localtime(report.submitted_at).replace(tzinfo=None) if report.submitted_at else "",
        ),
    ]
    for label, value in rows:
        sheet.append([label, value])
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["A"]:
        if cell.row > 1:
            cell.font = bold
    for cell in sheet["B"]:
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(cell.value, dt.datetime) else "yyyy-mm-dd"
        if sheet.cell(row=cell.row, column=1).value == _("Rectification rate") and cell.value != "":
            cell.value = float(cell.value)  # stored as a decimal string in the figures
            cell.number_format = "0.00%"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 50
    print_setup(sheet, landscape=False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
