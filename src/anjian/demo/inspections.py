"""A year of the demo county's supervision and enforcement (监管执法), written through the inspection and
enforcement actions in the order it happened, so that numbers run with the dates.

The 应急管理局 and the 住建局 inspect the enterprises of their remit, each visit by two officers with enforcement
certificates, inside four campaigns (岁末年初大检查, 打非治违, 国庆重点时段, 粉尘涉爆专项整治) or on their annual
plans. About a third of the visits find something: the findings become hazards, the 现场检查记录 and the
责令限期整改指令书 are issued and served, the enterprise rectifies and the department reinspects (a few orders are
not complied with, which files a case); two find a major hazard (现场处理措施, 挂牌督办). About thirty visits lead
to penalty cases — most closed, the latest still moving through the stages — with fines, suspensions, licence
penalties, closures and one referral to the police.
Enterprises also inspect themselves. Documents are issued unrendered: their files are written on first download.

Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime as dt
import heapq
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Sum
from django.utils import timezone
from PIL import Image

from anjian.core.scoping import Scope
from anjian.demo.inspections_data import (
    CASES,
    CLOSE,
    CONTINGENCIES,
    DUST_NOTES,
    FEATURED,
    GOVERNANCE,
    ILLEGAL,
    IRREGULAR,
    ITEM_NOTES,
    MEASURES,
    RECENT_CASES,
    REFER,
    REPORT,
    REVOKE,
    SITE_NOTES,
    STAGE_ORDER,
    SUSPEND,
    WITHHOLD,
    CaseSpec,
)
from anjian.enterprises import actions as enterprise_actions
from anjian.enterprises.choices import EnterpriseStatus, LicenceKind, LicenceStatus
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag
from anjian.hazards import actions as hazard_actions
from anjian.hazards import major as major_actions
from anjian.hazards.choices import EvaluationKind, HazardLevel, PhotoStage, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.inspections import actions, enforcement
from anjian.inspections.choices import (
    CampaignKind,
    DocumentKind,
    InspectionKind,
    ItemResult,
    PenaltyKind,
    PenaltyStage,
    ReinspectionResult,
    ReinspectionStatus,
    ViolationClass,
)
from anjian.inspections.models import (
    Campaign,
    Checklist,
    ChecklistItem,
    EnforcementDocument,
    Inspection,
    InspectionPlan,
    PenaltyCase,
    PenaltyItem,
    Reinspection,
)
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.models import Department, User
from anjian.utilities.progress import Progress


class _Timeline:
    """Events in the order they happened; an event due today or later has not happened yet and is dropped."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._queue: list[tuple[dt.datetime, int, Callable[[dt.datetime], object]]] = []
        self._seq = 0

    def add(self, when: dt.datetime, event: Callable[[dt.datetime], object]) -> bool:
        if timezone.localdate(when) >= self.today:
            return False
        heapq.heappush(self._queue, (when, self._seq, event))
        self._seq += 1
        return True

    def run(self) -> None:
        while self._queue:
            when, _seq, event = heapq.heappop(self._queue)
            event(when)


# --- planning the year ------------------------------------------------------------------------------------------


@dataclass
class Visit:
    """One inspection to make, and what follows from it."""

    day: dt.date
    department: str  # short name; "" for the enterprise's self-inspection
    enterprise: Enterprise
    kind: str
    campaign: Campaign | None = None
    checklist: Checklist | None = None
    failures: int = 0
    case: CaseSpec | None = None
    case_filed: dt.date | None = None
    case_stop: PenaltyStage = PenaltyStage.CLOSED
    major: str = ""  # "dust" or "chemicals": a 判定标准 clause fails
    outcome: str = ReinspectionResult.RECTIFIED
    withdraw: bool = False  # the case a failed reinspection files is withdrawn (不予处罚)
    deadline_days: int = 20
    reinspect_after: int = 3  # days after the deadline
    timed: bool = False  # deadline and reinspection set where the visit is planned
    full: bool = False  # every checklist item recorded
    joint: list[Department] = field(default_factory=list)

    @property
    def deadline(self) -> dt.date:
        return self.day + dt.timedelta(days=self.deadline_days)

    @property
    def reinspected(self) -> dt.date:
        return _workday(self.deadline + dt.timedelta(days=self.reinspect_after), forward=True)


def _workday(day: dt.date, *, forward: bool = False) -> dt.date:
    step = dt.timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return day


def _category(enterprise: Enterprise) -> str:
    return enterprise.industry.parent.code if enterprise.industry.parent else enterprise.industry.code


def _fits(enterprise: Enterprise, codes: Sequence[str]) -> bool:
    return enterprise.industry.code in codes or _category(enterprise) in codes


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 72), (40, 120, 70)).save(buffer, format="JPEG", quality=60)
    return buffer.getvalue()


