"""Users: membership matches the kind (in the database too), roles fit the membership, passwords follow the
等保 profile, sessions end after 12 hours, and administration changes are audited."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from anjian.core.events import EventCode
from anjian.core.middleware import SessionLifetimeMiddleware
from anjian.core.models import AuditEvent
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.models import User
from tests.world import World


def test_membership_must_match_kind(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        User(username="x", kind=UserKind.DEPARTMENT, role=UserRole.OFFICER).full_clean(exclude=["password"])
    assert "department" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        User(username="y", kind=UserKind.GRID, role=UserRole.PRINCIPAL, grid=world.grids["g1"]).full_clean(
            exclude=["password"]
        )
    assert "role" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="z", kind=UserKind.ENTERPRISE, role=UserRole.WORKER)


def test_only_the_system_administrator_is_superuser(world: World) -> None:
    assert world.users["admin"].is_superuser and world.users["admin"].is_staff
    assert not world.users["auditor"].is_superuser and not world.users["auditor"].is_staff
    assert not world.users["anweiban"].is_staff


@pytest.mark.parametrize("password", ["short1A", "alllowercaseletters", "12345678901", "NoDigitsHere"])
def test_weak_passwords_are_refused(db: Any, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_good_password_passes(db: Any) -> None:
    validate_password("Anquan-2026-ok")


def test_session_ends_after_twelve_hours(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    assert client.get("/").status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.LOGIN_KEY] = time.time() - 13 * 3600
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(event=EventCode.SESSION_EXPIRED, actor_username="anweiban").exists()


def test_admin_changes_are_audited(world: World, client_for: Any) -> None:
    client = client_for("admin")
    user = world.users["zhujian"]
    response = client.get(f"/admin/orgs/user/{user.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update({"name": "陈志刚", "phone": "13900000000", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"})
    data["department"] = user.department_id
    data.pop("last_login", None)
    response = client.post(f"/admin/orgs/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.filter(event=EventCode.USER_CHANGED).latest("id")
    new, old = event.new or {}, event.old or {}
    assert event.actor_username == "admin" and new["name"] == "陈志刚" and old["name"] == "zhujian"
    assert "password" not in new
