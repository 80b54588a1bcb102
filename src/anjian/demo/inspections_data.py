"""The demo year's content: the enterprise the tour features, the wording of findings, notes and measures, and the
penalty cases the year holds (what happened, to whom, with which penalties and how far it went)."""

from __future__ import annotations

from dataclasses import dataclass

from anjian.enterprises.choices import LicenceKind
from anjian.inspections.choices import PenaltyKind, PenaltyStage, ViolationClass

FEATURED = "江西鑫源化工有限公司"

# What an inspector writes when a checklist item fails, by the item's text.
ITEM_NOTES: dict[str, list[str]] = {
    "建立健全全员安全生产责任制并落实到岗位": [
        "全员安全生产责任制未覆盖一线操作岗位，部分岗位职责不清",
        "安全生产责任制未经主要负责人签发，未组织年度考核",
    ],
    "建立安全风险分级管控和隐患排查治理双重预防工作机制": [
        "未开展安全风险辨识评估，风险分级管控清单缺失",
        "隐患排查治理制度未落实，未制定年度排查计划",
    ],
    "如实记录隐患排查治理情况并向从业人员通报": [
        "隐患排查治理台账记录不全，未记录整改验收情况",
        "未向从业人员通报隐患排查治理情况",
    ],
    "从业人员经安全生产教育和培训合格后上岗": [
        "部分新入职员工未经三级安全教育即上岗作业",
        "安全生产教育培训档案不全，年度培训学时不足",
    ],
    "制定生产安全事故应急救援预案并按规定组织演练": [
        "生产安全事故应急预案未按规定备案",
        "本年度未组织应急演练，无演练记录",
    ],
    "消防通道、安全出口畅通，消防设施器材完好有效": [
        "仓库安全出口被货物堵塞，疏散通道不畅",
        "部分灭火器压力不足，未按月检查",
    ],
    "为从业人员提供符合标准的劳动防护用品并监督正确佩戴使用": [
        "打磨岗位作业人员未佩戴防尘口罩、护目镜",
        "未为接触噪声岗位员工配备护耳器",
    ],
    "在有较大危险因素的场所和设施设备上设置明显的安全警示标志": [
        "配电房、储罐区未设置安全警示标志",
        "有限空间入口未设置明显的安全警示标志",
    ],
    "设备设施安全防护装置（防护罩、急停）齐全有效": ["冲床光电保护装置被拆除", "传动皮带防护罩缺失"],
    "电气线路规范敷设，无私拉乱接": ["车间配电箱无门，线路私拉乱接", "移动电源线未使用护套线，绝缘层破损"],
    "危险化学品储存场所分区、分类、分库储存，禁忌物料未混存": [
        "仓库内氧化剂与易燃液体混存",
        "危险化学品仓库超量储存，未分区分类存放",
    ],
    "零售点与居民居住场所保持安全距离，不超量存放": ["零售点店内烟花爆竹堆放超过货架限量"],
    "氨泄漏检测报警装置与事故排风机联动有效": ["氨泄漏检测报警装置未与事故排风机联动"],
    "配备气体检测、通风、呼吸防护和应急救援装备": ["有限空间作业现场未配备气体检测仪和呼吸防护用品"],
}
# Findings of a dust-explosion campaign visit that do not reach the 判定标准 (general hazards).
DUST_NOTES = [
    ("除尘系统", "除尘系统风管内积尘，未按规定定期清理"),
    ("粉尘作业区", "粉尘作业区电气线路未穿管保护"),
    ("粉尘清理台账", "粉尘清理记录不全，未建立清扫台账"),
]
# The findings the county's sites show, by industry category (free findings: what was checked, what was found).
SITE_NOTES: dict[str, list[tuple[str, str]]] = {
    "03": [
        ("排土场", "排土场局部边坡过陡，未按设计分台阶排土"),
        ("井下避灾线路", "井下避灾线路标识缺失"),
        ("尾矿库坝体", "尾矿库浸润线观测设施损坏"),
    ],
    "05": [
        ("基坑临边防护", "深基坑临边防护栏杆未及时恢复"),
        ("塔式起重机", "塔吊高度限位装置失灵"),
        ("高处作业", "外架高处作业人员未系安全带"),
        ("脚手架", "2 号楼脚手架连墙件缺失"),
        ("施工临时用电", "施工现场开关箱未设置漏电保护器"),
    ],
    "06": [
        ("灌装间", "液化气钢瓶与明火距离不足"),
        ("阀门井", "燃气管道阀门井内积水锈蚀"),
        ("送气人员", "瓶装燃气送气员未持证上岗"),
    ],
}
MEASURES = ["立即停止相关作业并组织整改", "更换损坏部件并复核", "修订制度并组织培训", "委托专业单位检测维修"]
CONTINGENCIES = ["整改期间设置警戒并加强巡查", "配备应急物资，明确现场处置措施", "暂停相关作业直至整改完成"]


