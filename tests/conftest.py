"""Shared fixtures: a small city tree and the personas of style.md (clerk, reviewer, office head, city
supervisor, outsider)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from gongkai.accounts.models import Role, StaffProfile
from gongkai.organisations.actions import save_organisation
from gongkai.organisations.codes import make_credit_code, make_org_code
from gongkai.organisations.models import Organisation, OrgKind
from tests.xdist_scheduling import check_grouped_modules, check_transactional_tests_restore_data
from tests.xdist_scheduling import pytest_xdist_make_scheduler as pytest_xdist_make_scheduler

PASSWORD = "correct horse battery staple"


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    """Passwords and tracking secrets are hashed with Django's PBKDF2 (1,000,000 rounds: about 0.9 s each on a CI
    core) in production (tests/accounts/test_models.py keeps it so). Tests hash with MD5 instead, from the first
    fixture on (module-scoped ones such as the demo city's staff too): a persona costs milliseconds, not a
    second. A test about the slow hash sets ``settings.PASSWORD_HASHERS`` itself."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_HASHERS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    check_grouped_modules(config, items)
    check_transactional_tests_restore_data(items)


@dataclass
class Tree:
    city: Organisation
    office: Organisation
    education: Organisation
    school_office: Organisation  # below education
    county: Organisation
    county_police: Organisation


_serial = iter(range(1, 10_000))


def make_org(
    name: str,
    kind: str,
    parent: Organisation | None = None,
    *,
    short_name: str = "",
    valid_from: dt.date = dt.date(2000, 1, 1),
    valid_to: dt.date | None = None,
) -> Organisation:
    org_code = make_org_code(f"9{next(_serial):07d}")
    org = Organisation(
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        org_code=org_code,
        credit_code=make_credit_code("11", "419900", org_code),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return save_organisation("test", org)


@pytest.fixture
def tree(db: None) -> Tree:
    return build_tree()


def build_tree() -> Tree:
    """The small city tree (also for module-scoped worlds, which cannot use the ``tree`` fixture)."""
    city = make_org("测试市人民政府", OrgKind.GOVERNMENT, short_name="测试市")
    return Tree(
        city=city,
        office=make_org("测试市人民政府办公室", OrgKind.GENERAL_OFFICE, city),
        education=(education := make_org("测试市教育局", OrgKind.DEPARTMENT, city, short_name="市教育局")),
        school_office=make_org("测试市教育局招生办公室", OrgKind.OTHER, education),
        county=(county := make_org("测试县人民政府", OrgKind.COUNTY, city, short_name="测试县")),
        county_police=make_org("测试县公安局", OrgKind.DEPARTMENT, county),
    )


def make_user(
    username: str,
    body: Organisation | None = None,
    role: str | None = None,
    supervises: Organisation | None = None,
) -> AbstractUser:
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    if body is not None and role is not None:
        StaffProfile.objects.create(user=user, body=body, role=role, supervises=supervises)
    return user  # type: ignore[no-any-return]


@dataclass
class Personas:
    clerk: AbstractUser  # 教育局 clerk
    reviewer: AbstractUser  # 教育局 reviewer
    office_head: AbstractUser  # city government OGI office head
    supervisor: AbstractUser  # sits in the city office, supervises the county's subtree
    outsider: AbstractUser  # logged in, belongs to no body


@pytest.fixture
def personas(tree: Tree) -> Personas:
    return build_personas(tree)


def build_personas(tree: Tree) -> Personas:
    return Personas(
        clerk=make_user("clerk", tree.education, Role.CLERK),
        reviewer=make_user("reviewer", tree.education, Role.REVIEWER),
        office_head=make_user("office-head", tree.city, Role.OFFICE_HEAD),
        supervisor=make_user("supervisor", tree.office, Role.SUPERVISOR, supervises=tree.county),
        outsider=make_user("outsider"),
    )


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the site's default language (zh-Hans): a request to an /en/ or /zh-hant/ page
    activates its language in the test's thread, and code run outside a request (letters, exports, commands)
    would otherwise speak the previous test's language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def light_report_files(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing a report freezes every export (the PDF alone takes seconds): tests that are not about the
    files freeze .json and .md only. A test marked ``all_report_files`` freezes them all."""
    if request.node.get_closest_marker("all_report_files") is None:
        monkeypatch.setattr("gongkai.reports.actions.FROZEN_SUFFIXES", (".json", ".md"))


@pytest.fixture(scope="session", autouse=True)
def audit_log_flushable() -> Iterator[None]:
    """Transactional and live-server tests empty every table between tests; the audit log's triggers allow
    that under their maintenance switch only (docs/audit.md), which this turns on for each flush alone."""
    from tests.audit.harness import flush_under_maintenance

    with flush_under_maintenance():
        yield


@pytest.fixture(autouse=True)
def own_shared_cache(settings: Any) -> None:
    """Each test gets an empty shared cache of its own (in memory), and the public page cache and the staff report
    cache are off unless a test turns them on (tests/portal/test_page_cache.py): other tests change rows directly."""
    settings.CACHES = settings.CACHES | {
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    settings.GONGKAI_PAGE_CACHE = False
    settings.GONGKAI_REPORT_CACHE = False


@pytest.fixture(autouse=True)
def own_throttle_counters(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Abuse limits stay on in every test, each test with empty counters of its own (a new SQLite file, created
    on the first hit), so that no test is slowed by another's requests."""
    settings.GONGKAI_THROTTLE_CACHE = ""
    settings.GONGKAI_THROTTLE_DB = tmp_path_factory.getbasetemp() / "throttle" / f"{uuid.uuid4().hex}.sqlite3"


def publish_normative(tree: Tree, year: int) -> None:
    """The education bureau publishes a normative document on its website in ``year`` (one committed write:
    what moves the publication statistics of the aggregates and of the reports)."""
    from django.db import transaction

    from gongkai.catalog.actions import record_publication
    from gongkai.catalog.models import Channel, ChannelKind, NormativeKind

    site = Channel.objects.filter(owner=tree.education).first() or Channel.objects.create(
        name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.education
    )
    with transaction.atomic():
        record_publication(
            "test",
            tree.education,
            title="规范性文件",
            made_on=dt.date(year, 5, 5),
            issued_on=dt.date(year, 5, 5),
            published_on=dt.date(year, 5, 6),
            channels=[site],
            normative_kind=NormativeKind.NORMATIVE,
            document_number=f"教〔{year}〕1号",
        )
