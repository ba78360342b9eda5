"""Public concern (回应关切) as real work: 测试市教育局's clerk registers the spring-admissions event, answers it at a
press conference with the director and on WeChat; a press conference about nothing in particular still counts as
a conference but not as an event; bad input writes nothing; the staff pages show hours to the first response and
are closed to outsiders; the 2014 section 二 statistics and their drill-down equal the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.engagement import actions
from gongkai.engagement.models import (
    ConcernSource,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    SocialPost,
)
from gongkai.reports import drilldown
from gongkai.reports.registry import Context, Scope
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2014, 3, 3)


def admissions(tree: Tree, personas: Personas) -> PublicConcernEvent:
    """The clerk registers 春季招生学位安排, noticed online at 08:00."""
    return actions.record_event(
        personas.clerk,
        tree.education,
        title="春季招生学位安排",
        noticed_on=DAY,
        source=ConcernSource.ONLINE_OPINION,
        noticed_at=dt.datetime(2014, 3, 3, 8, 0, tzinfo=BEIJING),
    )


def value(key: str, tree: Tree) -> object:
    return Context(org=tree.city, year=2014, scope=Scope.SUBTREE).value(key)


def test_a_response_to_an_event_is_audited_and_sets_the_first_response(
    tree: Tree, personas: Personas
) -> None:
    event = admissions(tree, personas)
    action = actions.record_response(
        personas.clerk,
        kind=ResponseKind.PRESS_CONFERENCE,
        held_on=DAY,
        event=event,
        principal_leader=True,
        url="https://edu.example.invalid/fbh/1",
        title="春季招生新闻发布会",
    )
    assert (action.body, action.event, action.principal_leader) == (tree.education, event, True)
    entry = AuditEntry.objects.get(action="engagement.response.create")
    assert (entry.actor_label, entry.object_id, entry.summary) == (
        "clerk",
        str(action.pk),
        "春季招生新闻发布会",
    )
    event.refresh_from_db()
    assert event.first_response_at == dt.datetime(2014, 3, 3, 9, 0, tzinfo=BEIJING)
    assert event.response_hours == 1.0


def test_a_press_conference_without_an_event_counts_as_a_conference_not_as_an_event(
    tree: Tree, personas: Personas
) -> None:
    """The interview/press-conference helper calls record_response with event=None: the body is the actor's."""
    action = actions.record_response(
        personas.clerk, kind=ResponseKind.PRESS_CONFERENCE, held_on=DAY, event=None, title="年度工作发布会"
    )
    assert action.body == tree.education and action.event is None
    event = admissions(tree, personas)
    actions.record_response(personas.clerk, kind=ResponseKind.WEIBO_WECHAT, held_on=DAY, event=event)
    actions.record_response(personas.clerk, kind=ResponseKind.ARTICLE, held_on=DAY, event=event)
    assert value("r14.press", tree) == 1
    assert value("r14.events", tree) == 1  # distinct non-null events
    assert value("r14.weibo_wechat", tree) == 1
    drill = drilldown.cell_drilldown(
        personas.office_head, tree.city, 2014, "r14.events", "2014", Scope.SUBTREE
    )
    assert drill.records is not None and [e.pk for e in drill.records] == [event.pk]
    press = drilldown.cell_drilldown(
        personas.office_head, tree.city, 2014, "r14.press", "2014", Scope.SUBTREE
    )
    assert press.records is not None and [a.pk for a in press.records] == [action.pk]
    assert drilldown.describe(action, press.statistic).title == "年度工作发布会"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "poster"}, "kind"),
        ({"kind": ResponseKind.WEIBO_WECHAT, "principal_leader": True}, "principal_leader"),
        ({"kind": ResponseKind.OTHER, "held_on": dt.date(2014, 3, 1)}, "held_on"),
        ({"kind": ResponseKind.OTHER, "url": "not a link"}, "url"),
    ],
)
def test_bad_input_writes_nothing(
    tree: Tree, personas: Personas, values: dict[str, object], field: str
) -> None:
    event = admissions(tree, personas)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.record_response(personas.clerk, event=event, **{"held_on": DAY, **values})  # type: ignore[arg-type]
    assert field in error.value.message_dict
    assert not ResponseAction.objects.exists() and AuditEntry.objects.count() == before
    event.refresh_from_db()
    assert event.first_response_at is None


def test_a_response_for_another_bodys_event_or_without_a_body_is_refused(
    tree: Tree, personas: Personas
) -> None:
    event = admissions(tree, personas)
    with pytest.raises(ValidationError):
        actions.record_response(
            personas.clerk, kind=ResponseKind.OTHER, held_on=DAY, event=event, body=tree.county
        )
    with pytest.raises(ValidationError):
        actions.record_response(personas.outsider, kind=ResponseKind.OTHER, held_on=DAY, event=None)
    assert not ResponseAction.objects.exists()


