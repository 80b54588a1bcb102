"""What each enforcement document says, filled from the inspection, hazards, reinspection or case behind it.

The content is a plain dict (title, number, issuer, enterprise, sections of paragraphs, officers, date), the same
for every kind, so one Word template and one PDF template render them all (``inspections.rendering``); a kind may
have its own Word template. Wording follows the ministry's 安全生产行政执法文书 templates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.utils import timezone

from anjian.inspections.choices import DocumentKind, InspectionKind, ItemResult, PenaltyKind, ReinspectionResult

# The titles the documents carry, in Chinese whatever language the user reads the site in.
DOCUMENT_TITLES = {
    DocumentKind.SITE_RECORD: "现场检查记录",
    DocumentKind.RECTIFICATION_ORDER: "责令限期整改指令书",
    DocumentKind.REINSPECTION_OPINION: "整改复查意见书",
    DocumentKind.SITE_MEASURES: "现场处理措施决定书",
    DocumentKind.PENALTY_NOTICE: "行政处罚告知书",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
}
# Likewise the penalties named in them.
PENALTY_NAMES = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.SUSPENSION: "责令停产停业整顿",
    PenaltyKind.LICENCE_WITHHOLD: "暂扣",
    PenaltyKind.LICENCE_REVOKE: "吊销",
    PenaltyKind.CLOSURE: "提请关闭",
    PenaltyKind.JUDICIAL_REFERRAL: "移送司法机关追究刑事责任",
}


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def money(amount: Any) -> str:
    return f"{amount:,.2f}元".replace(".00元", "元")


INSPECTION_KIND_NAMES = {
    InspectionKind.ROUTINE: "日常检查",
    InspectionKind.JOINT: "联合检查",
    InspectionKind.UNANNOUNCED: "暗查暗访（四不两直）",
    InspectionKind.KEY_PERIOD: "重点时段检查",
    InspectionKind.RANDOM: "双随机抽查",
    InspectionKind.EXPERT: "专家会诊",
    InspectionKind.STANDARDIZATION: "安全生产标准化评审",
    InspectionKind.SELF: "企业自查",
}


def _officers(inspection: Any) -> list[dict[str, str]]:
    if inspection is None:
        return []
    return [
        {"name": o.display_name, "certificate": o.enforcement_certificate_no}
        for o in inspection.officers.order_by("pk")
    ]


def _reviewer(department: Any) -> str:
    """Where an appeal goes: the government of the department's region (行政复议机关)."""
    return f"{department.region.name}人民政府"


def _base(kind: DocumentKind, department: Any, enterprise: Any, inspection: Any) -> dict[str, Any]:
    return {
        "kind": str(kind.value),
        "title": DOCUMENT_TITLES[kind],
        "number": "",
        "issuer": department.name,
        "enterprise": enterprise.name,
        "address": enterprise.address,
        "principal": enterprise.principal_name,
        "addressee": f"{enterprise.name}：",
        "sections": [],
        "officers": _officers(inspection),
        "date": "",
        "receipt": "被检查单位签收人：__________    日期：____年__月__日",
    }


def _findings(inspection: Any) -> list[str]:
    rows = inspection.results.filter(result=ItemResult.FAIL).select_related("clause__standard")
    lines = []
    for n, row in enumerate(rows, start=1):
        basis = ""
        if row.clause is not None and row.clause.standard.document_no:
            basis = f"（违反{row.clause.standard.document_no or row.clause.standard.title}{row.clause.number}）"
        lines.append(f"{n}. {row.note}{basis}")
    return lines


