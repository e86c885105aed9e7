"""Generation steps for residents' participation (点菜, 炒菜, 评菜). Runs no query.

``design_plans`` (after ``elevators`` and ``facilities``, so that it sees every item, the
elevator items included): the design plan of every community in the programme. Where works
have begun, an approved plan, publicly noticed for ten days and approved before the earliest
start of any of its works, so that the rule of ``RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]``
holds on every item; one in five was revised after its notice (version 1 superseded, version 2
approved). Communities still planned have a plan approved, in notice or in draft, or none yet.

``participation`` (last, after ``facilities``): what residents proposed and how they rated the
result. Proposals become or join the items they asked for (adopted, decided before the plan's
notice), some are declined with a reason, a few recent ones are under consideration. Completed
communities and finished items are rated by households of their own buildings, one rating per
household and subject, dated after completion; satisfaction varies by community, contractor
and who manages the property now, and a few communities have too few ratings to be ranked.
"""

from __future__ import annotations

import random
from datetime import date

from communities.demo.city import DemoCity, Site, Status, between, days, weighted
from communities.participation.choices import Channel, ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.models import Building
from communities.property.choices import ManagementMode
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.models.plans import DesignPlan

NOTICE_DAYS = 10
DESIGNERS = (
    "泰安城建设计院有限公司",
    "山东岱岳工程设计有限公司",
    "泰安汶河规划设计有限公司",
    "山东齐鲁城市更新设计研究院有限公司",
)
DISTRICT_SHORT = {
    "370902": "泰山",
    "370911": "岱岳",
    "370921": "宁阳",
    "370923": "东平",
    "370982": "新泰",
    "370983": "肥城",
}
WHAT_RESIDENTS_SAID = (
    "居民主要关注停车位和电动车充电，方案增设了充电车棚并重新划设停车位。",
    "居民希望缩短施工时间、保留绿地，方案调整了施工顺序并保留原有大树。",
    "部分居民对外墙颜色有意见，方案改用浅灰色调，并增加了楼道扶手。",
    "居民提出雨污管网和屋面漏水最急，方案将其列为首批施工内容。",
    "老年居民希望增加休息座椅和无障碍坡道，方案在各单元门口增设坡道和扶手。",
    "居民对充电车棚离住宅楼太近有顾虑，方案将车棚移至小区北侧围墙边。",
)
# Why version 1 was withdrawn after its notice, and version 2 noticed again.
REVISED_BECAUSE = (
    "公示期间居民对停车位数量意见较大，方案修改后重新公示：地面停车位由{low}个增至{high}个。",
    "公示期间多数居民反对砍伐小区内的老树，修改稿保留全部大树，健身场地改设于东侧空地。",
    "公示期间居民要求先改雨污管网再修路面，修改稿调整了施工顺序，并重新公示。",
)
# Planned communities (next year's batch, works next spring): where their plans stand.
PLANNED_PLAN_STATES = {"approved": 45, "notice": 30, "draft": 15, "none": 10}

# --- 点菜: what residents ask for, in their words, by kind of work --------------------------

