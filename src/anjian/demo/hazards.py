"""Two years of the demo county's hazard ledger, written through the hazard actions at past times.

Each enterprise gets a safety officer account (no password) that rectifies; departments whose remit covers the
enterprise, and grid workers, find hazards too. Most hazards are closed within days or weeks; some are still
open, some overdue, some extended, a few voided; major hazards are rarer and accepted by the government.
The featured enterprise (qiye1, zhigong1) has open hazards in every state for the demo tour.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions
from anjian.hazards.choices import (
    HazardAction,
    HazardLevel,
    HazardSource,
    ManagementClass,
    PhotoStage,
    RectificationMode,
)
from anjian.hazards.models import Hazard, HazardType
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import Department, User

# category code → (description, location, hazard type, management class, cause)
FINDINGS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "01": [
        ("储罐区可燃气体报警器探头失效，未能正常报警", "储罐区", "instrument", "thing", "探头超期未校验"),
        ("液碱储罐围堰排水阀常开", "罐区围堰", "safety", "thing", "交接班检查不到位"),
        ("动火作业票未经审批即开始作业", "合成车间", "safety", "person", "作业人员图省事"),
        ("防爆区域内使用非防爆手电筒", "氯化氢合成工段", "electrical", "person", "防爆物品管理不严"),
        ("安全阀校验超期", "盐酸吸收塔", "equipment", "thing", "设备台账未及时更新"),
        ("应急预案未按期组织演练", "安全管理部", "safety", "management", "年度演练计划未落实"),
        ("DCS 联锁回路未按规定投用", "中控室", "process", "management", "变更管理不规范"),
        ("消防泵房备用泵无法启动", "消防泵房", "fire", "thing", "维护保养不到位"),
    ],
    "02": [
        ("零售点超量储存烟花爆竹", "店铺后仓", "safety", "management", "经营者安全意识淡薄"),
        ("仓库内未设置防静电装置", "成品仓库", "electrical", "thing", "建设时未按规范配置"),
        ("库房内堆垛与墙距不足", "成品仓库", "layout", "thing", "仓储管理不规范"),
    ],
    "03": [
        ("排土场局部边坡过陡，存在滑坡风险", "排土场", "safety", "thing", "未按设计分台阶排土"),
        ("井下避灾线路标识缺失", "-120 中段", "safety", "management", "标识维护不到位"),
        ("尾矿库浸润线观测设施损坏", "尾矿库坝体", "instrument", "thing", "监测设施年久失修"),
    ],
    "04": [
        ("除尘器未设置泄爆装置", "抛光车间", "equipment", "thing", "粉尘防爆措施不落实"),
        ("冲床光电保护装置被拆除", "冲压车间", "equipment", "person", "员工为赶产量擅自拆除"),
        ("有限空间作业未执行先通风、再检测、后作业", "污水池", "safety", "person", "作业审批流于形式"),
        ("配电箱无门、线路私拉乱接", "机加工车间", "electrical", "thing", "电工日常巡检不到位"),
        ("行车钢丝绳断丝超标", "装配车间", "equipment", "thing", "特种设备维护保养缺失"),
        ("安全生产责任制未覆盖全员", "企业管理层", "safety", "management", "制度修订滞后"),
        ("喷涂作业区通风不良", "喷涂车间", "process", "thing", "排风设施能力不足"),
    ],
    "05": [
        ("深基坑临边防护不到位", "3 号楼基坑", "safety", "thing", "防护栏杆未及时恢复"),
        ("塔吊限位装置失灵", "施工现场", "equipment", "thing", "维保单位未按期检查"),
        ("高处作业人员未系安全带", "5 号楼外架", "safety", "person", "安全教育不到位"),
        ("脚手架连墙件缺失", "2 号楼", "safety", "thing", "搭设不规范"),
        ("施工临时用电未设置漏电保护", "施工现场", "electrical", "thing", "临电方案未落实"),
    ],
    "06": [
        ("液化气钢瓶与明火距离不足", "储配站灌装间", "fire", "thing", "现场管理松懈"),
        ("燃气管道阀门井内积水锈蚀", "城东主干管", "equipment", "thing", "巡线不到位"),
        ("瓶装燃气送气员未持证上岗", "供应站", "safety", "management", "人员培训缺失"),
    ],
    "07": [
        ("客车应急锤缺失", "车队停车场", "equipment", "thing", "车辆例检不到位"),
        ("危险货物运输车辆 GPS 监控掉线未处置", "监控中心", "safety", "management", "动态监控制度未落实"),
        ("驾驶员超时驾驶", "运营线路", "safety", "person", "排班不合理"),
    ],
    "08": [
        ("教学楼疏散通道堆放杂物", "教学楼一层", "fire", "thing", "日常检查不到位"),
        ("食堂燃气管道未安装泄漏报警装置", "学校食堂", "fire", "thing", "改造资金未落实"),
        ("校车安全员未随车", "校车", "safety", "person", "人员配备不足"),
    ],
    "09": [
        ("安全出口被锁闭", "一层东侧", "fire", "management", "防盗需要擅自锁闭"),
        ("应急照明灯损坏", "楼梯间", "fire", "thing", "维保不到位"),
        ("厨房烟道油污积累严重", "后厨", "fire", "thing", "清洗周期过长"),
        ("消防控制室无人值守", "消防控制室", "fire", "management", "值班制度未落实"),
    ],
    "10": [("养老机构电动车室内充电", "住养楼走廊", "fire", "person", "管理不到位")],
    "11": [("气瓶充装前未逐只检查", "充装间", "equipment", "person", "操作规程执行不严")],
    "12": [("养殖场沼气池无警示标识", "沼气池", "safety", "thing", "安全标识缺失")],
    "13": [("民爆物品库房双人双锁制度未落实", "储存库", "safety", "management", "制度执行不严")],
}
MAJOR_FINDINGS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "01": [("涉及重点监管危险化工工艺的装置未实现自动化控制", "氯化工段", "process", "thing", "改造未完成")],
    "04": [("粉尘爆炸危险场所设置在非框架结构的多层建筑物内", "抛光车间", "layout", "thing", "厂房设计不符合规范")],
    "05": [("深基坑未按专项施工方案施工，支护结构出现裂缝", "1 号楼基坑", "safety", "thing", "擅自变更施工方案")],
    "06": [("燃气管道被违章占压", "城南路段", "safety", "thing", "沿街商户违章搭建")],
    "09": [("人员密集场所未设置自动喷水灭火系统", "营业大厅", "fire", "thing", "装修改造未报审")],
}
MEASURES = ["立即停止相关作业并组织整改", "更换损坏部件并复核", "修订制度并组织培训", "委托专业单位检测维修"]
PLANS = ["整改期间设置警戒并加强巡查", "配备应急物资，明确现场处置措施", "暂停相关作业直至整改完成"]


def _jpeg(colour: tuple[int, int, int], label: str) -> bytes:
    image = Image.new("RGB", (480, 360), colour)
    ImageDraw.Draw(image).text((20, 20), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _photo(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")


def _safety_officer(enterprise: Enterprise, rng: random.Random, person: Callable[[random.Random], str]) -> User:
    existing = User.objects.filter(
        enterprise=enterprise, kind=UserKind.ENTERPRISE, role=UserRole.SAFETY_OFFICER
    ).first()
    if existing is not None:
        return existing
    user = User(
        username=f"ent-{enterprise.pk}",
        name=enterprise.safety_officer_name or person(rng),
        kind=UserKind.ENTERPRISE,
        role=UserRole.SAFETY_OFFICER,
        enterprise=enterprise,
    )
    user.set_unusable_password()
    user.save()
    return user


def _government_finders(departments: list[Department], staff: dict[int, User]) -> Callable[[Enterprise], list[User]]:
    """Inspectors of the departments whose territory and remit cover an enterprise (each remit read once)."""
    from anjian.core.scoping import Scope, enterprise_q

    remits = {
        department.pk: set(
            Enterprise.objects.filter(enterprise_q(Scope.of_department(department))).values_list("pk", flat=True)
        )
        for department in departments
        if department.pk in staff
    }

    def finders(enterprise: Enterprise) -> list[User]:
        return [staff[d.pk] for d in departments if d.pk in remits and enterprise.pk in remits[d.pk]]

    return finders


REPORT = {
    "state_and_cause": "现场检查发现该隐患，系设备设施和管理措施不符合判定标准所致",
    "harm_and_difficulty": "一旦失控可能导致火灾爆炸或人员伤亡；整改需局部停产并投入较多资金",
    "approach": "制定专项治理方案，落实资金和责任，限期完成治理并组织评估",
}
GOVERNANCE = {
    "objectives": "消除重大事故隐患，达到判定标准要求",
    "methods": "委托设计单位出具方案，分阶段实施改造",
    "funding": "企业自筹，专款专用",
    "organisation": "主要负责人任组长，安全、设备部门具体实施",
    "schedule": "按督办期限完成，每周报送进度",
    "safety_measures": "治理期间相关区域停止作业，设置警戒，编制专项应急预案",
}


def _major_papers(
    hazard: Hazard,
    manager: User,
    supervisor: User,
    rng: random.Random,
    found: dt.date,
    today: dt.date,
    *,
    suspend: bool | None = None,
) -> None:
    """A major hazard's report and plan, and (mostly) its listing for supervision by the finding level."""
    from anjian.hazards import major
    from anjian.hazards.choices import SupervisionLevel

    major.do_report_major_hazard(hazard, data=REPORT, actor=manager)
    major.do_prepare_governance_plan(hazard, data=GOVERNANCE, actor=manager)
    if supervisor.kind == UserKind.DEPARTMENT and rng.random() < 0.8:
        major.do_list_for_supervision(
            hazard,
            level=SupervisionLevel.COUNTY,
            deadline=(hazard.deadline or found) + dt.timedelta(days=15),
            served_on=min(found + dt.timedelta(days=2), today),
            suspend_enterprise=rng.random() < 0.5 if suspend is None else suspend,
            actor=supervisor,
            today=today,
        )


