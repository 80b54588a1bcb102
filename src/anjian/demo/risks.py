"""The demo county's dual prevention (双重预防): every 危化 and 工贸 enterprise keeps a risk register, and its control
measures have been checked for up to two years.

The register is written through the risk actions: 1–3 risk objects by zone (production, storage, utilities), 3–8
units from its industry's catalogue (``data/risk_catalogue.json``: a dust collector only where dust explosions are
tagged, an ammonia machine room only where ammonia is), events with their GB 6441 accident types, LEC assessments
giving few 红, some 橙, many 黄 and 蓝 (a residual assessment where people could die), and measures checked daily
(key installations), weekly or monthly by the enterprise's safety officer and a worker. 危化 enterprises went
digital about two years ago, 工贸 ones later.

The check history is an import, as an enterprise moving onto the platform would bring its records: the tasks come
from ``generate_tasks`` (the real schedule), their records are written in bulk (``bulk_create``) and the done ones
flipped in one update; the checks nobody did (≈ 3–8 %, a few enterprises slack lately) are then flagged by
``flag_missed``. Abnormal checks (≈ 1.5 %) in the import carry their note; their hazards were handled in the old
paper ledger and are not imported. The last three weeks' abnormal checks go through ``do_record_check`` and open
hazards, rectified as far as their age allows, and so do the featured enterprise's last week of checks (one missed,
one abnormal). Its open checks — today's for qiye1 and zhigong1 — stay pending for the tour.

Deterministic for a given seed and instant.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions as hazard_actions
from anjian.hazards.choices import PhotoStage
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.models import User
from anjian.risks import actions, methods
from anjian.risks.choices import (
    DEFAULT_TIER,
    AccidentType,
    CheckResult,
    CycleUnit,
    MeasureClass,
    RiskLevel,
    TaskStatus,
    UnitKind,
)
from anjian.risks.models import CheckRecord, CheckTask, RiskEvent, RiskUnit
from anjian.utilities.progress import Progress

FEATURED = "江西鑫源化工有限公司"
DAY, MONTH = CycleUnit.DAY, CycleUnit.MONTH


@dataclass(frozen=True)
class MeasureSpec:
    description: str
    check: str
    classify1: MeasureClass
    classify2: str
    cycle: CycleUnit
    fault: str  # what an abnormal check finds


@dataclass(frozen=True)
class EventSpec:
    name: str
    accident: AccidentType
    exposure: int  # LEC's E
    consequence: int  # LEC's C
    measures: tuple[MeasureSpec, ...]


@dataclass(frozen=True)
class UnitSpec:
    names: tuple[str, ...]
    kind: UnitKind
    department: str
    post: str
    zone: str  # production | storage | utility: the risk object it belongs to
    events: tuple[EventSpec, ...]
    key: bool = False  # always in the register (where its tag allows)
    tag: str = ""  # only for enterprises with this key-sector tag


CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "risk_catalogue.json"


@dataclass(frozen=True)
class Catalogue:
    units: dict[str, UnitSpec]
    pools: dict[str, tuple[str, ...]]  # industry code → the units its enterprises choose from


@functools.cache
def catalogue() -> Catalogue:
    """The units an enterprise's register is made of, by industry (``data/risk_catalogue.json``)."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    units = {
        key: UnitSpec(
            names=tuple(unit["names"]),
            kind=UnitKind(unit["kind"]),
            department=unit["department"],
            post=unit["post"],
            zone=unit["zone"],
            key=unit.get("key", False),
            tag=unit.get("tag", ""),
            events=tuple(
                EventSpec(
                    event["name"],
                    AccidentType(event["accident"]),
                    event["E"],
                    event["C"],
                    tuple(
                        MeasureSpec(description, check, MeasureClass(cls), sub, CycleUnit(cycle), fault)
                        for cycle, cls, sub, description, check, fault in event["measures"]
                    ),
                )
                for event in unit["events"]
            ),
        )
        for key, unit in data["units"].items()
    }
    return Catalogue(units, {code: tuple(keys) for code, keys in data["pools"].items()})


