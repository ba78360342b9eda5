"""The permission matrix (issue #10, deliverable 9): every URL pattern of the live resolver has a row in
``permission_matrix.ROWS``, and every row × role answers as its cell says.

One fixture world per module (``world``): the tree and personas of tests/conftest.py, and in each of three
bodies (教育局, the city government, 县公安局) a case with a sent letter and a tracking secret, a draft, a
published and a withdrawn item with attachments, a published annual report and a submission. It is built once
inside a transaction that is rolled back at the end; each test runs in a savepoint of its own, so a POST that
changes something changes it for that test only."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.cases import letters
from gongkai.cases import transitions as case_steps
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest
from gongkai.cases.tracking import issue_tracking
from gongkai.catalog import transitions as steps
from gongkai.catalog.models import Channel, ChannelKind, Genre, Publication
from gongkai.organisations.models import Organisation
from gongkai.portal.views import LETTER_SALT
from gongkai.reports.actions import publish_report, withdraw_report
from gongkai.reports.registry import statistics_for_format
from gongkai.search import rebuild
from gongkai.submissions.actions import submit
from gongkai.submissions.xlsx import template_for
from tests.checker.world import checker_values
from tests.conftest import build_personas, build_tree, make_user
from tests.consultations.world import consultation_values
from tests.engagement.world import engagement_values
from tests.hotline.world import hotline_values
from tests.interviews.world import interview_values
from tests.mailbox.world import mailbox_values
from tests.security.permission_matrix import GROUPS, HOLES, ROWS, Row

pytestmark = pytest.mark.django_db

YEAR, FMT = 2024, "2021"  # the published report and the submission; the year before: a withdrawn report
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WRONG_SECRET = "WRONGSECRET0"
REDIRECTS = {301, 302, 303, 307, 308}
LOGIN_PAGES = {"/accounts/login/", "/admin/login/"}


# The resolver ---------------------------------------------------------------------------------------------


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every URL pattern as (route, name), walking included resolvers (the API's, the admin's) recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name or ""


def covered(route: str, classified: set[str]) -> bool:
    return route in classified or any(re.fullmatch(regex, route) for regex in GROUPS.values())


def skeleton(route: str, name: str) -> str:
    """The row(s) to add for an unclassified route, to be completed with the right cells and path."""
    obj = '"own"' if "<" in route else '""'
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    cells = '"anon applicant outsider clerk reviewer office_head body_admin supervisor superuser"'
    return f'    Row("{route}", "GET", {obj}, {cells}, "{path}"),  # {name}; a POST row too if it writes'


def test_every_url_pattern_has_a_row() -> None:
    classified = {row.route for row in ROWS}
    missing = [(route, name) for route, name in routes() if not covered(route, classified)]
    assert not missing, (
        f"{len(missing)} URL pattern(s) have no row in tests/security/permission_matrix.py. Add to ROWS "
        "(one cell per role: ok/no/login/401/403/404/405/410; own and other body for object URLs):\n"
        + "\n".join(skeleton(route, name) for route, name in missing)
    )


def test_every_row_names_a_live_route() -> None:
    live = {route for route, _name in routes()}
    stale = sorted({row.route for row in ROWS} - live - set(GROUPS))
    assert not stale, f"rows for routes that no longer exist: {stale}"
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for row in ROWS:
        row.expected()  # one known cell per role


# The world ------------------------------------------------------------------------------------------------


@dataclass
class Body:
    org: Organisation
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    bodies: dict[str, Body]  # E: 教育局, C: the city government, P: 县公安局
    users: dict[str, Any]  # role -> user (None: not signed in)
    sessions: dict[str, str]  # role -> session key, signed in once for the module
    common: dict[str, Any]

    def body_for(self, role: str, obj: str) -> Body:
        own = {"office_head": "C", "supervisor": "P"}.get(role, "E")
        other = "E" if role == "supervisor" else "P"
        return self.bodies[other if obj == "other" else own]

    def values(self, role: str, obj: str) -> dict[str, Any]:
        body = self.body_for(role, obj)
        secret = body.values["true_secret"] if role == "applicant" else WRONG_SECRET
        return self.common | body.values | {"secret": secret}


def _case(key: str, org: Organisation, maker: Any) -> dict[str, Any]:
    applicant = create_applicant(
        "test", kind="natural", name=f"申请人{key}", id_document="resident_id", id_number="11010519491231002X"
    )
    req = case_steps.register(
        maker,
        org,
        received=D(2025, 3, 3),
        channel="letter",
        subject=f"案件标记{key}甲乙",
        applicant=applicant,
    )
    event = req.events.get(kind="registered")
    letter = letters.send(maker, event, dispatched_on=D(2025, 3, 4))
    code, secret = issue_tracking(maker, req)
    token = signing.dumps({"letter": letter.pk, "case": req.pk}, salt=LETTER_SALT)
    answered = case_steps.register(
        maker, org, received=D(2025, 3, 3), channel="letter", subject=f"答复文件{key}", applicant=applicant
    )
    pdf = SimpleUploadedFile("provided.pdf", PDF + key.encode())
    case_steps.answer(
        maker,
        answered,
        on=D(2025, 3, 10),
        outcome="2019.disclosed",
        content=case_steps.AnswerContent(documents=[pdf]),
    )
    document = answered.answer_documents.get()
    return {
        "answered_case": answered.pk,
        "document": document.pk,
        "case": req.pk,
        "event": event.pk,
        "case_subject": req.subject,
        "case_body": org.name,
        "tracking_code": code,
        "true_secret": secret,
        "token": token,
    }


def _item(key: str, what: str, org: Organisation, maker: Any, checker: Any, channel: Channel) -> Publication:
    pub, _warnings = steps.create_draft(maker, org, title=f"{what}标记{key}丙丁", made_on=D(2025, 3, 3))
    steps.add_attachment(maker, pub, SimpleUploadedFile(f"{what}.pdf", PDF + what.encode()))
    if what == "draft":
        return pub
    steps.review(checker, pub, on=D(2025, 3, 4), conclusion="passed")
    pub = steps.publish(maker, pub, on=D(2025, 3, 5), channels=[channel])
    if what == "withdrawn":
        pub = steps.withdraw(maker, pub, reason="测试撤回", on=D(2025, 3, 6))
    return pub


def _doc(pub: Publication) -> str:
    return f"{pub.index_code}/{pub.index_year}/{pub.index_serial}"


def _items(key: str, org: Organisation, maker: Any, checker: Any, channel: Channel) -> dict[str, Any]:
    draft = _item(key, "draft", org, maker, checker, channel)
    pub = _item(key, "published", org, maker, checker, channel)
    withdrawn = _item(key, "withdrawn", org, maker, checker, channel)
    return {
        "pub": pub.pk,
        "pub_title": pub.title,
        "att": pub.attachments.get().pk,
        "doc": _doc(pub),
        "draft": draft.pk,
        "draft_title": draft.title,
        "draft_att": draft.attachments.get().pk,
        "draft_doc": _doc(draft),
        "withdrawn_doc": _doc(withdrawn),
    }


def _body(key: str, org: Organisation, superuser: Any, channel: Channel) -> Body:
    maker = make_user(f"maker-{key}", org, Role.CLERK)
    checker = make_user(f"checker-{key}", org, Role.REVIEWER)
    report = publish_report("test", org, YEAR, FMT, "own", override_reason="测试：无记录的年度")
    withdrawn = publish_report("test", org, YEAR - 1, FMT, "own", override_reason="测试：无记录的年度")
    withdraw_report("test", withdrawn)
    template = template_for(org, YEAR, FMT)
    sub = submit(superuser, org, YEAR, FMT, io.BytesIO(template), "t.xlsx")
    values = {"org": org.org_code, "body_pk": org.pk, "sub": sub.pk, "xlsx": template, "report": report.pk}
    values |= _case(key, org, maker) | _items(key, org, maker, checker, channel)
    values |= mailbox_values(key, org, values["true_secret"])  # 信箱 (tests/mailbox/world.py)
    values |= hotline_values(key, org)  # 12345 (tests/hotline/world.py)
    values |= consultation_values(key, org) | interview_values(key, org)  # 意见征集、访谈
    values |= engagement_values(key, org, maker, checker, values["pub"])  # tests/engagement/world.py
    return Body(org, values)


def build_world() -> World:
    tree = build_tree()
    personas = build_personas(tree)
    superuser = get_user_model().objects.create_superuser("root", password="x")
    channel = Channel.objects.create(
        name="测试门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )
    bodies = {
        key: _body(key, org, superuser, channel)
        for key, org in (("E", tree.education), ("C", tree.city), ("P", tree.county_police))
    }
    rebuild()  # the search index (its on-commit refresh never runs inside the world's transaction)
    users = {
        "anon": None,
        "applicant": None,
        "outsider": personas.outsider,
        "clerk": personas.clerk,
        "reviewer": personas.reviewer,
        "office_head": personas.office_head,
        "body_admin": make_user("body-admin", tree.education, Role.ADMIN),
        "supervisor": personas.supervisor,
        "superuser": superuser,
    }
    sessions = {role: _session(user) for role, user in users.items() if user is not None}
    today = timezone.localdate()
    common = {
        "year": YEAR,
        "year_withdrawn": YEAR - 1,
        "year_unpublished": YEAR - 2,
        "today": today.isoformat(),
        "yesterday": (today - dt.timedelta(days=1)).isoformat(),
        "forged_token": "eyJsZXR0ZXIiOjF9:forged:signature",
        "stat": statistics_for_format(FMT)[0].key,
        "genre": Genre.objects.order_by("pk").values_list("pk", flat=True).first(),
        "case_ct": ContentType.objects.get_for_model(InformationRequest).pk,
        "root_pk": superuser.pk,
    } | checker_values(superuser)
    return World(bodies, users, sessions, common)


def _session(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    media: Path = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("gongkai.reports.actions.FROZEN_SUFFIXES", (".json", ".md"))
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


# The requests ---------------------------------------------------------------------------------------------


def _fill(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if value == "@pdf":
        return SimpleUploadedFile("新附件.pdf", PDF + b"% new", content_type="application/pdf")
    if value == "@xlsx":
        return SimpleUploadedFile("figures.xlsx", values["xlsx"])
    return str(value).format(**values)


def send(client: Client, row: Row, values: dict[str, Any]) -> HttpResponse:
    path = row.path.format(**values)
    data = _fill(row.data, values)
    if row.method == "GET":
        return client.get(path, data)  # type: ignore[return-value]
    if row.json:
        return client.post(path, json.dumps(data), content_type="application/json")  # type: ignore[return-value]
    return client.post(path, data)  # type: ignore[return-value]


def text_of(response: HttpResponse) -> str:
    kind = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    if kind.startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode(errors="replace")


def outcome(response: HttpResponse, marker: str) -> str:
    status = response.status_code
    if status in REDIRECTS:
        return "login" if urlparse(response["Location"]).path in LOGIN_PAGES else "ok"
    if not 200 <= status < 300:
        return str(status)
    if marker:
        return "ok" if marker in text_of(response) else "no"
    return "ok"


def _cases() -> Iterator[Any]:
    for row in ROWS:
        for role, cell in row.expected().items():
            hole = HOLES.get((row.id, role))
            marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
            yield pytest.param(row, role, cell, id=f"{row.id}|{role}", marks=marks)


@pytest.mark.parametrize(("row", "role", "cell"), list(_cases()))
def test_cell(world: World, row: Row, role: str, cell: str) -> None:
    values = world.values(role, row.obj)
    path = row.path.format(**values)
    match = resolve(urlparse(path).path)
    group = GROUPS.get(row.route)
    assert match.route == row.route or (group and re.fullmatch(group, match.route)), (
        f"{row.id}: {path} resolves to {match.route!r}, not to the row's route"
    )
    client = Client()
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    response = send(client, row, values)
    got = outcome(response, row.marker.format(**values) if row.marker else "")
    where = response.get("Location", "")
    assert got == cell, f"{row.id} as {role}: expected {cell}, got {got} ({response.status_code} {where})"
