"""Sign-in, sign-out and failures are audited; five failures lock the account for 15 minutes (pages and API);
API tokens authenticate programs and can be revoked."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.orgs.models import ApiToken
from tests.world import PASSWORD, World


def _login(client: Any, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def _events(code: EventCode) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=code).order_by("id"))


def test_login_and_logout_are_audited_with_ip(world: World, client: Any) -> None:
    response = _login(client, "anweiban", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    login = _events(EventCode.LOGIN)[-1]
    assert login.actor_username == "anweiban" and login.ip == "127.0.0.1"
    client.post(reverse("logout"))
    assert _events(EventCode.LOGOUT)[-1].actor_username == "anweiban"
    assert client.get("/").status_code == 302  # signed out: home asks to sign in again


def test_failed_login_is_audited_without_the_password(world: World, client: Any) -> None:
    response = _login(client, "anweiban", "wrong-password-1")
    assert response.status_code == 200
    assert "密码" in response.content.decode() or "password" in response.content.decode().lower()
    failed = _events(EventCode.LOGIN_FAILED)[-1]
    assert failed.actor_username == "anweiban" and failed.result == "failure"
    everything = json.dumps([failed.old, failed.new, failed.note, failed.target_repr])
    assert "wrong-password-1" not in everything


def test_five_failures_lock_the_account_even_for_the_right_password(world: World, client: Any) -> None:
    for _ in range(5):
        _login(client, "yingji", "wrong-password")
    assert _events(EventCode.LOCKED_OUT), "a lockout event is written"
    locked = _login(client, "yingji", PASSWORD)
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected (the lock is per account, not per address).
    assert _login(client, "zhujian", PASSWORD).status_code == 302


def test_lockout_applies_to_the_token_endpoint(world: World, client: Any) -> None:
    body = json.dumps({"username": "zhen1", "password": "nope"})
    statuses = [client.post("/api/v1/auth/token", body, content_type="application/json").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]  # the fifth failure locks the account
    good = json.dumps({"username": "zhen1", "password": PASSWORD})
    response = client.post("/api/v1/auth/token", good, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_token_issue_use_and_revoke(world: World, client: Any) -> None:
    response = client.post(
        "/api/v1/auth/token", json.dumps({"username": "qiye1", "password": PASSWORD}), content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=world.users["qiye1"])
    assert token not in (stored.key_hash, stored.prefix) and stored.prefix == token[:10]
    assert _events(EventCode.TOKEN_ISSUED)[-1].actor_username == "qiye1"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    me = client.get("/api/v1/me", **headers)
    assert me.status_code == 200 and me.json()["username"] == "qiye1"
    listed = client.get("/api/v1/enterprises", **headers).json()
    assert [item["name"] for item in listed["items"]] == ["江西鑫源化工有限公司"]
    assert client.delete("/api/v1/auth/token", **headers).status_code == 204
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ajt_forged").status_code == 401


def test_session_api_posts_need_the_csrf_token(world: World) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["anweiban"], backend="anjian.orgs.backends.ModelBackend")
    response = strict.post(
        f"/api/v1/enterprises/{world.enterprises['chem'].pk}/transitions",
        json.dumps({"action": "suspend", "note": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
