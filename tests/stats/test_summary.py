"""Generated work summaries: every figure equals /api/v1/stats/... for the same region and period; the Word file
opens in LibreOffice and the PDF embeds its Chinese fonts, both with the title and the 总体情况 sentence on page 1;
Markdown from the command; the page's scoping, downloads (audited) and 下步工作 editor; findings appear exactly
when their condition holds; and the phrasing rules, one by one."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.stats.cube import Change, DepartmentRectification, EnterpriseOverdue, HazardRow, same_period_last_year
from anjian.stats.hazards import HazardFigures
from anjian.stats.inspections import InspectionFigures
from anjian.stats.models import SummaryTemplate
from anjian.stats.summary import phrasing as say
from anjian.stats.summary.access import system_reader
from anjian.stats.summary.compose import build_summary
from anjian.stats.summary.document import Summary
from anjian.stats.summary.figures import Facts, gather
from anjian.stats.summary.findings import THRESHOLDS, Words, findings
from anjian.stats.summary.periods import PeriodKind, last_quarter, last_year, period_of, this_year
from anjian.stats.summary.render import render_docx, render_markdown, render_pdf
from anjian.stats.summary.templates import DEFAULT_BODY
from tests.conftest import sign_in_as
from tests.hazards.helpers import generate
from tests.office import printed_pages
from tests.stats.test_inspections import END, START
from tests.stats.test_inspections import build as build_enforcement
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COUNTY = "360431000000"
LAST_YEAR = last_year(TODAY)
PERIODS = [
    (START, END),  # the enforcement records' period, unaligned: the ledger answers
    LAST_YEAR,  # a calendar year: the rollups answer
    (TODAY.replace(day=1) - dt.timedelta(days=180), TODAY),  # up to today
]


# --- the records ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A year and more of hazards over the world's enterprises, and inspections, documents and penalty cases in
    [START, END], built once for the module in a transaction rolled back at the end."""
    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        generate(world)
        build_enforcement(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def client_for(client: Client, ledger: World) -> Callable[[str], Client]:
    return sign_in_as(client, ledger)


def county_summary(
    ledger: World, username: str = "anweiban", period: tuple[dt.date, dt.date] = (START, END)
) -> Summary:
    return build_summary(ledger.users[username], ledger.regions["county"], *period)


def overview_sentence(summary: Summary) -> str:
    """The 总体情况's first sentence."""
    section = summary.section("overview")
    assert section is not None
    return section.paragraphs[0].text.split("。")[0] + "。"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- every figure equals the API's ----------------------------------------------------------------------------


def api(client: Client, endpoint: str, start: dt.date, end: dt.date, **extra: Any) -> dict[str, Any]:
    params = {"start": start.isoformat(), "end": end.isoformat(), **extra}
    response = client.get(f"/api/v1/stats/{endpoint}", params)
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


def same(answered: Any, exact: Any) -> bool:
    if exact is None or answered is None:
        return answered is exact
    if isinstance(exact, Decimal):
        return Decimal(str(answered)) == exact
    return bool(answered == exact)


@pytest.mark.parametrize("username", ["anweiban", "yingji"])
@pytest.mark.parametrize("period", PERIODS, ids=["unaligned", "last-year", "to-today"])
def test_every_figure_equals_the_api(
    ledger: World, client_for: Callable[[str], Client], username: str, period: tuple[dt.date, dt.date]
) -> None:
    """Field by field: the 附表's exact figures against /stats/hazards (this period and a year before),
    /stats/inspections and /stats/crackdown for the same reader, region and period."""
    summary = county_summary(ledger, username, period)
    client = client_for(username)
    start, end = period
    answers = {
        ("hazards", False): api(client, "hazards", start, end, region=COUNTY),
        ("hazards", True): api(client, "hazards", *same_period_last_year(start, end), region=COUNTY),
        ("inspections", False): api(client, "inspections", start, end, region=COUNTY),
        ("crackdown", False): api(client, "crackdown", start, end, region=COUNTY),
    }
    assert len(summary.figures) >= 30
    for figure in summary.figures:
        answered: Any = answers[(figure.endpoint, figure.previous)]
        for part in figure.field.split("."):
            answered = answered[part]
        assert same(answered, figure.value), f"{figure.label}: summary {figure.value}, API {answered}"
        if figure.endpoint == "crackdown":  # the enforcement endpoint answers the same tallies
            assert same(answers[("inspections", False)][figure.field], figure.value)
    # The table of the 附表 shows them, and the text quotes them.
    table = summary.tables[0]
    assert [row[0] for row in table.rows] == [f.label for f in summary.figures]
    hazards = answers[("hazards", False)]
    text = "".join(p.full for s in summary.sections for p in s.paragraphs)
    if hazards["found"]:
        assert f"共排查发现各类安全隐患{hazards['found']}处" in text
        assert f"已整改{hazards['rectified']}处" in text
        assert say.rectification(Decimal(str(hazards["rectification_rate"]))) in text
    assert say.about(hazards["found"], "处") in overview_sentence(summary) or not hazards["found"]


def test_breakdowns_equal_the_api(ledger: World, client_for: Callable[[str], Client]) -> None:
    """Each town's row, and each enterprise named for its overdue hazards, against the API narrowed to it."""
    client = client_for("anweiban")
    facts = gather(ledger.users["anweiban"], ledger.regions["county"], START, END)
    assert len(facts.by_subregion) == 2
    for row in facts.by_subregion:
        answer = api(client, "hazards", START, END, region=row.key.ljust(12, "0"))
        assert (row.found, row.rectified, row.major_found, row.overdue_open) == (
            answer["found"],
            answer["rectified"],
            answer["major_found"],
            answer["overdue_open"],
        )
    assert sum(e.overdue_open for e in facts.overdue_enterprises) == facts.hazards.overdue_open > 0
    for named in facts.overdue_enterprises:
        answer = api(client, "hazards", START, END, region=COUNTY, enterprise=named.enterprise_id)
        assert named.overdue_open == answer["overdue_open"]
    by_source = {row.key: row.found for row in facts.by_source}
    assert sum(by_source.values()) == facts.hazards.found


def test_the_system_reads_what_the_administrator_reads(ledger: World) -> None:
    """The command line computes as the system: everything in the region, as the administrator sees it."""
    county = ledger.regions["county"]
    as_system = build_summary(system_reader(), county, START, END)
    as_admin = build_summary(ledger.users["admin"], county, START, END)
    assert [f.value for f in as_system.figures] == [f.value for f in as_admin.figures]
    assert as_system.sections == as_admin.sections


def test_the_summary_reads_like_the_sources(ledger: World) -> None:
    summary = county_summary(ledger, period=LAST_YEAR)
    year = LAST_YEAR[0].year
    assert summary.title == f"安澜县{year}年安全生产工作总结"
    assert summary.period.kind == PeriodKind.YEAR
    headings = [s.heading for s in summary.sections]
    assert headings == ["一、总体情况", "二、隐患排查治理", "三、监管执法与打非治违", "四、存在问题", "五、下步工作"]
    assert overview_sentence(summary).startswith(f"{year}年，")
    hazards = summary.section("hazards")
    assert hazards is not None
    assert [p.lead for p in hazards.paragraphs] == [
        "（一）隐患排查整改情况。",
        "（二）分地区情况。",
        "（三）隐患来源。",
        "（四）隐患类别。",
    ]
    assert "企业自查自报隐患" in hazards.paragraphs[2].text and "政府部门执法检查" in hazards.paragraphs[2].text
    steps = summary.section("next_steps")
    assert steps is not None and steps.paragraphs[0].text.startswith("下一步，安澜县将")
    assert steps.paragraphs[1].lead == "（一）压实安全生产责任。"
    assert [t.key for t in summary.tables][:3] == ["figures", "subregions", "kinds"]


def test_the_query_count_is_bounded(ledger: World, django_assert_max_num_queries: Any) -> None:
    county_summary(ledger)  # the user's scope, the region's ancestors: cached or cheap after the first time
    # Totals this year and last, five breakdowns, enforcement (six), departments (three), the lagging ones, the
    # overdue enterprises, the 下步工作 template and the region's ancestors: a fixed number, whatever the data.
    with django_assert_max_num_queries(26):
        county_summary(ledger)


# --- the files -----------------------------------------------------------------------------------------------


def test_the_word_file_opens_with_the_title_and_overview_on_page_one(ledger: World, tmp_path: Path) -> None:
    summary = county_summary(ledger, period=LAST_YEAR)
    pages = printed_pages(render_docx(summary), ".docx", tmp_path)
    first = squeeze(pages[0])
    assert squeeze(summary.title) in first
    assert squeeze(overview_sentence(summary)) in first
    assert "附表" in squeeze("".join(pages[1:]))
    assert squeeze(summary.figures[0].label) in squeeze("".join(pages))


def embedded_fonts(pdf: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, timeout=60).stdout.decode()
    return [line.split()[0] for line in listing.splitlines()[2:] if line.split()[-5] == "yes"]


def test_the_pdf_embeds_noto_cjk_and_holds_the_same_text(ledger: World, tmp_path: Path) -> None:
    summary = county_summary(ledger, period=LAST_YEAR)
    path = tmp_path / "summary.pdf"
    path.write_bytes(render_pdf(summary))
    fonts = embedded_fonts(path)
    assert any("Noto-Serif-CJK-SC" in f for f in fonts) and any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, timeout=60).stdout.decode()
    first = squeeze(text.split("\f")[0])
    assert squeeze(summary.title) in first
    assert squeeze(overview_sentence(summary)) in first
    whole = squeeze(text)
    for section in summary.sections:
        assert squeeze(section.heading) in whole
        for paragraph in section.paragraphs:
            assert squeeze(paragraph.full)[:40] in whole