@dataclass(frozen=True)
class CaseSpec:
    """A penalty case the county's year holds: which department, which kind of enterprise, what was found."""

    department: str  # the department's short name
    industries: tuple[str, ...]  # industry or category codes
    violation: ViolationClass
    finding: str  # the inspection's failed item
    facts: str
    basis: str
    fine: tuple[int, int]
    penalties: tuple[PenaltyKind, ...] = ()
    licence: LicenceKind | None = None
    tag: str = ""


ILLEGAL, IRREGULAR = ViolationClass.ILLEGAL, ViolationClass.IRREGULAR
SUSPEND, CLOSE, WITHHOLD, REVOKE, REFER = (
    PenaltyKind.SUSPENSION,
    PenaltyKind.CLOSURE,
    PenaltyKind.LICENCE_WITHHOLD,
    PenaltyKind.LICENCE_REVOKE,
    PenaltyKind.JUDICIAL_REFERRAL,
)
CASES = [
    # 打非: illegal operation
    CaseSpec(
        "应急局",
        ("0202",),
        ILLEGAL,
        "零售点超出许可范围储存组合烟花，现场存量超过核定限量",
        "超出《烟花爆竹经营（零售）许可证》核定的限量储存烟花爆竹，现场查获超量存放的组合烟花46箱",
        "《烟花爆竹安全管理条例》第三十六条",
        (10000, 20000),
        (WITHHOLD,),
        LicenceKind.FIREWORKS_RETAIL,
    ),
    CaseSpec(
        "应急局",
        ("0202",),
        ILLEGAL,
        "零售点与居住场所设置在同一建筑物内（“三合一”），店内存放烟花爆竹",
        "在居民居住场所同一建筑物内储存、销售烟花爆竹，经责令改正后仍未改正",
        "《烟花爆竹经营许可实施办法》第三十三条、第三十四条",
        (5000, 10000),
        (REVOKE,),
        LicenceKind.FIREWORKS_RETAIL,
    ),
    CaseSpec(
        "应急局",
        ("0201",),
        ILLEGAL,
        "批发仓库实际存药量超过核定药量",
        "批发仓库超过核定药量储存烟花爆竹，1号库房实际存药量约为核定药量的1.6倍",
        "《烟花爆竹安全管理条例》第三十六条",
        (30000, 50000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("0103",),
        ILLEGAL,
        "在未取得危险化学品经营许可的仓库内储存甲醇、丙酮等危险化学品",
        "在许可证载明的储存场所以外的租用仓库内储存甲醇、丙酮等危险化学品约8吨",
        "《危险化学品安全管理条例》第七十七条第三款",
        (50000, 100000),
        (CLOSE,),
    ),
    CaseSpec(
        "应急局",
        ("0103",),
        ILLEGAL,
        "在居民楼底层非法储存、销售危险化学品，现场未采取任何安全措施",
        "在居民楼底层擅自储存、销售液化石油气钢瓶及油漆稀释剂等危险化学品，未采取任何安全措施，"
        "具有发生重大伤亡事故的现实危险",
        "《危险化学品安全管理条例》第七十七条；《中华人民共和国刑法》第一百三十四条之一",
        (50000, 50000),
        (CLOSE, REFER),
    ),
    CaseSpec(
        "应急局",
        ("0101", "0104"),
        ILLEGAL,
        "新建储罐区安全设施未经竣工验收即投入使用",
        "新建甲类储罐区安全设施未经竣工验收合格，擅自投入生产使用",
        "《中华人民共和国安全生产法》第九十八条第四项",
        (50000, 100000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("0101", "0104"),
        ILLEGAL,
        "涂装车间扩建项目安全设施未经设计审查擅自施工并投入使用",
        "涂装车间扩建项目安全设施设计未经审查同意，擅自施工并投入使用",
        "《中华人民共和国安全生产法》第九十八条第二项",
        (50000, 80000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("0102",),
        ILLEGAL,
        "超出许可范围经营硝酸、高锰酸钾等易制爆危险化学品",
        "超出《危险化学品经营许可证》许可范围经营硝酸、高锰酸钾等易制爆危险化学品",
        "《危险化学品安全管理条例》第七十七条第三款",
        (30000, 60000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("0102",),
        ILLEGAL,
        "向不具备购买资质的单位销售易制爆危险化学品，未如实登记流向",
        "向不具有相关许可证件的单位销售易制爆危险化学品，且未如实记录购买单位、品种、数量和用途",
        "《危险化学品安全管理条例》第八十一条、第八十四条",
        (20000, 50000),
    ),
    CaseSpec(
        "应急局",
        ("0301", "0302"),
        ILLEGAL,
        "擅自在设计开采范围外设置开采平台，超层越界开采",
        "未按批准的开采设计组织生产，擅自在设计开采范围外设置开采平台超层越界开采",
        "《中华人民共和国矿山安全法》第四十条；《中华人民共和国安全生产法》第一百零二条",
        (50000, 80000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("04",),
        ILLEGAL,
        "擅自拆除冲床光电保护装置组织生产",
        "擅自拆除冲压设备光电保护装置组织生产，破坏直接关系生产安全的防护设备",
        "《中华人民共和国安全生产法》第九十九条第三项",
        (30000, 50000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("04",),
        ILLEGAL,
        "喷涂车间可燃气体报警装置被关闭，未经审批存放稀释剂",
        "关闭喷涂车间可燃气体报警装置，并在车间内超量存放油漆稀释剂组织生产",
        "《中华人民共和国安全生产法》第九十九条第三项",
        (30000, 50000),
        (SUSPEND,),
    ),
    CaseSpec(
        "应急局",
        ("04",),
        ILLEGAL,
        "未经审批擅自在厂房内储存、使用甲苯等危险化学品",
        "未经审批在生产厂房内设置危险化学品暂存点，储存甲苯、乙酸乙酯约2吨",
        "《中华人民共和国安全生产法》第一百零一条第一项",
        (20000, 40000),
    ),
    CaseSpec(
        "应急局",
        ("0105",),
        ILLEGAL,
        "违规使用塑料桶散装销售汽油，未登记购买人身份信息",
        "违规使用塑料桶散装销售汽油，且未查验、登记购买人身份信息和用途",
        "《危险化学品安全管理条例》第八十一条",
        (10000, 30000),
    ),
    CaseSpec(
        "住建局",
        ("0501",),
        ILLEGAL,
        "项目未取得施工许可证擅自开工建设",
        "未取得建筑工程施工许可证擅自开工建设，主体结构已施工至地上三层",
        "《中华人民共和国建筑法》第六十四条；《建筑工程施工许可管理办法》第十二条",
        (30000, 80000),
        (SUSPEND,),
    ),
    CaseSpec(
        "住建局",
        ("0501", "0502"),
        ILLEGAL,
        "将劳务作业违法分包给不具备资质的个人",
        "将脚手架搭设劳务作业违法分包给不具备相应资质的个人，现场作业人员未经安全教育",
        "《中华人民共和国建筑法》第六十七条；《建设工程质量管理条例》第六十二条",
        (40000, 80000),
        (SUSPEND,),
    ),
    CaseSpec(
        "住建局",
        ("0601",),
        ILLEGAL,
        "向未取得燃气经营许可的个人批发瓶装液化石油气",
        "向未取得燃气经营许可证的个人提供经营性气源，批发瓶装液化石油气120余瓶",
        "《城镇燃气管理条例》第四十五条第二款",
        (10000, 30000),
        (WITHHOLD,),
        LicenceKind.GAS_OPERATION,
    ),
    CaseSpec(
        "住建局",
        ("0601",),
        ILLEGAL,
        "为非自有、超期未检验的液化石油气钢瓶充装",
        "为非自有、超过检验期限的液化石油气钢瓶充装燃气，现场查获超期钢瓶37只",
        "《城镇燃气管理条例》第四十五条",
        (20000, 50000),
        (CLOSE,),
    ),
    # 治违: violations of rules
    CaseSpec(
        "应急局",
        ("04",),
        IRREGULAR,
        "电工、焊工等特种作业人员未取得相应资格上岗作业",
        "安排未取得特种作业操作证的人员从事电焊、电工作业",
        "《中华人民共和国安全生产法》第九十七条第七项",
        (20000, 40000),
    ),
    CaseSpec(
        "应急局",
        ("04",),
        IRREGULAR,
        "有限空间作业未审批，作业现场未设置监护人员",
        "组织污水池有限空间作业未履行审批手续，未执行“先通风、再检测、后作业”，作业现场未设置监护人员",
        "《中华人民共和国安全生产法》第一百零一条；《工贸企业有限空间作业安全规定》",
        (20000, 50000),
        (SUSPEND,),
        tag="confined_space",
    ),
    CaseSpec(
        "应急局",
        ("04",),
        IRREGULAR,
        "粉尘作业现场积尘严重，未落实粉尘清理制度",
        "未落实粉尘清理制度，抛光车间作业现场积尘严重",
        "《工贸企业粉尘防爆安全规定》第三十条",
        (10000, 30000),
        (SUSPEND,),
        tag="dust_explosion",
    ),
    CaseSpec(
        "应急局",
        ("0401", "0402"),
        IRREGULAR,
        "主要负责人、安全生产管理人员未经安全生产知识和管理能力考核合格",
        "主要负责人、安全生产管理人员未按照规定经安全生产知识和管理能力考核合格",
        "《中华人民共和国安全生产法》第九十七条第二项",
        (20000, 40000),
    ),
    CaseSpec(
        "住建局",
        ("0501", "0502"),
        IRREGULAR,
        "深基坑工程未按专项施工方案施工，支护结构出现裂缝",
        "深基坑工程未按照专项施工方案施工，基坑支护结构出现裂缝后仍继续组织作业",
        "《危险性较大的分部分项工程安全管理规定》第三十五条",
        (20000, 50000),
        (SUSPEND,),
    ),
    CaseSpec(
        "住建局",
        ("0501",),
        IRREGULAR,
        "塔式起重机司机、信号司索工未持证上岗",
        "安排未取得建筑施工特种作业人员操作资格证书的人员从事塔式起重机司机、信号司索工作业",
        "《建设工程安全生产管理条例》第六十二条第四项",
        (20000, 50000),
    ),
    CaseSpec(
        "住建局",
        ("0501",),
        IRREGULAR,
        "施工现场临时用电未执行“三级配电、两级保护”",
        "施工现场临时用电未按规定执行“三级配电、两级保护”，开关箱未设置漏电保护器",
        "《建设工程安全生产管理条例》第六十二条",
        (10000, 20000),
    ),
]
# The latest cases are still on their way (days before today they were filed, and where they stop).
RECENT_CASES = [
    (2, PenaltyStage.FILED),
    (4, PenaltyStage.FILED),
    (8, PenaltyStage.NOTIFIED),
    (16, PenaltyStage.HEARING),
    (26, PenaltyStage.DECIDED),
    (32, PenaltyStage.DECIDED),
    (46, PenaltyStage.EXECUTED),
    (56, PenaltyStage.EXECUTED),
]
STAGE_ORDER = [
    PenaltyStage.FILED,
    PenaltyStage.NOTIFIED,
    PenaltyStage.HEARING,
    PenaltyStage.DECIDED,
    PenaltyStage.EXECUTED,
    PenaltyStage.CLOSED,
]
REPORT = {
    "state_and_cause": "监督检查发现该重大事故隐患，系设备设施不符合判定标准、安全投入不足所致",
    "harm_and_difficulty": "一旦引发爆炸或泄漏可能造成群死群伤；整改需停产改造并投入较多资金",
    "approach": "立即停止相关作业，委托专业单位设计改造方案，限期完成治理并组织评估",
}
GOVERNANCE = {
    "objectives": "消除重大事故隐患，达到判定标准要求",
    "methods": "委托有资质的设计、施工单位实施改造，分阶段验收",
    "funding": "企业自筹，专款专用",
    "organisation": "主要负责人任组长，安全、设备部门具体实施",
    "schedule": "按督办期限完成，每周向监管部门报送进度",
    "safety_measures": "治理期间相关区域停止作业，设置警戒，编制专项应急预案",
}
