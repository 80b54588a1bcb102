"""The raw-SQL floors: each figure the bench measures, computed by hand-written SQL on ``connection.cursor()``.

A floor is the least work the database must do for the same answer — no ORM, no serialisation, no template.
The ratio app ÷ floor says how much the application adds. The scope of the user is applied by hand as well
(region prefix, industry remit and tags, grid, enterprise, reporter), so a floor never reads more rows than the
user may see. ``tests/bench`` checks that every floor answers what the application answers.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from anjian.core.audit import _CHAIN_LOCK_KEY
from anjian.core.choices import AuditResult
from anjian.core.events import EventCode
from anjian.core.models import GENESIS_HASH, AuditEvent
from anjian.core.scoping import Scope
from anjian.stats.hazards import end_of_day
from anjian.stats.inspections import start_of_day

OPEN = ("registered", "rectifying", "awaiting_acceptance")
DECIDED = ("decided", "executed", "closed")
LICENCE_PENALTIES = ("licence_withhold", "licence_revoke")


def scope_sql(scope: Scope, enterprise: str = "e", reporter: str | None = None) -> tuple[str, dict[str, Any]]:
    """The condition "the enterprise aliased ``enterprise`` is visible", as ``enterprise_q`` defines it; with
    ``reporter`` (the row's reporter column) also "an enterprise worker sees only what they reported"."""
    params: dict[str, Any]
    if scope.everything:
        sql, params = "TRUE", {}
    elif scope.enterprise_id:
        sql, params = f"{enterprise}.id = %(scope_enterprise)s", {"scope_enterprise": scope.enterprise_id}
    elif scope.grid_id:
        sql, params = f"{enterprise}.grid_id = %(scope_grid)s", {"scope_grid": scope.grid_id}
    elif scope.region_prefix:
        sql, params = f"{enterprise}.region_id LIKE %(scope_prefix)s", {"scope_prefix": scope.region_prefix + "%"}
        if scope.industry_ids is not None:
            remit = f"{enterprise}.industry_id = ANY(%(scope_industries)s)"
            params["scope_industries"] = sorted(scope.industry_ids)
            if scope.tag_ids:
                tagged = "SELECT enterprise_id FROM enterprises_enterprise_tags WHERE tag_id = ANY(%(scope_tags)s)"
                remit += f" OR {enterprise}.id IN ({tagged})"
                params["scope_tags"] = sorted(scope.tag_ids)
            sql += f" AND ({remit})"
    else:
        return "FALSE", {}
    if reporter and scope.reporter_id:
        sql += f" AND {reporter} = %(scope_reporter)s"
        params["scope_reporter"] = scope.reporter_id
    return sql, params


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_LIST_COLUMNS = """h.id, h.level, h.source, h.management_class, h.rectification_mode, h.description, h.location,
    h.found_on, h.deadline, h.status, h.closed_at, h.updated_at, h.finding_department_id,
    e.id, e.name, t.code, t.name"""


def open_by_deadline(scope: Scope, limit: int = 20) -> list[tuple[Any, ...]]:
    """The first page of open hazards in scope, soonest deadline first (the list rows' query)."""
    where, params = scope_sql(scope, reporter="h.found_by_id")
    sql = f"""
        SELECT {_LIST_COLUMNS}
        FROM hazards_hazard h
        JOIN enterprises_enterprise e ON e.id = h.enterprise_id
        JOIN hazards_hazardtype t ON t.id = h.hazard_type_id
        WHERE {where} AND h.status = ANY(%(open)s)
        ORDER BY h.deadline ASC
        LIMIT %(limit)s"""  # noqa: S608 - the fragments are ours, values are bound
    return _rows(sql, {**params, "open": list(OPEN), "limit": limit})


def hazard_by_id(scope: Scope, hazard_id: int) -> list[tuple[Any, ...]]:
    """One hazard with its enterprise, region, industry, type and finding department, if in scope."""
    where, params = scope_sql(scope, reporter="h.found_by_id")
    sql = f"""
        SELECT h.*, e.name, r.name, i.name, t.code, t.name, d.name
        FROM hazards_hazard h
        JOIN enterprises_enterprise e ON e.id = h.enterprise_id
        JOIN regions_region r ON r.code = e.region_id
        JOIN enterprises_industry i ON i.id = e.industry_id
        JOIN hazards_hazardtype t ON t.id = h.hazard_type_id
        LEFT JOIN orgs_department d ON d.id = h.finding_department_id
        WHERE h.id = %(hazard)s AND {where}"""  # noqa: S608 - the fragments are ours, values are bound
    return _rows(sql, {**params, "hazard": hazard_id})


@dataclass(frozen=True)
class Figures:
    """What the floor of a dashboard computes: the hazard figures and the enforcement figures of the period."""

    found: int
    rectified: int
    major_found: int
    major_rectified: int
    overdue_open: int
    visits: int
    enterprises_inspected: int
    enterprises_in_scope: int
    hazards_found_by_inspection: int
    documents_by_kind: dict[str, int]
    cases_decided: int
    illegal_acts: int
    violations: int
    suspended_enterprises: int
    licences_withheld_or_revoked: int
    closed_enterprises: int
    fines_yuan: Decimal
    criminal_persons: int


def figures_sql(scope: Scope, region_prefix: str, start: dt.date, end: dt.date) -> tuple[str, dict[str, Any]]:
    """One statement: the raw GROUP BYs over the ledger behind /stats/hazards and /stats/inspections."""
    seen, params = scope_sql(scope)
    seen_reported, reported_params = scope_sql(scope, reporter="h.found_by_id")
    visits_by, visit_params = scope_sql(scope, reporter="i.created_by_id")
    # Documents and cases: hidden from an enterprise's workers; drafts and filed cases never count anyway.
    enforcement = "FALSE" if scope.reporter_id else seen
    sql = f"""
    WITH hf AS (
        SELECT
            count(*) FILTER (WHERE h.found_on >= %(start)s) AS found,
            count(*) FILTER (WHERE h.found_on >= %(start)s AND h.status = 'closed' AND h.closed_at < %(boundary)s)
                AS rectified,
            count(*) FILTER (WHERE h.found_on >= %(start)s AND h.level = 'major') AS major_found,
            count(*) FILTER (WHERE h.found_on >= %(start)s AND h.level = 'major' AND h.status = 'closed'
                AND h.closed_at < %(boundary)s) AS major_rectified,
            count(*) FILTER (WHERE NOT (h.status = 'closed' AND h.closed_at < %(boundary)s)
                AND COALESCE((SELECT x.requested_deadline FROM hazards_hazardextension x
                              WHERE x.hazard_id = h.id AND x.status = 'approved' AND x.decided_at < %(boundary)s
                              ORDER BY x.decided_at DESC, x.id DESC LIMIT 1), h.original_deadline) < %(end)s)
                AS overdue_open
        FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
        WHERE {seen_reported} AND e.region_id LIKE %(region)s AND h.status <> 'voided' AND h.found_on <= %(end)s
    ), visits AS (
        SELECT i.id, i.enterprise_id
        FROM inspections_inspection i JOIN enterprises_enterprise e ON e.id = i.enterprise_id
        WHERE {visits_by} AND e.region_id LIKE %(region)s AND i.kind <> 'self'
            AND i.started_at >= %(first_instant)s AND i.started_at < %(boundary)s
    ), v AS (
        SELECT count(*) AS visits, count(DISTINCT enterprise_id) AS enterprises_inspected FROM visits
    ), s AS (
        SELECT count(*) AS enterprises_in_scope FROM enterprises_enterprise e
        WHERE {seen} AND e.region_id LIKE %(region)s
            AND (e.status <> 'closed' OR e.id IN (SELECT enterprise_id FROM visits))
    ), hi AS (
        SELECT count(*) AS hazards_found_by_inspection
        FROM hazards_hazard h
        JOIN inspections_inspection i ON i.id = h.inspection_id
        JOIN enterprises_enterprise e ON e.id = h.enterprise_id
        WHERE {seen_reported} AND e.region_id LIKE %(region)s AND i.kind <> 'self' AND h.status <> 'voided'
            AND h.found_on >= %(start)s AND h.found_on <= %(end)s
    ), d AS (
        SELECT COALESCE(jsonb_object_agg(kind, n), '{{}}'::jsonb) AS documents_by_kind FROM (
            SELECT doc.kind, count(*) AS n
            FROM inspections_enforcementdocument doc JOIN enterprises_enterprise e ON e.id = doc.enterprise_id
            WHERE {enforcement} AND e.region_id LIKE %(region)s AND doc.status <> 'draft'
                AND doc.issued_at >= %(first_instant)s AND doc.issued_at < %(boundary)s
            GROUP BY doc.kind
        ) k
    ), c AS (
        SELECT
            count(DISTINCT c.id) AS cases_decided,
            count(DISTINCT c.id) FILTER (WHERE c.violation_class = 'illegal') AS illegal_acts,
            count(DISTINCT c.id) FILTER (WHERE c.violation_class = 'irregular') AS violations,
            count(DISTINCT c.enterprise_id) FILTER (WHERE it.kind = 'suspension') AS suspended_enterprises,
            count(it.id) FILTER (WHERE it.kind = ANY(%(licence_kinds)s)) AS licences_withheld_or_revoked,
            count(DISTINCT c.enterprise_id) FILTER (WHERE it.kind = 'closure') AS closed_enterprises,
            COALESCE(sum(it.amount) FILTER (WHERE it.kind = 'fine'), 0) AS fines_yuan,
            COALESCE(sum(it.persons) FILTER (WHERE it.kind = 'judicial_referral'), 0) AS criminal_persons
        FROM inspections_penaltycase c
        JOIN enterprises_enterprise e ON e.id = c.enterprise_id
        LEFT JOIN inspections_penaltyitem it ON it.case_id = c.id
        WHERE {enforcement} AND e.region_id LIKE %(region)s AND c.stage = ANY(%(decided)s)
            AND c.decided_on >= %(start)s AND c.decided_on <= %(end)s
    )
    SELECT hf.*, v.*, s.*, hi.*, d.*, c.* FROM hf, v, s, hi, d, c"""  # noqa: S608 - the fragments are ours, values are bound
    bound = {
        **params,
        **reported_params,
        **visit_params,
        "start": start,
        "end": end,
        "first_instant": start_of_day(start),
        "boundary": end_of_day(end),
        "region": region_prefix + "%",
        "licence_kinds": list(LICENCE_PENALTIES),
        "decided": list(DECIDED),
    }
    return sql, bound


def figures(scope: Scope, region_prefix: str, start: dt.date, end: dt.date) -> Figures:
    """The dashboard's figures for what ``scope`` sees of the region with this code prefix, in [start, end]."""
    sql, bound = figures_sql(scope, region_prefix, start, end)
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        names = [column.name for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    documents = row["documents_by_kind"]  # Django has psycopg hand jsonb over as text
    row["documents_by_kind"] = json.loads(documents) if isinstance(documents, str) else dict(documents)
    row["fines_yuan"] = Decimal(row["fines_yuan"]).quantize(Decimal("0.01"))
    row["criminal_persons"] = int(row["criminal_persons"])
    return Figures(**row)


def export_rows(scope: Scope, found_from: dt.date | None) -> int:
    """Every row of the 三清单 export (hazards in scope found on or after ``found_from``, with what its columns
    show joined), fetched to the client; returns how many."""
    where, params = scope_sql(scope, reporter="h.found_by_id")
    since = "AND h.found_on >= %(found_from)s" if found_from else ""
    sql = f"""
        SELECT h.*, e.name, e.principal_name, e.principal_phone, r.name, r.level, pr.name, g.name, i.name,
            pi.name, t.name, d.name
        FROM hazards_hazard h
        JOIN enterprises_enterprise e ON e.id = h.enterprise_id
        JOIN regions_region r ON r.code = e.region_id
        LEFT JOIN regions_region pr ON pr.code = r.parent_id
        LEFT JOIN regions_grid g ON g.id = e.grid_id
        JOIN enterprises_industry i ON i.id = e.industry_id
        LEFT JOIN enterprises_industry pi ON pi.id = i.parent_id
        JOIN hazards_hazardtype t ON t.id = h.hazard_type_id
        LEFT JOIN orgs_department d ON d.id = h.finding_department_id
        WHERE {where} {since}
        ORDER BY e.region_id, e.name, h.found_on, h.id"""  # noqa: S608 - the fragments are ours, values are bound
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "found_from": found_from})
        while chunk := cursor.fetchmany(2000):
            count += len(chunk)
    return count


