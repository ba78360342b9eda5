"""Title and text templates for the demo catalog, per key area and genre, so that search has real words."""

from __future__ import annotations

import random

AREA_SUBJECTS: dict[str, tuple[str, ...]] = {
    "approval": ("行政审批事项目录", "行政审批服务标准化", "并联审批", "审批事项清理"),
    "penalty": ("行政处罚裁量基准", "行政处罚案件", "违法行为查处"),
    "finance": ("财政预算执行", "部门预算", "“三公”经费", "财政专项资金", "政府性债务"),
    "land_acquisition": ("征地补偿安置", "房屋征收补偿", "征地拆迁"),
    "land_rights": ("国有建设用地使用权出让", "采矿权出让", "土地挂牌出让"),
    "rural_land": ("农村土地承包经营权流转", "土地流转服务"),
    "housing": ("保障性住房分配", "公共租赁住房", "棚户区改造"),
    "procurement": ("政府采购", "集中采购目录", "采购中标结果"),
    "construction": ("重点工程建设项目", "工程招标投标", "城市道路改造"),
    "science": ("科技计划项目", "科研经费管理"),
    "health": ("医疗卫生服务", "新型农村合作医疗", "基本公共卫生服务", "疾病预防控制"),
    "employment": ("就业创业", "职业技能培训", "高校毕业生就业"),
    "social_security": ("城乡居民养老保险", "最低生活保障", "医疗救助", "社会保险基金"),
    "environment": ("大气污染防治", "环境质量", "建设项目环境影响评价", "水环境治理"),
    "work_safety": ("安全生产检查", "危险化学品安全", "安全生产事故"),
    "soe_finance": ("国有企业财务", "国有资产监管"),
    "food_drug": ("食品安全抽检", "药品监督", "餐饮服务食品安全", "食品药品安全"),
}

GENRE_PATTERNS: dict[str, tuple[str, ...]] = {
    "tongzhi": ("{org}关于做好{subject}工作的通知", "{org}关于开展{subject}专项检查的通知"),
    "yijian": ("{org}关于进一步加强{subject}工作的意见", "{org}关于推进{subject}的实施意见"),
    "gonggao": ("{org}关于{subject}的公告", "{year}年{subject}情况公告"),
    "tonggao": ("{org}关于{subject}的通告",),
    "tongbao": ("{org}关于{year}年{subject}情况的通报",),
    "baogao": ("{org}{year}年{subject}工作报告",),
    "jueding": ("{org}关于{subject}有关事项的决定",),
    "pifu": ("{org}关于{subject}的批复",),
    "han": ("{org}关于{subject}有关问题的函",),
    "jiyao": ("{subject}工作会议纪要",),
    "ling": ("{org}{subject}管理办法",),
    "qita": ("{subject}工作动态", "{subject}办事指南", "{year}年{subject}统计信息", "{subject}工作进展情况"),
}

TEXT_SENTENCES = (
    "为进一步做好{subject}工作，根据有关法律法规和上级部署，结合本地实际，现将有关事项明确如下。",
    "各单位要高度重视{subject}工作，明确责任分工，细化工作措施，确保各项任务落到实处。",
    "{year}年，{org}围绕{subject}，加强统筹协调，强化监督检查，取得了明显成效。",
    "对{subject}中发现的问题，要建立台账，限期整改，并及时向社会公开整改情况。",
    "群众对{subject}有疑问的，可通过政府网站、市长热线或书记市长信箱反映。",
)


def make_title(rng: random.Random, genre: str, area: str, org: str, year: int) -> str:
    subject = rng.choice(AREA_SUBJECTS[area])
    return rng.choice(GENRE_PATTERNS.get(genre, GENRE_PATTERNS["qita"])).format(
        org=org, subject=subject, year=year
    )


def make_text(rng: random.Random, area: str, org: str, year: int) -> str:
    subject = rng.choice(AREA_SUBJECTS[area])
    picks = rng.sample(TEXT_SENTENCES, 3)
    return "".join(s.format(org=org, subject=subject, year=year) for s in picks)
