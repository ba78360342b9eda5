"""The report's consistency rules (statutory-reference §3.4, ``gongkai.reports.validation``) hold on synthesised
data for most bodies and years: the generator makes data a real platform could hold."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from gongkai.catalog.models import ProactiveFigures, Publication
from gongkai.catalogstats.models import PublishedCount
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.registry import Scope
from gongkai.reports.stats2014 import TABLE as TABLE_2014
from gongkai.reports.validation import (
    Finding,
    check_2014_sums,
    has_errors,
    table_values,
    validate_request_tables,
    validate_table2,
)
from gongkai.synth.build import Spec, synthesise

pytestmark = pytest.mark.django_db
SPEC = Spec(bodies=60, publications=2500, cases=1500, tickets=100, years=(2016, 2022), seed=11, batch=1000)


def _findings(org: Organisation, year: int, scope: Scope) -> list[Finding]:
    fmt = default_format_for_year(year)
    if fmt == "2014":
        return check_2014_sums(table_values(org, year, fmt, TABLE_2014, scope))
    return validate_request_tables(org, year, fmt, scope) + validate_table2(org, year, fmt, scope)


def test_the_data_rules_of_the_report_pass_for_most_bodies_and_years() -> None:
    synthesise(SPEC, say=lambda _line: None)
    governments = Organisation.objects.filter(kind__in=[OrgKind.GOVERNMENT, OrgKind.COUNTY])
    departments = Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk")[:10]
    checked, failed = 0, []
    for org in [*governments, *departments]:
        scope = Scope.SUBTREE if org.kind != OrgKind.DEPARTMENT else Scope.OWN
        for year in range(SPEC.years[0], SPEC.years[1] + 1):
            if not org.existed_in(year):
                continue
            checked += 1
            findings = _findings(org, year, scope)
            if has_errors(findings):
                failed.append((org.name, year, [f.message for f in findings if f.severity == "error"][:2]))
    assert checked > 50
    # Table 2 figures: one row per body and year from 2019 in which the body existed, none outside
    for year in range(2019, SPEC.years[1] + 1):
        alive = set(Organisation.objects.existing_in_year(year).values_list("pk", flat=True))
        assert set(ProactiveFigures.objects.filter(year=year).values_list("body_id", flat=True)) == alive
    assert not ProactiveFigures.objects.filter(year__lt=2019).exists()
    # the derived data are rebuilt after the load: the portal's counts add up to the public catalog
    assert PublishedCount.objects.aggregate(n=Sum("n"))["n"] == Publication.objects.public().count()
    assert len(failed) <= checked // 10, failed
