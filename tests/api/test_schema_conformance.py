"""schemathesis over every operation of the OpenAPI schema (issue 12 §5), against the Django WSGI app with a
token holding every scope in a populated database: no answer is a server error, and every answer's status,
content type and body are those the schema documents. Examples are bounded so that the run stays well under
two minutes on two cores."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gongkai.api import actions
from gongkai.api.models import Scope
from gongkai.catalog import transitions
from gongkai.reports.actions import publish_report
from gongkai.submissions.actions import submit
from gongkai.submissions.xlsx import template_for
from tests.api.tokens import register_case
from tests.conftest import build_personas, build_tree, publish_normative
from tests.submissions.helpers import TABLE3_2021, fill

MAX_EXAMPLES = 25  # per operation and mode
# Valid requests, and requests that break the schema (each must be a documented 4xx, never a 500).
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def world(db: None, settings: Any) -> dict[str, int]:
    """A database with cases, a published and a draft item, a published report and a submission; the ids of
    one record behind each detail operation."""
    settings.GONGKAI_THROTTLE_ENABLED = False
    tree = build_tree()
    personas = build_personas(tree)
    case = register_case(tree.education)
    register_case(tree.county_police, "请公开交通事故统计")
    publish_normative(tree, 2025)
    draft, _warnings = transitions.create_draft(
        "test", tree.education, title="关于招生的通知", made_on=dt.date(2026, 3, 2)
    )
    report = publish_report("test", tree.education, 2025, "2021", "own", override_reason="测试：无记录的年度")
    data = fill(template_for(tree.county_police, 2024, "2021"), "2021", TABLE3_2021)
    sub = submit(personas.supervisor, tree.county_police, 2024, "2021", io.BytesIO(data), "填报.xlsx")  # type: ignore[arg-type]
    return {
        "/api/v1/cases/{pk}": case.pk,
        "/api/v1/catalog/items/{pk}": draft.pk,
        "/api/v1/reports/{pk}": report.pk,
        "/api/v1/submissions/{pk}": sub.pk,
    }


@pytest.fixture
def api_schema(world: dict[str, int]) -> Iterator[Any]:
    """The schema as the app serves it. As Django's test client does, the requests do not close the database
    connection when they finish (on PostgreSQL that would end the test's transaction)."""
    from gongkai.wsgi import application  # the production WSGI app (imports every view when loaded)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token() -> str:
    from gongkai.organisations.models import Organisation

    city = Organisation.objects.get(parent__isnull=True)
    return actions.create_token(
        "test", name="schemathesis", body=city, scopes=list(Scope.values), include_subtree=True
    ).secret


def test_every_detail_answer_conforms_to_the_schema(api_schema: Any, world: dict[str, int]) -> None:
    """Generated ids rarely hit a record: each detail operation on a record that exists, with the real answer."""
    headers = {"Authorization": f"Bearer {_token()}"}
    for path, pk in world.items():
        response = (
            api_schema[path]["GET"]
            .Case(path_parameters={"pk": pk})
            .call_and_validate(headers=headers, checks=CHECKS)
        )
        assert response.status_code == 200, (path, response.text)


def test_every_operation_conforms_to_the_schema(api_schema: Any) -> None:
    """Each operation in turn (schemathesis's lazy pytest loader does not run under pytest 9), every failure
    reported at the end."""
    headers = {"Authorization": f"Bearer {_token()}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12

    for operation, mode in itertools.product(operations, MODES):

        @given(case=operation.as_strategy(generation_mode=mode))
        @examples(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's findings, not only the first
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