def test_markdown_holds_every_paragraph_and_table(ledger: World) -> None:
    summary = county_summary(ledger)
    markdown = render_markdown(summary)
    assert markdown.startswith(f"# {summary.title}\n")
    for section in summary.sections:
        assert f"## {section.heading}" in markdown
    assert "**（一）隐患排查整改情况**。" in markdown  # the bold closes before the full stop (CommonMark)
    assert markdown.count("### 附表") == len(summary.tables)
    assert "| 发现隐患（处） |" in markdown


# --- the command -----------------------------------------------------------------------------------------------


def test_the_command_writes_markdown_to_standard_output(ledger: World) -> None:
    out = io.StringIO()
    start, end = LAST_YEAR
    args = ["--region", COUNTY, "--from", start.isoformat(), "--to", end.isoformat(), "--format", "md"]
    call_command("summary", *args, stdout=out, stderr=io.StringIO())
    markdown = out.getvalue()
    summary = build_summary(system_reader(), Region.objects.get(code=COUNTY), start, end)
    assert markdown.startswith(f"# {summary.title}")
    assert overview_sentence(summary) in markdown
    assert AuditEvent.objects.filter(event=EventCode.EXPORT, target_id=COUNTY, actor_username="system").exists()


def test_the_command_writes_files_and_refuses_what_it_cannot_do(ledger: World, tmp_path: Path) -> None:
    start, end = (START.isoformat(), END.isoformat())
    target = tmp_path / "summary.docx"
    base = ["--region", COUNTY, "--from", start, "--to", end]
    call_command(
        "summary", *base, "--format", "docx", "--output", str(target), "--user", "anweiban", stderr=io.StringIO()
    )
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="needs --output"):
        call_command("summary", *base, "--format", "pdf")
    with pytest.raises(CommandError, match="scope of zhen1"):
        call_command("summary", *base, "--user", "zhen1")
    with pytest.raises(CommandError, match="before"):
        call_command("summary", "--region", COUNTY, "--from", end, "--to", start)


