"""Engagement's objects in the permission matrix's world (tests/security/test_permission_matrix.py): for one
body, a public-concern event with a response, a WeChat post, and a published interpretation of the body's
published item (drafted by its clerk, reviewed by its reviewer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.catalog import transitions
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Publication
from gongkai.engagement import actions
from gongkai.organisations.models import Organisation

BEIJING = dt.timezone(dt.timedelta(hours=8))


def engagement_values(key: str, org: Organisation, maker: Any, checker: Any, pub_pk: int) -> dict[str, Any]:
    event = actions.record_event(maker, org, title=f"矩阵事件{key}", noticed_on=dt.date(2025, 3, 3))
    actions.record_response(maker, kind="other", held_on=dt.date(2025, 3, 4), event=event)
    actions.record_social_post(
        maker,
        org,
        channel="wechat",
        posted_at=dt.datetime(2025, 3, 4, 9, tzinfo=BEIJING),
        url=f"https://mp.example.invalid/{key}",
        title=f"矩阵推文{key}",
    )
    policy = Publication.objects.get(pk=pub_pk)
    assert policy.published_on is not None
    interp = actions.draft_interpretation(
        maker, policy, title=f"矩阵解读{key}", made_on=policy.published_on, form="text", text="解读正文"
    )
    transitions.review(checker, interp.publication, on=policy.published_on, conclusion="passed")
    actions.publish_interpretation(maker, interp, on=policy.published_on)
    return {
        "concern": event.pk,
        "concern_title": event.title,
        "post_title": f"矩阵推文{key}",
        "interp": interp.publication_id,
        "interp_title": f"矩阵解读{key}",
        "policy_number": index_number(policy),
        "policy_day": policy.published_on.isoformat(),
    }
