"""Tai'an (泰安市): the fixed part of the demo data.

The headline figures are those of the 2023 report on the city's programme (see domain.md); the
named communities carry what the report says of them. District codes and subdistricts are
real; the neighbourhood committees, streets, companies and every figure not in the report are
plausible, not surveyed. Everything random is derived from these tables by ``generate.py``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Tai'an's administrative code: the generator's fixed seed.
SEED = 370900

# The six headline figures the demo must reproduce exactly (selectors.headline_figures).
HEADLINE = {
    "communities_renovated": 367,
    "renovated_floor_area_m2": Decimal("7530000.00"),
    "households_benefited": 83000,
    "elevators_in_service": 242,
    "children_play_area_m2": Decimal("1100.00"),
    "communities_with_property_service": 360,
}

# The day the report saw the programme: the six headline figures hold exactly as of this day
# (``/api/v1/stats/?as_of=2023-03-25``), whatever day the demo is loaded on.
REPORT_DAY = date(2023, 3, 25)
# Nothing that counts in a headline figure happens from the report day to the end of its month
# (no community completed, elevator put in service, play area opened or service begun), so the
# March 2023 return, which counts up to 31 March, gives the same figures. Later facts start here.
LATER_FROM = date(2023, 4, 1)
# The earliest day the demo can be loaded "as of": it needs a construction season after the
# report for its works under way (``load_demo_data --today`` refuses an earlier day).
EARLIEST_TODAY = date(2024, 1, 1)

# "111 elevators in use at the end of 2020, 242 by March 2023" (the report day).
ELEVATORS_IN_SERVICE_BY_END_OF_2020 = 111
ELEVATORS_ALL_IN_SERVICE_BY = REPORT_DAY

# The batches completed by the report day: 2019–2022 (their works end by REPORT_DAY).
COMPLETED_BATCH_WEIGHTS = {2019: 14, 2020: 24, 2021: 28, 2022: 34}
LAST_COMPLETION = REPORT_DAY
# Later batches, one per year from 2023 to the load day's year: this many communities each
# (split among the districts by their share of the early ones), started in the spring, done
# 150–420 days later. Those done by the load day are completed, those begun at least
# ``LATER_BEGUN_DAYS`` before it are under construction, the rest are not generated (the
# under-construction and planned communities of ``DistrictSpec`` stand for the current season).
FIRST_LATER_BATCH = 2023
LATER_BATCH_SIZE = 40
LATER_BEGUN_DAYS = 75
# There is no fixed last day any more: a step takes "today" from ``city.today`` (see city.py).


@dataclass(frozen=True)
class SubdistrictSpec:
    name: str
    neighbourhoods: tuple[str, ...]


@dataclass(frozen=True)
class DistrictSpec:
    code: str
    name: str
    # Centre of the built-up area and the half-size of the box communities fall in (degrees).
    centre: tuple[float, float]
    spread: tuple[float, float]
    subdistricts: tuple[SubdistrictSpec, ...]
    streets: tuple[str, ...]
    # Place words for "<place>小区/新村/花园/家园" names, and local work units for "…宿舍".
    places: tuple[str, ...]
    work_units: tuple[str, ...] = ()
    # How many communities of each status the district has, named ones included.
    completed: int = 0
    under_construction: int = 0
    planned: int = 0
    not_started: int = 0


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        code="370902",
        name="泰山区",
        centre=(36.192, 117.132),
        spread=(0.026, 0.045),
        subdistricts=(
            SubdistrictSpec(
                "岱庙街道", ("乐园社区", "岱西社区", "东郡社区", "通天街社区", "灵芝社区")
            ),
            SubdistrictSpec(
                "财源街道",
                ("松园社区", "青山新村社区", "三里社区", "教场社区", "财东社区", "灵山社区"),
            ),
            SubdistrictSpec("泰前街道", ("东湖社区", "泰前社区", "天平社区", "虎山社区")),
            SubdistrictSpec("上高街道", ("上高社区", "望岳社区", "仓库社区")),
            SubdistrictSpec("徐家楼街道", ("牡丹社区", "徐家楼社区", "东关社区")),
        ),
        streets=(
            "东岳大街",
            "灵山大街",
            "岱宗大街",
            "泰山大街",
            "财源大街",
            "青年路",
            "迎胜东路",
            "虎山路",
            "龙潭路",
            "望岳东路",
            "擂鼓石大街",
            "通天街",
            "升平街",
            "文化路",
            "温泉路",
            "红门路",
            "岱道庵路",
        ),
        places=(
            "运舟",
            "清真寺",
            "西更道",
            "灵芝",
            "铁路",
            "东郡",
            "明珠",
            "青山",
            "科山",
            "灵山",
            "三里",
            "王庄",
            "教场",
            "旧镇",
            "财源",
            "岱宗",
            "东岳",
            "虎山",
            "龙潭",
            "望岳",
            "擂鼓石",
            "红门",
            "迎春",
            "温泉",
            "升平",
            "通天",
            "泰前",
            "上高",
            "岱阳",
            "东关",
            "徐家楼",
            "金山",
        ),
        work_units=("泰山啤酒厂", "泰山电厂", "市第一人民医院", "泰安师专", "市百货大楼"),
        completed=150,
        under_construction=12,
        planned=10,
        not_started=5,
    ),
    DistrictSpec(
        code="370911",
        name="岱岳区",
        centre=(36.182, 117.035),
        spread=(0.028, 0.038),
        subdistricts=(
            SubdistrictSpec("粥店街道", ("堰岭社区", "粥店社区", "泮河社区", "长城社区")),
            SubdistrictSpec("天平街道", ("天平湖社区", "岳峰社区", "傲徕社区")),
            SubdistrictSpec("北集坡街道", ("北集坡社区", "岱岳社区")),
            SubdistrictSpec("满庄镇", ("满庄社区",)),
        ),
        streets=(
            "长城路",
            "泮河大街",
            "傲徕峰路",
            "天烛峰路",
            "中天门大街",
            "天平湖路",
            "北集坡路",
            "南天门大街",
        ),
        places=(
            "堰岭",
            "粥店",
            "泮河",
            "长城",
            "天平湖",
            "岳峰",
            "傲徕",
            "天烛",
            "北集坡",
            "满庄",
            "徂徕",
            "汶阳",
            "岱岳",
            "山口",
            "南关",
            "凤台",
        ),
        work_units=("岱岳区人民医院", "泰山水泥厂", "泰安第二中学", "岱岳农机公司"),
        completed=72,
        under_construction=9,
        planned=8,
        not_started=4,
    ),
    DistrictSpec(
        code="370921",
        name="宁阳县",
        centre=(35.758, 116.800),
        spread=(0.016, 0.020),
        subdistricts=(
            SubdistrictSpec("文庙街道", ("文庙社区", "七贤社区", "复圣社区")),
            SubdistrictSpec("八仙桥街道", ("八仙桥社区", "金阳社区")),
        ),
        streets=("文化路", "七贤路", "金阳大街", "复圣路", "八仙桥路", "宁阳大街"),
        places=("文庙", "七贤", "复圣", "八仙桥", "金阳", "宁阳", "洸河", "鹤山", "磁窑"),
        work_units=("磁窑电厂", "宁阳县人民医院", "宁阳一中"),
        completed=24,
        under_construction=4,
        planned=4,
        not_started=3,
    ),
    DistrictSpec(
        code="370923",
        name="东平县",
        centre=(35.937, 116.470),
        spread=(0.016, 0.020),
        subdistricts=(
            SubdistrictSpec("东平街道", ("东平社区", "佛山社区", "龙山社区")),
            SubdistrictSpec("州城街道", ("州城社区",)),
            SubdistrictSpec("彭集街道", ("彭集社区",)),
        ),
        streets=("佛山街", "东山路", "西山路", "龙山大街", "东原路", "稻香街"),
        places=("东平", "佛山", "龙山", "东原", "州城", "白佛山", "湖滨", "稻屯", "彭集", "须城"),
        work_units=("东平县人民医院", "东平湖管理局", "东平县一中"),
        completed=24,
        under_construction=4,
        planned=4,
        not_started=2,
    ),
    DistrictSpec(
        code="370982",
        name="新泰市",
        centre=(35.909, 117.768),
        spread=(0.022, 0.030),
        subdistricts=(
            SubdistrictSpec("青云街道", ("青云社区", "府前社区", "平阳社区", "东周社区")),
            SubdistrictSpec("新汶街道", ("新汶社区", "华丰社区")),
            SubdistrictSpec("新甫街道", ("新甫社区", "金斗社区")),
        ),
        streets=("青云路", "府前大街", "平阳路", "东周路", "金斗路", "新汶大街", "杏山路"),
        places=(
            "青云",
            "府前",
            "平阳",
            "东周",
            "金斗",
            "新甫",
            "新汶",
            "杏山",
            "敖山",
            "莲花山",
            "青龙",
            "汶南",
            "楼德",
        ),
        work_units=("华丰煤矿", "协庄煤矿", "孙村煤矿", "新汶矿务局", "新泰市人民医院"),
        completed=52,
        under_construction=7,
        planned=6,
        not_started=3,
    ),
    DistrictSpec(
        code="370983",
        name="肥城市",
        centre=(36.183, 116.768),
        spread=(0.020, 0.025),
        subdistricts=(
            SubdistrictSpec("新城街道", ("新城社区", "龙山社区", "泰西社区")),
            SubdistrictSpec("老城街道", ("老城社区", "凤山社区")),
            SubdistrictSpec("王瓜店街道", ("王瓜店社区",)),
            SubdistrictSpec("仪阳街道", ("仪阳社区",)),
        ),
        streets=("新城路", "龙山路", "泰西大街", "长山街", "向阳街", "桃都大街", "文化路"),
        places=(
            "新城",
            "龙山",
            "泰西",
            "长山",
            "向阳",
            "桃都",
            "凤山",
            "老城",
            "仪阳",
            "王瓜店",
            "陶阳",
            "肥子",
        ),
        work_units=("白庄煤矿", "查庄煤矿", "肥城矿务局", "肥城市人民医院"),
        completed=45,
        under_construction=6,
        planned=6,
        not_started=3,
    ),
)

# Work units whose staff housing (…宿舍, …家属院) is found in every district.
WORK_UNITS = (
    "粮食局",
    "交通局",
    "供电公司",
    "邮电局",
    "供销社",
    "纺织厂",
    "化肥厂",
    "机械厂",
    "棉纺厂",
    "造纸厂",
    "食品公司",
    "物资局",
    "商业局",
    "水利局",
    "卫生局",
    "税务局",
    "工商局",
    "公路局",
    "外贸公司",
    "印刷厂",
    "汽车站",
    "烟草公司",
    "建筑公司",
    "农业银行",
    "工商银行",
    "建设银行",
    "农业局",
    "林业局",
    "气象局",
    "财政局",
    "二轻局",
    "教育局",
    "自来水公司",
    "面粉厂",
    "棉麻公司",
    "酒厂",
)
PLACE_SUFFIXES = {"小区": 6, "新村": 2, "花园": 2, "家园": 1}
WORK_UNIT_SUFFIXES = {"宿舍": 3, "家属院": 2}


@dataclass(frozen=True)
class NamedCommunity:
    """A community the report names, with the facts it gives and plausible figures around them."""

    name: str
    subdistrict: str
    neighbourhood: str
    street: str
    number: int
    latitude: str
    longitude: str
    year_built: int
    households: int
    floor_area_m2: Decimal
    renovation_year: int
    started_on: date
    completed_on: date
    is_demonstration: bool = False
    demonstration_note: str = ""
    elevators_in_service: int = 0
    # (kind code, template key) of items it must have; facilities come from their templates.
    items: tuple[tuple[str, str], ...] = ()
    red_property: bool = False
    provider: str = ""


# All in 泰山区 and completed, as the report describes them.
NAMED_DISTRICT = "370902"
RED_PROPERTY_PROVIDER = "泰安岱宗红心物业服务有限公司"
NAMED: tuple[NamedCommunity, ...] = (
    NamedCommunity(
        name="乐园小区",
        subdistrict="岱庙街道",
        neighbourhood="乐园社区",
        street="青年路",
        number=36,
        latitude="36.198420",
        longitude="117.121960",
        year_built=1992,
        households=612,
        floor_area_m2=Decimal("52460.00"),
        renovation_year=2021,
        started_on=date(2021, 4, 6),
        completed_on=date(2021, 11, 26),
        elevators_in_service=4,
        items=(("elderly-care", "day-care-canteen"),),
        provider="泰安泰山安居物业管理有限公司",
    ),
    NamedCommunity(
        name="松园小区",
        subdistrict="财源街道",
        neighbourhood="松园社区",
        street="财源大街",
        number=118,
        latitude="36.188730",
        longitude="117.109540",
        year_built=1989,
        households=480,
        floor_area_m2=Decimal("41280.00"),
        renovation_year=2022,
        started_on=date(2022, 3, 15),
        completed_on=date(2022, 10, 28),
        is_demonstration=True,
        demonstration_note="2022年全国城镇老旧小区改造示范项目（国家级联系点）",
        elevators_in_service=3,
        items=(("party-culture", "party-centre"), ("childcare", "play-area")),
        red_property=True,
        provider=RED_PROPERTY_PROVIDER,
    ),
    NamedCommunity(
        name="天平花园",
        subdistrict="泰前街道",
        neighbourhood="天平社区",
        street="虎山路",
        number=52,
        latitude="36.183150",
        longitude="117.146280",
        year_built=1996,
        households=396,
        floor_area_m2=Decimal("37150.00"),
        renovation_year=2021,
        started_on=date(2021, 3, 29),
        completed_on=date(2021, 10, 30),
        elevators_in_service=2,
        items=(("service-centre", "grid-station"),),
        provider="泰安泰山安居物业管理有限公司",
    ),
    NamedCommunity(
        name="牡丹花园",
        subdistrict="徐家楼街道",
        neighbourhood="牡丹社区",
        street="东岳大街",
        number=211,
        latitude="36.201460",
        longitude="117.158830",
        year_built=1995,
        households=324,
        floor_area_m2=Decimal("30960.00"),
        renovation_year=2020,
        started_on=date(2020, 4, 20),
        completed_on=date(2020, 11, 18),
        elevators_in_service=6,
        provider="山东泰山悦居物业服务有限公司",
    ),
    NamedCommunity(
        name="岱西花园",
        subdistrict="岱庙街道",
        neighbourhood="岱西社区",
        street="岱宗大街",
        number=87,
        latitude="36.195880",
        longitude="117.114370",
        year_built=1998,
        households=288,
        floor_area_m2=Decimal("27540.00"),
        renovation_year=2022,
        started_on=date(2022, 4, 11),
        completed_on=date(2022, 11, 8),
        items=(("greening", "leisure-square"),),
        provider="泰安泰山安居物业管理有限公司",
    ),
    # 东湖社区: the red property pilot.
    NamedCommunity(
        name="东湖新村",
        subdistrict="泰前街道",
        neighbourhood="东湖社区",
        street="迎胜东路",
        number=15,
        latitude="36.187640",
        longitude="117.139910",
        year_built=1986,
        households=420,
        floor_area_m2=Decimal("35700.00"),
        renovation_year=2020,
        started_on=date(2020, 5, 8),
        completed_on=date(2020, 12, 2),
        elevators_in_service=2,
        items=(("party-culture", "party-centre"),),
        red_property=True,
        provider=RED_PROPERTY_PROVIDER,
    ),
    NamedCommunity(
        name="东湖小区",
        subdistrict="泰前街道",
        neighbourhood="东湖社区",
        street="迎胜东路",
        number=33,
        latitude="36.185920",
        longitude="117.142670",
        year_built=1990,
        households=264,
        floor_area_m2=Decimal("22880.00"),
        renovation_year=2021,
        started_on=date(2021, 4, 12),
        completed_on=date(2021, 10, 22),
        red_property=True,
        provider=RED_PROPERTY_PROVIDER,
    ),
    NamedCommunity(
        name="迎胜东路宿舍",
        subdistrict="泰前街道",
        neighbourhood="东湖社区",
        street="迎胜东路",
        number=48,
        latitude="36.184770",
        longitude="117.145030",
        year_built=1984,
        households=96,
        floor_area_m2=Decimal("7650.00"),
        renovation_year=2021,
        started_on=date(2021, 5, 10),
        completed_on=date(2021, 10, 15),
        red_property=True,
        provider=RED_PROPERTY_PROVIDER,
    ),
)

# Companies and bodies that appear in the records (fictional, Tai'an-flavoured names).
CONTRACTORS = (
    "泰安岱宗建设工程有限公司",
    "山东岳峰市政工程有限公司",
    "泰安汶河建筑安装有限公司",
    "泰安城建集团第三工程有限公司",
    "山东泰和园林建设有限公司",
    "泰安岳安防水工程有限公司",
    "山东齐鲁节能保温工程有限公司",
    "泰安泰山路桥工程有限公司",
)
LOCAL_CONTRACTORS = {
    "370921": ("宁阳复圣建筑工程有限公司",),
    "370923": ("东平湖建设工程有限公司",),
    "370982": ("新泰平阳建设有限公司", "新泰青云市政工程有限公司"),
    "370983": ("肥城桃都建工有限公司", "肥城龙山建筑安装有限公司"),
}
SUPERVISORS = (
    "泰安泰岳工程监理有限公司",
    "山东正衡建设项目管理有限公司",
    "泰安诚信建设监理有限公司",
    "山东鲁中工程咨询监理有限公司",
)
UTILITY_CONTRACTORS = {
    "gas": "泰安港华燃气工程有限公司",
    "power": "国网泰安供电公司配电工程中心",
    "heating": "泰安热力工程有限公司",
    "water-drainage": "泰安市自来水工程安装有限公司",
    "cables": "泰安广电网络工程有限公司",
}
ELEVATOR_CONTRACTORS = (
    "泰安通达电梯工程有限公司",
    "山东康力电梯安装有限公司",
    "泰安华升电梯有限公司",
)
APPRAISERS = ("泰安市房屋安全鉴定中心", "山东建科房屋安全鉴定有限公司")
PROPERTY_COMPANIES = (
    "泰安泰山安居物业管理有限公司",
    "山东泰山悦居物业服务有限公司",
    "泰安城发物业服务有限公司",
    "泰安汶河物业管理有限公司",
    "泰安华新物业服务有限公司",
    "泰安岳峰物业管理有限公司",
)
LOCAL_PROPERTY_COMPANIES = {
    "370911": ("泰安岱岳天平物业服务有限公司",),
    "370921": ("宁阳县复圣物业服务有限公司",),
    "370923": ("东平县湖畔物业管理有限公司",),
    "370982": ("新泰市平阳物业服务有限公司", "新泰青云物业管理有限公司"),
    "370983": ("肥城市桃都物业管理有限公司",),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁宋谢"
