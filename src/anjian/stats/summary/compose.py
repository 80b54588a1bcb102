"""A work summary (工作总结) of a region and period, composed from records in the shape of the source documents:
title; an opening paragraph; 一、总体情况; 二、隐患排查治理; 三、监管执法与打非治违; 四、存在问题 (computed findings);
五、下步工作 (an editable template); then 附表, the exact figure behind every rounded phrase.

The prose is Chinese domain text generated from data, kept here (like ``inspections.documents``) rather than in
the UI catalogue: a summary reads the same whatever language its reader browses in.

Sections are built by the functions of ``SECTIONS`` in order; one returning None is left out and the rest are
numbered 一、二、… as they come. Accidents (事故), emergency drills (应急演练) and training (培训) have no records yet:
when they do, their builders go between 监管执法 and 存在问题 (and may add a clause to the overview)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from anjian.inspections.choices import DocumentKind
from anjian.inspections.documents import DOCUMENT_TITLES
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.stats.cube import HazardRow
from anjian.stats.summary import phrasing as say
from anjian.stats.summary import templates
from anjian.stats.summary.appendix import MANAGEMENT_NAMES, appendix, exact_figures, source_groups
from anjian.stats.summary.document import Figure, Paragraph, Section, Summary, Table
from anjian.stats.summary.figures import Facts, gather
from anjian.stats.summary.findings import Finding, Words, findings
from anjian.stats.summary.periods import Period, period_of

__all__ = ["Figure", "Paragraph", "Section", "Summary", "Table", "build_summary", "compose"]

NUMERALS = "一二三四五六七八九十"
TOP = 3  # how many sub-regions, categories and departments a sentence names
MIN_FOR_RATE_COMPARISON = 5  # a sub-region's rate is compared only from this many hazards found
LEAD = re.compile(r"^(（[一二三四五六七八九十]+）[^。：]*[。：])(.*)$")


@dataclass(frozen=True)
class Context:
    facts: Facts
    words: Words
    period: Period
    region: Region
    findings: list[Finding]
    next_steps: str


Builder = Callable[[Context], list[Paragraph] | None]


# --- sections ----------------------------------------------------------------------------------------------------


def _found_clause(facts: Facts) -> str:
    h = facts.hazards
    major = f"（其中重大隐患{h.major_found}处）" if h.major_found else ""
    return (
        f"发现各类安全隐患{say.about(h.found, '处')}{major}，已整改{say.exact(h.rectified, '处')}，"
        + say.rectification(h.rectification_rate)
    )


def overview(c: Context) -> list[Paragraph]:
    facts, words = c.facts, c.words
    h, e = facts.hazards, facts.enforcement
    clauses = []
    if e.visits:
        clauses.append(f"{words.whole}各级各部门共检查各类生产经营单位{say.about(e.visits, '家次')}")
    if h.found:
        clauses.append(_found_clause(facts))
    if not clauses:
        first = f"{words.period}，{words.whole}暂无隐患排查和执法检查记录。"
    else:
        first = f"{words.period}，" + "，".join(clauses) + "。"
    if e.cases_decided:
        fines = f"，罚款{say.money(e.fines_yuan)}" if e.fines_yuan else ""
        first += f"依法作出行政处罚决定{e.cases_decided}起{fines}。"
    first += (
        f"{words.whole}发现隐患{say.yoy(facts.change('found'), '处', whole_year=words.whole_year)}，"
        f"期末逾期未整改隐患{say.yoy(facts.change('overdue_open'), '处', whole_year=words.whole_year)}。"
    )
    return [Paragraph(first)]


def _top(rows: list[HazardRow], n: int = TOP) -> list[HazardRow]:
    return sorted((r for r in rows if r.found), key=lambda r: (-r.found, r.key))[:n]


def hazards(c: Context) -> list[Paragraph]:
    facts, words = c.facts, c.words
    h = facts.hazards
    whole_year = words.whole_year
    if h.found:
        first = (
            f"{words.period}，{words.whole}共排查发现各类安全隐患{h.found}处，其中一般隐患{h.found - h.major_found}处、"
            f"重大隐患{h.major_found}处；发现隐患{say.yoy(facts.change('found'), '处', whole_year=whole_year)}，"
            f"重大隐患{say.yoy(facts.change('major_found'), '处', whole_year=whole_year)}。"
            f"截至{words.end}，已整改{h.rectified}处，{say.rectification(h.rectification_rate)}"
        )
        if h.major_found:
            first += f"，重大隐患已整改{h.major_rectified}处"
        first += f"；仍有逾期未整改隐患{h.overdue_open}处（含往期排查发现的隐患）。" if h.overdue_open else "。"
    else:
        first = f"{words.period}，{words.whole}未排查发现安全隐患。"
        if h.overdue_open:
            first += f"截至{words.end}，仍有逾期未整改隐患{h.overdue_open}处。"
    paragraphs = [Paragraph(first, "（一）隐患排查整改情况。")]
    if not h.found:
        return paragraphs
    regional = _regional(c)
    if regional:
        paragraphs.append(Paragraph(regional, f"（{NUMERALS[len(paragraphs)]}）分地区情况。"))
    paragraphs.append(Paragraph(_sources(facts), f"（{NUMERALS[len(paragraphs)]}）隐患来源。"))
    paragraphs.append(Paragraph(_kinds(facts), f"（{NUMERALS[len(paragraphs)]}）隐患类别。"))
    return paragraphs


def _regional(c: Context) -> str:
    facts = c.facts
    if c.region.level >= RegionLevel.VILLAGE or len(facts.by_subregion) < 2:
        return ""
    with_hazards = [r for r in facts.by_subregion if r.found]
    noun = say.subregions(c.region.level)
    if len(with_hazards) == 1:
        return f"从{noun}看，本期隐患全部集中在{with_hazards[0].label}。"
    top = _top(facts.by_subregion)
    text = (
        f"从{noun}看，发现隐患较多的是"
        + say.listing(f"{r.label}（{r.found}处）" for r in top)
        + f"，合计占{c.words.whole}的{say.share(sum(r.found for r in top), facts.hazards.found)}"
    )
    rated = [r for r in with_hazards if r.found >= MIN_FOR_RATE_COMPARISON and r.rectification_rate is not None]
    if len(rated) >= 2:
        best = max(rated, key=lambda r: (r.rectification_rate, r.found))
        worst = min(rated, key=lambda r: (r.rectification_rate, -r.found))
        if best.rectification_rate != worst.rectification_rate:
            text += (
                f"；整改率最高的是{best.label}（{say.percent(best.rectification_rate)}），"
                f"最低的是{worst.label}（{say.percent(worst.rectification_rate)}）"
            )
    return text + "。"


def _sources(facts: Facts) -> str:
    found = facts.hazards.found
    parts = []
    for n, (_name, opening, count) in enumerate(source_groups(facts)):
        if count or n < 2:  # self-reported and government-found always: their balance is the point
            parts.append(f"{opening}{count}处，占{say.share(count, found)}")
    return "从隐患来源看，" + "；".join(parts) + "。"


def _kinds(facts: Facts) -> str:
    found = facts.hazards.found
    top = _top(facts.by_type)
    named = say.listing(f"{_type_name(r.label)}隐患{r.found}处（{say.share(r.found, found)}）" for r in top)
    text = f"从隐患类别看，{named}" + ("位居前三" if len(top) == TOP else "")
    classes = {row.key: row.found for row in facts.by_management}
    text += "；从管理分类看，" + "，".join(
        f"{name}{classes.get(key, 0)}处（{say.share(classes.get(key, 0), found)}）"
        for key, name in MANAGEMENT_NAMES.items()
    )
    return text + "。"


def _type_name(label: str) -> str:
    return label if label.endswith(("其他", "类")) else f"{label}类"


def enforcement(c: Context) -> list[Paragraph]:
    facts, words = c.facts, c.words
    e = facts.enforcement
    if e.visits:
        text = (
            f"{words.period}，{words.whole}各级各部门共开展执法检查{e.visits}家次，检查企业{e.enterprises_inspected}家"
        )
        if e.enterprises_in_scope:
            text += f"，占应检查企业（{e.enterprises_in_scope}家）的{say.percent(e.coverage)}"
        text += f"；执法检查发现隐患{e.hazards_found_by_inspection}处。"
    else:
        text = f"{words.period}，{words.whole}未开展执法检查。"
    if e.documents_issued:
        kinds = say.listing(
            f"{DOCUMENT_TITLES[DocumentKind(kind)]}{n}份" for kind, n in e.documents_by_kind.items() if n
        )
        text += f"制发执法文书{e.documents_issued}份，其中{kinds}。"
    active = sorted((d for d in facts.departments if d.visits), key=lambda d: (-d.visits, d.department_id))
    if len(active) > 1:
        text += "从部门看，" + say.listing(f"{d.name}检查{d.visits}家次" for d in active[: TOP + 1]) + "。"
    paragraphs = [Paragraph(text, "（一）执法检查情况。")]
    if e.cases_decided:
        crackdown = (
            f"严格执行“四个一律”执法标准，共作出行政处罚决定{e.cases_decided}起，"
            f"其中打击非法违法行为{e.illegal_acts}起、整治违章违规行为{e.violations}起"
        )
        outcomes = [
            f"责令停产整顿{e.suspended_enterprises}家" if e.suspended_enterprises else "",
            f"暂扣吊销证照{e.licences_withheld_or_revoked}个" if e.licences_withheld_or_revoked else "",
            f"关闭取缔{e.closed_enterprises}家" if e.closed_enterprises else "",
            f"罚款{say.money(e.fines_yuan)}" if e.fines_yuan else "",
            f"追究刑事责任{e.criminal_persons}人" if e.criminal_persons else "",
        ]
        outcomes = [o for o in outcomes if o]
        crackdown += ("；" + "，".join(outcomes) if outcomes else "") + "。"
    else:
        crackdown = "本期未作出行政处罚决定。"
    paragraphs.append(Paragraph(crackdown, "（二）“打非治违”情况。"))
    return paragraphs


def problems(c: Context) -> list[Paragraph]:
    if not c.findings:
        return [
            Paragraph(
                "从本期统计数据看，隐患整改、执法检查等主要指标未见明显异常，但仍需保持清醒头脑，防止麻痹松懈思想抬头。"
            )
        ]
    return [Paragraph(f.text, f"（{NUMERALS[n]}）{f.title}。") for n, f in enumerate(c.findings)]


def next_steps(c: Context) -> list[Paragraph]:
    paragraphs = []
    for line in c.next_steps.splitlines():
        line = line.strip()
        if not line:
            continue
        match = LEAD.match(line)
        paragraphs.append(Paragraph(match.group(2), match.group(1)) if match else Paragraph(line))
    return paragraphs


SECTIONS: tuple[tuple[str, str, Builder], ...] = (
    ("overview", "总体情况", overview),
    ("hazards", "隐患排查治理", hazards),
    ("enforcement", "监管执法与打非治违", enforcement),
    # Accidents, drills and training go here once their records exist.
    ("problems", "存在问题", problems),
    ("next_steps", "下步工作", next_steps),
)


# --- the whole -----------------------------------------------------------------------------------------------


def build_summary(user: Any, region: Region, start: dt.date, end: dt.date) -> Summary:
    """The summary of what ``user`` may see of ``region`` in [start, end]."""
    with translation.override("zh-hans"):
        facts = gather(user, region, start, end)
        return compose(facts, region, period_of(start, end))


def compose(facts: Facts, region: Region, period: Period) -> Summary:
    whole = say.whole(region.name, region.level)
    words = Words(whole=whole, period=period.name, end=say.date(period.end), whole_year=period.whole_year)
    steps = templates.effective(region, period.kind)
    context = Context(
        facts=facts,
        words=words,
        period=period,
        region=region,
        findings=findings(facts, words),
        next_steps=templates.fill(steps.body, templates.values(region, period, whole)),
    )
    sections: list[Section] = []
    for key, heading, build in SECTIONS:
        paragraphs = build(context)
        if paragraphs:
            sections.append(Section(key, f"{NUMERALS[len(sections)]}、{heading}", tuple(paragraphs)))
    figures = exact_figures(facts)
    now = timezone.now()
    intro = (
        f"{period.name}，{region.name}认真贯彻落实安全生产“党政同责、一岗双责、齐抓共管、失职追责”要求，"
        "按照“属地管理”和“管行业必须管安全”的原则，深入开展隐患排查治理和“打非治违”工作。现将有关情况总结如下："
    )
    note = (
        f"说明：本总结由安监平台根据业务记录于{say.date(timezone.localdate(now))}生成。文中“余”表示约数（向下取整），"
        "精确数据见附表；各项数据的统计口径与平台统计接口一致。"
    )
    return Summary(
        title=f"{region.name}{period.name}安全生产工作总结",
        subtitle=f"（{say.date(period.start)}至{say.date(period.end)}）",
        region=region,
        period=period,
        intro=(Paragraph(intro),),
        sections=tuple(sections),
        findings=tuple(context.findings),
        figures=tuple(figures),
        tables=tuple(appendix(facts, region, words, figures)),
        note=note,
        generated_at=now,
        next_steps_template=steps.template,
    )
