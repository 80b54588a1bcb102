"""The 下步工作 (next steps) text of a summary: the nearest region's own template (the region, then its county,
city, province), for the period's kind when one is kept for it, else the shipped default below.

A template is plain text, one paragraph a line; a line opening with "（一）…。" prints its first sentence in bold,
as the source documents set their numbered points. Placeholders: {region} 安澜县, {whole} 全县, {year} the year
the period ends in, {next_year}, {period} 2026年第三季度. Anything else in braces prints as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from anjian.regions.models import Region
from anjian.stats.summary.periods import Period

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("region", "whole", "year", "next_year", "period")

DEFAULT_BODY = """\
下一步，{region}将坚持“人民至上、生命至上”，以防范化解重大安全风险为主线，紧盯隐患排查治理和监管执法两个关键环节，重点做好以下几个方面的工作：
（一）压实安全生产责任。严格落实“党政同责、一岗双责、齐抓共管、失职追责”，按照“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”的要求，推动各成员单位履职尽责，督促企业落实“五落实五到位”主体责任。
（二）深化隐患排查治理。坚持“检查—下指令—督办—验收—摘帽”闭环管理，对逾期未整改隐患逐条督办、限期销号；对重大隐患实行挂牌督办，确保整改措施、责任、资金、时限和预案“五落实”。
（三）提升隐患排查质量。推动企业由查现场表面问题向查管理、查系统转变，加强企业主要负责人和安全管理人员培训，借助第三方服务机构专家力量开展检查会诊，着力发现重大、深层次问题。
（四）保持“打非治违”高压态势。严格执行“四个一律”执法标准，采取定期检查、突击检查和暗查暗访相结合的方式，对高危企业、重大隐患挂牌企业和问题较多的企业加大执法检查力度和频次。
（五）强化应急准备。完善应急预案体系，督促企业开展应急预案演练，加强应急队伍和物资保障，提高事故灾难应急救援能力。"""


@dataclass(frozen=True)
class NextSteps:
    """The text in force for a summary, and where it comes from (None: the shipped default)."""

    body: str
    template: Any  # a SummaryTemplate, or None


def effective(region: Region, kind: str) -> NextSteps:
    """The template of the nearest region that keeps one for summaries of ``kind`` (a ``PeriodKind``; one kept
    for that kind before one for any period), else the shipped default."""
    from anjian.stats.models import SummaryTemplate

    chain = [region.code] + [a.code for a in reversed(region.ancestors())]
    candidates = SummaryTemplate.objects.filter(
        Q(region_id__in=chain) | Q(region__isnull=True), period_kind__in=sorted({kind, ""})
    )

    def rank(row: Any) -> tuple[int, int]:
        depth = chain.index(row.region_id) if row.region_id else len(chain)
        return depth, 0 if row.period_kind else 1

    best = min(candidates, key=rank, default=None)
    return NextSteps(body=best.body if best else DEFAULT_BODY, template=best)


def values(region: Region, period: Period, whole: str) -> dict[str, str]:
    return {
        "region": region.name,
        "whole": whole,
        "year": str(period.end.year),
        "next_year": str(period.end.year + 1),
        "period": period.name,
    }


def fill(body: str, values: dict[str, str]) -> str:
    """The body with its placeholders replaced (unknown ones left as written)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)
