"""The national list of renovation kinds the system starts with; staff add their own.

Each kind maps to one of the three national categories as 国办发〔2020〕23号 words them, so
city-specific kinds still report upward correctly: household-waste sorting is basic; lighting,
energy-saving retrofit (wall insulation) and children's play areas are improvement; childcare is
enhancement. Migration 0018 moved the kinds seeded before that correction; a fresh install
seeds this list (migration 0002 reads it).
"""

NATIONAL_KINDS: list[tuple[str, str, str, str, bool]] = [
    # code, Chinese name, English name, category, is structural reinforcement
    ("structural-reinforcement", "危房结构加固", "Structural reinforcement", "basic", True),
    ("water-drainage", "供排水管网改造", "Water supply and drainage", "basic", False),
    ("power", "供电线路改造", "Power supply", "basic", False),
    ("gas", "燃气管道改造", "Gas pipelines", "basic", False),
    ("heating", "供热管网改造", "Heating", "basic", False),
    ("roads", "道路修缮", "Roads", "basic", False),
    ("roof-waterproofing", "屋面防水", "Roofs and waterproofing", "basic", False),
    ("fire-safety", "消防设施", "Fire safety", "basic", False),
    ("security", "安防监控", "Security", "basic", False),
    ("cables", "弱电管线整治", "Pipes and cables", "basic", False),
    ("waste-sorting", "垃圾分类设施", "Waste sorting points", "basic", False),
    ("elevator", "加装电梯", "Elevator retrofit", "improvement", False),
    ("parking", "停车设施", "Parking", "improvement", False),
    ("charging", "充电设施", "E-bike and car charging", "improvement", False),
    ("barrier-free", "无障碍设施", "Barrier-free access", "improvement", False),
    ("fitness", "健身设施", "Fitness facilities", "improvement", False),
    ("greening", "绿化提升", "Greening", "improvement", False),
    ("property-room", "物业用房", "Property management rooms", "improvement", False),
    ("parcel-lockers", "智能快递柜", "Parcel lockers", "improvement", False),
    ("lighting", "公共照明", "Lighting", "improvement", False),
    ("wall-insulation", "外墙保温", "Exterior wall insulation", "improvement", False),
    ("children-play", "儿童游乐设施", "Children's play areas", "improvement", False),
    ("elderly-care", "养老服务设施", "Elderly day care and canteens", "enhancement", False),
    ("childcare", "托育设施", "Childcare", "enhancement", False),
    ("service-centre", "社区综合服务设施", "Community service centres", "enhancement", False),
    ("party-culture", "党建文化设施", "Party-building and culture centres", "enhancement", False),
    ("emergency", "应急救援设施", "Emergency stations", "enhancement", False),
    ("convenience", "便民商业设施", "Convenience shops", "enhancement", False),
    ("smart-community", "智慧社区", "Smart community systems", "enhancement", False),
]

# Which survey measures (works.choices.Measure) an item of each seeded kind may record; the
# data migration 0017 writes them as KindMeasure rows, which staff extend for their own kinds.
KIND_MEASURES: dict[str, list[str]] = {
    "water-drainage": ["water_supply_pipe", "drainage_pipe"],
    "power": ["power_line"],
    "gas": ["gas_pipe"],
    "heating": ["heating_pipe"],
    "cables": ["telecom_line"],
    "wall-insulation": ["energy_retrofit"],
    "roof-waterproofing": ["energy_retrofit"],
    "elevator": ["elevators"],
    "parking": ["parking_spaces"],
    "charging": ["ev_charging_points", "ebike_charging_points"],
    "fitness": ["culture_fitness_area"],
    "party-culture": ["culture_fitness_area"],
    "elderly-care": ["elderly_care_facilities"],
    "childcare": ["childcare_facilities"],
    "service-centre": ["other_service_facilities"],
    "convenience": ["other_service_facilities"],
    "emergency": ["other_service_facilities"],
}