# --- the page ------------------------------------------------------------------------------------------------


def test_the_page_shows_last_years_summary_of_the_readers_territory(
    ledger: World, client_for: Callable[[str], Client]
) -> None:
    response = client_for("anweiban").get("/summaries/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"安澜县{LAST_YEAR[0].year}年安全生产工作总结" in page
    assert 'data-testid="download-docx"' in page and 'data-testid="edit-next-steps"' in page
    town = client_for("zhen1").get("/summaries/").content.decode()
    assert f"青山镇{LAST_YEAR[0].year}年安全生产工作总结" in town
    assert 'data-testid="edit-next-steps"' in town  # its own town's 安委办


def test_a_custom_period(ledger: World, client_for: Callable[[str], Client]) -> None:
    client = client_for("yingji")
    query = {"region": COUNTY, "period": "custom", "start": START.isoformat(), "end": END.isoformat()}
    page = client.get("/summaries/", query).content.decode()
    assert county_summary(ledger, "yingji").title in page
    assert 'data-testid="edit-next-steps"' not in page  # an inspector reads; the 安委办 writes
    wrong = client.get("/summaries/", {**query, "end": (START - dt.timedelta(days=1)).isoformat()})
    assert wrong.status_code == 200 and 'data-testid="summary-preview"' not in wrong.content.decode()


@pytest.mark.parametrize(
    ("username", "region"),
    [("zhen1", "county"), ("neighbour_officer", "county"), ("yingji", "neighbour_county"), ("zhen1", "town2")],
)
def test_a_region_outside_the_readers_scope_is_404(
    ledger: World, client_for: Callable[[str], Client], username: str, region: str
) -> None:
    client = client_for(username)
    query = {"region": ledger.regions[region].code, "period": "last_year"}
    assert client.get("/summaries/", query).status_code == 404
    assert client.get("/summaries/download/pdf/", query).status_code == 404
    assert client.get(f"/summaries/next-steps/{ledger.regions[region].code}/").status_code == 404


@pytest.mark.parametrize("username", ["qiye1", "zhigong1", "wangge1", "auditor"])
def test_who_reads_no_summaries_gets_404(ledger: World, client_for: Callable[[str], Client], username: str) -> None:
    assert client_for(username).get("/summaries/").status_code == 404


def test_the_navigation_links_the_page_for_government(ledger: World, client_for: Callable[[str], Client]) -> None:
    assert 'href="/summaries/"' in client_for("anweiban").get("/").content.decode()
    assert 'href="/summaries/"' not in client_for("qiye1").get("/").content.decode()


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("md", "text/markdown; charset=utf-8", "# 安澜县".encode()),
    ],
)
def test_downloads_are_files_and_audited(
    ledger: World, client_for: Callable[[str], Client], fmt: str, content_type: str, magic: bytes
) -> None:
    query = {"region": COUNTY, "period": "custom", "start": START.isoformat(), "end": END.isoformat()}
    response = client_for("anweiban").get(f"/summaries/download/{fmt}/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[: len(magic)] == magic  # type: ignore[attr-defined]
    event = AuditEvent.objects.filter(event=EventCode.EXPORT, target_id=COUNTY).latest("id")
    assert event.actor == ledger.users["anweiban"]
    assert event.new == {"document": "work_summary", "format": fmt, "start": START.isoformat(), "end": END.isoformat()}


def test_an_unknown_format_is_404(ledger: World, client_for: Callable[[str], Client]) -> None:
    assert client_for("anweiban").get("/summaries/download/xlsx/", {"region": COUNTY}).status_code == 404


# --- 下步工作 --------------------------------------------------------------------------------------------------


def next_steps_of(summary: Summary) -> list[str]:
    section = summary.section("next_steps")
    assert section is not None
    return [p.full for p in section.paragraphs]


def test_the_committee_office_edits_its_regions_next_steps(ledger: World, client_for: Callable[[str], Client]) -> None:
    county = ledger.regions["county"]
    client = client_for("anweiban")
    url = f"/summaries/next-steps/{county.code}/"
    form = client.get(url, {"period_kind": ""})
    assert form.status_code == 200 and DEFAULT_BODY.splitlines()[1] in form.content.decode()
    body = "{next_year}年，{region}将聚焦{whole}重点行业领域。\n（一）狠抓隐患销号。逾期隐患逐条清零。\n{unknown}"
    response = client.post(url, {"period_kind": "", "body": body})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(event=EventCode.CONFIG_CHANGED).latest("id")
    assert event.actor == ledger.users["anweiban"] and event.new is not None and event.new["body"] == body
    year = LAST_YEAR[0].year
    assert next_steps_of(county_summary(ledger, period=LAST_YEAR)) == [
        f"{year + 1}年，安澜县将聚焦全县重点行业领域。",
        "（一）狠抓隐患销号。逾期隐患逐条清零。",
        "{unknown}",
    ]
    # A town without its own text inherits the county's; one for the kind of period wins over one for any.
    town = build_summary(ledger.users["zhen1"], ledger.regions["town1"], *LAST_YEAR)
    assert next_steps_of(town)[0] == f"{year + 1}年，青山镇将聚焦全镇重点行业领域。"
    client.post(url, {"period_kind": PeriodKind.YEAR, "body": "年度：{period}。"})
    assert next_steps_of(county_summary(ledger, period=LAST_YEAR)) == [f"年度：{year}年。"]
    assert next_steps_of(county_summary(ledger))[0].startswith(f"{END.year + 1}年，安澜县")
    # Back to the inherited text.
    client.post(url, {"period_kind": PeriodKind.YEAR, "reset": "1"})
    client.post(url, {"period_kind": "", "reset": "1"})
    assert not SummaryTemplate.objects.filter(region=county).exists()
    assert next_steps_of(county_summary(ledger))[0].startswith("下一步，安澜县将坚持")


def test_only_the_regions_committee_office_edits_it(ledger: World, client_for: Callable[[str], Client]) -> None:
    county = ledger.regions["county"].code
    assert client_for("yingji").get(f"/summaries/next-steps/{county}/").status_code == 403
    assert client_for("yingji").post(f"/summaries/next-steps/{county}/", {"body": "x"}).status_code == 403
    assert client_for("zhen1").get(f"/summaries/next-steps/{county}/").status_code == 404
    town = ledger.regions["town1"].code
    assert client_for("anweiban").get(f"/summaries/next-steps/{town}/").status_code == 403
    assert not SummaryTemplate.objects.exists()


def test_the_administrator_keeps_the_default_text(ledger: World) -> None:
    SummaryTemplate.objects.create(region=None, body="默认：{region}{period}。")
    assert next_steps_of(county_summary(ledger)) == [f"默认：安澜县{period_of(START, END).name}。"]


# --- findings ------------------------------------------------------------------------------------------------

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
WORDS = Words(whole="全县", period="2025年", end="2025年12月31日", whole_year=True)


def hazard_figures(**values: Any) -> HazardFigures:
    base = {"found": 200, "rectified": 196, "major_found": 2, "major_rectified": 2, "overdue_open": 0}
    base.update(values)
    found, rectified = base["found"], base["rectified"]
    rate = (Decimal(rectified) / Decimal(found)).quantize(Decimal("0.0001")) if found else None
    return HazardFigures(start=YEAR[0], end=YEAR[1], rectification_rate=rate, **base)


def row(key: str, label: str, found: int, overdue: int = 0, major: int = 0) -> HazardRow:
    return HazardRow(key, label, found, found, Decimal(1) if found else None, major, major, overdue)


def enforcement(inspected: int = 80, in_scope: int = 100) -> InspectionFigures:
    zero: dict[str, Any] = dict.fromkeys(
        (
            "hazards_found_by_inspection",
            "documents_issued",
            "cases_decided",
            "illegal_acts",
            "violations",
            "suspended_enterprises",
            "licences_withheld_or_revoked",
            "closed_enterprises",
            "criminal_persons",
        ),
        0,
    )
    return InspectionFigures(
        start=YEAR[0],
        end=YEAR[1],
        visits=inspected * 2,
        enterprises_inspected=inspected,
        enterprises_in_scope=in_scope,
        coverage=(Decimal(inspected) / Decimal(in_scope)).quantize(Decimal("0.0001")),
        documents_by_kind={},
        fines_yuan=Decimal(0),
        fines_wan=Decimal(0),
        **zero,
    )


def healthy() -> Facts:
    """A year in which nothing calls for a finding."""
    return Facts(
        region=Region(code=COUNTY, name="安澜县", level=RegionLevel.COUNTY),
        start=YEAR[0],
        end=YEAR[1],
        hazards=hazard_figures(),
        previous=hazard_figures(),
        by_subregion=[row("360431101", "青山镇", 120), row("360431102", "白石镇", 80)],
        by_source=[],
        by_type=[],
        by_management=[row("thing", "", 100), row("person", "", 50), row("management", "", 50)],
        by_level=[row("general", "", 198), row("major", "", 2, major=2)],
        enforcement=enforcement(),
        departments=[],
        rectification_by_department=[DepartmentRectification(1, "安澜县住建局", 10, 9, Decimal("0.9000"), 0)],
        overdue_enterprises=[],
    )


def keys(facts: Facts, words: Words = WORDS) -> list[str]:
    return [f.key for f in findings(facts, words)]


def test_a_healthy_year_has_no_findings() -> None:
    assert keys(healthy()) == []


def test_overdue_hazards_make_a_finding_naming_where_they_gather() -> None:
    facts = healthy()
    overdue = replace(
        facts,
        hazards=hazard_figures(overdue_open=5),
        previous=hazard_figures(overdue_open=5),
        by_subregion=[row("360431101", "青山镇", 120, overdue=4), row("360431102", "白石镇", 80, overdue=1)],
        by_level=[row("general", "", 198, overdue=4), row("major", "", 2, overdue=1, major=2)],
        overdue_enterprises=[
            EnterpriseOverdue(7, "江西鑫源化工有限公司", "工业园社区", 3, 1, dt.date(2025, 10, 1)),
            EnterpriseOverdue(8, "白石机械制造有限公司", "白石社区", 1, 0, dt.date(2025, 11, 1)),
        ],
    )
    (finding,) = findings(overdue, WORDS)
    assert finding.title == "隐患整改不够及时"
    assert finding.text.startswith(
        "截至2025年12月31日，全县仍有逾期未整改隐患5处（其中重大隐患1处），其中青山镇4处，占80.0%"
    )
    assert "江西鑫源化工有限公司（3处）" in finding.text and "白石机械" not in finding.text  # one overdue: not "many"
    spread = replace(
        overdue, by_subregion=[row("a", "甲镇", 10, overdue=1), *[row(str(n), f"{n}镇", 10, 1) for n in range(4)]]
    )
    assert "占" not in findings(spread, WORDS)[0].text  # 20 % each: 40 % needed to name a town
    assert keys(replace(overdue, hazards=hazard_figures(overdue_open=0))) == []


def test_open_major_hazards_make_a_finding() -> None:
    assert keys(replace(healthy(), hazards=hazard_figures(major_rectified=1))) == ["major_open"]
    assert keys(replace(healthy(), hazards=hazard_figures(major_found=3, major_rectified=3))) == []


def test_few_management_defects_make_the_shallow_investigation_finding() -> None:
    facts = healthy()
    shallow = replace(facts, by_management=[row("thing", "", 140), row("person", "", 50), row("management", "", 10)])
    (finding,) = findings(shallow, WORDS)
    assert finding.title == "隐患排查能力有待提高"
    assert "物的不安全状态140处、人的不安全行为50处，合计占95.0%；管理缺陷仅10处，占5.0%" in finding.text
    assert "查细小问题多、查大系统大隐患少" in finding.text
    at_threshold = replace(
        facts, by_management=[row("thing", "", 110), row("person", "", 50), row("management", "", 40)]
    )
    assert keys(at_threshold) == []  # 20 % is enough
    few = replace(shallow, hazards=hazard_figures(found=19, rectified=19))
    assert "shallow_investigation" not in keys(few)  # too few hazards to judge


def test_a_department_far_below_the_regions_rate_is_named() -> None:
    lagging = DepartmentRectification(2, "安澜县工业和信息化局", 10, 7, Decimal("0.7000"), 3)
    facts = replace(healthy(), rectification_by_department=[lagging, *healthy().rectification_by_department])
    (finding,) = findings(facts, WORDS)
    assert finding.text.startswith("安澜县工业和信息化局检查发现隐患10处，整改率仅为70.0%，低于全县平均水平（98.0%）")
    assert "住建局" not in finding.text  # 90 % is within 10 points of 98 %
    few = replace(lagging, found=4)
    assert keys(replace(healthy(), rectification_by_department=[few])) == []


def test_low_coverage_is_judged_against_the_periods_length() -> None:
    low = replace(healthy(), enforcement=enforcement(inspected=30))
    (finding,) = findings(low, WORDS)
    assert finding.text.startswith("本期共检查企业30家，占应检查企业（100家）的30.0%，仍有70家企业未开展执法检查")
    quarter = replace(low, start=dt.date(2025, 10, 1))  # 0.6 × 92/365 ≈ 0.15 needed
    assert keys(quarter) == []


def test_a_rise_year_on_year_makes_a_finding() -> None:
    facts = healthy()
    rose = replace(facts, hazards=hazard_figures(found=250, rectified=245))
    (finding,) = findings(rose, WORDS)
    assert finding.title == "隐患总量不降反升"
    assert finding.text.startswith("本期发现隐患同比增加50处（上升25%）")
    small_base = replace(rose, previous=hazard_figures(found=5, rectified=5))
    assert keys(small_base) == []
    overdue = replace(facts, hazards=hazard_figures(overdue_open=0), previous=hazard_figures(overdue_open=0))
    assert keys(overdue) == []
    more_overdue = replace(facts, previous=hazard_figures(overdue_open=0), hazards=hazard_figures(overdue_open=0))
    assert "rising" not in keys(more_overdue)
    risen = findings(replace(facts, hazards=hazard_figures(overdue_open=3)), WORDS)
    assert [f.key for f in risen] == ["overdue", "rising"] and risen[1].title == "逾期隐患有所增加"


def test_thresholds_are_data() -> None:
    assert set(THRESHOLDS) >= {"overdue_concentration_share", "management_share_max", "lagging_gap"}
    facts = replace(healthy(), enforcement=enforcement(inspected=70))
    assert keys(facts) == []
    assert [f.key for f in findings(facts, WORDS, {"coverage_min_year": Decimal("0.8")})] == ["low_coverage"]


def test_findings_of_the_ledger_appear_in_the_summary(ledger: World) -> None:
    summary = county_summary(ledger)
    problems = summary.section("problems")
    assert problems is not None
    assert [p.lead for p in problems.paragraphs] == [
        f"（{'一二三四五六'[n]}）{f.title}。" for n, f in enumerate(summary.findings)
    ]
    assert "overdue" in [f.key for f in summary.findings]  # the generated ledger leaves hazards overdue


# --- phrasing ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (58, "58"),
        (99, "99"),
        (100, "100"),
        (367, "360余"),
        (360, "360"),
        (1037, "1030余"),
        (1030, "1030"),
        (9999, "9990余"),
        (12345, "12300余"),
        (12300, "12300"),
        (123456, "12.3万余"),
        (1_234_567, "123.4万余"),
        (200_000, "20万"),
    ],
)
def test_counts_round_down_to_tens_with_yu(n: int, expected: str) -> None:
    assert say.approx(n) == expected