ASKED = {
    "water-drainage": ("更换老化供水管网", "水压低、水发黄，下雨天污水井冒水。"),
    "power": ("电线老化，申请增容改造", "夏天用电高峰常跳闸，楼道线路乱搭乱接。"),
    "gas": ("更换老旧燃气管道", "燃气管道锈蚀严重，担心安全。"),
    "heating": ("改造供暖管网", "冬天暖气不热，顶楼和边户尤其冷。"),
    "roads": ("修补坑洼路面", "路面坑洼积水，老人孩子出行不便。"),
    "roof-waterproofing": ("顶楼漏雨，屋面重做防水", "顶层住户每逢下雨屋里漏水。"),
    "wall-insulation": ("外墙保温和立面整治", "外墙脱落，冬冷夏热。"),
    "fire-safety": ("清理消防通道、配齐消防设施", "楼道堆物多，消防车进不来。"),
    "lighting": ("楼道和院内安装路灯", "晚上院里黑，老人夜里出门不安全。"),
    "security": ("安装监控和单元门禁", "电动车和快递经常丢失。"),
    "cables": ("整治楼外蜘蛛网线", "线缆乱挂，既难看又有隐患。"),
    "elevator": ("老楼加装电梯", "楼里老人多，上下楼太难。"),
    "parking": ("规划停车位，解决停车难", "晚上车没地方停，堵住消防通道。"),
    "charging": ("建电动车充电车棚", "飞线充电太危险，楼道里也常停电动车。"),
    "barrier-free": ("单元门口加无障碍坡道和扶手", "坐轮椅和推婴儿车的出不了门。"),
    "fitness": ("增加健身器材和健身步道", "小区里没有锻炼的地方。"),
    "greening": ("补植绿化，增加休闲座椅", "绿地被踩秃了，夏天没有乘凉的地方。"),
    "property-room": ("改造物业用房", "物业没有办公和存放工具的地方。"),
    "parcel-lockers": ("安装智能快递柜", "快递堆在门口，经常丢。"),
    "waste-sorting": ("建垃圾分类投放点", "垃圾桶露天摆放，夏天气味大。"),
    "elderly-care": ("建老年食堂和日间照料中心", "独居老人多，吃饭难，白天没人照看。"),
    "childcare": ("增设儿童游乐场地", "孩子们只能在车道上玩，不安全。"),
    "service-centre": ("建社区综合服务站", "办事要跑到街道，老人不方便。"),
    "party-culture": ("建党群活动室", "居民开会、活动没有场地。"),
    "emergency": ("设应急救援站", "离医院远，突发情况需要就近救助。"),
    "convenience": ("引进便民服务点", "买菜、理发、修鞋都要走很远。"),
    "smart-community": ("建设智慧社区平台", "希望手机上就能报修、缴费、看通知。"),
    "structural-reinforcement": ("危楼先加固", "楼体有裂缝，住着心里不踏实。"),
}
# Where one kind covers different works, the item's title says which wish it answers.
ASKED_BY_TITLE = (
    ("汽车充电", "安装新能源汽车充电桩", "电动汽车越来越多，小区里没处充电。"),
    ("休闲广场", "建休闲广场", "想有个跳广场舞、晒太阳、下棋的地方。"),
    ("托育", "建托育服务点", "双职工家庭多，孩子白天没人带。"),
    ("网格服务站", "设网格服务站", "希望有事能就近找到网格员。"),
)
# Asked for, and declined with the reason the public reads.
DECLINED = (
    (
        "parking",
        "建地下停车场",
        "小区地下管线密集、场地狭小，不具备建设地下停车场的条件；已改为地面停车位划设。",
    ),
    (
        "elevator",
        "全部楼栋统一加装电梯",
        "加装电梯须经所在单元业主依法表决同意，由各单元自愿申请；申请流程已在小区公示。",
    ),
    (
        "greening",
        "拆除违建、扩建花园",
        "违法建设由综合执法部门依法处理，不属于本次改造内容；已转交综合执法部门。",
    ),
    ("convenience", "引进大型超市", "小区内没有符合条件的商业用房，周边500米内已有两家超市。"),
    ("fitness", "建室内游泳池", "超出老旧小区改造的支持范围，小区也没有可用场地。"),
    (
        "heating",
        "改为分户独立供暖",
        "需由热力公司整体规划，本批次不具备条件；已反馈热力公司纳入管网改造计划。",
    ),
    ("smart-community", "每户安装智能门锁", "户内设施不属于公共部分改造范围，由居民自行选择安装。"),
)
CHANNELS = {Channel.WECHAT: 4, Channel.SURVEY: 3, Channel.MEETING: 2, Channel.GRID_VISIT: 2}
# Residents care most about these when they are asked; basic pipes and cables less often.
ASKED_WEIGHT = {"improvement": 3, "enhancement": 3, "basic": 1}

# --- 评菜: how households rate the finished work ------------------------------------------

