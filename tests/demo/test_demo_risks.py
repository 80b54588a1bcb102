"""The demo's dual prevention: every 危化 and 工贸 enterprise has a register of the demo's shape, two years of checks
with some missed and some abnormal (the recent ones opening hazards), the featured plant's open checks left for the
tour, and the same seed and instant giving the same history."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.test import override_settings
from django.utils import timezone

from anjian.demo import DEFAULT_SEED, STEPS
from anjian.demo.risks import FEATURED, seed_risks
from anjian.enterprises.catalogue import load_catalogue
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.hazards.catalogue import load_hazard_types
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.hazards.models import HazardType
from anjian.risks.choices import CheckResult, CycleUnit, RiskLevel, TaskStatus
from anjian.risks.models import CheckRecord, CheckTask, ControlMeasure, RiskObject, RiskUnit
from anjian.utilities.progress import Progress

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _quiet(label: str, total: int) -> Progress:
    return Progress(label, total, stream=io.StringIO())


def _fingerprint() -> list[tuple[str, ...]]:
    """What the step made, by what it carries (primary keys differ between runs)."""
    units = RiskUnit.objects.order_by("enterprise__name", "name", "level").values_list(
        "enterprise__name", "name", "level", "responsible_person"
    )
    tasks = (
        CheckTask.objects.values_list("enterprise__name", "status")
        .annotate(n=Count("pk"))
        .order_by("enterprise__name", "status")
    )
    records = (
        CheckRecord.objects.values_list("task__enterprise__name", "result")
        .annotate(n=Count("pk"), last=Max("checked_at"))
        .order_by("task__enterprise__name", "result")
    )
    return [tuple(str(v) for v in row) for row in [*units, *tasks, *records]]


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The demo registry and the risks step on it, loaded once for the module in a transaction rolled back at the
    end (the tests only read); the step runs twice at the same instant, the first run rolled back, to compare."""
    media = str(tmp_path_factory.mktemp("media"))
    now = timezone.now()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_catalogue(Industry, Tag)  # a transactional test before this one may have flushed the shipped data
        load_hazard_types(HazardType)
        dict(STEPS)["registry"](random.Random(f"{DEFAULT_SEED}-registry"), "", _quiet)
        with transaction.atomic():
            first = seed_risks(random.Random(f"{DEFAULT_SEED}-risks"), now, _quiet)
            first_print = _fingerprint()
            transaction.set_rollback(True)
        summary = seed_risks(random.Random(f"{DEFAULT_SEED}-risks"), now, _quiet)
        yield {"now": now, "summary": summary, "first": first, "first_print": first_print, "print": _fingerprint()}
        transaction.set_rollback(True)


def test_the_step_is_the_last_of_the_demo() -> None:
    assert [name for name, _step in STEPS][-1] == "risks"


def test_every_chemicals_and_industry_enterprise_keeps_a_register(loaded: dict[str, Any]) -> None:
    enterprises = Enterprise.objects.exclude(status=EnterpriseStatus.CLOSED).filter(
        Q(industry__code__startswith="01") | Q(industry__code__startswith="04")
    )
    assert enterprises.count() == loaded["summary"]["enterprises"] >= 80
    registers = enterprises.annotate(
        unit_count=Count("risk_units", distinct=True), object_count=Count("risk_objects", distinct=True)
    ).values_list("name", "unit_count", "object_count")
    for name, units, objects in registers:
        assert 3 <= units <= 8 and 1 <= objects <= 3, name
    assert not RiskUnit.objects.exclude(enterprise__in=enterprises).exists()
    assert not RiskUnit.objects.filter(level="").exists()  # every unit assessed
    # Measures are checked by members of the enterprise, on daily, weekly and monthly cycles.
    for measure in ControlMeasure.objects.select_related("assignee", "event__unit"):
        assert measure.assignee.enterprise_id == measure.event.unit.enterprise_id
    cycles = set(ControlMeasure.objects.values_list("cycle_unit", flat=True))
    assert cycles == {CycleUnit.DAY, CycleUnit.WEEK, CycleUnit.MONTH}
    # A dust collector only where dust explosions are tagged.
    dusty = RiskUnit.objects.filter(name="粉尘除尘系统").values_list("enterprise_id", flat=True)
    assert set(dusty) <= set(Enterprise.objects.filter(tags__code="dust_explosion").values_list("pk", flat=True))


