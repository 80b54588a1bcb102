"""The demo's year of inspections and enforcement: it loads on the demo registry, its counts look like a county's
year, its documents are numbered and frozen, every month has inspections, every case stage is shown, and the same
seed and day give the same year."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from anjian.demo import DEFAULT_SEED, STEPS
from anjian.enterprises.catalogue import load_catalogue
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.hazards.catalogue import load_hazard_types
from anjian.hazards.models import HazardType
from anjian.inspections import documents
from anjian.inspections.catalogue import load_criteria
from anjian.inspections.choices import (
    ENFORCEMENT_KINDS,
    CampaignKind,
    DocumentStatus,
    InspectionKind,
    PenaltyStage,
    ReinspectionStatus,
)
from anjian.inspections.models import (
    Campaign,
    EnforcementDocument,
    Inspection,
    InspectionPlan,
    PenaltyCase,
    Reinspection,
)
from anjian.inspections.queries import plan_progress
from anjian.utilities.progress import Progress

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _quiet(label: str, total: int) -> Progress:
    return Progress(label, total, stream=io.StringIO())


def _step(name: str) -> Any:
    step = dict(STEPS)[name]
    return step(random.Random(f"{DEFAULT_SEED}-{name}"), "", _quiet)


def _fingerprint() -> list[tuple[str, ...]]:
    """What the year made, by the numbers it carries (primary keys differ between runs)."""
    cases = PenaltyCase.objects.order_by("case_number").values_list("case_number", "enterprise__name", "stage")
    issued = EnforcementDocument.objects.exclude(number="").order_by("number").values_list("number", "content_hash")
    return [tuple(str(v) for v in row) for row in [*cases, *issued]]


@pytest.fixture(scope="module")
def year(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The demo registry and the inspections step on top of it, loaded once for the module in a transaction
    rolled back at the end (the tests only read); the step runs twice, the first run rolled back, to compare."""
    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_catalogue(Industry, Tag)  # a transactional test before this one may have flushed the shipped data
        load_hazard_types(HazardType)
        load_criteria(django_apps)
        _step("registry")
        with transaction.atomic():
            first = _step("inspections")
            first_print = _fingerprint()
            transaction.set_rollback(True)
        summary = _step("inspections")
        yield {"summary": summary, "first": first, "first_print": first_print, "print": _fingerprint()}
        transaction.set_rollback(True)


def test_counts_look_like_a_countys_year(year: dict[str, Any]) -> None:
    summary = year["summary"]
    assert 140 <= summary["inspections"] <= 260
    assert Inspection.objects.government().count() == summary["inspections"]
    assert summary["self_inspections"] >= 5 and summary["campaigns"] == 4 and summary["plans"] == 3
    assert 25 <= summary["cases"] <= 40
    assert 0.45 <= summary["cases_illegal"] / summary["cases"] <= 0.75
    assert 8 <= summary["suspensions"] <= 15
    assert 2 <= summary["licence_penalties"] <= 4 and 2 <= summary["closures"] <= 3 and summary["referrals"] <= 1
    assert 200_000 <= summary["fines_yuan"] <= 1_500_000
    assert 1 <= summary["major_hazards"] <= 3
    assert summary["reinspections_done"] >= 20 and summary["reinspections_pending"] >= 1
    failing = Inspection.objects.government().filter(results__result="fail").distinct().count()
    assert 0.2 <= failing / summary["inspections"] <= 0.45


def test_the_same_seed_and_day_give_the_same_year(year: dict[str, Any]) -> None:
    assert year["first"] == year["summary"]
    assert year["first_print"] == year["print"]


def test_every_issued_document_is_numbered_and_frozen(year: dict[str, Any]) -> None:
    issued = list(EnforcementDocument.objects.all())
    assert len(issued) == year["summary"]["documents"] >= 100
    for document in issued:
        assert document.status != DocumentStatus.DRAFT
        assert document.number and document.number == document.content["number"]
        assert document.content_hash == documents.content_hash(document.content)
        assert not document.docx and not document.pdf  # rendered on first download
    served = sum(1 for d in issued if d.status == DocumentStatus.SERVED)
    assert served == len(issued)


