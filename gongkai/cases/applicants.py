"""Applicants: create (validated, identifiers encrypted), find by identifier, reveal (audited)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai import crypto
from gongkai.audit.log import Actor, record
from gongkai.cases.models import Applicant, ApplicantKind, IdDocument
from gongkai.masking import mask_id_number, mask_phone
from gongkai.organisations.codes import is_valid_credit_code, is_valid_resident_id

# What an audit entry may show of an applicant: never the identifiers themselves.
PUBLIC_FIELDS = (
    "kind",
    "name",
    "id_document",
    "id_number_masked",
    "credit_code",
    "contact_name",
    "phone_masked",
    "email",
    "address",
    "postcode",
)


def _validate(kind: str, name: str, id_document: str, id_number: str, credit_code: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in ApplicantKind.values:
        errors["kind"] = _("申请人类别不正确")
    if not name.strip():
        errors["name"] = _("请填写申请人姓名或名称")
    if kind == ApplicantKind.NATURAL_PERSON:
        if id_document not in IdDocument.values:
            errors["id_document"] = _("请选择证件类型")
        if not id_number.strip():
            errors["id_number"] = _("请填写证件号码")
        elif id_document == IdDocument.RESIDENT_ID and not is_valid_resident_id(id_number):
            errors["id_number"] = _("居民身份证号码不正确（18位，最后一位为校验码）")
    elif credit_code and not is_valid_credit_code(credit_code.strip().upper()):
        errors["credit_code"] = _("统一社会信用代码不正确")
    return errors


def snapshot_public(applicant: Applicant) -> dict[str, Any]:
    return {f: getattr(applicant, f) for f in PUBLIC_FIELDS}


@transaction.atomic
def create_applicant(
    actor: Actor,
    *,
    kind: str,
    name: str,
    id_document: str = "",
    id_number: str = "",
    credit_code: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postcode: str = "",
) -> Applicant:
    """Validate and store an applicant; errors name their fields and nothing is written."""
    id_number = "".join(id_number.split()).upper()  # people type spaces and a lower-case x
    errors = _validate(kind, name, id_document, id_number, credit_code)
    if errors:
        raise ValidationError(errors)
    person = kind == ApplicantKind.NATURAL_PERSON
    number = id_number if person else ""
    applicant = Applicant(
        kind=kind,
        name=name.strip(),
        id_document=id_document if person else "",
        id_number_encrypted=crypto.encrypt(number),
        id_number_digest=crypto.match_digest(number),
        id_number_masked=mask_id_number(number),
        credit_code=credit_code.strip().upper(),
        contact_name=contact_name.strip(),
        phone_encrypted=crypto.encrypt(phone.strip()),
        phone_masked=mask_phone(phone),
        email=email.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
    )
    applicant.full_clean()
    applicant.save()
    record(actor, "applicant.create", applicant, after=snapshot_public(applicant), summary=applicant.name)
    return applicant


def find_by_id_number(id_number: str) -> list[Applicant]:
    """Earlier applicants with the same identity document number (the keyed digest; nothing is decrypted)."""
    digest = crypto.match_digest(id_number)
    return list(Applicant.objects.filter(id_number_digest=digest)) if digest else []


@transaction.atomic
def reveal(actor: Actor, applicant: Applicant, *, reason: str) -> dict[str, str]:
    """The unmasked ID and phone numbers, for a stated reason; every reveal is audited."""
    if not reason.strip():
        raise ValidationError({"reason": _("查看完整证件号码须说明理由")})
    record(
        actor,
        "applicant.reveal",
        applicant,
        summary=reason.strip()[:300],
        after={"reason": reason.strip(), "fields": ["id_number", "phone"]},
    )
    return {
        "id_number": crypto.decrypt(applicant.id_number_encrypted),
        "phone": crypto.decrypt(applicant.phone_encrypted),
    }