RATING_CHANNELS = {Channel.WECHAT: 5, Channel.SURVEY: 3, Channel.GRID_VISIT: 2, Channel.MEETING: 1}
# Ratings of a completed community as a whole: few, some, many (the ranking needs enough).
WHOLE_COMMUNITY_RATINGS = {(0, 5): 15, (6, 14): 45, (15, 30): 40}
MANAGEMENT_EFFECT = {
    ManagementMode.PROFESSIONAL: 0.15,
    ManagementMode.SELF_MANAGED: 0.0,
    ManagementMode.FALLBACK: -0.15,
    None: -0.45,  # nobody keeps the community up now
}
PRAISE = (
    "改造后小区变化很大，住着舒心多了。",
    "施工队很负责，每天收工都把路面清扫干净。",
    "下水道不再返味了，感谢政府。",
    "停车有了固定车位，晚上回来不再发愁。",
    "老人们终于有了吃饭、聊天的地方。",
    "楼道亮了、路平了，出门方便多了。",
    "施工前挨家挨户征求意见，我们的想法都被采纳了。",
    "外墙保温做了以后，冬天屋里暖和不少。",
)
MIXED = (
    "总体不错，就是工期比说好的长了一个多月。",
    "活干得还行，但施工期间噪音大、灰尘多。",
    "改完挺好，后续维护要跟上，绿化已经有些没人管了。",
    "停车位还是不够，晚上依旧停不下。",
    "充电车棚离楼太近，希望再挪一挪。",
)
COMPLAINTS = (
    "路面刚修完就有裂缝，希望返修。",
    "施工时断水没有提前通知，很不方便。",
    "改造后没人管理，垃圾点又脏又乱。",
    "屋面防水做完还是漏，反映了几次没人来看。",
)
# A comment staff hid from the public: it names a worker and gives a phone number.
HIDDEN_COMMENT = "施工队的老张（电话13953800000）干活太糙，大家别找他！"


# --- 炒菜: design plans ---------------------------------------------------------------------


def design_plans(city: DemoCity, rng: random.Random) -> None:
    """A plan for each community in the programme. Where works have begun, approved after a
    ten-day notice and before the earliest start of its works (some revised: version 1
    superseded); where they are planned, approved, in notice, in draft or not yet drafted."""
    references: dict[tuple[str, int], int] = {}

    def reference(site: Site, year: int) -> str:
        key = (site.district.code, year)
        references[key] = references.get(key, 0) + 1
        return f"{DISTRICT_SHORT[site.district.code]}住建发〔{year}〕{references[key]}号"

    for site in city.sites:
        community = site.community
        year = community.renovation_year
        if site.status in (Status.COMPLETED, Status.UNDER_CONSTRUCTION):
            starts = [community.started_on] + [i.actual_start for i in site.items if i.actual_start]
            approved_on = days(min(starts), -rng.randint(7, 30))
            notice_end = days(approved_on, -rng.randint(3, 15))
            revised = rng.random() < 0.2
            if revised:
                first_end = days(notice_end, -(NOTICE_DAYS + rng.randint(20, 45)))
                _plan(city, site, rng, version=1, notice_end=first_end, revised=True)
            _plan(
                city,
                site,
                rng,
                version=2 if revised else 1,
                notice_end=notice_end,
                approved_on=approved_on,
                reference=reference(site, year),
            )
        elif site.status == Status.PLANNED:
            state = weighted(rng, PLANNED_PLAN_STATES)
            if state == "approved":
                notice_end = between(rng, days(city.today, -100), days(city.today, -30))
                _plan(
                    city,
                    site,
                    rng,
                    version=1,
                    notice_end=notice_end,
                    approved_on=days(notice_end, rng.randint(5, 25)),
                    reference=reference(site, year),
                )
            elif state == "notice":
                notice_end = between(rng, days(city.today, -25), city.today)
                _plan(city, site, rng, version=1, notice_end=notice_end)
            elif state == "draft":
                _plan(city, site, rng, version=1, notice_end=None)


def _plan(
    city: DemoCity,
    site: Site,
    rng: random.Random,
    *,
    version: int,
    notice_end: date | None,
    approved_on: date | None = None,
    reference: str = "",
    revised: bool = False,
) -> DesignPlan:
    community = site.community
    year = community.renovation_year
    works = "、".join(item.title for item in site.items[:4])
    if revised:
        status = DesignPlanStatus.SUPERSEDED
        low = rng.randint(40, 120)
        said = rng.choice(REVISED_BECAUSE).format(low=low, high=low + rng.randint(15, 60))
        comments = rng.randint(30, 120)
    elif approved_on is not None:
        status, said, comments = DesignPlanStatus.APPROVED, rng.choice(WHAT_RESIDENTS_SAID), None
    elif notice_end is not None:
        status, said, comments = DesignPlanStatus.NOTICE, rng.choice(WHAT_RESIDENTS_SAID), None
    else:
        status, said, comments = DesignPlanStatus.DRAFT, "", 0
    return city.add(
        DesignPlan(
            community=community,
            batch_year=year,
            version=version,
            title=f"{community.name}{year}年老旧小区改造设计方案"
            + ("（修改稿）" if version > 1 else ""),
            designer=rng.choice(DESIGNERS),
            summary=f"主要改造内容：{works}等{len(site.items)}项。",
            status=status,
            notice_start=days(notice_end, -(NOTICE_DAYS - 1)) if notice_end else None,
            notice_end=notice_end,
            comments_received=rng.randint(3, 40) if comments is None else comments,
            comments_summary=said,
            approved_on=approved_on,
            approval_reference=reference,
        )
    )


