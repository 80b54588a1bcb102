"""Word pools for the synthetic province: place-name syllables, department names by level, and the short texts a
hazard, an inspection or a penalty case carries. Every name is made up; none is meant to be a real entity.

Industry mixes, company-name templates, hazard findings and penalty cases are not repeated here: the generator
reads the demo county's tables (``anjian.demo``), so both datasets speak the same language.
"""

from __future__ import annotations

from anjian.enterprises.choices import LicenceKind

PROVINCE_NAME = "示范省"  # invented: no province of this name exists
PROVINCE_STEM = "示范"

# First and second syllables of place names (城市、区县、乡镇): combined, they read like ordinary Chinese places.
PLACE_FIRST = (
    "青安平东西南北永长新清宁丰和兴龙凤金玉白黄红云泰德福庆武文"
    "广康定明光华昌建宝吉合乐上大双石桃松柳梅兰竹枫桂荷杨高鹤鹿"
)
PLACE_SECOND = "山水江河湖溪源泉川阳宁安平城州丰和口桥湾岭峰冈坪田林塘洲浦沙坝门关亭庄集堡屯店铺"

# Syllables of trade names (字号) beside the demo's list, for a province's worth of distinct company names.
TRADE_FIRST = "鑫华宏恒金瑞永德富天东新昌嘉汇盛远中佳利万鸿隆正百博同宝晨立安泰润锦双三群腾和信绿红银"
TRADE_SECOND = "源泰达通盛丰兴润强成方港昌禾远航恒美民顺运鑫川创阳新程龙友力飞鹰河星利华茂旺发辉"

ROADS = ("建设路", "人民路", "解放路", "工业大道", "滨河路", "新华路", "园区一路", "园区二路", "文化路", "胜利路")
CHINESE_NUMERALS = "一二三四五六七八九"

# The demo county's departments are named "安澜县…" (REGULATORS in anjian.demo.registry); their city and province
# counterparts, by the same short name. The remit (industries, tags) is the county one at every level.
CITY_REGULATOR_NAMES = {
    "应急局": ("应急管理局", "应急局"),
    "住建局": ("住房和城乡建设局", "住建局"),
    "市场监管局": ("市场监督管理局", "市场监管局"),
    "教体局": ("教育局", "教育局"),
    "商务局": ("商务局", "商务局"),
    "民政局": ("民政局", "民政局"),
    "交通局": ("交通运输局", "交通局"),
    "消防大队": ("消防救援支队", "消防支队"),
    "公安分局": ("公安局", "公安局"),
    "农业农村局": ("农业农村局", "农业农村局"),
    "工信局": ("工业和信息化局", "工信局"),
    "文广旅局": ("文化广电旅游局", "文广旅局"),
}
PROVINCE_REGULATOR_NAMES = {
    "应急局": ("应急管理厅", "应急厅"),
    "住建局": ("住房和城乡建设厅", "住建厅"),
    "市场监管局": ("市场监督管理局", "市场监管局"),
    "教体局": ("教育厅", "教育厅"),
    "商务局": ("商务厅", "商务厅"),
    "民政局": ("民政厅", "民政厅"),
    "交通局": ("交通运输厅", "交通厅"),
    "消防大队": ("消防救援总队", "消防总队"),
    "公安分局": ("公安厅", "公安厅"),
    "农业农村局": ("农业农村厅", "农业农村厅"),
    "工信局": ("工业和信息化厅", "工信厅"),
    "文广旅局": ("文化和旅游厅", "文旅厅"),
}

# Licence numbers: unique per kind by construction ({p}: the province code, {n}: a serial per kind).
LICENCE_NUMBERS = {
    LicenceKind.SAFETY_PRODUCTION: "（示）FM安许证字〔{year}〕{p}{n:06d}号",
    LicenceKind.HAZCHEM_OPERATION: "示安经（乙）字〔{year}〕{p}{n:06d}",
    LicenceKind.HAZCHEM_USE: "示危化使字〔{year}〕{p}{n:06d}",
    LicenceKind.FIREWORKS_WHOLESALE: "示烟批〔{year}〕{p}{n:06d}",
    LicenceKind.FIREWORKS_RETAIL: "示烟零〔{year}〕{p}{n:06d}",
    LicenceKind.CONSTRUCTION_SAFETY: "（示）JZ安许证字〔{year}〕{p}{n:06d}",
    LicenceKind.GAS_OPERATION: "示{year}G{p}{n:06d}",
    LicenceKind.REFINED_OIL_RETAIL: "油零售证书第{p}{n:06d}号",
    LicenceKind.ROAD_TRANSPORT: "示交运管许可字{p}{n:08d}号",
    LicenceKind.SPECIAL_EQUIPMENT: "TS{year}{p}{n:06d}",
    LicenceKind.FIRE_SAFETY: "示消安检字〔{year}〕第{p}{n:06d}号",
    LicenceKind.SCHOOL_RUNNING: "教民1{p}00{n:07d}号",
    LicenceKind.FOOD_BUSINESS: "JY2{p}{n:09d}",
}

# Variants that make the same finding read differently from one enterprise to the next.
LOCATION_DETAILS = ("", "东侧", "西侧", "北侧", "南侧", "二层", "一层", "3号", "A区", "B区")

RECTIFICATIONS = (
    "已按要求整改完毕，经复查符合要求",
    "已更换损坏部件，恢复正常使用",
    "已清理现场并落实日常检查制度",
    "已组织相关人员培训并完善台账",
    "已委托专业单位完成检测维修",
)
INSPECTION_SUMMARIES = ("现场检查发现事故隐患{k}项，已当场告知企业负责人", "检查发现隐患{k}项，责令限期整改")
NO_FINDINGS = "现场检查未发现明显事故隐患"
HANDLINGS = ("责令企业立即整改并报送整改情况", "责令限期整改，到期复查", "督促企业落实隐患排查治理制度")
EXTENSION_REASONS = ("整改所需设备采购周期较长，申请延期", "整改需停产施工，需协调生产计划", "需委托专业单位设计施工")

# A penalty case for an industry the demo's case list does not cover.
GENERIC_FACTS = "未采取措施消除事故隐患，经责令限期整改后逾期未改正"
GENERIC_BASIS = "《中华人民共和国安全生产法》第一百零二条"
