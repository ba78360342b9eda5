"""Reviews and lawsuits linked to their case, from the case page, audited, counted in Table 4."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import remedies
from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, Lawsuit
from gongkai.reports.stats_requests import T4
from gongkai.reports.validation import table_values
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db


def answered(tree: Tree, personas: Personas):  # type: ignore[no-untyped-def]
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2025, 3, 3),
        channel="letter",
        applicant_kind="natural",
        subject="s",
    )
    return t.answer(personas.clerk, req, on=dt.date(2025, 3, 20), outcome="2019.refused.third_party")


def test_file_and_decide_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = answered(tree, personas)
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    base = f"/staff/cases/{req.pk}/remedies/"
    client.post(base + "file", {"kind": "review", "filed_on": "2025-04-10"})
    client.post(base + "file", {"kind": "after_review", "filed_on": "2025-07-01"})
    review, suit = AdministrativeReview.objects.get(), Lawsuit.objects.get()
    assert (review.request, review.body, suit.after_review) == (req, tree.education, True)
    client.post(base + f"review-{review.pk}", {"outcome": "corrected", "decided_on": "2025-06-01"})
    review.refresh_from_db()
    assert (review.outcome, review.decided_on) == ("corrected", dt.date(2025, 6, 1))
    assert (
        AuditEntry.objects.filter(
            action__in=["review.file", "lawsuit.file", "administrativereview.decide"]
        ).count()
        == 3
    )
    t4 = table_values(tree.city, 2025, "2021", T4)
    assert (t4[("行政复议", "结果纠正")], t4[("行政诉讼/复议后起诉", "尚未审结")]) == (1, 1)
    page = client.get(f"/staff/cases/{req.pk}/").content.decode()
    assert "行政复议和行政诉讼" in page and "纠正" in page


def test_bad_remedy_input_is_refused(tree: Tree, personas: Personas) -> None:
    req = answered(tree, personas)
    with pytest.raises(ValidationError):
        remedies.file_review("t", req, filed_on=dt.date(2025, 1, 1))
    review = remedies.file_review("t", req, filed_on=dt.date(2025, 4, 1))
    with pytest.raises(ValidationError):
        remedies.decide("t", review, outcome="upheld", decided_on=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        remedies.decide("t", review, outcome="maybe", decided_on=dt.date(2025, 5, 1))
    remedies.decide("t", review, outcome="upheld", decided_on=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError):
        remedies.decide("t", review, outcome="other", decided_on=dt.date(2025, 5, 2))
    outsider = Client()
    outsider.login(username="supervisor", password=PASSWORD)
    assert (
        outsider.post(
            f"/staff/cases/{req.pk}/remedies/file", {"kind": "review", "filed_on": "2025-04-10"}
        ).status_code
        == 403
    )