# The featured plant (盐酸、硫酸、液碱、次氯酸钠): its units and their levels, fixed for the tour's four colours.
# zhigong1 does the daily checks, but qiye1 walks the tank farm (a major hazard installation) every day too.
FEATURED_UNITS = [
    ("synthesis", "氯化氢合成炉", RiskLevel.MAJOR),
    ("tank", "盐酸储罐区", RiskLevel.HIGH),
    ("loading", "汽车装卸站台", RiskLevel.HIGH),
    ("lye", "液碱储罐区", RiskLevel.MEDIUM),
    ("control", "中控室", RiskLevel.MEDIUM),
    ("sump", "污水池（有限空间）", RiskLevel.MEDIUM),
    ("power", "配电室", RiskLevel.LOW),
    ("pumps", "消防泵房", RiskLevel.LOW),
]
ZONES = {"production": "生产装置区", "storage": "储存区", "utility": "公用工程区"}
FEATURED_ZONES = {"production": "氯化氢合成装置", "storage": "罐区（三级重大危险源）", "utility": "公用工程"}
SMALL, WHOLE_SITE = 20, "经营场所"  # up to this many employees: the whole site is one risk object
LEVEL_WEIGHTS = [(RiskLevel.MAJOR, 0.05), (RiskLevel.HIGH, 0.15), (RiskLevel.MEDIUM, 0.40), (RiskLevel.LOW, 0.40)]
L_VALUES = (10, 6, 3, 1, 0.5, 0.2, 0.1)
WINDOWS = [(dt.time(8), dt.time(18)), (dt.time(8), dt.time(17)), (dt.time(8, 30), dt.time(17, 30))]
ABNORMAL = 0.015  # share of checks finding something
RECENT_HAZARDS = dt.timedelta(days=21)  # abnormal checks this recent open hazards through the action
FEATURED_RECENT = dt.timedelta(days=7)  # the featured enterprise's checks this recent go through the action