@dataclass
class Period:
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _periods(today: dt.date) -> dict[str, Period]:
    """The campaigns' periods in the year before ``today``: the latest 岁末年初 (Dec–Feb) and 国庆 drives, an
    打非治违 action from eight months ago to the end of this month, and a three-month dust campaign."""

    def months_back(n: int) -> dt.date:
        index = today.year * 12 + today.month - 1 - n
        return dt.date(index // 12, index % 12 + 1, 1)

    winter = dt.date(today.year if today >= dt.date(today.year, 12, 15) else today.year - 1, 12, 1)
    national = dt.date(today.year if today > dt.date(today.year, 10, 1) else today.year - 1, 9, 25)
    crackdown = months_back(8)
    dust = months_back(7)
    return {
        "winter": Period(winter, dt.date(winter.year + 1, 3, 1) - dt.timedelta(days=1)),
        "national": Period(national, dt.date(national.year, 10, 10)),
        "crackdown": Period(crackdown, months_back(-1) - dt.timedelta(days=1)),
        "dust": Period(dust, months_back(4) - dt.timedelta(days=1)),
    }


# --- the year ---------------------------------------------------------------------------------------------------


class _Year:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        from anjian.demo.registry import person

        self.rng = rng
        self.today = today
        self.first = today - dt.timedelta(days=364)
        self.timeline = _Timeline(today)
        self.photo = _jpeg()
        self.counts: dict[str, int] = {}
        short = {d.short_name: d for d in Department.objects.select_related("region").order_by("pk")}
        self.departments = short
        self.office = Department.objects.select_related("region").get(short_name="县安委办")
        self.anweiban = User.objects.get(username="anweiban")
        self.teams = {
            "应急局": self._team(short["应急局"], User.objects.get(username="yingji"), 2),
            "住建局": self._team(short["住建局"], User.objects.get(username="zhujian"), 1),
        }
        featured = Enterprise.objects.get(name=FEATURED)
        self.featured = featured
        self.remit: dict[str, list[Enterprise]] = {
            name: list(
                Enterprise.objects.filter(Enterprise.scope_q(Scope.of_department(short[name])))
                .select_related("industry__parent")
                .prefetch_related("tags")
                .order_by("pk")
            )
            for name in self.teams
        }
        self.status = dict(Enterprise.objects.values_list("pk", "status"))
        self.managers = {
            u.enterprise_id: u
            for u in User.objects.filter(kind=UserKind.ENTERPRISE, role=UserRole.SAFETY_OFFICER).order_by("-username")
        }
        self.managers[featured.pk] = User.objects.get(username="qiye1")
        for enterprises in self.remit.values():
            for enterprise in enterprises:
                if enterprise.pk not in self.managers:  # the hazards step made them; a bare registry has none
                    user = User(
                        username=f"ent-{enterprise.pk}",
                        name=enterprise.safety_officer_name or person(rng),
                        kind=UserKind.ENTERPRISE,
                        role=UserRole.SAFETY_OFFICER,
                        enterprise=enterprise,
                    )
                    user.set_unusable_password()
                    user.save()
                    self.managers[enterprise.pk] = user
        self.checklists: dict[int, Checklist | None] = {}
        self.items: dict[int, list[ChecklistItem]] = {}
        self.periods = _periods(today)
        self.campaigns: dict[str, Campaign] = {}
        self.plans: dict[tuple[str, int], InspectionPlan] = {}
        self.targets: dict[int, tuple[set[int], set[int]]] = {}  # plan → (all targets, drawn)
        self.used: set[int] = {featured.pk}  # enterprises of the cases, one case each
        self.closing: set[int] = set()  # closed down by their case: no routine visits planned

    # -- people

    def _team(self, department: Department, persona: User, extra: int) -> list[User]:
        """The department's certified officers: its persona and ``extra`` colleagues (created here: the registry
        gives each department one certified officer, and a law-enforcement visit needs two)."""
        from anjian.demo.registry import _staff

        prefix = persona.enforcement_certificate_no[:-4] or "赣执0431"
        team = [persona]
        for index in range(2, 2 + extra):
            username = f"staff-{department.pk}-{index}"
            user = User.objects.filter(username=username).first() or _staff(
                self.rng,
                username,
                department=department,
                kind=UserKind.DEPARTMENT,
                role=UserRole.INSPECTOR,
                enforcement_certificate_no=f"{prefix}{self.rng.randint(1000, 9999)}",
            )
            team.append(user)
        return team

    def pair(self, department: str) -> list[User]:
        """Two certified officers of the department; the first leads (starts, completes, signs)."""
        team = self.teams[department]
        if len(team) == 2:
            return list(team)
        return self.rng.choice([[team[0], team[1]], [team[0], team[2]], [team[1], team[2]]])

    def moment(self, day: dt.date, hour: int, minute: int | None = None) -> dt.datetime:
        minute = self.rng.randrange(60) if minute is None else minute
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def bump(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # -- campaigns and plans

    def seed_campaigns(self) -> None:
        from anjian.regions.models import Region

        county = self.office.region
        towns = list(Region.objects.filter(parent=county).order_by("code"))
        p, d = self.periods, self.departments
        yingji, zhujian = self.teams["应急局"][0], self.teams["住建局"][0]
        winter = p["winter"]
        self.campaigns["winter"] = actions.do_create_campaign(
            data={
                "kind": CampaignKind.INSPECTION_DRIVE,
                "title": f"{winter.start.year}—{winter.end.year}年岁末年初安全生产大检查",
                "region": county,
                "start": winter.start,
                "end": winter.end,
                "description": "县安委会统一部署，各成员单位按照“三管三必须”要求，对重点行业领域企业开展全覆盖"
                "检查；组成三个督查组对各乡镇（街道）开展督导检查。",
            },
            actor=self.anweiban,
            member_departments=[d[name] for name in ("应急局", "住建局", "消防大队", "市场监管局", "交通局", "教体局")],
        )
        fire = User.objects.filter(department=d["消防大队"], role=UserRole.INSPECTOR).order_by("username").first()
        leaders = [(yingji, self.teams["应急局"][1:2]), (zhujian, self.teams["住建局"][1:2])]
        if fire is not None:
            leaders.append((fire, []))
        for n, (leader, members) in enumerate(leaders):
            actions.do_add_inspection_group(
                self.campaigns["winter"],
                name=f"第{'一二三'[n]}督查组",
                leader=leader,
                members=members,
                towns=towns[n :: len(leaders)],
                actor=self.anweiban,
            )
        crackdown = p["crackdown"]
        self.campaigns["crackdown"] = actions.do_create_campaign(
            data={
                "kind": CampaignKind.CRACKDOWN,
                "title": f"{crackdown.start.year}年安全生产“打非治违”专项行动",
                "region": county,
                "start": crackdown.start,
                "end": crackdown.end,
                "description": "严厉打击无证生产经营、超许可范围生产经营、安全设施“三同时”不落实、违法分包转包等"
                "非法违法行为，集中治理违章指挥、违章作业、违反劳动纪律行为；采取“四不两直”暗查暗访。",
            },
            actor=yingji,
            member_departments=[d[name] for name in ("住建局", "公安分局", "市场监管局", "消防大队", "交通局")],
        )
        national = p["national"]
        self.campaigns["national"] = actions.do_create_campaign(
            data={
                "kind": CampaignKind.KEY_PERIOD,
                "title": f"{national.start.year}年国庆节期间安全生产重点时段检查",
                "region": county,
                "start": national.start,
                "end": national.end,
                "description": "节前对危险化学品、烟花爆竹、燃气等重点行业开展检查，严格落实领导带班和24小时值班制度。",
            },
            actor=yingji,
            member_departments=[d["住建局"], d["消防大队"]],
            industries=list(Industry.objects.filter(code__in=["01", "02", "06"]).order_by("code")),
        )
        dust = p["dust"]
        self.campaigns["dust"] = actions.do_create_campaign(
            data={
                "kind": CampaignKind.SPECIAL,
                "title": f"{dust.start.year}年工贸行业粉尘涉爆企业专项整治",
                "region": county,
                "start": dust.start,
                "end": dust.end,
                "description": "对照《工贸企业重大事故隐患判定标准》第十二条，逐企检查除尘系统、泄爆装置、"
                "粉尘清扫制度，重大事故隐患一律挂牌督办、停产整改。",
            },
            actor=yingji,
            member_departments=[d["工信局"]],
            tags=list(Tag.objects.filter(code="dust_explosion")),
        )
        self.bump("campaigns", len(self.campaigns))

    def seed_plans(self) -> None:
        for name, years in (("应急局", (self.today.year - 1, self.today.year)), ("住建局", (self.today.year,))):
            department = self.departments[name]
            for year in years:
                plan = actions.do_create_plan(
                    year=year,
                    title=f"{department.name}{year}年度安全生产监督检查计划",
                    actor=self.teams[name][0],
                    seed=year * 10000 + 431 * department.pk,
                )
                self.plans[(name, year)] = plan
                rows = list(plan.targets.values_list("enterprise_id", "drawn"))
                self.targets[plan.pk] = ({pk for pk, _d in rows}, {pk for pk, drawn in rows if drawn})
        self.bump("plans", len(self.plans))

    def checklist(self, enterprise: Enterprise) -> Checklist | None:
        if enterprise.industry_id not in self.checklists:
            self.checklists[enterprise.industry_id] = actions.default_checklist(enterprise)
        return self.checklists[enterprise.industry_id]

    def checklist_items(self, checklist: Checklist | None) -> list[ChecklistItem]:
        if checklist is None:
            return []
        if checklist.pk not in self.items:
            self.items[checklist.pk] = list(checklist.items.select_related("clause__standard").order_by("sort_order"))
        return self.items[checklist.pk]

    # -- planning the visits

    def _pick(
        self,
        department: str,
        *,
        codes: Sequence[str] = (),
        tag: str = "",
        exclude: set[int],
        day: dt.date | None = None,
    ) -> Enterprise:
        """An operating enterprise of the department's remit: key ones three times as often as the others, and
        (given the ``day``) those the year's plan drew at random six times."""
        plan = self.plans.get((department, day.year)) if day is not None else None
        drawn = self.targets[plan.pk][1] if plan is not None else set()
        pool = [
            e
            for e in self.remit[department]
            if self.status[e.pk] == EnterpriseStatus.OPERATING
            and e.pk not in exclude
            and (not codes or _fits(e, codes))
            and (not tag or any(t.code == tag for t in e.tags.all()))
        ]
        weights = [6 if e.pk in drawn else 3 if actions.is_key_enterprise(e) else 1 for e in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def _day(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A working day in [lo, hi] within the year before today (a weekend day if the span has no other)."""
        lo, hi = max(lo, self.first), min(hi, self.today - dt.timedelta(days=1))
        lo = min(lo, hi)
        day = lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))
        for shifted in (_workday(day), _workday(day, forward=True)):
            if lo <= shifted <= hi:
                return shifted
        return day

    def _place(self, visit: Visit) -> Visit:
        """Link the visit to the campaign or plan it belongs to, and say what kind of inspection it is."""
        p, day, enterprise = self.periods, visit.day, visit.enterprise
        if visit.campaign is None and visit.department:
            if day in p["winter"]:
                visit.campaign = self.campaigns["winter"]
                if visit.department == "应急局" and self.rng.random() < 0.3:
                    visit.kind = InspectionKind.JOINT
                    visit.joint = [self.departments[self.rng.choice(["消防大队", "市场监管局", "工信局"])]]
            elif day in p["crackdown"] and (visit.case is not None or self.rng.random() < 0.3):
                visit.campaign = self.campaigns["crackdown"]
                visit.kind = InspectionKind.UNANNOUNCED
        plan = self.plans.get((visit.department, day.year))
        if plan is not None and visit.kind == InspectionKind.ROUTINE and visit.campaign is None:
            targets, drawn = self.targets[plan.pk]
            if enterprise.pk in drawn:
                visit.kind = InspectionKind.RANDOM
            elif enterprise.pk not in targets and self.rng.random() < 0.4:
                visit.kind = InspectionKind.UNANNOUNCED
        return visit

    def plan_visits(self) -> list[Visit]:
        rng, today, p = self.rng, self.today, self.periods
        visits: list[Visit] = []
        # Penalty cases, one enterprise each: the latest still on their way, the others closed.
        chosen: list[tuple[CaseSpec, Enterprise]] = []
        for spec in CASES:
            candidates = [
                e
                for e in self.remit[spec.department]
                if self.status[e.pk] == EnterpriseStatus.OPERATING
                and e.pk not in self.used
                and _fits(e, spec.industries)
                and (not spec.tag or any(t.code == spec.tag for t in e.tags.all()))
                and (spec.licence is None or self._licence(e, spec.licence) is not None)
            ]
            if not candidates:
                continue
            if CLOSE in spec.penalties:  # the small ones are closed down
                candidates = sorted(candidates, key=lambda e: (e.employee_count or 0, e.pk))[:4]
            enterprise = rng.choice(candidates)
            self.used.add(enterprise.pk)
            if CLOSE in spec.penalties:
                self.closing.add(enterprise.pk)
            chosen.append((spec, enterprise))
        rng.shuffle(chosen)
        simple = [pair for pair in chosen if not {CLOSE, REFER, WITHHOLD, REVOKE} & set(pair[0].penalties)]
        recent = {id(pair): stage for pair, stage in zip(simple, RECENT_CASES, strict=False)}
        for pair in chosen:
            spec, enterprise = pair
            if id(pair) in recent:
                ago, stop = recent[id(pair)]
                filed = _workday(today - dt.timedelta(days=ago))
            else:
                filed = self._day(today - dt.timedelta(days=335), today - dt.timedelta(days=75))
                stop = PenaltyStage.CLOSED
            day = _workday(filed - dt.timedelta(days=rng.choice([0, 0, 1, 2, 3])))
            visits.append(
                Visit(
                    day,
                    spec.department,
                    enterprise,
                    InspectionKind.ROUTINE,
                    failures=1 + (rng.random() < 0.3),
                    case=spec,
                    case_filed=filed,
                    case_stop=stop,
                    deadline_days=rng.choice([15, 20, 30]),
                    reinspect_after=rng.randrange(1, 7),
                )
            )
        # Two major hazards: one in the dust campaign (written off), one five weeks ago (under governance).
        dusty = self._pick("应急局", codes=("04",), tag="dust_explosion", exclude=self.used)
        self.used.add(dusty.pk)
        dust_day = self._day(p["dust"].start + dt.timedelta(days=14), p["dust"].start + dt.timedelta(days=28))
        visits.append(
            Visit(
                dust_day,
                "应急局",
                dusty,
                InspectionKind.ROUTINE,
                campaign=self.campaigns["dust"],
                checklist=Checklist.objects.get(code="gm-dust"),
                failures=1,
                major="dust",
                case_filed=dust_day + dt.timedelta(days=3),
                deadline_days=30,
                timed=True,
            )
        )
        chemicals = self._pick("应急局", codes=("0101",), exclude=self.used)
        self.used.add(chemicals.pk)
        visits.append(
            Visit(
                _workday(today - dt.timedelta(days=35)),
                "应急局",
                chemicals,
                InspectionKind.UNANNOUNCED,
                failures=1,
                major="chemicals",
                case_filed=_workday(today - dt.timedelta(days=30)),
                case_stop=PenaltyStage.NOTIFIED,
                deadline_days=20,
                timed=True,
            )
        )
        # The dust campaign and the national-day drive.
        for _ in range(7):
            enterprise = self._pick("应急局", codes=("04",), tag="dust_explosion", exclude={dusty.pk, *self.closing})
            visits.append(
                Visit(
                    self._day(p["dust"].start, p["dust"].end),
                    "应急局",
                    enterprise,
                    rng.choice([InspectionKind.ROUTINE, InspectionKind.UNANNOUNCED]),
                    campaign=self.campaigns["dust"],
                    checklist=Checklist.objects.get(code="gm-dust"),
                    failures=rng.choice([0, 0, 1]),
                )
            )
        for department, codes, n in (("应急局", ("01", "02"), 7), ("住建局", ("06",), 3)):
            for _ in range(n):
                visits.append(
                    Visit(
                        self._day(p["national"].start, p["national"].end - dt.timedelta(days=3)),
                        department,
                        self._pick(department, codes=codes, exclude={self.featured.pk, *self.closing}),
                        InspectionKind.KEY_PERIOD,
                        campaign=self.campaigns["national"],
                        failures=int(rng.random() < 0.2),
                    )
                )
        # The winter drive and the year's routine work: at least one visit in every 30 days.
        windows = [(today - dt.timedelta(days=30 * (k + 1)), today - dt.timedelta(days=30 * k + 1)) for k in range(12)]
        days = [self._day(lo, hi) for lo, hi in windows]
        days += [self._day(p["winter"].start, p["winter"].end) for _ in range(24)]
        days += [self._day(self.first, today) for _ in range(69)]
        for n, day in enumerate(days):
            department = "住建局" if n % 6 == 5 else "应急局"
            visits.append(
                Visit(
                    day,
                    department,
                    self._pick(department, exclude={self.featured.pk, *self.closing}, day=day),
                    InspectionKind.ROUTINE,
                    failures=rng.choice([1, 1, 1, 2, 2, 3]) if rng.random() < 0.16 else 0,
                )
            )
        for due_in in (2, 6):  # orders whose reinspection falls due in the coming days (hazards awaiting it)
            day = _workday(today + dt.timedelta(days=due_in - settings.REINSPECTION_DAYS - 15))
            visits.append(
                Visit(
                    day,
                    "应急局",
                    self._pick("应急局", exclude={self.featured.pk, *self.closing}, day=day),
                    InspectionKind.ROUTINE,
                    failures=1,
                    deadline_days=15,
                    reinspect_after=settings.REINSPECTION_DAYS + 3,
                    timed=True,
                )
            )
        visits.append(  # the featured enterprise: a clean routine visit on the plan
            Visit(_workday(today - dt.timedelta(days=70)), "应急局", self.featured, InspectionKind.ROUTINE)
        )
        for visit in visits:
            self._place(visit)
            if visit.failures and not visit.case and not visit.timed:
                visit.deadline_days = rng.choice([15, 20, 20, 30])
                visit.reinspect_after = rng.randrange(1, 8)
        self._unrectified(visits)
        # Enterprises inspect themselves; the featured one a week ago.
        managed = [
            e
            for e in self.remit["应急局"] + self.remit["住建局"]
            if e.pk != self.featured.pk and e.pk not in self.closing
        ]
        for _ in range(8):
            enterprise = rng.choice(managed)
            visits.append(
                Visit(
                    self._day(self.first, today),
                    "",
                    enterprise,
                    InspectionKind.SELF,
                    failures=int(rng.random() < 0.1),
                    deadline_days=7,
                )
            )
        visits.append(Visit(_workday(today - dt.timedelta(days=6)), "", self.featured, InspectionKind.SELF, full=True))
        return visits

    def _unrectified(self, visits: list[Visit]) -> None:
        """A few orders not complied with by the reinspection: two lately (their cases just filed), one half a
        year ago (rectified soon after; the case withdrawn without penalty)."""
        plain = sorted(
            (v for v in visits if v.failures and not v.case and not v.major and v.department),
            key=lambda v: (v.reinspected, v.enterprise.pk),
        )
        late = [v for v in plain if self.today - dt.timedelta(days=25) <= v.reinspected < self.today]
        for visit in late[-2:]:
            visit.outcome = ReinspectionResult.NOT_RECTIFIED
        earlier = [v for v in plain if v.reinspected < self.today - dt.timedelta(days=90)]
        if earlier:
            target = self.today - dt.timedelta(days=180)
            visit = min(earlier, key=lambda v: (abs((v.reinspected - target).days), v.enterprise.pk))
            visit.outcome, visit.withdraw = ReinspectionResult.NOT_RECTIFIED, True

    def _licence(self, enterprise: Enterprise, kind: LicenceKind) -> Licence | None:
        return (
            Licence.objects.filter(
                enterprise=enterprise, kind=kind, status=LicenceStatus.VALID, valid_until__gt=self.today
            )
            .order_by("pk")
            .first()
        )

    # -- replaying the visits

    def schedule(self, visits: list[Visit], tick: Callable[[int], None]) -> None:
        for visit in visits:
            hour = self.rng.choice([8, 9, 9, 10, 14, 15])

            def event(when: dt.datetime, visit: Visit = visit) -> None:
                self.inspect(visit, when)
                tick(1)

            self.timeline.add(self.moment(visit.day, hour), event)

    def inspect(self, visit: Visit, when: dt.datetime) -> None:
        enterprise = visit.enterprise
        if self.status[enterprise.pk] == EnterpriseStatus.CLOSED:
            return
        government = bool(visit.department)
        team = self.pair(visit.department) if government else [self.managers[enterprise.pk]]
        lead = team[0]
        plan = self.plans.get((visit.department, visit.day.year)) if government else None
        if plan is not None and enterprise.pk not in self.targets[plan.pk][0]:
            plan = None
        checklist = visit.checklist or self.checklist(enterprise)
        inspection = actions.do_start_inspection(
            enterprise,
            kind=visit.kind,
            actor=lead,
            officers=team[1:],
            joint_departments=visit.joint,
            campaign=visit.campaign,
            plan=plan,
            checklist=checklist,
            latitude=enterprise.latitude,
            longitude=enterprise.longitude,
            at=when,
        )
        self.bump("inspections" if government else "self_inspections")
        items = self.checklist_items(checklist)
        findings = self._findings(visit, items)
        failing = {id(item) for item, _text, _note, _level in findings if item is not None}
        clock = when
        for item, text, note, level in findings:
            clock += dt.timedelta(minutes=self.rng.randrange(6, 15))
            actions.do_record_result(
                inspection, actor=lead, result=ItemResult.FAIL, item=item, text=text, note=note, level=level, at=clock
            )
        passing = [i for i in items if id(i) not in failing]
        if not visit.full:
            passing = self.rng.sample(passing, min(len(passing), 2 if government else 3))
        for item in passing:
            clock += dt.timedelta(minutes=self.rng.randrange(3, 8))
            actions.do_record_result(inspection, actor=lead, result=ItemResult.PASS, item=item, at=clock)
        done = clock + dt.timedelta(minutes=self.rng.randrange(20, 50))
        refused = visit.case is not None and visit.case.violation == ILLEGAL and self.rng.random() < 0.15
        signer = "" if refused else (enterprise.principal_name or enterprise.safety_officer_name or "负责人")
        if findings:
            summary = f"检查发现问题{len(findings)}项，详见检查记录。"
            handling = "现场责令限期整改，到期复查。"
            if visit.case or visit.major:
                handling = "现场责令限期整改，到期复查；涉嫌违法行为依法立案查处。"
        else:
            summary = "现场检查未发现明显问题。"
            handling = "督促企业落实全员安全生产责任制，持续开展隐患排查治理。"
        inspection = actions.do_complete_inspection(
            inspection,
            actor=lead,
            summary=summary if government else "",
            handling=handling if government else "",
            enterprise_signer=signer,
            signature_refused=refused,
            deadline=visit.deadline if findings else None,
            at=done,
        )
        if not findings:
            return
        hazards = list(Hazard.objects.filter(inspection=inspection).order_by("pk"))
        self.bump("hazards", len(hazards))
        if not government:
            self.rectify(visit, hazards, lead, accept_by=lead)
            return
        self.paperwork(visit, inspection, hazards, team, done)

    def _findings(self, visit: Visit, items: list[ChecklistItem]) -> list[tuple[ChecklistItem | None, str, str, str]]:
        """(item, what was checked, what was found, level) of the failures: the case's or the major's first."""
        rng = self.rng
        found: list[tuple[ChecklistItem | None, str, str, str]] = []
        if visit.case is not None:
            found.append((None, "许可及安全生产条件", visit.case.finding, HazardLevel.GENERAL))
        if visit.major == "dust":
            item = next(i for i in items if i.clause is not None and i.clause.number == "第十二条（三）")
            found.append((item, "", "抛光车间干式除尘器未设置泄爆装置，未采取惰化、抑爆等任一种爆炸防控措施", ""))
        elif visit.major == "chemicals":
            item = next(i for i in items if i.clause is not None and i.clause.number == "第十二条")
            found.append((item, "", "合成工段爆炸危险区域内使用非防爆电气设备，可燃气体泄漏检测报警装置未投用", ""))
        wanted = visit.failures - (1 if visit.case is not None else 0)
        if wanted <= 0:
            return found
        choices: list[tuple[ChecklistItem | None, str, str, str]] = []
        for item in items:
            if item.clause is not None and item.clause.proposes_major:
                continue
            for note in ITEM_NOTES.get(item.text, []):
                choices.append((item, "", note, ""))
        if visit.checklist is not None and visit.checklist.code == "gm-dust":
            choices += [(None, text, note, HazardLevel.GENERAL) for text, note in DUST_NOTES]
        choices += [
            (None, text, note, HazardLevel.GENERAL) for text, note in SITE_NOTES.get(_category(visit.enterprise), [])
        ]
        rng.shuffle(choices)
        taken: set[int] = set()
        for choice in choices:
            if len(found) >= visit.failures + (1 if visit.major else 0):
                break
            if choice[0] is not None:
                if id(choice[0]) in taken:
                    continue
                taken.add(id(choice[0]))
            found.append(choice)
        return found

    # -- documents, rectification, reinspection

    def issue(
        self,
        kind: DocumentKind,
        when: dt.datetime,
        lead: User,
        enterprise: Enterprise,
        *,
        serve: bool = True,
        **extra: Any,
    ) -> EnforcementDocument:
        document = enforcement.do_draft_document(
            kind, enterprise=enterprise, actor=lead, today=timezone.localdate(when), **extra
        )
        document = enforcement.do_issue_document(document, actor=lead, at=when, render=False)
        if serve:
            document = self.serve(document, when, lead, enterprise)
        return document

    def serve(self, document: EnforcementDocument, when: dt.datetime, lead: User, enterprise: Enterprise) -> Any:
        return enforcement.do_serve_document(
            document,
            served_on=timezone.localdate(when),
            received_by=enterprise.principal_name or enterprise.safety_officer_name or "",
            note="" if enterprise.principal_name or enterprise.safety_officer_name else "留置送达",
            actor=lead,
        )

    def paperwork(
        self, visit: Visit, inspection: Inspection, hazards: list[Hazard], team: list[User], done: dt.datetime
    ) -> None:
        lead, enterprise = team[0], visit.enterprise
        at = done + dt.timedelta(minutes=10)
        self.issue(DocumentKind.SITE_RECORD, at, lead, enterprise, inspection=inspection)
        general = [h for h in hazards if h.level != HazardLevel.MAJOR]
        majors = [h for h in hazards if h.level == HazardLevel.MAJOR]
        if majors:
            self.issue(
                DocumentKind.SITE_MEASURES,
                at,
                lead,
                enterprise,
                inspection=inspection,
                measures="责令立即停止存在重大事故隐患的设备设施及相关区域作业，撤出作业人员；"
                "重大事故隐患排除后，经审查同意方可恢复。",
            )
            self.major(visit, majors[0], lead, at)
        closing = visit.case is not None and CLOSE in visit.case.penalties
        order = None
        if general and not closing:
            order = self.issue(
                DocumentKind.RECTIFICATION_ORDER,
                at,
                lead,
                enterprise,
                inspection=inspection,
                hazards=general,
                deadline=visit.deadline,
            )
        if visit.case is not None or visit.major:
            day = max(visit.case_filed or visit.day, visit.day)
            self.timeline.add(
                max(self.moment(day, 16), done + dt.timedelta(minutes=40)),
                lambda when: self.file_case(visit, inspection, hazards, lead, when),
            )
        if order is not None:
            self.rectify(visit, general, lead, accept_by=None)
            self.timeline.add(
                self.moment(visit.reinspected, 9),
                lambda when: self.reinspect(visit, order, general, lead, when),
            )

    def rectify(self, visit: Visit, hazards: list[Hazard], lead: User, *, accept_by: User | None) -> None:
        """The enterprise plans and rectifies; it submits before the deadline unless the order is not complied
        with. ``accept_by``: who accepts at once (self-inspections); otherwise the reinspection does."""
        manager = self.managers[visit.enterprise.pk]
        start = _workday(visit.day + dt.timedelta(days=1), forward=True)
        plan = {
            "measures": self.rng.choice(MEASURES),
            "responsible_person": manager.name,
            "funds": Decimal(self.rng.choice([800, 1500, 3000, 6000, 12000])),
            "contingency_plan": self.rng.choice(CONTINGENCIES),
        }

        def started(when: dt.datetime) -> None:
            for hazard in hazards:
                hazard_actions.do_start_rectification(hazard, plan=plan, actor=manager, at=when)

        self.timeline.add(self.moment(start, 10), started)
        if visit.outcome != ReinspectionResult.RECTIFIED:
            return
        span = max(1, (visit.deadline - start).days)
        submitted = start + dt.timedelta(days=self.rng.randrange(1, span + 1))
        self.timeline.add(self.moment(submitted, 16), lambda when: self.submit(hazards, manager, when))
        if accept_by is not None:
            self.timeline.add(
                self.moment(submitted + dt.timedelta(days=1), 9), lambda when: self.accept(hazards, accept_by, when)
            )

    def submit(self, hazards: list[Hazard], manager: User, when: dt.datetime) -> None:
        for hazard in hazards:
            upload = SimpleUploadedFile("after.jpg", self.photo, content_type="image/jpeg")
            hazard_actions.do_add_hazard_photo(hazard, upload=upload, stage=PhotoStage.AFTER, actor=manager)
            hazard_actions.do_submit_rectification(hazard, rectification="已按整改指令完成整改", actor=manager, at=when)

    def accept(self, hazards: list[Hazard], actor: User, when: dt.datetime) -> None:
        for hazard in hazards:
            hazard_actions.do_accept_rectification(hazard, note="复查确认整改到位，同意销号", actor=actor, at=when)

    def reinspect(
        self, visit: Visit, order: EnforcementDocument, hazards: list[Hazard], lead: User, when: dt.datetime
    ) -> None:
        reinspection = Reinspection.objects.get(order=order)
        day = timezone.localdate(when)
        if visit.outcome == ReinspectionResult.RECTIFIED:
            self.accept(hazards, lead, when)
            done = enforcement.do_record_reinspection(
                reinspection, result=ReinspectionResult.RECTIFIED, actor=lead, done_on=day, at=when, render=False
            )
        else:
            what = "；".join(h.description.split("（")[0] for h in hazards[:2])
            done = enforcement.do_record_reinspection(
                reinspection,
                result=ReinspectionResult.NOT_RECTIFIED,
                actor=lead,
                done_on=day,
                note=f"复查发现：{what}，仍未整改到位",
                at=when,
                render=False,
            )
            self.bump("reinspections_not_rectified")
            if visit.withdraw:
                self.late_rectification(visit, hazards, lead, PenaltyCase.objects.get(reinspection=done), day)
        if done.opinion is not None:
            self.serve(done.opinion, when + dt.timedelta(minutes=20), lead, visit.enterprise)

    def late_rectification(
        self, visit: Visit, hazards: list[Hazard], lead: User, case: PenaltyCase, day: dt.date
    ) -> None:
        manager = self.managers[visit.enterprise.pk]
        submitted = _workday(day + dt.timedelta(days=3), forward=True)
        accepted = _workday(submitted + dt.timedelta(days=1), forward=True)
        self.timeline.add(self.moment(submitted, 16), lambda w: self.submit(hazards, manager, w))
        self.timeline.add(self.moment(accepted, 10), lambda w: self.accept(hazards, lead, w))
        self.timeline.add(
            self.moment(_workday(accepted + dt.timedelta(days=6), forward=True), 15),
            lambda w: enforcement.do_withdraw_case(
                case,
                actor=lead,
                reason="企业已于复查后完成整改，违法行为轻微并及时改正，没有造成危害后果，"
                "依据《中华人民共和国行政处罚法》第三十三条第一款，不予行政处罚。",
            ),
        )

    # -- major hazards

    def major(self, visit: Visit, hazard: Hazard, lead: User, at: dt.datetime) -> None:
        manager = self.managers[visit.enterprise.pk]
        found = visit.day
        dust = visit.major == "dust"
        deadline = found + dt.timedelta(days=60 if dust else 90)

        def papers(when: dt.datetime) -> None:
            major_actions.do_report_major_hazard(hazard, data=REPORT, actor=manager)
            major_actions.do_prepare_governance_plan(hazard, data=GOVERNANCE, actor=manager)

        def listed(when: dt.datetime) -> None:
            major_actions.do_list_for_supervision(
                hazard,
                level=SupervisionLevel.COUNTY,
                deadline=deadline,
                served_on=timezone.localdate(when),
                suspend_enterprise=dust,
                actor=lead,
                today=timezone.localdate(when),
            )
            if dust:
                self.status[visit.enterprise.pk] = EnterpriseStatus.SUSPENDED

        def started(when: dt.datetime) -> None:
            plan = {
                "measures": "委托有资质单位对除尘系统实施泄爆改造，更换防爆电气设备"
                if dust
                else "更换爆炸危险区域内全部电气设备为防爆型，恢复可燃气体检测报警并接入DCS",
                "responsible_person": manager.name,
                "funds": Decimal(380000 if dust else 650000),
                "deadline": deadline,
                "contingency_plan": "治理期间相关区域停止作业，设置警戒，配备应急物资",
            }
            hazard_actions.do_start_rectification(hazard, plan=plan, actor=manager, at=when)

        def applied(when: dt.datetime) -> None:
            upload = SimpleUploadedFile("after.jpg", self.photo, content_type="image/jpeg")
            hazard_actions.do_add_hazard_photo(hazard, upload=upload, stage=PhotoStage.AFTER, actor=manager)
            major_actions.do_apply_resumption(
                hazard,
                evaluation_kind=EvaluationKind.SELF,
                evaluation="组织专家评估，泄爆改造及防爆电气更换符合要求，治理效果达到判定标准要求",
                rectification="已完成除尘系统泄爆改造并通过验收",
                actor=manager,
                at=when,
            )

        def written_off(when: dt.datetime) -> None:
            hazard_actions.do_accept_rectification(hazard, note="现场审查合格，同意销号并恢复生产", actor=lead, at=when)
            status = Enterprise.objects.values_list("status", flat=True).get(pk=visit.enterprise.pk)
            self.status[visit.enterprise.pk] = status

        self.bump("major_hazards")
        reported = _workday(found + dt.timedelta(days=1), forward=True)
        listed_on = _workday(reported + dt.timedelta(days=1), forward=True)
        self.timeline.add(self.moment(reported, 10), papers)
        self.timeline.add(self.moment(listed_on, 11), listed)
        self.timeline.add(self.moment(_workday(listed_on + dt.timedelta(days=1), forward=True), 9), started)
        if dust:
            self.timeline.add(self.moment(_workday(found + dt.timedelta(days=45), forward=True), 15), applied)
            self.timeline.add(self.moment(_workday(found + dt.timedelta(days=50), forward=True), 10), written_off)

    # -- penalty cases

    def file_case(
        self, visit: Visit, inspection: Inspection, hazards: list[Hazard], lead: User, when: dt.datetime
    ) -> None:
        rng, enterprise = self.rng, visit.enterprise
        spec = visit.case
        day = timezone.localdate(when)
        items: list[dict[str, Any]] = []
        on_major = False
        hazard = hazards[0] if hazards else None
        if spec is not None:
            lo, hi = spec.fine
            items.append(
                {"kind": PenaltyKind.FINE, "amount": Decimal(rng.randrange(lo, hi + 1, 1000) if hi > lo else lo)}
            )
            for kind in spec.penalties:
                row: dict[str, Any] = {"kind": kind}
                if kind in (WITHHOLD, REVOKE) and spec.licence is not None:
                    row["licence"] = self._licence(enterprise, spec.licence)
                if kind == REFER:
                    row["persons"] = 1
                items.append(row)
            violation, facts, basis = spec.violation, spec.facts, spec.basis
        else:
            on_major = True
            hazard = next(h for h in hazards if h.level == HazardLevel.MAJOR)
            items = [{"kind": PenaltyKind.FINE, "amount": Decimal(50000 if visit.major == "dust" else 100000)}]
            items.append({"kind": SUSPEND})
            violation = IRREGULAR
            if visit.major == "dust":
                facts = (
                    "粉尘爆炸危险场所干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施，存在重大事故隐患仍组织生产"
                )
                basis = "《中华人民共和国安全生产法》第一百零二条；《工贸企业粉尘防爆安全规定》"
            else:
                facts = "爆炸危险场所未按国家标准安装使用防爆电气设备，可燃气体泄漏检测报警装置未投用，存在重大事故隐患"
                basis = "《中华人民共和国安全生产法》第一百零二条"
        campaign = inspection.campaign
        if campaign is None and day in self.periods["crackdown"]:
            campaign = self.campaigns["crackdown"]
        case = enforcement.do_file_case(
            enterprise,
            violation_class=violation,
            facts=f"{facts}。",
            actor=lead,
            items=items,
            legal_basis=basis,
            on_major_hazard=on_major,
            inspection=inspection,
            hazard=hazard,
            campaign=campaign,
            filed_on=day,
        )
        self.proceed(visit, case, lead, day, hazards)

    def proceed(self, visit: Visit, case: PenaltyCase, lead: User, filed: dt.date, hazards: list[Hazard]) -> None:
        """告知 → (听证) → 决定 → 执行 → 结案, as far as the case's stop; what the decision does afterwards."""
        rng, stop = self.rng, STAGE_ORDER.index(visit.case_stop)
        enterprise = visit.enterprise
        hearing = visit.case_stop == PenaltyStage.HEARING or (stop == len(STAGE_ORDER) - 1 and rng.random() < 0.08)
        notified = _workday(filed + dt.timedelta(days=rng.randrange(2, 4)), forward=True)
        decided = _workday(notified + dt.timedelta(days=rng.randrange(7, 12) + (10 if hearing else 0)), forward=True)
        executed = _workday(decided + dt.timedelta(days=rng.randrange(6, 16)), forward=True)
        closed = _workday(executed + dt.timedelta(days=rng.randrange(3, 10)), forward=True)

        def notify(when: dt.datetime) -> None:
            enforcement.do_notify_case(case, actor=lead, at=when, render=False)
            self.serve_case_document(case, DocumentKind.PENALTY_NOTICE, when, lead, enterprise)

        def decide(when: dt.datetime) -> None:
            enforcement.do_decide_case(case, actor=lead, decided_on=timezone.localdate(when), at=when, render=False)
            self.serve_case_document(case, DocumentKind.PENALTY_DECISION, when, lead, enterprise)
            self.after_decision(visit, case, lead, timezone.localdate(when), hazards)

        steps: list[tuple[PenaltyStage, dt.date, int, Callable[[dt.datetime], object]]] = [
            (PenaltyStage.NOTIFIED, notified, 10, notify),
            (
                PenaltyStage.HEARING,
                _workday(notified + dt.timedelta(days=3), forward=True),
                11,
                lambda w: enforcement.do_request_hearing(case, actor=lead, note="当事人在法定期限内书面申请听证"),
            ),
            (PenaltyStage.DECIDED, decided, 15, decide),
            (
                PenaltyStage.EXECUTED,
                executed,
                10,
                lambda w: enforcement.do_execute_case(
                    case, actor=lead, executed_on=timezone.localdate(w), note="罚款已缴入指定账户"
                ),
            ),
            (
                PenaltyStage.CLOSED,
                closed,
                16,
                lambda w: enforcement.do_close_case(case, actor=lead, closed_on=timezone.localdate(w)),
            ),
        ]
        for stage, day, hour, event in steps:
            if STAGE_ORDER.index(stage) > stop:
                break
            if stage == PenaltyStage.HEARING and not hearing:
                continue
            self.timeline.add(self.moment(day, hour), event)

    def serve_case_document(
        self, case: PenaltyCase, kind: DocumentKind, when: dt.datetime, lead: User, enterprise: Enterprise
    ) -> None:
        document = EnforcementDocument.objects.filter(penalty=case, kind=kind).order_by("-pk").first()
        if document is not None:
            self.serve(document, when + dt.timedelta(minutes=30), lead, enterprise)

    def after_decision(
        self, visit: Visit, case: PenaltyCase, lead: User, decided: dt.date, hazards: list[Hazard]
    ) -> None:
        """The decision took effect (suspended, licence withheld or revoked, closed); later the enterprise resumes
        after rectifying, a withheld licence is given back, a closed one's open hazards are voided."""
        enterprise = visit.enterprise
        kinds = set(case.items.values_list("kind", flat=True))
        self.status[enterprise.pk] = Enterprise.objects.values_list("status", flat=True).get(pk=enterprise.pk)
        if CLOSE in kinds:

            def void(when: dt.datetime) -> None:  # the inspection's findings, and any other still open
                for hazard in Hazard.objects.filter(enterprise=enterprise).order_by("pk"):
                    if hazard.is_open:
                        hazard_actions.do_void_hazard(hazard, reason="企业已依法关闭取缔", actor=lead, at=when)

            self.timeline.add(self.moment(_workday(decided + dt.timedelta(days=1), forward=True), 9), void)
            return
        if SUSPEND in kinds and not visit.major:

            def resume(when: dt.datetime) -> None:
                current = Enterprise.objects.get(pk=enterprise.pk)
                if current.status == EnterpriseStatus.SUSPENDED:
                    enterprise_actions.do_resume_enterprise(
                        current, reason="停产整顿期满，经复查验收合格，同意恢复生产", actor=lead
                    )
                    self.status[enterprise.pk] = EnterpriseStatus.OPERATING

            self.timeline.add(
                self.moment(_workday(decided + dt.timedelta(days=self.rng.randrange(25, 70)), forward=True), 15), resume
            )
        if WITHHOLD in kinds:
            withheld = case.items.filter(kind=WITHHOLD).values_list("licence", flat=True).first()

            def give_back(when: dt.datetime) -> None:
                held = Licence.objects.filter(pk=withheld or 0).first()
                if held is not None and held.status == LicenceStatus.SUSPENDED:
                    enterprise_actions.do_return_licence(
                        held, reason="暂扣期满，经复查整改合格，发还许可证", actor=lead
                    )

            self.timeline.add(
                self.moment(_workday(decided + dt.timedelta(days=self.rng.randrange(60, 120)), forward=True), 10),
                give_back,
            )

    # -- the summary

    def summary(self) -> dict[str, int]:
        cases = PenaltyCase.objects.all()
        items = PenaltyItem.objects.filter(
            case__stage__in=[PenaltyStage.DECIDED, PenaltyStage.EXECUTED, PenaltyStage.CLOSED]
        )
        by_kind = dict(items.values_list("kind").annotate(n=Count("pk")).order_by())
        fines = items.filter(kind=PenaltyKind.FINE).aggregate(total=Sum("amount"))["total"] or 0
        return {
            **self.counts,
            "documents": EnforcementDocument.objects.exclude(number="").count(),
            "reinspections_done": Reinspection.objects.filter(status=ReinspectionStatus.DONE).count(),
            "reinspections_pending": Reinspection.objects.filter(status=ReinspectionStatus.PENDING).count(),
            "cases": cases.count(),
            "cases_illegal": cases.filter(violation_class=ViolationClass.ILLEGAL).count(),
            "cases_closed": cases.filter(stage=PenaltyStage.CLOSED).count(),
            "suspensions": by_kind.get(PenaltyKind.SUSPENSION, 0),
            "licence_penalties": by_kind.get(WITHHOLD, 0) + by_kind.get(REVOKE, 0),
            "closures": by_kind.get(PenaltyKind.CLOSURE, 0),
            "referrals": by_kind.get(REFER, 0),
            "fines_yuan": int(fines),
        }


def _quiet(n: int) -> None:
    pass


def seed_inspections(
    rng: random.Random, today: dt.date, progress: Callable[[str, int], Progress] | None = None
) -> dict[str, int]:
    """The year before ``today``: campaigns, plans, inspections and what followed from them; returns the counts."""
    year = _Year(rng, today)
    year.seed_campaigns()
    year.seed_plans()
    visits = year.plan_visits()
    bar = progress("检查执法 inspections", len(visits)) if progress is not None else None
    year.schedule(visits, bar.advance if bar is not None else _quiet)
    year.timeline.run()
    if bar is not None:
        bar.finish()
    from anjian.inspections.reminders import remind_reinspections

    summary = year.summary()
    summary["reminders"] = sum(remind_reinspections(today).values())  # what last night's run would have sent
    return summary