# --- 点菜 and 评菜: proposals and ratings ----------------------------------------------------


def participation(city: DemoCity, rng: random.Random) -> None:
    """Proposals for every community in the programme, ratings for the finished work."""
    notices = _first_notices(city)
    contractor_effect = _contractor_effects(city, rng)
    for site in city.sites:
        if site.status == Status.NOT_STARTED:
            continue
        _proposals(city, site, rng, notice=notices.get(id(site.community)))
        if site.status in (Status.COMPLETED, Status.UNDER_CONSTRUCTION):
            _ratings(city, site, rng, contractor_effect)


def _first_notices(city: DemoCity) -> dict[int, date]:
    """The day each community's first plan went up for notice (its proposals came before)."""
    first: dict[int, date] = {}
    for plan in city.rows.get(DesignPlan, []):
        if plan.notice_start:
            key = id(plan.community)
            first[key] = min(first.get(key, plan.notice_start), plan.notice_start)
    return first


def _contractor_effects(city: DemoCity, rng: random.Random) -> dict[str, float]:
    """Some contractors please residents more than others (stable for a seed)."""
    names = sorted(
        {item.contractor for site in city.sites for item in site.items if item.contractor}
    )
    return {name: rng.gauss(0, 0.25) for name in names}


def _supporters(site: Site, rng: random.Random, low: float, high: float) -> int:
    households = site.community.households
    return max(1, min(households, round(households * rng.uniform(low, high))))


def _proposals(city: DemoCity, site: Site, rng: random.Random, *, notice: date | None) -> None:
    community = site.community
    # Proposals are gathered in the months before the plan goes up for notice.
    before = notice or (community.started_on or days(city.today, -60))
    window = (days(before, -270), days(before, -45))
    candidates = [
        item
        for item in site.items
        if item.status != ItemStatus.CANCELLED and item.kind.code in ASKED
    ]
    named_kinds = {kind for kind, _key in site.named.items} if site.named else set()
    must = [item for item in candidates if item.kind.code in named_kinds]
    rest = [item for item in candidates if item not in must]
    count = min(len(rest), rng.randint(2, 5))
    chosen = must + _weighted_sample(rest, count, rng)
    for item in chosen:
        title, description = _asked(item)
        submitted = between(rng, *window)
        named = item in must
        _proposal(
            city,
            site,
            rng,
            kind=item.kind,
            title=title,
            description=description,
            submitted_on=submitted,
            supporters=_supporters(site, rng, 0.45, 0.8) if named else None,
            status=ProposalStatus.ADOPTED,
            item=item,
            decided_on=days(submitted, rng.randint(15, 40)),
        )
        if rng.random() < 0.12:  # the same wish, gathered again another way: it joins the item
            again = between(rng, submitted, window[1])
            _proposal(
                city,
                site,
                rng,
                kind=item.kind,
                title=title,
                description=description,
                submitted_on=again,
                status=ProposalStatus.ADOPTED,
                item=item,
                decided_on=days(again, rng.randint(10, 30)),
            )
    for kind, title, reason in rng.sample(DECLINED, weighted(rng, {0: 3, 1: 4, 2: 2})):
        submitted = between(rng, *window)
        _proposal(
            city,
            site,
            rng,
            kind=city.kinds[kind],
            title=title,
            description="",
            submitted_on=submitted,
            status=ProposalStatus.DECLINED,
            decline_reason=reason,
            decided_on=days(submitted, rng.randint(20, 45)),
        )
    if site.status in (Status.PLANNED, Status.UNDER_CONSTRUCTION):
        asked = {item.kind.code for item in site.items}
        open_kinds = sorted(kind for kind in ASKED if kind not in asked)
        for kind in rng.sample(open_kinds, min(len(open_kinds), rng.randint(0, 2))):
            title, description = ASKED[kind]
            _proposal(
                city,
                site,
                rng,
                kind=city.kinds[kind],
                title=title,
                description=description,
                submitted_on=between(rng, days(city.today, -120), days(city.today, -10)),
                status=ProposalStatus.SUBMITTED,
            )