def test_government_inspections_in_each_of_the_last_twelve_months(year: dict[str, Any]) -> None:
    today = timezone.localdate()
    days = [timezone.localdate(at) for at in Inspection.objects.government().values_list("started_at", flat=True)]
    assert min(days) >= today - dt.timedelta(days=365) and max(days) < today
    for k in range(12):
        window = (today - dt.timedelta(days=30 * (k + 1)), today - dt.timedelta(days=30 * k))
        assert any(window[0] <= day < window[1] for day in days), f"no inspection {window}"


def test_law_enforcement_visits_have_two_certified_officers_of_the_department(year: dict[str, Any]) -> None:
    for inspection in Inspection.objects.government().prefetch_related("officers"):
        assert inspection.kind in ENFORCEMENT_KINDS
        officers = list(inspection.officers.all())
        assert len(officers) >= 2
        assert all(o.enforcement_certificate_no and o.department_id == inspection.department_id for o in officers)


def test_crackdown_campaign_has_inspections_and_cases(year: dict[str, Any]) -> None:
    crackdown = Campaign.objects.get(kind=CampaignKind.CRACKDOWN)
    assert crackdown.inspections.count() >= 10
    assert crackdown.penalty_cases.count() >= 10
    assert {c.kind for c in Campaign.objects.all()} == {
        CampaignKind.INSPECTION_DRIVE,
        CampaignKind.CRACKDOWN,
        CampaignKind.KEY_PERIOD,
        CampaignKind.SPECIAL,
    }
    drive = Campaign.objects.get(kind=CampaignKind.INSPECTION_DRIVE)
    assert drive.groups.count() >= 2 and drive.inspections.count() >= 10
    for inspection in Inspection.objects.filter(campaign__isnull=False).select_related("campaign"):
        campaign = inspection.campaign
        assert campaign is not None and campaign.start <= timezone.localdate(inspection.started_at) <= campaign.end


def test_a_case_in_every_stage(year: dict[str, Any]) -> None:
    stages = set(PenaltyCase.objects.values_list("stage", flat=True))
    assert stages == set(PenaltyStage.values)
    # Cases reinspection files when an order was not complied with.
    assert PenaltyCase.objects.filter(reinspection__isnull=False).count() >= 2
    for reinspection in Reinspection.objects.filter(status=ReinspectionStatus.DONE):
        assert reinspection.done_on is not None and reinspection.opinion is not None


def test_plans_of_the_emergency_bureau_with_progress(year: dict[str, Any]) -> None:
    """This year's plan and last year's; the one covering most of the last twelve months shows progress."""
    today = timezone.localdate()
    plans = InspectionPlan.objects.filter(department__short_name="应急局")
    assert set(plans.values_list("year", flat=True)) == {today.year, today.year - 1}
    busier = plans.get(year=today.year if today.month > 6 else today.year - 1)
    done: list[int] = [target.done for target in plan_progress(busier)]  # type: ignore[attr-defined]
    assert sum(done) >= 10


def test_the_featured_enterprise_operates_and_inspected_itself(year: dict[str, Any]) -> None:
    featured = Enterprise.objects.get(name="江西鑫源化工有限公司")
    assert featured.status == EnterpriseStatus.OPERATING
    assert Inspection.objects.filter(enterprise=featured, kind=InspectionKind.SELF).exists()
    assert not PenaltyCase.objects.filter(enterprise=featured).exists()
    closed = Enterprise.objects.filter(status=EnterpriseStatus.CLOSED, penalty_cases__isnull=False).distinct()
    assert all(not h.is_open for e in closed for h in e.hazards.all())


def test_the_statistics_rollups_followed_the_year(year: dict[str, Any]) -> None:
    """Every hazard the year registered, moved and closed went through ``Hazard.save``: the rollups equal the ledger."""
    from anjian.stats import tally
    from anjian.stats.models import HazardTally

    assert HazardTally.objects.exclude(n=0).exists()
    assert tally.differences() == []
