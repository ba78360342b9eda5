"""The demo city's disclosure guides (政府信息公开指南, 2019 Regulations art 12) and the rules listed in the
制度 column: every current body gets a guide with plausible contacts (demo data, not real addresses); the city
government and the education bureau publish their OGI rules through the real workflow (draft → confidentiality
review → publish)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from gongkai.audit.log import record
from gongkai.catalog import transitions
from gongkai.catalog.models import Channel, Genre, Topic
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.portal.actions import GUIDE_FIELDS, save_guide, save_site_identity
from gongkai.portal.models import DisclosureGuide

ACTOR = "demo"
REVISED_ON = dt.date(2024, 3, 1)
STREETS = (
    "八一路",
    "建安大道",
    "魏文路",
    "莲城大道",
    "许由路",
    "文峰路",
    "学院路",
    "天宝路",
    "劳动路",
    "七里店路",
)
RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "许昌市人民政府": (
        ("许昌市人民政府政府信息公开工作制度", "许政办〔2024〕5号"),
        ("许昌市政府信息公开保密审查办法", "许政办〔2024〕6号"),
        ("许昌市政府信息依申请公开工作规程", "许政办〔2024〕7号"),
        ("许昌市政府信息公开工作考核办法", "许政办〔2024〕8号"),
    ),
    "许昌市教育局": (
        ("许昌市教育局政府信息公开工作制度", "许教〔2024〕12号"),
        ("许昌市教育局政府信息公开保密审查制度", "许教〔2024〕13号"),
    ),
}
REVIEWERS = {"许昌市人民政府": ("city-clerk", "city-office"), "许昌市教育局": ("edu-clerk", "edu-head")}


def build_guides(orgs: dict[str, Organisation]) -> int:
    """A guide for every current body (one audit entry for the batch), then the two bodies' rules."""
    current = [o for o in orgs.values() if o.valid_to is None]
    guides = [_guide(n, org) for n, org in enumerate(sorted(current, key=lambda o: o.path))]
    DisclosureGuide.objects.bulk_create(guides)
    record(
        ACTOR,
        "demo.bulk_create",
        object_type="portal.disclosureguide",
        summary="演示数据：政府信息公开指南",
        batch_size=len(guides),
    )
    for name, rules in RULES.items():
        _publish_rules(orgs[name], rules)
    build_site_identity(orgs["许昌市人民政府"])
    return len(guides)


def build_site_identity(city: Organisation) -> None:
    """The portal's header and footer as 许昌市人民政府's site. DEMO VALUES: the 网站标识码, the ICP and 公安 filing
    numbers, the address and the contacts are made up in the right formats; a real site enters its own."""
    save_site_identity(
        ACTOR,
        body=city,
        government_name="许昌市人民政府",
        host="许昌市人民政府办公室",
        organiser="许昌市大数据管理局",
        address="河南省许昌市魏都区八一路1号（演示数据）",
        postcode="461000",
        phone="0374-0000000",
        email="zwgk@xuchang.example.gov.cn",
        site_code="4110000001",
        icp_number="豫ICP备00000000号（演示）",
        police_number="豫公网安备41100202000000号（演示）",
        police_link="https://beian.mps.gov.cn/",
    )


def _guide(n: int, org: Organisation) -> DisclosureGuide:
    office = "许昌市人民政府办公室政务公开科" if org.kind == OrgKind.GOVERNMENT else f"{org.name}办公室"
    return DisclosureGuide(
        body=org,
        office=office,
        address=f"许昌市{STREETS[n % len(STREETS)]}{100 + n * 7}号",
        postcode="461000",
        hours="法定工作日 上午8:30—12:00，下午15:00—18:00（10月至次年4月为14:30—17:30）",
        phone=f"0374-{2960000 + n * 113}",
        email=f"gongkai{n:02d}@example.invalid",
        reading_room="许昌市档案馆政府信息查阅中心、许昌市图书馆政府信息查阅点" if n == 0 else "",
        revised_on=REVISED_ON,
    )


def _publish_rules(body: Organisation, rules: tuple[tuple[str, str], ...]) -> None:
    users = get_user_model().objects
    drafter, reviewer = (users.get(username=u) for u in REVIEWERS[body.name])
    channel = Channel.objects.filter(
        owner__in=[body, body.parent] if body.parent else [body], kind__code="website"
    ).first()
    assert channel is not None, "the demo catalog creates the websites first"
    topic = Topic.objects.get(code="0101")  # 综合政务\政务公开
    genre = Genre.objects.get(code="tongzhi")
    published = []
    for n, (title, number) in enumerate(rules):
        day = REVISED_ON - dt.timedelta(days=20 - n)
        pub, _warnings = transitions.create_draft(
            drafter,
            body,
            title=title,
            made_on=day,
            document_number=number,
            topic=topic,
            genre=genre,
            keywords="政务公开 制度",
            text=f"第一条 为规范{body.display_name}政府信息公开工作，依据《中华人民共和国政府信息公开条例》，制定本制度。\n"
            "第二条 本制度适用于本机关主动公开和依申请公开政府信息的工作。",
        )
        transitions.review(reviewer, pub, on=day, conclusion="passed")
        published.append(transitions.publish(drafter, pub, on=day, channels=[channel]))
    guide = DisclosureGuide.objects.get(body=body)
    save_guide(
        ACTOR,
        body,
        revised_on=REVISED_ON,
        rules=published,
        **{f: getattr(guide, f) for f in GUIDE_FIELDS},
    )