def site_record(department: Any, inspection: Any, **_: Any) -> dict[str, Any]:
    content = _base(DocumentKind.SITE_RECORD, department, inspection.enterprise, inspection)
    content["addressee"] = ""
    started = timezone.localtime(inspection.started_at)
    finished = timezone.localtime(inspection.completed_at) if inspection.completed_at else None
    when = f"{started:%Y年%m月%d日 %H:%M}" + (f" 至 {finished:%H:%M}" if finished else "")
    results = inspection.results.all()
    counts = {value: sum(1 for r in results if r.result == value) for value in ItemResult.values}
    signer = (
        "被检查单位负责人拒绝签字，已注明。"
        if inspection.signature_refused
        else f"被检查单位负责人：{inspection.enterprise_signer}"
    )
    content["sections"] = [
        {
            "heading": "",
            "paragraphs": [
                f"被检查单位：{inspection.enterprise.name}",
                f"地址：{inspection.place}    主要负责人：{inspection.enterprise.principal_name}",
                f"检查场所：{inspection.place}",
                f"检查时间：{when}",
                f"检查方式：{INSPECTION_KIND_NAMES[InspectionKind(inspection.kind)]}",
            ],
        },
        {
            "heading": "检查情况",
            "paragraphs": [
                f"本次检查按《{inspection.checklist.name if inspection.checklist else '检查表'}》逐项检查"
                f"{len(results)}项，符合{counts[ItemResult.PASS]}项，不符合{counts[ItemResult.FAIL]}项，"
                f"不适用{counts[ItemResult.NOT_APPLICABLE]}项。",
                *(_findings(inspection) or ["未发现问题。"]),
                *([inspection.summary] if inspection.summary else []),
            ],
        },
        {"heading": "处理意见", "paragraphs": [inspection.handling or "无。"]},
        {"heading": "", "paragraphs": [signer]},
    ]
    return content


def rectification_order(
    department: Any, enterprise: Any, hazards: list[Any], deadline: dt.date, inspection: Any = None, **_: Any
) -> dict[str, Any]:
    content = _base(DocumentKind.RECTIFICATION_ORDER, department, enterprise, inspection)
    when = chinese_date(timezone.localdate(inspection.started_at)) if inspection is not None else ""
    content["sections"] = [
        {
            "heading": "",
            "paragraphs": [f"经查，你单位存在下列问题（{when}检查发现）：" if when else "经查，你单位存在下列问题："],
        },
        {"heading": "", "paragraphs": [f"{n}. {h.description}" for n, h in enumerate(hazards, start=1)]},
        {
            "heading": "",
            "paragraphs": [
                "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，责令你单位于"
                f"{chinese_date(deadline)}前整改完毕，达到有关法律法规规章和标准规定的要求。"
                "由此造成事故的，依法追究有关人员的责任。",
                "整改期间，你单位应当采取措施，确保安全生产。对安全不能得到保障的，应当从危险区域内撤出作业人员。",
                f"如果不服本指令，可以依法在六十日内向{_reviewer(department)}申请行政复议，或者在六个月内依法向人民法院"
                "提起行政诉讼，但本指令不停止执行，法律另有规定的除外。",
            ],
        },
    ]
    return content


def reinspection_opinion(department: Any, reinspection: Any, **_: Any) -> dict[str, Any]:
    order = reinspection.order
    content = _base(DocumentKind.REINSPECTION_OPINION, department, reinspection.enterprise, order.inspection)
    rectified = reinspection.result == ReinspectionResult.RECTIFIED
    outcome = (
        "经复查，你单位已按要求完成整改。" if rectified else "经复查，你单位未按要求完成整改，本机关将依法予以处理。"
    )
    content["sections"] = [
        {
            "heading": "",
            "paragraphs": [
                f"本机关于{chinese_date(timezone.localdate(order.issued_at))}作出了《责令限期整改指令书》"
                f"（{order.number}），责令你单位于{chinese_date(order.deadline)}前整改完毕。"
                f"本机关于{chinese_date(reinspection.done_on)}对你单位整改情况进行了复查，提出如下意见：",
            ],
        },
        {"heading": "", "paragraphs": [outcome, *([reinspection.note] if reinspection.note else [])]},
    ]
    return content