def _submit(hazard: Hazard, officer: User, text: str, at: dt.datetime) -> None:
    """Submit for acceptance; a major hazard goes with its evaluation (a resumption application)."""
    from anjian.hazards import major
    from anjian.hazards.choices import EvaluationKind

    if hazard.level == HazardLevel.MAJOR:
        major.do_apply_resumption(
            hazard,
            evaluation_kind=EvaluationKind.SELF,
            evaluation="组织专家评估，治理效果达到要求",
            rectification=text,
            actor=officer,
            at=at,
        )
    else:
        actions.do_submit_rectification(hazard, rectification=text, actor=officer, at=at)


def seed_hazards(rng: random.Random, today: dt.date, tick: Callable[[int], None]) -> dict[str, int]:
    from anjian.demo.registry import person

    types = {t.code: t for t in HazardType.objects.all()}
    regulators = list(
        Department.objects.filter(kind__in=[DepartmentKind.REGULATOR, DepartmentKind.COMMITTEE_OFFICE]).select_related(
            "region"
        )
    )
    staff: dict[int, User] = {}
    for department in regulators:
        member = (
            User.objects.filter(department=department, role__in=[UserRole.INSPECTOR, UserRole.OFFICER])
            .order_by("username")
            .first()
        )
        if member is None:  # a town's 安委办 without an account yet: it accepts its grid workers' findings
            member = User(
                username=f"staff-{department.pk}-officer",
                name=person(rng),
                kind=UserKind.DEPARTMENT,
                role=UserRole.OFFICER,
                department=department,
            )
            member.set_unusable_password()
            member.save()
        staff[department.pk] = member
    grid_workers = {u.grid_id: u for u in User.objects.filter(kind=UserKind.GRID).order_by("-username")}
    before, after = _jpeg((150, 60, 40), "before"), _jpeg((40, 120, 70), "after")
    enterprises = list(
        Enterprise.objects.exclude(status=EnterpriseStatus.CLOSED)
        .exclude(name="江西鑫源化工有限公司")
        .select_related("industry__parent")
        .order_by("pk")
    )
    counts = {"hazards": 0, "closed": 0, "open": 0, "major": 0}
    government_finders = _government_finders(regulators, staff)

    def moment(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))

    for enterprise in enterprises:
        category = enterprise.industry.parent.code if enterprise.industry.parent else enterprise.industry.code
        pool = FINDINGS.get(category, FINDINGS["09"])
        officer = _safety_officer(enterprise, rng, person)
        inspectors = government_finders(enterprise)
        grid_worker = grid_workers.get(enterprise.grid_id) if enterprise.grid_id else None
        high_risk = enterprise.industry.parent is not None and enterprise.industry.parent.high_risk
        for _ in range(rng.randrange(2, 9 if high_risk else 6)):
            counts["hazards"] += 1
            found = today - dt.timedelta(days=rng.randrange(1, 730))
            major = category in MAJOR_FINDINGS and rng.random() < 0.04
            roll = rng.random()
            if (major or roll < 0.35) and inspectors:
                finder, source = rng.choice(inspectors), HazardSource.GOVERNMENT_INSPECTION
            elif roll < 0.45 and grid_worker is not None:
                finder, source = grid_worker, HazardSource.GRID_PATROL
            else:
                finder, source = (
                    officer,
                    rng.choice(
                        [
                            HazardSource.DAILY,
                            HazardSource.DAILY,
                            HazardSource.SEASONAL,
                            HazardSource.SPECIALISED,
                            HazardSource.HOLIDAY,
                            HazardSource.COMPREHENSIVE,
                        ]
                    ),
                )
            if major and not inspectors:
                major = False
            description, location, type_code, management, cause = rng.choice(
                MAJOR_FINDINGS[category] if major else pool
            )
            immediate = not major and source in (HazardSource.DAILY, HazardSource.GRID_PATROL) and rng.random() < 0.3
            data: dict[str, Any] = {
                "level": HazardLevel.MAJOR if major else HazardLevel.GENERAL,
                "source": source,
                "hazard_type": types[type_code],
                "management_class": ManagementClass(management),
                "rectification_mode": RectificationMode.IMMEDIATE if immediate else RectificationMode.DEADLINE,
                "description": description,
                "location": location,
                "cause": cause,
                "found_on": found,
                "deadline": None
                if immediate
                else found + dt.timedelta(days=rng.choice([3, 7, 15, 30] if not major else [60, 90])),
                "rectification": "当场整改完毕" if immediate else "",
            }
            hazard = actions.do_register_hazard(
                enterprise,
                data=data,
                actor=finder,
                photos=[_photo(before)] if rng.random() < 0.3 else [],
                after_photos=[_photo(after)] if immediate else [],
                at=moment(found, 9),
            )
            if hazard.finding_department_id is None:
                acceptor = officer
            else:
                acceptor = finder if major else staff[hazard.finding_department_id]
            if major:
                counts["major"] += 1
            if immediate:
                if found < today - dt.timedelta(days=2):
                    actions.do_accept_rectification(hazard, note="现场确认", actor=acceptor, at=moment(found, 17))
                    counts["closed"] += 1
                continue
            fate = rng.random()
            age = (today - found).days
            if fate < 0.03 and hazard.finding_department_id:
                actions.do_void_hazard(hazard, reason="经复核不构成事故隐患", actor=acceptor, at=moment(found, 16))
                continue
            if age < 5 and fate < 0.5:
                counts["open"] += 1  # just registered
                continue
            plan = {
                "measures": rng.choice(MEASURES),
                "responsible_person": officer.name,
                "funds": Decimal(rng.choice([500, 1200, 3000, 8000, 20000, 150000 if major else 5000])),
                "contingency_plan": rng.choice(PLANS),
            }
            if major:
                _major_papers(hazard, officer, finder, rng, found, today)
            actions.do_start_rectification(hazard, plan=plan, actor=officer, at=moment(found, 14))
            deadline = hazard.deadline or found
            if rng.random() < 0.12 and deadline > found:
                asked = found + dt.timedelta(days=max(1, (deadline - found).days - 1))
                if asked < today:
                    actions.do_request_extension(
                        hazard,
                        deadline=deadline + dt.timedelta(days=15),
                        reason="设备到货周期长",
                        actor=officer,
                        at=moment(asked, 10),
                    )
                    decided = asked + dt.timedelta(days=1)
                    if decided < today:
                        verb = HazardAction.APPROVE_EXTENSION if rng.random() < 0.8 else HazardAction.DENY_EXTENSION
                        actions.perform(hazard, verb, actor=acceptor, note="经审核", at=moment(decided, 11))
                        hazard.refresh_from_db()
                        deadline = hazard.deadline or deadline
            days = max(1, int(rng.expovariate(1 / max(2, (deadline - found).days * 0.6))))
            done = found + dt.timedelta(days=days)
            if done >= today - dt.timedelta(days=1) or (fate > 0.97 and age > 40):
                counts["open"] += 1  # still rectifying: overdue when the deadline has passed
                continue
            actions.do_add_hazard_photo(hazard, upload=_photo(after), stage=PhotoStage.AFTER, actor=officer)
            _submit(hazard, officer, "已按整改措施完成整改", moment(done, 15))
            review = done + dt.timedelta(days=rng.randrange(0, 4))
            if review >= today:
                counts["open"] += 1  # awaiting acceptance
                continue
            if rng.random() < 0.08:
                actions.do_reject_rectification(
                    hazard, reason="整改不彻底，请补充整改", actor=acceptor, at=moment(review, 10)
                )
                review += dt.timedelta(days=2)
                if review >= today:
                    counts["open"] += 1
                    continue
                _submit(hazard, officer, "已补充整改", moment(review, 9))
            actions.do_accept_rectification(hazard, note="验收合格，同意销号", actor=acceptor, at=moment(review, 16))
            counts["closed"] += 1
        tick(1)
    return counts