def test_a_wechat_post_answering_an_event_is_a_weibo_wechat_response(tree: Tree, personas: Personas) -> None:
    event = admissions(tree, personas)
    post = actions.record_social_post(
        personas.clerk,
        tree.education,
        channel="wechat",
        posted_at=dt.datetime(2014, 3, 3, 15, 30, tzinfo=BEIJING),
        url="https://mp.example.invalid/s/1",
        title="关于春季招生的说明",
        event=event,
    )
    assert post.response is not None and post.response.kind == ResponseKind.WEIBO_WECHAT
    assert post.response.event == event and post.response.url == post.url
    plain = actions.record_social_post(
        personas.clerk,
        tree.education,
        channel="weibo",
        posted_at=dt.datetime(2014, 4, 1, 9, 0, tzinfo=BEIJING),
        url="https://weibo.example.invalid/2",
        title="植树节活动",
    )
    assert plain.response is None
    assert value("r14.weibo_wechat", tree) == 1
    with pytest.raises(ValidationError):
        actions.record_social_post(
            personas.clerk,
            tree.education,
            channel="weibo",
            posted_at=dt.datetime(2014, 4, 1, 9, 0),  # naive
            url="https://weibo.example.invalid/3",
            title="x",
        )
    assert SocialPost.objects.count() == 2


def test_bulk_events_write_one_audit_entry_and_count_exactly(tree: Tree) -> None:
    rows = [
        actions.EventRow(
            tree.education,
            "甲",
            DAY,
            [(ResponseKind.PRESS_CONFERENCE, DAY, True), (ResponseKind.WEIBO_WECHAT, DAY, False)],
        ),
        actions.EventRow(tree.county, "乙", DAY, [(ResponseKind.OTHER, dt.date(2014, 3, 5), False)]),
    ]
    assert actions.record_events_bulk("demo", rows, "批量") == (2, 3)
    assert AuditEntry.objects.filter(action="engagement.event.bulk_create").get().batch_size == 5
    assert value("r14.events", tree) == 2
    assert value("r14.press_leader", tree) == 1 and value("r14.other", tree) == 1
    with pytest.raises(ValidationError):
        actions.record_events_bulk(
            "demo", [actions.EventRow(tree.county, "丙", DAY, [("poster", DAY, False)])], "x"
        )
    assert PublicConcernEvent.objects.count() == 2


def test_staff_register_an_event_and_see_the_hours_to_the_first_response(
    client: Client, tree: Tree, personas: Personas
) -> None:
    assert client.login(username="clerk", password=PASSWORD)
    response = client.post(
        "/staff/engagement/",
        {"body": tree.education.pk, "title": "校车安全", "source": "media", "noticed_on": "2026-03-02"},
    )
    event = PublicConcernEvent.objects.get(title="校车安全")
    assert response.status_code == 302 and response["Location"] == f"/staff/engagement/events/{event.pk}/"
    page = client.post(
        f"/staff/engagement/events/{event.pk}/",
        {"step": "first_response", "first_response_at": "2026-03-02 14:30"},
    )
    assert page.status_code == 302
    client.post(
        f"/staff/engagement/events/{event.pk}/",
        {"step": "response", "kind": "article", "held_on": "2026-03-02", "title": "答记者问"},
    )
    assert event.actions.get().kind == ResponseKind.ARTICLE
    listing = client.get("/staff/engagement/").content.decode()
    assert f'data-hours="{event.pk}">14.5<' in listing
    refused = client.post(
        "/staff/engagement/",
        {"body": tree.education.pk, "title": "", "source": "media", "noticed_on": "2026-03-02"},
    )
    assert refused.status_code == 400 and PublicConcernEvent.objects.count() == 1


def test_outsiders_and_supervisors_do_not_write(client: Client, tree: Tree, personas: Personas) -> None:
    event = actions.record_event("test", tree.county, title="县城积水", noticed_on=DAY)
    assert client.login(username="outsider", password=PASSWORD)
    assert client.get("/staff/engagement/").status_code == 403
    client.logout()
    assert client.login(username="supervisor", password=PASSWORD)
    assert client.get(f"/staff/engagement/events/{event.pk}/").status_code == 200  # the supervised subtree
    posted = client.post(
        f"/staff/engagement/events/{event.pk}/",
        {"step": "response", "kind": "other", "held_on": "2014-03-04"},
    )
    assert posted.status_code == 403 and not ResponseAction.objects.exists()
    client.logout()
    assert client.login(username="clerk", password=PASSWORD)
    assert client.get(f"/staff/engagement/events/{event.pk}/").status_code == 403  # another body's event
    anon = Client()
    assert anon.get("/staff/engagement/").status_code == 302