def site_measures(department: Any, inspection: Any, measures: str, **_: Any) -> dict[str, Any]:
    content = _base(DocumentKind.SITE_MEASURES, department, inspection.enterprise, inspection)
    content["sections"] = [
        {"heading": "", "paragraphs": ["本机关在现场检查中发现你单位存在下列重大事故隐患："]},
        {"heading": "", "paragraphs": _findings(inspection) or [inspection.summary]},
        {
            "heading": "",
            "paragraphs": [
                "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现决定采取下列现场处理措施：",
                measures,
                "重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。",
                f"如果不服本决定，可以依法在六十日内向{_reviewer(department)}申请行政复议，或者在六个月内依法向人民法院"
                "提起行政诉讼，但本决定不停止执行，法律另有规定的除外。",
            ],
        },
    ]
    return content


def penalty_lines(case: Any) -> list[str]:
    lines = []
    for item in case.items.select_related("licence"):
        text = PENALTY_NAMES[PenaltyKind(item.kind)]
        if item.kind == PenaltyKind.FINE:
            text += f" {money(item.amount)}"
        elif item.licence is not None:
            text += f"《{item.licence.get_kind_display()}》（{item.licence.number}）"
        elif item.persons:
            text += f"（{item.persons}人）"
        lines.append(text)
    return lines


def penalty_notice(department: Any, case: Any, **_: Any) -> dict[str, Any]:
    content = _base(DocumentKind.PENALTY_NOTICE, department, case.enterprise, case.inspection)
    content["sections"] = [
        {"heading": "", "paragraphs": [f"经查，你单位{case.facts}"]},
        {
            "heading": "",
            "paragraphs": [f"以上事实违反了{case.legal_basis or '有关法律法规'}的规定。本机关拟作出以下行政处罚："],
        },
        {"heading": "", "paragraphs": [f"{n}. {line}" for n, line in enumerate(penalty_lines(case), start=1)]},
        {
            "heading": "",
            "paragraphs": [
                "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权进行陈述和申辩；"
                "根据第六十三条、第六十四条的规定，你单位有权在收到本告知书之日起五日内要求听证。"
                "逾期不陈述申辩、不要求听证的，视为放弃上述权利。",
            ],
        },
    ]
    return content


def penalty_decision(department: Any, case: Any, **_: Any) -> dict[str, Any]:
    content = _base(DocumentKind.PENALTY_DECISION, department, case.enterprise, case.inspection)
    content["sections"] = [
        {"heading": "", "paragraphs": [f"案号：{case.case_number}", f"经查，你单位{case.facts}"]},
        {
            "heading": "",
            "paragraphs": [
                f"以上事实违反了{case.legal_basis or '有关法律法规'}的规定。依据有关规定，本机关决定给予以下行政处罚："
            ],
        },
        {"heading": "", "paragraphs": [f"{n}. {line}" for n, line in enumerate(penalty_lines(case), start=1)]},
        {
            "heading": "",
            "paragraphs": [
                "罚款限于收到本决定书之日起十五日内缴至指定银行或者通过电子支付系统缴纳。"
                "逾期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。",
                f"如果不服本决定，可以依法在六十日内向{_reviewer(department)}申请行政复议，或者在六个月内依法向人民法院"
                "提起行政诉讼，但本决定不停止执行，法律另有规定的除外。",
            ],
        },
    ]
    return content


FILLERS = {
    DocumentKind.SITE_RECORD: site_record,
    DocumentKind.RECTIFICATION_ORDER: rectification_order,
    DocumentKind.REINSPECTION_OPINION: reinspection_opinion,
    DocumentKind.SITE_MEASURES: site_measures,
    DocumentKind.PENALTY_NOTICE: penalty_notice,
    DocumentKind.PENALTY_DECISION: penalty_decision,
}


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the content in a canonical form: what the audit log keeps to prove a document never changed."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