def seed_featured_hazards(rng: random.Random, today: dt.date) -> int:
    """The featured enterprise's ledger for the tour: history, and one open hazard in every state."""
    enterprise = Enterprise.objects.get(name="江西鑫源化工有限公司")
    qiye1, zhigong1, yingji, wangge1 = (
        User.objects.get(username=name) for name in ("qiye1", "zhigong1", "yingji", "wangge1")
    )
    types = {t.code: t for t in HazardType.objects.all()}
    before, after = _jpeg((150, 60, 40), "before"), _jpeg((40, 120, 70), "after")

    def at(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 5)))

    def register(actor: User, pick: int, days_ago: int, deadline_in: int | None, **extra: Any) -> Hazard:
        description, location, type_code, management, cause = FINDINGS["01"][pick]
        found = today - dt.timedelta(days=days_ago)
        data: dict[str, Any] = {
            "level": HazardLevel.GENERAL,
            "source": HazardSource.DAILY,
            "hazard_type": types[type_code],
            "management_class": ManagementClass(management),
            "rectification_mode": RectificationMode.DEADLINE,
            "description": description,
            "location": location,
            "cause": cause,
            "found_on": found,
            "deadline": None if deadline_in is None else today + dt.timedelta(days=deadline_in),
            **extra,
        }
        return actions.do_register_hazard(enterprise, data=data, actor=actor, photos=[_photo(before)], at=at(found, 9))

    plan = {
        "measures": "更换失效部件，完善巡检记录",
        "responsible_person": "李志强",
        "funds": Decimal("6800"),
        "contingency_plan": "整改期间加密巡检，配备便携式检测仪",
    }
    made = 0
    # Two years of closed history.
    for index in range(16):
        days_ago = 30 + index * 42 + rng.randrange(10)
        hazard = register(qiye1, index % len(FINDINGS["01"]), days_ago, None)
        found = hazard.found_on
        hazard.deadline = found + dt.timedelta(days=15)
        actions.do_start_rectification(
            hazard, plan={**plan, "deadline": found + dt.timedelta(days=15)}, actor=qiye1, at=at(found, 11)
        )
        actions.do_add_hazard_photo(hazard, upload=_photo(after), stage=PhotoStage.AFTER, actor=qiye1)
        done = found + dt.timedelta(days=rng.randrange(2, 14))
        actions.do_submit_rectification(hazard, rectification="已完成整改", actor=qiye1, at=at(done, 15))
        actions.do_accept_rectification(hazard, note="验收合格", actor=qiye1, at=at(done, 17))
        made += 1
    # Open, one in every state.
    register(zhigong1, 3, 1, None, source=HazardSource.DAILY)  # a worker's report, waiting for the safety officer
    rectifying = register(qiye1, 1, 6, 5)
    actions.do_start_rectification(rectifying, plan=plan, actor=qiye1, at=at(today - dt.timedelta(days=5), 10))
    overdue = register(qiye1, 4, 40, None)
    actions.do_start_rectification(
        overdue,
        plan={**plan, "deadline": today - dt.timedelta(days=9)},
        actor=qiye1,
        at=at(today - dt.timedelta(days=39), 10),
    )
    waiting = register(qiye1, 5, 12, 3)
    actions.do_start_rectification(waiting, plan=plan, actor=qiye1, at=at(today - dt.timedelta(days=11), 10))
    actions.do_add_hazard_photo(waiting, upload=_photo(after), stage=PhotoStage.AFTER, actor=qiye1)
    actions.do_submit_rectification(
        waiting, rectification="已组织演练并补充记录", actor=qiye1, at=at(today - dt.timedelta(days=1), 16)
    )
    inspected = register(yingji, 0, 20, 10, source=HazardSource.GOVERNMENT_INSPECTION)
    actions.do_start_rectification(inspected, plan=plan, actor=qiye1, at=at(today - dt.timedelta(days=19), 10))
    actions.do_add_hazard_photo(inspected, upload=_photo(after), stage=PhotoStage.AFTER, actor=qiye1)
    actions.do_submit_rectification(
        inspected, rectification="探头已全部更换并校验合格", actor=qiye1, at=at(today - dt.timedelta(days=2), 16)
    )
    extension = register(qiye1, 7, 15, 4)
    actions.do_start_rectification(extension, plan=plan, actor=qiye1, at=at(today - dt.timedelta(days=14), 10))
    actions.do_request_extension(
        extension,
        deadline=today + dt.timedelta(days=25),
        reason="备用泵电机返厂维修，需 20 天",
        actor=qiye1,
        at=at(today - dt.timedelta(days=1), 9),
    )
    register(wangge1, 2, 3, None, source=HazardSource.GRID_PATROL)
    description, location, type_code, management, cause = MAJOR_FINDINGS["01"][0]
    major = actions.do_register_hazard(
        enterprise,
        data={
            "level": HazardLevel.MAJOR,
            "source": HazardSource.GOVERNMENT_INSPECTION,
            "hazard_type": types[type_code],
            "management_class": ManagementClass(management),
            "description": description,
            "location": location,
            "cause": cause,
            "found_on": today - dt.timedelta(days=45),
            "deadline": today + dt.timedelta(days=45),
        },
        actor=yingji,
        photos=[_photo(before)],
        at=at(today - dt.timedelta(days=45), 10),
    )
    _major_papers(major, qiye1, User.objects.get(username="anweiban"), rng, major.found_on, today, suspend=False)
    actions.do_start_rectification(
        major,
        plan={**plan, "funds": Decimal("1200000"), "measures": "实施自动化控制改造，增设紧急切断和安全仪表系统"},
        actor=qiye1,
        at=at(today - dt.timedelta(days=40), 10),
    )
    return made + 8