def test_counts_with_units() -> None:
    assert say.about(367, "家次") == "360余家次"
    assert say.exact(1014, "处") == "1014处"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.9843"), "98.4%"),
        (Decimal("0.9845"), "98.5%"),
        (Decimal("1"), "100%"),
        (Decimal("1.0000"), "100%"),
        (Decimal("0.9996"), "99.9%"),  # never 100 % short of all
        (Decimal("0"), "0%"),
        (Decimal("0.0004"), "不足0.1%"),
        (Decimal("0.5"), "50.0%"),
        (None, "—"),
    ],
)
def test_rates_one_decimal(value: Decimal | None, expected: str) -> None:
    assert say.percent(value) == expected


def test_rectification_rates_say_da_when_achieved() -> None:
    assert say.rectification(Decimal("0.9843")) == "整改率达98.4%"
    assert say.rectification(Decimal("1")) == "整改率达100%"
    assert say.rectification(Decimal("0.6234")) == "整改率为62.3%"
    assert say.rectification(None) == ""


@pytest.mark.parametrize(
    ("current", "previous", "expected", "count", "ratio"),
    [
        (94, 85, "同比增加9起（上升10.59%）", "同比上升9起", "同比上升10.59%"),
        (11, 25, "同比减少14起（下降56%）", "同比下降14起", "同比下降56%"),
        (3, 8, "同比减少5起（下降62.5%）", "同比下降5起", "同比下降62.5%"),
        (7, 7, "与上年持平", "与上年持平", "与上年持平"),
        (5, 0, "同比增加5起（上年同期为零）", "同比上升5起", "同比增加5起（上年同期为零）"),
    ],
)
def test_year_on_year(current: int, previous: int, expected: str, count: str, ratio: str) -> None:
    change = Change(current, previous)
    assert say.yoy(change, "起") == expected
    assert say.yoy_count(change, "起") == count
    assert say.yoy_ratio(change, "起") == ratio


