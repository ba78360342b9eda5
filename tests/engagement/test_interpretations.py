"""Policy interpretations (政策解读): 测试市教育局's clerk drafts an official's reading of the bureau's enrolment
policy; it is published only after the reviewer's 保密审查 (the catalog's own workflow); the policy's public page
and /interpretations/ show it, newest first; one published later than its policy is flagged (同步解读); the
catalog filters list the policies still without an interpretation; bad input writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions
from gongkai.catalog.models import Channel, ChannelKind, NormativeKind, Publication, ReviewConclusion
from gongkai.engagement import actions
from gongkai.engagement.models import Interpretation, InterpretationForm
from gongkai.reports import drilldown
from gongkai.reports.registry import Context, Scope
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


def _policy(tree: Tree, personas: Personas, title: str, on: dt.date) -> Publication:
    """The bureau publishes a normative document on its website on ``on``."""
    site = Channel.objects.filter(owner=tree.education).first() or Channel.objects.create(
        name="教育局网站", kind=ChannelKind.objects.get(code="website"), owner=tree.education
    )
    pub, _w = transitions.create_draft(
        personas.clerk,
        tree.education,
        title=title,
        made_on=on,
        normative_kind=NormativeKind.NORMATIVE,
        text="正文",
    )
    transitions.review(personas.reviewer, pub, on=on, conclusion=ReviewConclusion.PASSED)
    return transitions.publish(personas.clerk, pub, on=on, channels=[site])


def _interpret(
    personas: Personas,
    policy: Publication,
    published: dt.date,
    form: str = InterpretationForm.TEXT,
    **extra: str,
) -> Interpretation:
    interp = actions.draft_interpretation(
        personas.clerk,
        policy,
        title=f"{policy.title}解读",
        made_on=policy.published_on or published,
        form=form,
        text="一、背景",
        **extra,
    )
    transitions.review(
        personas.reviewer, interp.publication, on=policy.published_on or published, conclusion="passed"
    )
    return actions.publish_interpretation(personas.clerk, interp, on=published)


@pytest.fixture
def enrolment(tree: Tree, personas: Personas) -> Publication:
    return _policy(tree, personas, "义务教育招生办法", D(2014, 3, 10))


def test_an_officials_reading_is_linked_and_shown_on_the_policy_page(
    client: Client, personas: Personas, enrolment: Publication
) -> None:
    interp = _interpret(
        personas,
        enrolment,
        D(2014, 3, 10),
        InterpretationForm.OFFICIAL,
        official_name="张伟",
        official_post="局长",
    )
    pub = interp.publication
    assert pub.genre is not None and pub.genre.code == "jiedu" and pub.interprets == enrolment
    assert interp.policy == enrolment and not interp.late
    assert AuditEntry.objects.filter(
        action="engagement.interpretation.publish", object_id=str(interp.pk)
    ).exists()
    page = client.get(
        f"/documents/{enrolment.index_code}/{enrolment.index_year}/{enrolment.index_serial}/"
    ).content.decode()
    assert f'href="/interpretations/{pub.pk}/"' in page and "负责人解读" in page
    detail = client.get(f"/interpretations/{pub.pk}/").content.decode()
    assert "局长 张伟" in detail and enrolment.title in detail


def test_publication_needs_the_catalogs_confidentiality_review(
    personas: Personas, enrolment: Publication
) -> None:
    interp = actions.draft_interpretation(
        personas.clerk,
        enrolment,
        title="招生办法图解",
        made_on=D(2014, 3, 10),
        form=InterpretationForm.GRAPHIC,
    )
    with pytest.raises(transitions.IllegalStep):
        actions.publish_interpretation(personas.clerk, interp, on=D(2014, 3, 10))
    interp.publication.refresh_from_db()
    assert interp.publication.published_on is None
    assert Client().get(f"/interpretations/{interp.publication.pk}/").status_code == 404


def test_a_late_interpretation_is_flagged_and_the_same_day_is_on_time(
    client: Client, tree: Tree, personas: Personas, enrolment: Publication
) -> None:
    on_time = _interpret(personas, enrolment, D(2014, 3, 10))
    fees = _policy(tree, personas, "学校收费管理办法", D(2014, 4, 1))
    late = _interpret(personas, fees, D(2014, 4, 15), InterpretationForm.VIDEO)
    assert late.late and not on_time.late
    assert client.login(username="clerk", password=PASSWORD)
    listing = client.get("/staff/engagement/interpretations/").content.decode()
    assert listing.count('data-late="1"') == 1
    flagged = client.get("/staff/engagement/interpretations/?late=1").content.decode()
    assert late.publication.title in flagged and on_time.publication.title not in flagged
    record = client.get(f"/staff/engagement/interpretations/{late.publication.pk}/").content.decode()
    assert 'data-late="1"' in record and "2014-04-01" in record
    ok = client.get(f"/staff/engagement/interpretations/{on_time.publication.pk}/").content.decode()
    assert 'data-late="1"' not in ok


def test_the_public_list_is_newest_first_with_form_and_policy(
    client: Client, tree: Tree, personas: Personas, enrolment: Publication
) -> None:
    first = _interpret(personas, enrolment, D(2014, 3, 10))
    fees = _policy(tree, personas, "学校收费管理办法", D(2014, 4, 1))
    second = _interpret(personas, fees, D(2014, 4, 2), InterpretationForm.VIDEO)
    html = client.get("/interpretations/").content.decode()
    assert html.index(second.publication.title) < html.index(first.publication.title)
    assert "视频解读" in html and "文字解读" in html
    assert f"/documents/{fees.index_code}/{fees.index_year}/{fees.index_serial}/" in html


def test_the_catalog_filters_list_policies_without_an_interpretation(
    client: Client, tree: Tree, personas: Personas, enrolment: Publication
) -> None:
    fees = _policy(tree, personas, "学校收费管理办法", D(2014, 4, 1))
    _interpret(personas, enrolment, D(2014, 3, 10))
    public = client.get("/catalog/?uninterpreted=1").content.decode()
    assert fees.title in public and "义务教育招生办法</a>" not in public
    assert client.login(username="clerk", password=PASSWORD)
    staff = client.get("/staff/catalog/?normative=uninterpreted").content.decode()
    assert fees.title in staff and "义务教育招生办法解读" not in staff


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"form": InterpretationForm.OFFICIAL}, "official_name"),  # an official's reading names the official
        ({"form": "poster"}, "form"),
    ],
)
def test_bad_input_writes_nothing(
    personas: Personas, enrolment: Publication, extra: dict[str, str], field: str
) -> None:
    before = (Publication.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        actions.draft_interpretation(personas.clerk, enrolment, title="解读", made_on=D(2014, 3, 10), **extra)  # type: ignore[arg-type]
    assert field in error.value.message_dict
    assert (Publication.objects.count(), AuditEntry.objects.count()) == before
    assert not Interpretation.objects.exists()


def test_an_interpretation_cannot_interpret_an_interpretation(
    personas: Personas, enrolment: Publication
) -> None:
    interp = _interpret(personas, enrolment, D(2014, 3, 10))
    count = Publication.objects.count()
    with pytest.raises(ValidationError):
        actions.draft_interpretation(
            personas.clerk, interp.publication, title="解读的解读", made_on=D(2014, 3, 11), form="text"
        )
    assert Publication.objects.count() == count


def test_the_statistic_counts_the_published_interpretations(
    tree: Tree, personas: Personas, enrolment: Publication
) -> None:
    _interpret(personas, enrolment, D(2014, 3, 10))
    actions.draft_interpretation(
        personas.clerk, enrolment, title="未发布的解读", made_on=D(2014, 3, 10), form="text"
    )
    value = Context(org=tree.city, year=2014, scope=Scope.SUBTREE).value("r14.interpretations")
    drill = drilldown.cell_drilldown(
        personas.office_head, tree.city, 2014, "r14.interpretations", "2014", Scope.SUBTREE
    )
    assert drill.records is not None
    assert value == 1 == drill.records.count()


def test_staff_draft_through_the_page_and_outsiders_cannot(
    client: Client, tree: Tree, personas: Personas, enrolment: Publication
) -> None:
    number = transitions.index_number(enrolment)
    data = {
        "body": tree.education.pk,
        "policy": number,
        "title": "招生办法一图读懂",
        "made_on": "2014-03-10",
        "form": "graphic",
        "media_url": "https://edu.example.invalid/tu.png",
    }
    assert client.login(username="outsider", password=PASSWORD)
    assert client.post("/staff/engagement/interpretations/", data).status_code == 403
    client.logout()
    assert client.login(username="supervisor", password=PASSWORD)
    refused = client.post("/staff/engagement/interpretations/", data)
    assert refused.status_code == 403 and not Interpretation.objects.exists()  # no body to write for
    client.logout()
    assert client.login(username="clerk", password=PASSWORD)
    response = client.post("/staff/engagement/interpretations/", data)
    interp = Interpretation.objects.get()
    assert response.status_code == 302 and interp.publication.interprets == enrolment
    assert interp.publication.status == "draft" and interp.form == "graphic"