def _likelihood(rng: random.Random, spec: EventSpec, target: RiskLevel, table: Any) -> float:
    """An L that puts the event at ``target`` with its E and C by the LEC table in force (the nearest level when
    none does); 重大 only where someone could die."""
    order = [RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
    if target == RiskLevel.MAJOR and spec.consequence < 15:
        target = RiskLevel.HIGH
    scored = [
        (order.index(methods.level_of(Decimal(str(v)) * spec.exposure * spec.consequence, table)), v)
        for v in L_VALUES
        if v <= 6  # 10, "完全可以预料", is no installation in service
    ]
    fitting = [v for rank, v in scored if rank == order.index(target)]
    if fitting:
        return rng.choice(fitting)
    return min(scored, key=lambda pair: abs(pair[0] - order.index(target)))[1]


@dataclass
class People:
    manager: User  # keeps the register (principal or safety officer)
    worker: User


class _Register:
    """Writes one enterprise's register through the actions."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.counts: dict[str, int] = {"objects": 0, "units": 0, "events": 0, "measures": 0, "residual": 0}
        self.table: Any = None  # the LEC table in force for the enterprise being written

    def build(self, enterprise: Enterprise, people: People, starts_on: dt.date, featured: bool) -> None:
        rng = self.rng
        self.table = methods.table_for("lec", enterprise.region_id)
        chosen: list[tuple[UnitSpec, str, RiskLevel | None]]
        if featured:
            chosen = [(catalogue().units[key], name, level) for key, name, level in FEATURED_UNITS]
        else:
            chosen = [(spec, rng.choice(spec.names), None) for spec in self._pick(enterprise)]
        zones = sorted({spec.zone for spec, _n, _l in chosen}, key=list(ZONES).index)
        small = not featured and (enterprise.employee_count or 0) <= SMALL
        objects: dict[str, Any] = {}
        for zone in zones[:1] if small else zones:
            major = zone == "storage" and (featured or enterprise.tags.filter(code="major_hazard").exists())
            objects[zone] = actions.do_create_risk_object(
                enterprise,
                data={
                    "code": f"{enterprise.region_id[:6]}{enterprise.pk:04d}{len(objects) + 1:02d}",
                    "name": WHOLE_SITE if small else (FEATURED_ZONES if featured else ZONES)[zone],
                    "major_hazard_installation": major,
                },
                actor=people.manager,
            )
        if small:  # a shop or a station is one object
            objects = dict.fromkeys(zones, objects[zones[0]])
        self.counts["objects"] += len({o.pk for o in objects.values()})
        for spec, name, level in chosen:
            self._unit(enterprise, objects[spec.zone], spec, name, level, people, starts_on, featured)

    def _pick(self, enterprise: Enterprise) -> list[UnitSpec]:
        tags = set(enterprise.tags.values_list("code", flat=True))
        units = catalogue().units
        pool = [
            units[k] for k in catalogue().pools[enterprise.industry.code] if not units[k].tag or units[k].tag in tags
        ]
        extra = (enterprise.employee_count or 0) // 200 + (self.rng.random() < 0.3)  # bigger plants, more units
        size = min(len(pool), 8, 3 + extra)
        keys = [spec for spec in pool if spec.key][:size]
        rest = [spec for spec in pool if not spec.key]
        return keys + self.rng.sample(rest, size - len(keys))

    def _unit(
        self,
        enterprise: Enterprise,
        risk_object: Any,
        spec: UnitSpec,
        name: str,
        level: RiskLevel | None,
        people: People,
        starts_on: dt.date,
        featured: bool,
    ) -> None:
        from anjian.demo.registry import person

        rng = self.rng
        unit = actions.do_create_risk_unit(
            risk_object,
            data={
                "name": name,
                "kind": spec.kind,
                "department": spec.department,
                "responsible_person": person(rng),
                "post": spec.post,
            },
            actor=people.manager,
        )
        self.counts["units"] += 1
        for index, event_spec in enumerate(spec.events):
            event = actions.do_create_risk_event(
                unit, data={"name": event_spec.name, "accident_type": event_spec.accident}, actor=people.manager
            )
            self.counts["events"] += 1
            target = level if level is not None and index == 0 else self._target(level)
            assessment = self._assess(event, event_spec, target, people.manager)
            for measure_spec in event_spec.measures:
                self._measure(event, measure_spec, RiskLevel(assessment.level), people, starts_on, featured)

    def _target(self, cap: RiskLevel | None) -> RiskLevel:
        """A level drawn by the demo's mix; a featured unit's other events no worse than its first."""
        levels, weights = zip(*LEVEL_WEIGHTS, strict=True)
        drawn = self.rng.choices(levels, weights=weights)[0]
        if cap is not None and levels.index(drawn) < levels.index(cap):
            return cap
        return drawn

    def _assess(self, event: RiskEvent, spec: EventSpec, target: RiskLevel, actor: User) -> Any:
        rng = self.rng
        # The latest yearly review; one in twenty is overdue for its next.
        on = self.today - dt.timedelta(days=rng.randrange(375, 420) if rng.random() < 0.05 else rng.randrange(20, 330))
        value = _likelihood(rng, spec, target, self.table)
        inputs = {"L": value, "E": spec.exposure, "C": spec.consequence}
        assessment = actions.do_assess_event(event, method="lec", inputs=inputs, actor=actor, on=on)
        if assessment.level == RiskLevel.MAJOR or (assessment.level == RiskLevel.HIGH and spec.consequence >= 40):
            # Where people could die: the risk left with the measures in place (the likelihood two steps lower).
            lower = L_VALUES[min(len(L_VALUES) - 1, L_VALUES.index(value) + 2)]
            residual = {**inputs, "L": lower}
            actions.do_assess_event(event, method="lec", inputs=residual, actor=actor, on=on, residual=True)
            self.counts["residual"] += 1
        return assessment

    def _measure(
        self,
        event: RiskEvent,
        spec: MeasureSpec,
        level: RiskLevel,
        people: People,
        starts_on: dt.date,
        featured: bool,
    ) -> None:
        rng = self.rng
        if spec.cycle == DAY:
            assignee = people.manager if featured and event.unit.name == "盐酸储罐区" else people.worker
            # The featured plant runs round the clock in shifts: its daily checks are due any time of the day.
            window = (None, None) if featured else rng.choice(WINDOWS)
        else:
            assignee = people.manager if spec.cycle == MONTH or rng.random() < 0.5 else people.worker
            window = (None, None)
        actions.do_add_control_measure(
            event,
            data={
                "description": spec.description,
                "check_content": spec.check,
                "classify1": spec.classify1,
                "classify2": spec.classify2,
                "control_tier": DEFAULT_TIER[level],
                "cycle": 1,
                "cycle_unit": spec.cycle,
                "window_start": window[0],
                "window_end": window[1],
                "assignee": assignee,
                "starts_on": starts_on,
            },
            actor=people.manager,
        )
        self.counts["measures"] += 1


def _people(enterprise: Enterprise, rng: random.Random, featured: bool) -> People:
    """The register's keeper and a worker who checks: qiye1 and zhigong1 for the featured plant; elsewhere the
    safety officer the hazard ledger uses and one worker account (no password) made here."""
    from anjian.demo.hazards import _safety_officer
    from anjian.demo.registry import _staff, person

    if featured:
        return People(User.objects.get(username="qiye1"), User.objects.get(username="zhigong1"))
    manager = _safety_officer(enterprise, rng, person)
    worker = User.objects.filter(enterprise=enterprise, role=UserRole.WORKER).order_by("pk").first()
    if worker is None:
        worker = _staff(
            rng, f"worker-{enterprise.pk}", kind=UserKind.ENTERPRISE, role=UserRole.WORKER, enterprise=enterprise
        )
    return People(manager, worker)


def _starts_on(rng: random.Random, enterprise: Enterprise, today: dt.date, featured: bool) -> dt.date:
    """When the enterprise started checking on the platform: 危化 producers and users two years ago, traders and
    fuel stations later, 工贸 enterprises within the last year."""
    code = enterprise.industry.code
    if featured:
        days = 730
    elif code in ("0101", "0104"):
        days = rng.randrange(700, 731)
    elif code == "0102":
        days = rng.randrange(300, 600)
    elif code in ("0103", "0105"):
        days = rng.randrange(150, 450)
    else:
        days = rng.randrange(45, 300)
    return today - dt.timedelta(days=days)


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime, until: dt.datetime) -> dt.datetime | None:
    """When a check of the period [start, end) was done: inside a short work window, anywhere in it; in a day or
    longer, on one of its first working days between 08:00 and 17:30. None when that is not before ``until``."""
    span = end - start
    if span < dt.timedelta(days=1):
        at = start + span * (0.05 + 0.9 * rng.random())
    else:
        days = span.days
        offset = rng.randrange(min(days, 5 if days <= 7 else 24))
        at = start + dt.timedelta(days=offset, hours=8, minutes=rng.randrange(570))
    at = min(at, end - dt.timedelta(minutes=1))
    return at if at < until else None


@dataclass
class _Task:
    pk: int
    measure_id: int
    enterprise_id: int
    assignee_id: int
    due_start: dt.datetime
    due_end: dt.datetime


class _History:
    """The check history: imported in bulk, the recent abnormal checks and the featured week through the action."""

    def __init__(self, rng: random.Random, now: dt.datetime, featured: Enterprise, enterprises: list[int]) -> None:
        self.rng = rng
        self.now = now
        self.featured = featured
        self.midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
        self.faults, self.starts = self._measures()
        # Each enterprise misses its usual share of checks; three let them slip these last 60 days (35 %).
        slack = set(rng.sample([pk for pk in enterprises if pk != featured.pk], 3))
        self.miss_rates: dict[int, tuple[float, float]] = {}  # enterprise → (usual, the last 60 days)
        for pk in enterprises:
            usual = 0.02 if pk == featured.pk else rng.uniform(0.01, 0.08)
            self.miss_rates[pk] = (usual, 0.35 if pk in slack else usual)
        self.actions: list[tuple[_Task, str, dt.datetime]] = []  # (task, result, when) for do_record_check
        self.imported = 0
        self.abnormal = 0

    @staticmethod
    def _measures() -> tuple[dict[int, str], dict[int, dt.datetime]]:
        """Each measure's fault (what an abnormal check writes) and first moment (a week or a month that began
        before it is checked from its first day)."""
        from anjian.risks.models import ControlMeasure

        units = catalogue().units.values()
        by_text = {spec.description: spec.fault for unit in units for e in unit.events for spec in e.measures}
        rows = ControlMeasure.objects.values_list("pk", "description", "starts_on")  # scoped: the demo's own rows
        faults = {pk: by_text.get(text, "检查发现异常") for pk, text, _starts in rows}
        starts = {pk: timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for pk, _text, day in rows}
        return faults, starts

    def _miss_rate(self, enterprise_id: int, due: dt.datetime) -> float:
        usual, lately = self.miss_rates[enterprise_id]
        return lately if due >= self.now - dt.timedelta(days=60) else usual

    def load(self, tick: Callable[[int], None]) -> None:
        rows = (
            CheckTask.objects.filter(due_start__lt=self.now)  # scoped: the demo's own rows
            .order_by("measure_id", "due_start")
            .values_list("pk", "measure_id", "enterprise_id", "assignee_id", "due_start", "due_end")
        )
        batch: list[CheckRecord] = []
        for row in list(rows):
            record = self._decide(_Task(*row))
            if record is not None:
                batch.append(record)
            if len(batch) >= 5000:
                self._write(batch, tick)
        self._write(batch, tick)
        # One update for every imported record (not one per task, as recording a check would).
        CheckTask.objects.filter(status=TaskStatus.PENDING, record__isnull=False).update(status=TaskStatus.DONE)

    def _write(self, batch: list[CheckRecord], tick: Callable[[int], None]) -> None:
        CheckRecord.objects.bulk_create(batch)
        self.imported += len(batch)
        tick(len(batch))
        batch.clear()

    def _decide(self, task: _Task) -> CheckRecord | None:
        rng = self.rng
        closed = task.due_end <= self.now
        if task.enterprise_id == self.featured.pk:
            if not closed:
                return None  # open: qiye1's and zhigong1's to do (the tour, the e2e test)
            if task.due_start >= self.midnight - FEATURED_RECENT:
                self.actions.append((task, "", task.due_start))  # through the action, below
                return None
        if not closed:
            # An open weekly or monthly check may be done already; today's daily ones are still to do.
            if task.due_start >= self.midnight or rng.random() < 0.5:
                return None
            at = _moment(rng, max(task.due_start, self.starts[task.measure_id]), task.due_end, self.now)
            return None if at is None else self._record(task, CheckResult.PASS, at)
        roll = rng.random()
        at = _moment(rng, max(task.due_start, self.starts[task.measure_id]), task.due_end, self.now)
        if roll < self._miss_rate(task.enterprise_id, task.due_start) or at is None:
            return None  # missed: flagged below
        if rng.random() >= ABNORMAL:
            return self._record(task, CheckResult.PASS, at)
        self.abnormal += 1
        if task.due_start >= self.midnight - RECENT_HAZARDS:
            self.actions.append((task, CheckResult.FAIL, at))
            return None
        return self._record(task, CheckResult.FAIL, at)

    def _record(self, task: _Task, result: str, at: dt.datetime) -> CheckRecord:
        note = self.faults.get(task.measure_id, "") if result == CheckResult.FAIL else ""
        return CheckRecord(task_id=task.pk, checked_at=at, checked_by_id=task.assignee_id, result=result, note=note)


def _featured_week(history: _History, rng: random.Random) -> list[tuple[_Task, str, dt.datetime]]:
    """The featured plant's last week, checked on the platform: every check done, but one daily check missed three
    days ago and one found abnormal four days ago by zhigong1."""
    featured_tasks = [t for t in history.actions if t[0].enterprise_id == history.featured.pk]
    daily = [t for t, _r, _a in featured_tasks if t.due_end - t.due_start == dt.timedelta(days=1)]
    day = timezone.localdate(history.now)
    missed = next((t for t in daily if timezone.localdate(t.due_start) == day - dt.timedelta(days=3)), None)
    zhigong1 = User.objects.get(username="zhigong1")
    abnormal = next(
        (
            t
            for t in daily
            if timezone.localdate(t.due_start) == day - dt.timedelta(days=4) and t.assignee_id == zhigong1.pk
        ),
        None,
    )
    chosen: list[tuple[_Task, str, dt.datetime]] = []
    for task, _result, _at in featured_tasks:
        if task is missed:
            continue
        at = _moment(rng, max(task.due_start, history.starts[task.measure_id]), task.due_end, history.now)
        if at is not None:
            chosen.append((task, CheckResult.FAIL if task is abnormal else CheckResult.PASS, at))
    return chosen


def _recorded_through_the_action(
    history: _History, rng: random.Random, tasks: list[tuple[_Task, str, dt.datetime]]
) -> list[Any]:
    """Record checks with ``do_record_check`` (GPS at the enterprise); an abnormal one opens a hazard."""
    users = {u.pk: u for u in User.objects.filter(pk__in={t.assignee_id for t, _r, _a in tasks})}
    located = Enterprise.objects.filter(pk__in={t.enterprise_id for t, _r, _a in tasks})  # scoped: the demo's
    places = {pk: (lat, lon) for pk, lat, lon in located.values_list("pk", "latitude", "longitude")}
    opened = []
    for task, result, at in sorted(tasks, key=lambda item: item[2]):
        lat, lon = places[task.enterprise_id]
        jitter = Decimal(rng.randrange(-300, 300)) / Decimal(1_000_000)
        record = actions.do_record_check(
            CheckTask(pk=task.pk),
            result=result,
            note=history.faults.get(task.measure_id, "检查发现异常") if result == CheckResult.FAIL else "",
            latitude=None if lat is None else lat + jitter,
            longitude=None if lon is None else lon - jitter,
            actor=users[task.assignee_id],
            at=at,
        )
        if record.hazard is not None:
            opened.append((record.hazard, at, task.enterprise_id))
    return opened


def _rectify(
    rng: random.Random, opened: list[Any], now: dt.datetime, managers: dict[int, User], featured: Enterprise
) -> int:
    """Take the hazards the checks opened as far as their age allows: planned the next day, rectified within
    days and accepted by the enterprise's safety officer (a hazard it found itself). The featured plant's stays
    in rectification, for the tour."""
    from anjian.demo.hazards import _jpeg, _photo

    after = _jpeg((40, 120, 70), "after")
    closed = 0
    for hazard, found_at, enterprise_id in opened:
        manager = managers[enterprise_id]
        started = found_at + dt.timedelta(days=1, hours=rng.randrange(1, 4))
        if started >= now:
            continue
        deadline = timezone.localdate(found_at) + dt.timedelta(days=rng.choice([7, 10, 15]))
        plan = {
            "measures": "立即维修更换失效部件，恢复管控措施并复查",
            "responsible_person": manager.display_name,
            "funds": Decimal(rng.choice([300, 800, 1500, 4000])),
            "deadline": deadline,
            "contingency_plan": "整改完成前加密巡检，落实临时防护措施",
        }
        hazard_actions.do_start_rectification(hazard, plan=plan, actor=manager, at=started)
        submitted = started + dt.timedelta(days=rng.randrange(2, 6))
        if submitted + dt.timedelta(days=1) >= now or rng.random() < 0.15 or enterprise_id == featured.pk:
            continue  # still rectifying
        hazard_actions.do_add_hazard_photo(hazard, upload=_photo(after), stage=PhotoStage.AFTER, actor=manager)
        hazard_actions.do_submit_rectification(
            hazard, rectification="已更换修复，复查正常", actor=manager, at=submitted
        )
        hazard_actions.do_accept_rectification(
            hazard, note="复查合格，同意销号", actor=manager, at=submitted + dt.timedelta(days=1)
        )
        closed += 1
    return closed


def _quiet(n: int) -> None:
    pass


def seed_risks(
    rng: random.Random, now: dt.datetime, progress: Callable[[str, int], Progress] | None = None
) -> dict[str, int]:
    """Registers for the 危化 and 工贸 enterprises and their check history up to ``now``; returns the counts."""
    today = timezone.localdate(now)
    enterprises = list(
        Enterprise.objects.exclude(status=EnterpriseStatus.CLOSED)
        .filter(Q(industry__code__startswith="01") | Q(industry__code__startswith="04"))
        .select_related("industry")
        .order_by("pk")
    )
    featured = next(e for e in enterprises if e.name == FEATURED)
    bar = progress("风险辨识 risk registers", len(enterprises)) if progress is not None else None
    register = _Register(rng, today)
    managers: dict[int, User] = {}
    for enterprise in enterprises:
        is_featured = enterprise.pk == featured.pk
        people = _people(enterprise, rng, is_featured)
        managers[enterprise.pk] = people.manager
        register.build(enterprise, people, _starts_on(rng, enterprise, today, is_featured), is_featured)
        if bar is not None:
            bar.advance()
    if bar is not None:
        bar.finish()

    tasks = actions.generate_tasks(now)
    bar = progress("排查记录 check history", tasks) if progress is not None else None
    history = _History(rng, now, featured, [e.pk for e in enterprises])
    history.load(bar.advance if bar is not None else _quiet)
    week = _featured_week(history, rng)
    recent = [item for item in history.actions if item[0].enterprise_id != featured.pk]
    opened = _recorded_through_the_action(history, rng, recent + week)
    closed = _rectify(rng, opened, now, managers, featured)
    missed = actions.flag_missed(now)
    if bar is not None:
        bar.finish()
    levels = dict(RiskUnit.objects.values_list("level").annotate(n=Count("pk")))  # scoped: the demo's own rows
    return {
        "enterprises": len(enterprises),
        **register.counts,
        "units_red": levels.get(RiskLevel.MAJOR, 0),
        "units_orange": levels.get(RiskLevel.HIGH, 0),
        "units_yellow": levels.get(RiskLevel.MEDIUM, 0),
        "units_blue": levels.get(RiskLevel.LOW, 0),
        "tasks": tasks,
        "records_imported": history.imported,
        "records_recorded": len(recent) + len(week),
        "missed": missed,
        "abnormal": history.abnormal + sum(1 for _t, r, _a in week if r == CheckResult.FAIL),
        "hazards_opened": len(opened),
        "hazards_closed": closed,
    }
