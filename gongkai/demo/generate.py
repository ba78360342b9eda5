"""Build the demo city 许昌市 with 2014 records that add up exactly to the seed report (deterministic)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import opencc
from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai import figures
from gongkai.accounts.models import Role, StaffProfile
from gongkai.audit.log import record
from gongkai.catalogstats.counts import rebuild_counts
from gongkai.demo import (
    activity2014,
    cases_recent,
    catalog2014,
    catalog_recent,
    engagement_consultations,
    engagement_hotline,
    engagement_mailbox,
    engagement_responses,
    guides,
    seed2014,
)
from gongkai.demo.city import CITY_NAME, body_specs, codes_for
from gongkai.organisations.actions import create_organisations_bulk
from gongkai.organisations.models import Organisation
from gongkai.reports.actions import save_narrative
from gongkai.search import rebuild as rebuild_search_index
from gongkai.workdays.calendar import WorkCalendar, get_calendar

ACTOR = "demo"
RANDOM_SEED = 2014
DEMO_PASSWORD = "gongkai-demo"  # noqa: S105 - documented demo credentials, never for production
# The seed is a Taiwan-phrased web copy (statutory-reference §6). opencc's phrase converter (tw2sp) rewrites
# too much (列入 → 任务栏入, 建立 → 创建), so convert by character (t2s) and fix the few Taiwan
# phrases by hand.
TAIWAN_PHRASES = (
    ("下发档案", "下发文件"),
    ("政府档案", "政府文件"),
    ("入口网站", "门户网站"),
    ("网路", "网络"),
    ("民众", "群众"),
)
# The web copy also lost the full-width punctuation of Chinese text and the 〔〕 of document numbers.
FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "[": "〔", "]": "〕"})
SEED_FILE = Path(__file__).resolve().parent / "data" / "xuchang-2014-annual-report.txt"


def is_loaded() -> bool:
    return Organisation.objects.filter(name=CITY_NAME).exists()


@transaction.atomic
def load(progress: Callable[[str], None] = lambda _msg: None) -> dict[str, int]:
    """Load the whole demo city in one transaction: all of it or nothing."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - deterministic demo data, not security
    calendar = get_calendar()
    counts: dict[str, int] = {}
    orgs = _organisations()
    city = orgs[CITY_NAME]
    counts["organisations"] = len(orgs)
    progress(f"organisations: {len(orgs)}")
    _load_2014(rng, calendar, orgs, counts, progress)
    _load_recent(rng, calendar, orgs, counts, progress)
    # Keep this last: the search index is rebuilt from every catalog item the generators above wrote.
    counts["search_index"] = rebuild_search_index()
    progress(f"search index: {counts['search_index']}")
    counts["published_counts"] = rebuild_counts()  # the portal's totals and facets (gongkai.catalogstats)
    counts["figures"] = figures.rebuild()  # the reports' per-body aggregates: the loaders above bulk-write
    record(ACTOR, "demo.load", city, summary="演示城市许昌市", after=counts)
    return counts


def _load_2014(
    rng: random.Random,
    calendar: WorkCalendar,
    orgs: dict[str, Organisation],
    counts: dict[str, int],
    progress: Callable[[str], None],
) -> None:
    """The seed year: the bodies active all 2014 publish, answer and respond in proportion to their weight,
    so that the city's report adds up to the seed's figures. Then the city's narrative, staff and guides."""
    city = orgs[CITY_NAME]
    active = [
        o
        for o in orgs.values()
        if o.valid_from <= dt.date(seed2014.YEAR, 1, 1)
        and (o.valid_to is None or o.valid_to >= dt.date(seed2014.YEAR, 12, 31))
    ]
    weights = {o.pk: w for o, w in ((o, _weight(o)) for o in active)}
    bodies = [o for o in active if weights[o.pk] > 0]
    weight_list = [weights[o.pk] for o in bodies]

    channels = catalog2014.create_channels(city, bodies)
    builder = catalog2014.CatalogBuilder(rng, city, bodies, weights, calendar)
    pubs, postings = catalog2014.build_publications(builder, builder.plan(channels))
    _batch("catalog.publication", pubs, "演示数据：2014年主动公开政府信息")
    _batch("catalog.publicationchannel", postings, "演示数据：2014年渠道发布记录")
    progress(f"publications: {pubs}, postings: {postings}")

    for name, n in (
        ("engagement.responses", activity2014.build_responses(rng, bodies, weight_list, calendar)),
        ("engagement.hotline_mailbox", activity2014.build_hotline_and_mailbox(rng, bodies, weight_list)),
    ):
        _batch(name, n, f"演示数据：{name}")
        counts[name] = n
    requests = activity2014.build_requests(rng, bodies, weight_list, city, calendar)
    _batch("cases.informationrequest", len(requests), "演示数据：2014年依申请公开")
    remedies = activity2014.build_remedies(rng, requests)
    other = activity2014.build_complaints_and_figures(rng, bodies)
    _batch("cases.remedies", remedies, "演示数据：行政复议和行政诉讼")
    _batch("engagement.complaints_figures", other, "演示数据：举报投诉和年度工作数据")
    _city_narrative(city)
    _users(city, orgs)
    counts["guides"] = guides.build_guides(orgs)
    counts.update(publications=pubs, postings=postings, requests=len(requests))


