"""The demo county, loaded by ``anjian demo`` in steps; a step already loaded is skipped, so re-running keeps
the data and a newer version only adds its new steps."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.models import SeedStep
from anjian.utilities.progress import Progress

PERSONA_USERNAMES = ["admin", "anweiban", "yingji", "zhujian", "zhen1", "wangge1", "qiye1", "zhigong1"]
DEFAULT_SEED = 2026


def _registry_step(rng: random.Random, password: str, progress: Callable[[str, int], Progress]) -> dict[str, Any]:
    from anjian.demo import registry
    from anjian.enterprises.catalogue import load_catalogue
    from anjian.enterprises.models import Industry, Tag
    from anjian.orgs.choices import UserKind, UserRole
    from anjian.orgs.models import User

    load_catalogue(Industry, Tag)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(username="admin", name="系统管理员", kind=UserKind.ADMIN, role=UserRole.SYSTEM_ADMIN)
        admin.set_password(password)
        admin.save()
    today = timezone.localdate()
    territory = registry.seed_regions(rng)
    departments = registry.seed_departments(territory)
    featured = registry.seed_featured(territory, admin, today)
    total = sum(plan.count for plan in registry.PLANS)
    bar = progress("企业 enterprises", total)
    enterprises = registry.seed_enterprises(rng, territory, admin, today, bar.advance)
    bar.finish()
    users = registry.seed_users(rng, territory, departments, featured, password)
    return {"enterprises": len(enterprises) + 1, "departments": len(departments), "users": len(users)}


def _hazards_step(rng: random.Random, password: str, progress: Callable[[str, int], Progress]) -> dict[str, Any]:
    from anjian.demo import hazards
    from anjian.enterprises.models import Enterprise

    today = timezone.localdate()
    bar = progress("隐患 hazards", Enterprise.objects.count())
    counts = hazards.seed_hazards(rng, today, bar.advance)
    counts["featured"] = hazards.seed_featured_hazards(rng, today)
    bar.finish()
    from anjian.hazards.escalation import escalate

    counts["notifications"] = escalate(today).total()  # what last night's run would have sent
    return counts


def _reports_step(rng: random.Random, password: str, progress: Callable[[str, int], Progress]) -> dict[str, Any]:
    from anjian.demo import hazards

    return hazards.seed_periodic_reports(rng, timezone.localdate())


def _inspections_step(rng: random.Random, password: str, progress: Callable[[str, int], Progress]) -> dict[str, Any]:
    from anjian.demo import inspections

    return inspections.seed_inspections(rng, timezone.localdate(), progress)


def _risks_step(rng: random.Random, password: str, progress: Callable[[str, int], Progress]) -> dict[str, Any]:
    from anjian.demo import risks

    return risks.seed_risks(rng, timezone.now(), progress)


STEPS: list[tuple[str, Callable[..., dict[str, Any]]]] = [
    ("registry", _registry_step),
    ("hazards", _hazards_step),
    ("hazard_reports", _reports_step),
    ("inspections", _inspections_step),
    ("risks", _risks_step),
]


def seed_demo(
    *, password: str, seed: int = DEFAULT_SEED, progress: Callable[[str, int], Progress] = Progress
) -> list[str]:
    """Load every step not yet in this database; returns the names of the steps loaded now."""
    done = set(SeedStep.objects.values_list("name", flat=True))
    loaded: list[str] = []
    for name, step in STEPS:
        if name in done:
            continue
        with transaction.atomic():
            summary = step(random.Random(f"{seed}-{name}"), password, progress)
            SeedStep.objects.create(name=name)
            record_event(EventCode.DEMO_SEEDED, target_type="demo", target_repr=name, new=summary)
        loaded.append(name)
    return loaded


def set_persona_passwords(password: str) -> int:
    """Give the demo personas this password (when ANJIAN_DEMO_PASSWORD changed between runs)."""
    from anjian.orgs.models import User

    changed = 0
    verdicts: dict[str, bool] = {}  # stored hash → whether it is this password (the personas share one hash)
    hashed: str | None = None
    for user in User.objects.filter(username__in=PERSONA_USERNAMES):
        if user.password not in verdicts:
            verdicts[user.password] = user.check_password(password)
        if not verdicts[user.password]:
            hashed = hashed or make_password(password)
            user.password = hashed
            user.save(update_fields=["password"])
            changed += 1
    return changed