def test_levels_few_red_some_orange_many_yellow_and_blue(loaded: dict[str, Any]) -> None:
    levels = Counter(RiskUnit.objects.values_list("level", flat=True))
    total = sum(levels.values())
    assert 0 < levels[RiskLevel.MAJOR] <= 0.06 * total
    assert 0.1 * total <= levels[RiskLevel.HIGH] <= 0.3 * total
    assert levels[RiskLevel.MEDIUM] + levels[RiskLevel.LOW] >= 0.65 * total
    featured = RiskUnit.objects.filter(enterprise__name=FEATURED)
    assert featured.count() == 8 and {u.colour for u in featured} == {"red", "orange", "yellow", "blue"}
    assert RiskObject.objects.filter(enterprise__name=FEATURED, major_hazard_installation=True).count() == 1


def test_two_years_of_checks_with_some_missed_and_some_abnormal(loaded: dict[str, Any]) -> None:
    now, summary = loaded["now"], loaded["summary"]
    span = CheckRecord.objects.aggregate(first=Min("checked_at"), last=Max("checked_at"))
    assert span["first"] <= now - dt.timedelta(days=700) and span["last"] < now
    closed = CheckTask.objects.filter(due_end__lte=now)
    assert not closed.filter(status=TaskStatus.PENDING).exists()  # flagged missed
    missed = closed.filter(status=TaskStatus.MISSED).count()
    assert 0.03 <= missed / closed.count() <= 0.08
    assert summary["missed"] == missed and summary["tasks"] == CheckTask.objects.count()
    # Done means recorded, and the other way round.
    assert CheckTask.objects.filter(status=TaskStatus.DONE).count() == CheckRecord.objects.count()
    assert not CheckTask.objects.filter(status=TaskStatus.DONE, record__isnull=True).exists()
    abnormal = CheckRecord.objects.filter(result=CheckResult.FAIL)
    assert 0.01 <= abnormal.count() / CheckRecord.objects.count() <= 0.02
    assert not abnormal.filter(note="").exists()
    opened = abnormal.filter(hazard__isnull=False).select_related("hazard")
    assert opened.count() == summary["hazards_opened"] >= 5
    assert all(r.hazard is not None and r.hazard.source == HazardSource.CONTROL_FAILURE for r in opened)
    assert {r.hazard.status for r in opened if r.hazard} >= {HazardStatus.CLOSED, HazardStatus.RECTIFYING}
    # A few enterprises let their checks slip lately: a low completion rate to show.
    recent = closed.filter(due_start__gte=now - dt.timedelta(days=30)).values("enterprise")
    rates = recent.annotate(n=Count("pk"), missed=Count("pk", filter=Q(status=TaskStatus.MISSED)))
    assert any(row["missed"] / row["n"] >= 0.2 for row in rates if row["n"] >= 10)


def test_the_featured_plant_leaves_todays_checks_to_the_tour(loaded: dict[str, Any]) -> None:
    now = loaded["now"]
    featured = CheckTask.objects.filter(enterprise__name=FEATURED)
    open_now = featured.filter(due_start__lte=now, due_end__gt=now)
    assert not open_now.exclude(status=TaskStatus.PENDING).exists()
    today = timezone.localdate(now)
    todays = [t for t in open_now.select_related("assignee") if timezone.localdate(t.due_start) == today]
    assert {t.assignee.username for t in todays} == {"qiye1", "zhigong1"}
    # Its last week through the action (with GPS): one missed, one abnormal check by zhigong1 now in rectification.
    week = featured.filter(due_start__gte=now - dt.timedelta(days=7), due_end__lte=now)
    assert week.filter(status=TaskStatus.MISSED).count() == 1
    recorded = CheckRecord.objects.filter(task__in=week)
    assert recorded.exists() and not recorded.filter(latitude__isnull=True).exists()
    [failed] = recorded.filter(result=CheckResult.FAIL).select_related("checked_by", "hazard")
    assert failed.checked_by.username == "zhigong1"
    assert failed.hazard is not None and failed.hazard.status == HazardStatus.RECTIFYING


def test_the_same_seed_and_instant_give_the_same_history(loaded: dict[str, Any]) -> None:
    assert loaded["first"] == loaded["summary"]
    assert loaded["first_print"] == loaded["print"]