def test_flat_part_of_a_year_compares_with_the_same_period() -> None:
    assert say.yoy(Change(3, 3), "处", whole_year=False) == "与上年同期持平"


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (Decimal("411000.00"), "41.1万元"),
        (Decimal("1234000"), "123.4万元"),
        (Decimal("76500"), "7.7万元"),  # 7.65, half up
        (Decimal("50000"), "5万元"),
        (Decimal("10000"), "1万元"),
        (Decimal("3500.00"), "3500元"),
        (Decimal("3500.50"), "3500.5元"),
    ],
)
def test_money(yuan: Decimal, expected: str) -> None:
    assert say.money(yuan) == expected


def test_dates_and_places() -> None:
    assert say.date(dt.date(2026, 1, 1)) == "2026年1月1日"
    assert say.whole("安澜县", RegionLevel.COUNTY) == "全县"
    assert say.whole("浔阳区", RegionLevel.COUNTY) == "全区"
    assert say.whole("青山镇", RegionLevel.TOWN) == "全镇"
    assert say.whole("安澜街道", RegionLevel.TOWN) == "全街道"
    assert say.whole("江西省", RegionLevel.PROVINCE) == "全省"
    assert say.subregions(RegionLevel.COUNTY) == "各乡镇（街道）"
    assert say.listing(["甲", "乙", "丙"]) == "甲、乙、丙"