def _append_audit(cursor: Any, event: EventCode, actor: Any, hazard_id: int, repr_: str, **values: Any) -> None:
    """One audit row on the hash chain, as ``record_event`` appends it: lock the chain, read the last hash,
    insert. The hash is computed by the model's own canonical form, so ``audit_verify`` stays intact."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    cursor.execute("SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
    last = cursor.fetchone()
    row = AuditEvent(
        at=timezone.now(),
        event=int(event),
        result=AuditResult.SUCCESS,
        actor_id=actor.pk,
        actor_username=actor.username,
        request_id="",
        target_type="hazards.hazard",
        target_id=str(hazard_id),
        target_repr=repr_[:200],
        old=values.get("old"),
        new=values.get("new"),
        note=values.get("note", ""),
        prev_hash=last[0] if last else GENESIS_HASH,
    )
    cursor.execute(
        """INSERT INTO core_auditevent (at, event, result, actor_id, actor_username, ip, request_id, target_type,
            target_id, target_repr, old, new, note, prev_hash, hash)
        VALUES (%s, %s, %s, %s, %s, NULL, '', %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s)""",
        [
            row.at,
            row.event,
            row.result,
            row.actor_id,
            row.actor_username,
            row.target_type,
            row.target_id,
            row.target_repr,
            _json(row.old),
            _json(row.new),
            row.note,
            row.prev_hash,
            row.compute_hash(),
        ],
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def insert_hazard(actor: Any, enterprise_id: int, hazard_type_id: int, description: str) -> int:
    """One transaction: the hazard row, its "register" transition row and its audit row (``do_register_hazard``'s
    writes). The row bypasses ``Hazard.save``, so it must be voided by ``void_hazard`` (also raw) to leave the
    rollups (``stats.tally``) exact: a voided hazard counts nowhere."""
    now = timezone.now()
    today = timezone.localdate()
    deadline = today + dt.timedelta(days=30)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO hazards_hazard (created_at, updated_at, level, source, management_class,
                rectification_mode, description, location, cause, found_on, finder_name, measures,
                responsible_person, responsible_phone, funds, deadline, original_deadline, contingency_plan,
                rectification, status, closed_at, enterprise_id, finding_department_id, found_by_id,
                hazard_type_id, clause_id, inspection_id)
            VALUES (%s, %s, 'general', 'government_inspection', 'thing', 'deadline', %s, '', '', %s, %s, '', '',
                '', NULL, %s, %s, '', '', 'registered', NULL, %s, %s, %s, %s, NULL, NULL)
            RETURNING id""",
            [
                now,
                now,
                description,
                today,
                actor.username,
                deadline,
                deadline,
                enterprise_id,
                actor.department_id,
                actor.pk,
                hazard_type_id,
            ],
        )
        hazard_id = int(cursor.fetchone()[0])
        cursor.execute(
            """INSERT INTO hazards_hazardtransition (action, from_status, to_status, actor_name, at, note, data,
                actor_id, hazard_id)
            VALUES ('register', '', 'registered', %s, %s, '', '{"immediate": false}'::jsonb, %s, %s)""",
            [actor.username, now, actor.pk, hazard_id],
        )
        new = {
            "status": "registered",
            "enterprise": enterprise_id,
            "description": description,
            "found_on": today.isoformat(),
            "deadline": deadline.isoformat(),
        }
        _append_audit(cursor, EventCode.HAZARD_REGISTERED, actor, hazard_id, description, new=new)
    return hazard_id


def void_hazard(actor: Any, hazard_id: int, reason: str) -> int:
    """One transaction: the status update, the "void" transition row and its audit row (``do_void_hazard``'s
    writes); returns the number of hazards updated (0 when it was no longer open)."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """UPDATE hazards_hazard SET status = 'voided', updated_at = %s
            WHERE id = %s AND status = ANY(%s) RETURNING status""",
            [now, hazard_id, list(OPEN)],
        )
        if cursor.fetchone() is None:
            return 0
        cursor.execute(
            """INSERT INTO hazards_hazardtransition (action, from_status, to_status, actor_name, at, note, data,
                actor_id, hazard_id)
            VALUES ('void', 'registered', 'voided', %s, %s, %s, '{}'::jsonb, %s, %s)""",
            [actor.username, now, reason, actor.pk, hazard_id],
        )
        _append_audit(
            cursor,
            EventCode.HAZARD_VOIDED,
            actor,
            hazard_id,
            str(hazard_id),
            old={"status": "registered"},
            new={"status": "voided"},
            note=reason,
        )
    return 1
