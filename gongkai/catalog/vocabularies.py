"""The initial vocabularies (editable afterwards in the admin): channel kinds, genres (体裁),
topics (主题分类) and key areas (重点领域). Loaded by a data migration; labels are data, not UI strings."""

from __future__ import annotations

CHANNEL_KINDS: tuple[tuple[str, str, str], ...] = (
    ("website", "政府网站", "website"),
    ("gazette", "政府公报", "gazette"),
    ("weibo", "政务微博", "weibo"),
    ("wechat", "政务微信", "wechat"),
    ("app", "政务客户端", "other"),
    ("noticeboard", "公开栏、电子屏", "other"),
    ("media", "报刊、广播、电视", "other"),
    ("reading_room", "档案馆、图书馆、查阅点", "other"),
    ("other", "其他方式", "other"),
)

GENRES: tuple[tuple[str, str], ...] = (
    ("ling", "政府令"),
    ("jueding", "决定"),
    ("gonggao", "公告"),
    ("tonggao", "通告"),
    ("yijian", "意见"),
    ("tongzhi", "通知"),
    ("tongbao", "通报"),
    ("baogao", "报告"),
    ("pifu", "批复"),
    ("han", "函"),
    ("jiyao", "纪要"),
    ("jiedu", "解读"),
    ("qita", "其他"),
)

TOPICS: tuple[tuple[str, str, str | None], ...] = (
    ("01", "综合政务", None),
    ("0101", "政务公开", "01"),
    ("0102", "政务督查", "01"),
    ("0103", "应急管理", "01"),
    ("02", "国民经济管理、国有资产监管", None),
    ("03", "财政、金融、审计", None),
    ("04", "国土资源、能源", None),
    ("05", "农业、林业、水利", None),
    ("06", "工业、交通", None),
    ("07", "商贸、海关、旅游", None),
    ("08", "市场监管、安全生产监管", None),
    ("09", "城乡建设、环境保护", None),
    ("10", "科技、教育", None),
    ("11", "文化、广电、新闻出版", None),
    ("12", "卫生、体育", None),
    ("13", "人口与计划生育、妇女儿童工作", None),
    ("14", "劳动、人事、监察", None),
    ("15", "公安、安全、司法", None),
    ("16", "民政、扶贫、救灾", None),
    ("17", "民族、宗教", None),
    ("18", "其他", None),
)

KEY_AREAS: tuple[tuple[str, str], ...] = (
    ("approval", "行政审批"),
    ("penalty", "行政处罚"),
    ("finance", "财政资金"),
    ("land_acquisition", "征地拆迁"),
    ("land_rights", "国有建设用地使用权和矿业权出让"),
    ("rural_land", "农村土地承包经营权流转"),
    ("housing", "保障性住房"),
    ("procurement", "政府采购"),
    ("construction", "工程建设项目"),
    ("science", "科技管理和项目经费"),
    ("health", "医疗卫生"),
    ("employment", "就业"),
    ("social_security", "社会保障"),
    ("environment", "环境保护"),
    ("work_safety", "安全生产"),
    ("soe_finance", "国有企业财务"),
    ("food_drug", "食品药品安全"),
)
