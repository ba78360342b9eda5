"""The demo city's bodies: 许昌市 (Xuchang, Henan; division code 411000) with its general office, 24
departments and its counties/districts, including two reforms kept as history: 许昌县 became 建安区 in 2017,
and in 2019 the land and planning bureaus merged (自然资源和规划局) as did the three market regulators
(市场监督管理局). Codes are generated with valid check characters; they are demo data, not real codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.organisations.codes import make_credit_code, make_org_code
from gongkai.organisations.models import OrgKind

CITY_NAME = "许昌市人民政府"
EPOCH = dt.date(2000, 1, 1)
REFORM_2017 = dt.date(2017, 2, 8)
REFORM_2019 = dt.date(2019, 2, 1)


@dataclass(frozen=True)
class BodySpec:
    name: str
    short_name: str
    kind: str
    division: str
    parent: str | None  # parent's name
    weight: int = 10  # relative share of the city's records
    valid_from: dt.date = EPOCH
    valid_to: dt.date | None = None
    successor: str | None = None


CITY_DEPARTMENTS: tuple[tuple[str, int], ...] = (
    ("发展和改革委员会", 30),
    ("教育局", 40),
    ("公安局", 90),
    ("民政局", 30),
    ("司法局", 15),
    ("财政局", 35),
    ("人力资源和社会保障局", 45),
    ("国土资源局", 35),
    ("环境保护局", 30),
    ("住房和城乡建设局", 40),
    ("城乡规划局", 20),
    ("交通运输局", 30),
    ("水利局", 15),
    ("农业局", 20),
    ("林业局", 10),
    ("商务局", 15),
    ("文化广电新闻出版局", 15),
    ("卫生和计划生育委员会", 45),
    ("审计局", 10),
    ("工商行政管理局", 60),
    ("质量技术监督局", 20),
    ("食品药品监督管理局", 40),
    ("安全生产监督管理局", 20),
    ("统计局", 10),
    ("体育局", 8),
    ("城市管理局", 25),
)
MERGED_2019 = {
    "自然资源和规划局": ("国土资源局", "城乡规划局"),
    "市场监督管理局": ("工商行政管理局", "质量技术监督局", "食品药品监督管理局"),
}
COUNTIES: tuple[tuple[str, str, str, int], ...] = (
    ("魏都区人民政府", "魏都区", "411002", 60),
    ("许昌县人民政府", "许昌县", "411023", 45),
    ("鄢陵县人民政府", "鄢陵县", "411024", 40),
    ("襄城县人民政府", "襄城县", "411025", 40),
    ("禹州市人民政府", "禹州市", "411081", 55),
    ("长葛市人民政府", "长葛市", "411082", 50),
)
COUNTY_DEPARTMENTS: tuple[tuple[str, int], ...] = (
    ("教育局", 15),
    ("公安局", 25),
    ("财政局", 10),
    ("民政局", 10),
)


def body_specs() -> list[BodySpec]:
    """Parents before children, in a fixed order (the demo is deterministic)."""
    city = "411000"
    specs = [
        BodySpec(CITY_NAME, "许昌市", OrgKind.GOVERNMENT, city, None, weight=60),
        BodySpec("许昌市人民政府办公室", "市政府办公室", OrgKind.GENERAL_OFFICE, city, CITY_NAME, weight=50),
    ]
    merged_into = {old: new for new, olds in MERGED_2019.items() for old in olds}
    for name, weight in CITY_DEPARTMENTS:
        ends = REFORM_2019 - dt.timedelta(days=1) if name in merged_into else None
        specs.append(
            BodySpec(
                f"许昌市{name}",
                f"市{name}",
                OrgKind.DEPARTMENT,
                city,
                CITY_NAME,
                weight,
                valid_to=ends,
                successor=f"许昌市{merged_into[name]}" if name in merged_into else None,
            )
        )
    for name in MERGED_2019:
        specs.append(
            BodySpec(
                f"许昌市{name}", f"市{name}", OrgKind.DEPARTMENT, city, CITY_NAME, 0, valid_from=REFORM_2019
            )
        )
    for full, short, division, weight in COUNTIES:
        is_old = short == "许昌县"
        specs.append(
            BodySpec(
                full,
                short,
                OrgKind.COUNTY,
                division,
                CITY_NAME,
                weight,
                valid_to=REFORM_2017 - dt.timedelta(days=1) if is_old else None,
                successor="建安区人民政府" if is_old else None,
            )
        )
        specs += _county_children(full, short, division, is_old)
    specs.append(
        BodySpec("建安区人民政府", "建安区", OrgKind.COUNTY, "411003", CITY_NAME, 0, valid_from=REFORM_2017)
    )
    specs += [
        BodySpec(
            f"建安区{name}",
            f"建安区{name}",
            OrgKind.DEPARTMENT,
            "411003",
            "建安区人民政府",
            0,
            valid_from=REFORM_2017,
        )
        for name, _weight in COUNTY_DEPARTMENTS
    ]
    return specs


def _county_children(full: str, short: str, division: str, is_old: bool) -> list[BodySpec]:
    ends = REFORM_2017 - dt.timedelta(days=1) if is_old else None
    children = [
        BodySpec(
            f"{full}办公室",
            f"{short}政府办",
            OrgKind.GENERAL_OFFICE,
            division,
            full,
            15,
            valid_to=ends,
            successor=None,
        )
    ]
    children += [
        BodySpec(
            f"{short}{name}",
            f"{short}{name}",
            OrgKind.DEPARTMENT,
            division,
            full,
            weight,
            valid_to=ends,
            successor=f"建安区{name}" if is_old else None,
        )
        for name, weight in COUNTY_DEPARTMENTS
    ]
    return children


def codes_for(index: int, division: str) -> tuple[str, str]:
    """(organisation code, credit code) for the index-th body: valid check characters, demo values."""
    org_code = make_org_code(f"{division[2:6]}{index:04d}")
    return org_code, make_credit_code("11", division, org_code)
