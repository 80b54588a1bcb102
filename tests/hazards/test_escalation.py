"""The escalation ladder: who hears about a hazard as its deadline nears and passes, exactly once per rung,
re-armed by an approved extension; the inbox shows the user's own messages only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from anjian.hazards import actions
from anjian.hazards.escalation import escalate
from anjian.notifications.models import Notification
from anjian.orgs.choices import UserKind, UserRole
from tests.hazards.helpers import in_state
from tests.world import World, user


def recipients(rung: str) -> set[str]:
    return set(Notification.objects.filter(kind=f"hazard_{rung}").values_list("recipient__username", flat=True))


@pytest.fixture
def late(world: World) -> Any:
    """A rectifying hazard of the chemicals enterprise (deadline in 10 days), and a principal to tell."""
    user("zhang_principal", UserKind.ENTERPRISE, UserRole.PRINCIPAL, enterprise=world.enterprises["chem"])
    return in_state(world, "department", "rectifying")


def test_each_rung_reaches_its_people_once(world: World, late: Any, settings: Any) -> None:
    settings.ESCALATION_WARN_DAYS, settings.ESCALATION_TOWN_DAYS, settings.ESCALATION_COUNTY_DAYS = 3, 7, 30
    deadline = late.deadline
    assert escalate(deadline - dt.timedelta(days=4)) == {}  # not yet
    assert escalate(deadline - dt.timedelta(days=3))["due_soon"] == 2
    assert recipients("due_soon") == {"qiye1", "zhang_principal"}
    assert escalate(deadline - dt.timedelta(days=1)).total() == 0  # told once
    sent = escalate(deadline + dt.timedelta(days=1))
    assert sent["overdue"] == 3 and recipients("overdue") == {"qiye1", "zhang_principal", "wangge1"}
    assert escalate(deadline + dt.timedelta(days=8))["town"] == 1 and recipients("town") == {"zhen1"}
    assert escalate(deadline + dt.timedelta(days=31))["county"] == 1 and recipients("county") == {"anweiban"}
    assert "挂牌督办" in Notification.objects.get(kind="hazard_county").title
    assert escalate(deadline + dt.timedelta(days=40)).total() == 0
    # Nobody outside: the housing inspector and the neighbour county hear nothing.
    assert not Notification.objects.filter(recipient__username__in=["zhujian", "neighbour_officer", "yingji"]).exists()


def test_an_approved_extension_rearms_the_ladder(world: World, late: Any) -> None:
    deadline = late.deadline
    escalate(deadline + dt.timedelta(days=1))
    before = Notification.objects.count()
    hazard = actions.do_request_extension(
        late, deadline=deadline + dt.timedelta(days=20), reason="备件", actor=world.users["qiye1"]
    )
    hazard = actions.do_approve_extension(hazard, actor=world.users["yingji"])
    assert escalate(deadline + dt.timedelta(days=1)).total() == 0  # within the new deadline
    assert hazard.deadline == deadline + dt.timedelta(days=20)
    assert escalate(deadline + dt.timedelta(days=21))["overdue"] == 3
    assert Notification.objects.count() == before + 3


def test_closed_and_submitted_hazards_are_left_alone(world: World) -> None:
    for status in ("awaiting_acceptance", "closed", "voided"):
        in_state(world, "self", status)
    assert escalate(timezone.localdate() + dt.timedelta(days=400)).total() == 0


def test_command_and_mail(
    world: World, late: Any, settings: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    qiye1 = world.users["qiye1"]
    qiye1.email = "qiye1@example.org"
    qiye1.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_hazards", "--date", str(late.deadline + dt.timedelta(days=2)))
    assert "overdue: 3" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [["qiye1@example.org"]]
    assert Notification.objects.get(recipient=qiye1, kind="hazard_overdue").emailed_at is not None


def test_inbox_shows_own_messages_and_marks_read(world: World, late: Any, client_for: Any) -> None:
    escalate(late.deadline + dt.timedelta(days=1))
    client = client_for("qiye1")
    page = client.get("/notifications/")
    mine = Notification.objects.get(recipient=world.users["qiye1"])
    assert page.status_code == 200 and f"notification-{mine.pk}" in page.content.decode()
    assert 'data-testid="unread-count">1<' in page.content.decode()
    opened = client.post(f"/notifications/{mine.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/hazards/{late.pk}/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    others = Notification.objects.exclude(recipient=world.users["qiye1"]).first()
    assert others is not None
    assert client.post(f"/notifications/{others.pk}/").status_code == 404
    others.refresh_from_db()
    assert others.read_at is None