def _load_recent(
    rng: random.Random,
    calendar: WorkCalendar,
    orgs: dict[str, Organisation],
    counts: dict[str, int],
    progress: Callable[[str], None],
) -> None:
    """2024–2026 through the workflows, for the bodies that exist today: guides, cases, remedies, catalog,
    mailbox, 12345, responses, consultations and interviews."""
    city = orgs[CITY_NAME]
    current = [o for o in orgs.values() if o.valid_to is None and o.valid_from <= dt.date(2024, 1, 1)]
    counts["recent_cases"] = cases_recent.build_recent_cases(rng, current, calendar)
    progress(f"recent cases: {counts['recent_cases']}")
    counts["recent_remedies"] = cases_recent.build_recent_remedies()
    _batch("cases.remedies", counts["recent_remedies"], "演示数据：2024—2025年行政复议和行政诉讼")
    counts.update(catalog_recent.build_recent_catalog(orgs.values(), calendar))
    progress(f"recent catalog: {counts['recent_publications']} items, {counts['proactive_figures']} figures")
    counts["recent_letters"] = engagement_mailbox.build_recent_letters(current)  # 信箱 2024–2026
    counts["recent_tickets"] = engagement_hotline.build_recent_hotline(city, current)  # 12345 2024–2026
    counts["recent_responses"] = engagement_responses.build_recent_responses(current)  # 2024–2026
    counts["recent_consultations"] = engagement_consultations.build_recent(
        current
    )  # 意见征集、访谈 2024–2026


def _organisations() -> dict[str, Organisation]:
    specs = body_specs()
    index = {spec.name: n for n, spec in enumerate(specs)}
    rows = []
    for n, spec in enumerate(specs):
        org_code, credit = codes_for(n + 1, spec.division)
        rows.append(
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "org_code": org_code,
                "credit_code": credit,
                "valid_from": spec.valid_from,
                "valid_to": spec.valid_to,
                "sort_order": n,
                "parent": index[spec.parent] if spec.parent else None,
            }
        )
    created = create_organisations_bulk(ACTOR, rows, "演示城市许昌市机关单位")
    orgs = {o.name: o for o in created}
    successors = []
    for spec in specs:
        if spec.successor:
            org = orgs[spec.name]
            org.successor = orgs[spec.successor]
            successors.append(org)
    Organisation.objects.bulk_update(successors, ["successor"])
    return orgs


_WEIGHTS: dict[str, int] = {spec.name: spec.weight for spec in body_specs()}


def _weight(org: Organisation) -> int:
    return _WEIGHTS.get(org.name, 0)


def _batch(what: str, n: int, summary: str) -> None:
    record(ACTOR, "demo.bulk_create", object_type=what, summary=summary, batch_size=n)


def _city_narrative(city: Organisation) -> None:
    """Section 一 of the city's 2014 report is the seed's own text, in mainland Simplified Chinese."""
    text = SEED_FILE.read_text(encoding="utf-8")
    start = text.index("一、基本情況") + len("一、基本情況")
    basic = opencc.OpenCC("t2s").convert(text[start : text.index("二、主動公開情況")].strip())
    for taiwan, mainland in TAIWAN_PHRASES:
        basic = basic.replace(taiwan, mainland)
    basic = basic.translate(FULL_WIDTH).replace("） ", "）").replace(" （", "（").replace("， ", "，")
    save_narrative(ACTOR, city, "2014", 1, basic, year=seed2014.YEAR)
    # The seed page ends before its section 七; the demo city writes its own instead of the default blank.
    save_narrative(ACTOR, city, "2014", 7, PROBLEMS_2014, year=seed2014.YEAR)


PROBLEMS_2014 = (
    "我市政府信息公开工作还存在一些问题：一是部分单位主动公开的信息不够全面，更新不够及时；"
    "二是依申请公开的办理程序有待进一步规范。下一步，我们将加强政府信息公开平台建设，"
    "完善依申请公开工作流程，加大督促检查力度，推动政府信息公开工作再上新台阶。"
)


def _users(city: Organisation, orgs: dict[str, Organisation]) -> None:
    users = get_user_model()
    admin = users.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
    del admin
    for username, body, role, supervises in (
        ("city-office", city, Role.OFFICE_HEAD, None),
        ("city-clerk", city, Role.CLERK, None),
        ("city-supervisor", orgs["许昌市人民政府办公室"], Role.SUPERVISOR, city),
        ("edu-clerk", orgs["许昌市教育局"], Role.CLERK, None),
        ("edu-head", orgs["许昌市教育局"], Role.OFFICE_HEAD, None),
        ("weidu-office", orgs["魏都区人民政府"], Role.OFFICE_HEAD, None),
    ):
        user = users.objects.create_user(username, f"{username}@example.invalid", DEMO_PASSWORD)
        StaffProfile.objects.create(user=user, body=body, role=role, supervises=supervises)
    record(ACTOR, "demo.users", object_type="auth.user", summary="演示账号", batch_size=7)