def _asked(item: RenovationItem) -> tuple[str, str]:
    """What residents asked for that this item answers: its title and their words."""
    for words, title, description in ASKED_BY_TITLE:
        if words in item.title:
            return title, description
    return ASKED[item.kind.code]


def _weighted_sample(items: list[RenovationItem], count: int, rng: random.Random) -> list:
    pool = list(items)
    chosen = []
    for _ in range(count):
        weights = [ASKED_WEIGHT.get(item.kind.category, 1) for item in pool]
        pick = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(pick))
    return chosen


def _proposal(city, site, rng, *, supporters=None, decline_reason="", item=None, **fields):
    if fields.get("decided_on"):
        fields["decided_on"] = city.cap(fields["decided_on"])
    return city.add(
        Proposal(
            community=site.community,
            supporters=supporters or _supporters(site, rng, 0.05, 0.5),
            channel=weighted(rng, CHANNELS),
            item=item,
            decline_reason=decline_reason,
            **fields,
        )
    )


def _ratings(city: DemoCity, site: Site, rng: random.Random, contractor_effect) -> None:
    """Households rate the completed community and some of its finished items."""
    community = site.community
    level = min(4.85, max(2.6, rng.gauss(4.2, 0.4)))
    management = MANAGEMENT_EFFECT[_current_mode(site)]
    flats = Flats(site, rng)
    if site.status == Status.COMPLETED:
        low, high = weighted(rng, WHOLE_COMMUNITY_RATINGS)
        for _ in range(rng.randint(low, high)):
            _rating(city, site, rng, flats, None, community.completed_on, level, management)
    finished = [item for item in site.items if item.status in ItemStatus.finished()]
    for item in rng.sample(finished, min(len(finished), rng.randint(1, 3))):
        effect = level + contractor_effect.get(item.contractor, 0)
        for _ in range(rng.randint(2, 8)):
            _rating(city, site, rng, flats, item, item.actual_end, effect, management)


def _current_mode(site: Site) -> str | None:
    """How the community is managed now: its open-ended service, if any."""
    current = [service for service in site.services if service.contract_end is None]
    return current[-1].mode if current else None


class Flats:
    """The flats of a community (two per landing), handing out a household that has not yet
    rated a given subject: one rating per household and subject."""

    def __init__(self, site: Site, rng: random.Random):
        self.rng = rng
        self.landings = [
            (building, unit, floor)
            for building in site.buildings
            for unit in range(1, building.entrance_units + 1)
            for floor in range(1, building.storeys + 1)
        ]
        self.taken: set[tuple] = set()

    def pick(self, subject) -> tuple[Building, int, str] | None:
        for _attempt in range(20):
            building, unit, floor = self.rng.choice(self.landings)
            room = f"{floor}0{self.rng.randint(1, 2)}"
            key = (id(subject), id(building), unit, room)
            if key not in self.taken:
                self.taken.add(key)
                return building, unit, room
        return None  # the flats tried have all rated it already


def _rating(city, site, rng, flats: Flats, item, completed_on, level, management) -> None:
    latest = city.cap(days(completed_on, 400))
    first = days(completed_on, 7)
    if first > latest or not flats.landings:
        return
    household = flats.pick(item if item is not None else site.community)
    if household is None:
        return
    building, unit, room = household

    def score(offset: float) -> int:
        return min(5, max(1, round(rng.gauss(level + offset, 0.75))))

    work, process, after = score(0.05), score(-0.1), score(management)
    comment, hidden = "", False
    if rng.random() < 0.3:
        average = (work + process + after) / 3
        pool = PRAISE if average >= 4 else MIXED if average >= 3 else COMPLAINTS
        comment = rng.choice(pool)
        if rng.random() < 0.01:
            comment, hidden = HIDDEN_COMMENT, True
    city.add(
        Rating(
            community=site.community,
            item=item,
            building=building,
            entrance_unit=unit,
            room_number=room,
            work_score=work,
            process_score=process,
            management_score=after,
            comment=comment,
            comment_hidden=hidden,
            channel=weighted(rng, RATING_CHANNELS),
            rated_on=between(rng, first, latest),
        )
    )
