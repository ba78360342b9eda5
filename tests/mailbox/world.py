"""The mailbox's objects in the permission matrix's world (tests/security/test_permission_matrix.py): for one
body, a letter just submitted, one signed for, one answered and one published, all with the secret of the body's
case (the "applicant" role holds it), and another body to transfer to."""

from __future__ import annotations

from typing import Any

from gongkai.mailbox import actions
from gongkai.mailbox.models import Letter
from gongkai.organisations.models import Organisation


def _letter(key: str, org: Organisation, what: str, secret: str) -> Letter:
    return actions.submit(
        "test",
        org,
        kind="consult",
        subject=f"来信{what}{key}戊己",
        text="矩阵测试来信",
        writer_name="钱七",
        phone="13900004444",
        consent_to_publish=True,
        secret=secret,
    ).letter


def mailbox_values(key: str, org: Organisation, secret: str) -> dict[str, Any]:
    submitted = _letter(key, org, "标记", secret)
    accepted = actions.accept("test", _letter(key, org, "已签收", secret))
    replied = actions.reply("test", actions.accept("test", _letter(key, org, "已答复", secret)), text="答复")
    published = _letter(key, org, "已公开", secret)
    published = actions.publish(
        "test",
        actions.reply("test", actions.accept("test", published), text="答复"),
        subject=f"公开来信{key}庚辛",
    )
    other = org.parent or Organisation.objects.exclude(pk=org.pk).order_by("pk").first()
    assert other is not None
    return {
        "letter": submitted.pk,
        "letter_subject": submitted.subject,
        "letter_code": submitted.tracking_code,
        "letter_accepted": accepted.pk,
        "letter_replied": replied.pk,
        "letter_replied_code": replied.tracking_code,
        "letter_replied_subject": replied.subject,
        "letter_published": published.pk,
        "published_subject": published.public_subject,
        "transfer_pk": other.pk,
        "transfer_code": other.org_code,
    }


def letter_at_rest(phone: str, email: str) -> int:
    """A letter with both contact details, of a body of its own (tests/security/test_crypto.py reads its
    encrypted columns below the ORM)."""
    from gongkai.organisations.models import OrgKind
    from tests.conftest import make_org

    body = make_org("密钥测试市人民政府", OrgKind.GOVERNMENT)
    letter = actions.submit(
        "test", body, kind="consult", subject="s", text="t", phone=phone, email=email, secret="AT-REST"
    ).letter
    return int(letter.pk)