def seed_periodic_reports(rng: random.Random, today: dt.date) -> dict[str, int]:
    """The last two quarters' and last year's statistics reports: most enterprises submitted, some late, some
    not at all (the government page's "not submitted" list); the featured enterprise leaves the latest open."""
    from anjian.hazards.reports import do_prepare_periodic_report, do_submit_periodic_report, recent_periods

    scan = _jpeg((245, 245, 240), "signed")
    recent = recent_periods(today)
    periods = [recent[0], recent[1], recent[-1]]  # the last two quarters and the last year
    counts = {"submitted": 0, "late": 0, "missing": 0}
    managers = {
        u.enterprise_id: u
        for u in User.objects.filter(kind=UserKind.ENTERPRISE, role=UserRole.SAFETY_OFFICER).order_by("-username")
    }
    featured = Enterprise.objects.get(name="江西鑫源化工有限公司")
    for enterprise in Enterprise.objects.exclude(status=EnterpriseStatus.CLOSED).order_by("pk"):
        manager = managers.get(enterprise.pk)
        if manager is None:
            continue
        for chosen in periods:
            if enterprise.pk == featured.pk and chosen == periods[0]:
                continue  # qiye1 prepares and submits this one in the tour
            roll = rng.random()
            if roll < 0.08 or (chosen.due_on >= today and roll < 0.3):
                counts["missing"] += 1
                continue
            late = roll < 0.2
            day = (
                chosen.due_on + dt.timedelta(days=rng.randrange(1, 20))
                if late
                else chosen.due_on - dt.timedelta(days=rng.randrange(0, 12))
            )
            day = min(day, today)
            report = do_prepare_periodic_report(enterprise, chosen, actor=manager, today=today)
            do_submit_periodic_report(
                report,
                signed_scan=_photo(scan),
                principal_name=enterprise.principal_name or manager.name,
                actor=manager,
                at=timezone.make_aware(dt.datetime.combine(day, dt.time(16, rng.randrange(60)))),
            )
            counts["late" if late and day > chosen.due_on else "submitted"] += 1
    return counts