@pytest.mark.parametrize(
    ("start", "end", "kind", "name"),
    [
        ((2026, 1, 1), (2026, 12, 31), PeriodKind.YEAR, "2026年"),
        ((2026, 1, 1), (2026, 6, 30), PeriodKind.HALF_YEAR, "2026年上半年"),
        ((2026, 7, 1), (2026, 12, 31), PeriodKind.HALF_YEAR, "2026年下半年"),
        ((2026, 7, 1), (2026, 9, 30), PeriodKind.QUARTER, "2026年第三季度"),
        ((2026, 1, 1), (2026, 10, 31), PeriodKind.MONTHS, "2026年1—10月"),
        ((2026, 3, 1), (2026, 3, 31), PeriodKind.MONTH, "2026年3月"),
        ((2026, 3, 1), (2026, 5, 31), PeriodKind.OTHER, "2026年3—5月"),
        ((2025, 12, 1), (2026, 2, 28), PeriodKind.OTHER, "2025年12月—2026年2月"),
        ((2026, 3, 5), (2026, 6, 20), PeriodKind.OTHER, "2026年3月5日至6月20日"),
        ((2025, 12, 5), (2026, 2, 3), PeriodKind.OTHER, "2025年12月5日至2026年2月3日"),
    ],
)
def test_periods_are_named_as_reports_name_them(
    start: tuple[int, int, int], end: tuple[int, int, int], kind: PeriodKind, name: str
) -> None:
    period = period_of(dt.date(*start), dt.date(*end))
    assert (period.kind, period.name) == (kind, name)


def test_quick_picks() -> None:
    today = dt.date(2026, 11, 23)
    assert last_year(today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert this_year(today) == (dt.date(2026, 1, 1), today)
    assert last_quarter(today) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert last_quarter(dt.date(2026, 2, 10)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
