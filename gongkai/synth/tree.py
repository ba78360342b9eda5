"""The synthetic province's tree: province → cities → counties/districts, with departments at every level and
reforms (a county becoming a district, a department merged into another mid-year).

Bodies are planned in memory first (``plan_tree``: deterministic for a seed), then written level by level with
``bulk_create`` so that parents have ids before their children's materialised paths are set."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.audit.log import record
from gongkai.organisations.codes import make_org_code
from gongkai.organisations.models import Organisation, OrgKind

FOUNDED = dt.date(2000, 1, 1)
PROVINCE_DEPARTMENTS = (
    "发展和改革委员会",
    "教育厅",
    "科学技术厅",
    "工业和信息化厅",
    "公安厅",
    "民政厅",
    "司法厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "商务厅",
    "文化和旅游厅",
    "卫生健康委员会",
    "应急管理厅",
    "审计厅",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "粮食和物资储备局",
    "地方金融监督管理局",
    "信访局",
    "大数据管理局",
)
LOCAL_DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "信访局",
    "行政审批和政务信息管理局",
    "住房保障中心",
    "民族宗教事务局",
    "人民防空办公室",
)
CITY_STEMS = (
    "许昌",
    "郑州",
    "开封",
    "洛阳",
    "平顶山",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
    "漯河",
    "三门峡",
    "南阳",
    "商丘",
    "信阳",
    "周口",
    "驻马店",
    "济源",
)
SYLLABLES = "安平宁泰和华阳山河川阴城源丰昌兴隆化德清远新中东西南北长永嘉桐柏林鹿台凤禹襄鄢舞"


@dataclass
class Planned:
    name: str
    kind: str
    parent: int | None  # index in the plan
    level: int
    valid_from: dt.date = FOUNDED
    valid_to: dt.date | None = None
    successor: int | None = None
    government: int | None = None  # the index of the people's government this body belongs to
    children: list[int] = field(default_factory=list)


def _county_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
        if name not in used:
            used.add(name)
            return name


class Planner:
    def __init__(self, rng: random.Random, n_bodies: int, years: tuple[int, int]) -> None:
        self.rng, self.n, self.years = rng, n_bodies, years
        self.plan: list[Planned] = []
        self.used: set[str] = set(CITY_STEMS)

    def add(self, body: Planned) -> int:
        self.plan.append(body)
        index = len(self.plan) - 1
        if body.parent is not None:
            self.plan[body.parent].children.append(index)
        if body.kind in (OrgKind.GOVERNMENT, OrgKind.COUNTY):
            body.government = index
        elif body.parent is not None:
            body.government = self.plan[body.parent].government
        return index

    def room(self) -> int:
        return self.n - len(self.plan)

    def departments(self, gov: int, names: tuple[str, ...], prefix: str, count: int) -> None:
        level = self.plan[gov].level + 1
        office = "办公厅" if level == 1 else "办公室"
        if self.room() > 0:
            self.add(Planned(f"{prefix}人民政府{office}", OrgKind.GENERAL_OFFICE, gov, level))
        for name in names[: max(0, min(count, self.room()))]:
            self.add(Planned(f"{prefix}{name}", OrgKind.DEPARTMENT, gov, level))


def plan_tree(rng: random.Random, n_bodies: int, years: tuple[int, int]) -> list[Planned]:
    """Plan ``n_bodies`` bodies: the province's share of departments, then cities with departments and
    counties until the number is reached; then reforms among counties and departments."""
    p = Planner(rng, n_bodies, years)
    province = p.add(Planned("某省人民政府", OrgKind.GOVERNMENT, None, 0))
    p.departments(
        province, PROVINCE_DEPARTMENTS, "某省", min(len(PROVINCE_DEPARTMENTS), max(2, n_bodies // 60))
    )
    n_cities = max(1, n_bodies // 400)
    per_city = max(3, p.room() // n_cities)
    for c in range(n_cities):
        if p.room() <= 0:
            break
        stem = CITY_STEMS[c] if c < len(CITY_STEMS) else _county_name(rng, p.used)
        _plan_city(p, province, f"{stem}市", per_city if c < n_cities - 1 else p.room())
    _plan_reforms(p)
    return p.plan


def _plan_city(p: Planner, province: int, name: str, budget: int) -> None:
    start = len(p.plan)
    city = p.add(Planned(f"{name}人民政府", OrgKind.GOVERNMENT, province, 1))
    n_depts = min(len(LOCAL_DEPARTMENTS), max(1, budget // 8))
    p.departments(city, LOCAL_DEPARTMENTS, name, n_depts)
    while p.room() > 0 and len(p.plan) - start < budget:
        left = budget - (len(p.plan) - start)
        county = _county_name(p.rng, p.used) + p.rng.choice("县县县区市")
        gov = p.add(Planned(f"{county}人民政府", OrgKind.COUNTY, city, 2))
        size = min(left - 1, p.rng.randint(12, 26))
        if size > 0:
            p.departments(gov, LOCAL_DEPARTMENTS, county, size - 1)


def _plan_reforms(p: Planner) -> None:
    """About one county in twenty becomes a district (撤县设区) and about one department in a hundred is merged
    into another of the same government, each on a date inside the years; successors of counties are new bodies
    only when there is room (the plan never exceeds the asked number): otherwise the county stays."""
    first, last = p.years
    counties = [i for i, b in enumerate(p.plan) if b.kind == OrgKind.COUNTY]
    for i in counties[::20][1:]:
        day = dt.date(p.rng.randint(first + 1, max(first + 1, last - 1)), 1, 1)
        body = p.plan[i]
        if body.name.endswith("区人民政府"):
            continue
        # the successor replaces the last planned department of another county: the total stays N
        victim = _spare_department(p)
        if victim is None:
            return
        successor = p.plan[victim]
        successor.name = body.name.replace("县人民政府", "区人民政府").replace("市人民政府", "区人民政府")
        successor.kind, successor.parent, successor.level = OrgKind.COUNTY, body.parent, body.level
        successor.valid_from, successor.government = day, victim
        body.valid_to, body.successor = day - dt.timedelta(days=1), victim
        for child in body.children:  # the county's departments carry on under the district
            p.plan[child].parent = victim
            p.plan[child].government = victim
        successor.children, body.children = body.children, []
        p.plan[body.parent or 0].children.append(victim)
    departments = [i for i, b in enumerate(p.plan) if b.kind == OrgKind.DEPARTMENT and b.valid_to is None]
    for i in departments[7::100]:
        siblings = [
            c for c in p.plan[p.plan[i].parent or 0].children if c != i and p.plan[c].valid_to is None
        ]
        siblings = [c for c in siblings if p.plan[c].kind == OrgKind.DEPARTMENT]
        if siblings:
            day = dt.date(p.rng.randint(first + 1, last), p.rng.randint(2, 11), 1)
            p.plan[i].valid_to, p.plan[i].successor = day - dt.timedelta(days=1), siblings[0]


def _spare_department(p: Planner) -> int | None:
    for i in range(len(p.plan) - 1, 0, -1):
        body = p.plan[i]
        if body.kind == OrgKind.DEPARTMENT and not body.children and body.valid_to is None:
            parent = p.plan[body.parent or 0]
            parent.children.remove(i)
            body.children = []
            return i
    return None


@transaction.atomic
def write_tree(plan: list[Planned], code_prefix: str) -> list[Organisation]:
    """Bulk-insert the plan level by level (parents first), one audit entry per level; returns the bodies in
    plan order."""
    bodies: list[Organisation | None] = [None] * len(plan)
    for level in sorted({b.level for b in plan}):
        rows = [(i, b) for i, b in enumerate(plan) if b.level == level]
        created = Organisation.objects.bulk_create(
            [_row(i, b, bodies, code_prefix) for i, b in rows], batch_size=2000
        )
        for (i, _b), org in zip(rows, created, strict=True):
            bodies[i] = org
        _set_paths([(i, b) for i, b in rows], bodies)
        record(  # one entry per level (the batch), as organisations.actions.create_organisations_bulk does
            "synth",
            "synth.bulk_create",
            object_type="organisations.organisation",
            summary=f"合成数据：第{level + 1}级机关单位",
            batch_size=len(rows),
        )
    done = [b for b in bodies if b is not None]
    successors = []
    for i, body in enumerate(plan):
        if body.successor is not None:
            org = done[i]
            org.successor = done[body.successor]
            successors.append(org)
    Organisation.objects.bulk_update(successors, ["successor"], batch_size=2000)
    return done


def _row(i: int, b: Planned, bodies: list[Organisation | None], prefix: str) -> Organisation:
    parent = bodies[b.parent] if b.parent is not None else None
    return Organisation(
        name=b.name,
        org_code=make_org_code(f"{prefix}{i:07d}"),
        kind=b.kind,
        parent=parent,
        path="",
        depth=b.level,
        valid_from=b.valid_from,
        valid_to=b.valid_to,
        sort_order=i,
    )


def _set_paths(rows: list[tuple[int, Planned]], bodies: list[Organisation | None]) -> None:
    changed = []
    for i, b in rows:
        org = bodies[i]
        assert org is not None
        parent = bodies[b.parent] if b.parent is not None else None
        org.path = f"{parent.path if parent else ''}{org.pk:06d}."
        changed.append(org)
    Organisation.objects.bulk_update(changed, ["path"], batch_size=2000)
