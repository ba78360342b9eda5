"""Applicants: create (validated, identifiers encrypted), find by identifier, reveal (audited)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai import crypto
from gongkai.audit.log import Actor, record
from gongkai.cases.models import Applicant, ApplicantKind, IdDocument
from gongkai.inputs import InputError, normalise_text
from gongkai.masking import mask_id_number, mask_phone
from gongkai.organisations.codes import is_valid_credit_code, is_valid_resident_id

# What an audit entry may show of an applicant: never the identifiers themselves.
PUBLIC_FIELDS = (
    "kind",
    "name",
    "id_document",
    "id_number_masked",
    "credit_code",
    "legal_representative",
    "contact_name",
    "phone_masked",
    "email",
    "address",
    "postcode",
)


# The arguments of ``create_applicant``.
APPLICANT_FIELDS = (
    "kind",
    "name",
    "id_document",
    "id_number",
    "credit_code",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
)

# Mainland telephone numbers (GB/T 16839 area codes, 11-digit mobile numbers, 400/800 service numbers), as
# people type them: an optional +86 or 0086, spaces or hyphens between the groups, an optional extension.
_PHONE = re.compile(
    r"""^(?:\+?86-?|0086-?)?
    (?:1[3-9]\d-?\d{4}-?\d{4}
      |[48]00-?\d{3}-?\d{4}
      |(?:\(0?[1-9]\d{1,2}\)-?|0[1-9]\d{1,2}-?|[1-9]\d{1,2}-)?[1-9]\d{2,3}-?\d{4}
       (?:(?:-?(?:转|分机|EXT\.?|X|\#)-?|-)\d{1,6})?
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_COUNTRY_CODE = re.compile(r"^(?:\+86|0086)[\s-]*")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]+")
# Passports and the travel permits: Latin letters, digits and hyphens; other documents (军官证 and the like) may
# also carry Chinese characters.
_TRAVEL_DOCUMENT = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,19}$")
_OTHER_DOCUMENT = re.compile(r"^[^\W_](?:[^\W_]|-){3,29}$")


def clean_phone(phone: str) -> str:
    """A telephone number as typed, in half-width characters with one space between groups."""
    return " ".join(unicodedata.normalize("NFKC", phone).split())


def phone_problem(phone: str) -> str | None:
    """Why ``phone`` is not a mainland telephone number (mobile, or landline with optional area code and
    extension; +86, spaces and hyphens allowed), or ``None``."""
    compact = _SEPARATORS.sub("-", clean_phone(phone)).strip("-")
    if _PHONE.match(compact):
        return None
    return _("联系电话格式不正确：请填写手机号码（11位）或固定电话（可带区号和分机号，例如 0374-1234567）")


def clean_document_number(number: str) -> str:
    """An identity document number without spaces, half-width and upper-case (people type a lower-case x)."""
    return "".join(unicodedata.normalize("NFKC", number).split()).upper()


def id_number_problem(id_document: str, number: str) -> str | None:
    """Why ``number`` is not a number of the document ``id_document``, or ``None`` (a cleaned number)."""
    if id_document == IdDocument.RESIDENT_ID:
        if is_valid_resident_id(number):
            return None
        return _("居民身份证号码不正确（18位，最后一位为校验码）")
    if id_document == IdDocument.OTHER:
        if _OTHER_DOCUMENT.match(number):
            return None
        return _("证件号码只能由文字、字母、数字和连字符组成，4至30位")
    if _TRAVEL_DOCUMENT.match(number):
        return None
    return _("%(document)s号码只能由字母、数字和连字符组成，4至20位") % {
        "document": IdDocument(id_document).label if id_document in IdDocument.values else _("证件")
    }


def clean_credit_code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` (cleaned) is not a 统一社会信用代码 (GB 32100-2015: 18 characters, the last a check
    character over the first 17), or ``None``."""
    if len(code) != 18:
        return _("统一社会信用代码为18位，当前%(n)d位") % {"n": len(code)}
    if not is_valid_credit_code(code):
        return _("统一社会信用代码不正确（校验位不符，或含有不用的字母 I、O、S、V、Z）")
    return None


def _validate_person(id_document: str, id_number: str) -> dict[str, str]:
    if id_document not in IdDocument.values:
        return {"id_document": _("请选择证件类型")}
    if not id_number:
        return {"id_number": _("请填写证件号码")}
    problem = id_number_problem(id_document, id_number)
    return {"id_number": problem} if problem else {}


def _validate_organisation(credit_code: str, contact_name: str) -> dict[str, str]:
    """法人或其他组织 state their 统一社会信用代码 and a contact person (2019 Regulations art 29 (1))."""
    errors: dict[str, str] = {}
    if not credit_code:
        errors["credit_code"] = _("法人或其他组织须填写统一社会信用代码")
    elif problem := credit_code_problem(credit_code):
        errors["credit_code"] = problem
    if not contact_name:
        errors["contact_name"] = _("法人或其他组织须填写联系人")
    return errors


def _validate(fields: dict[str, str]) -> dict[str, str]:
    """Errors by field of a cleaned applicant (see ``create_applicant``)."""
    errors: dict[str, str] = {}
    kind = fields["kind"]
    if kind not in ApplicantKind.values:
        errors["kind"] = _("申请人类别不正确")
    if not fields["name"]:
        errors["name"] = _("请填写申请人姓名或名称")
    if kind == ApplicantKind.NATURAL_PERSON:
        errors |= _validate_person(fields["id_document"], fields["id_number"])
    elif kind in ApplicantKind.values:
        errors |= _validate_organisation(fields["credit_code"], fields["contact_name"])
    if fields["phone"] and (problem := phone_problem(fields["phone"])):
        errors["phone"] = problem
    return errors


def check_applicant(raw: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The fields of ``create_applicant`` cleaned (every text normalised by ``gongkai.inputs``, identifiers in
    their canonical form) and the errors by field; the forms call it too, so they say what this refuses."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in APPLICANT_FIELDS:
        try:
            cleaned[name] = normalise_text(raw.get(name) or "")
        except InputError as exc:
            cleaned[name], errors[name] = "", str(exc)
    cleaned["id_number"] = clean_document_number(cleaned["id_number"])
    cleaned["credit_code"] = clean_credit_code(cleaned["credit_code"])
    cleaned["phone"] = clean_phone(cleaned["phone"])
    return cleaned, _validate(cleaned) | errors


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
    legal_representative: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postcode: str = "",
) -> Applicant:
    """Validate and store an applicant (2019 Regulations art 29 (1): a person's name and identity document, an
    organisation's name, 统一社会信用代码 and contact person); every caller (the public form, staff intake, the
    demo) passes through here, so errors name their fields and nothing is written."""
    raw = {
        "kind": kind,
        "name": name,
        "id_document": id_document,
        "id_number": id_number,
        "credit_code": credit_code,
        "legal_representative": legal_representative,
        "contact_name": contact_name,
        "phone": phone,
        "email": email,
        "address": address,
        "postcode": postcode,
    }
    data, errors = check_applicant(raw)
    if errors:
        raise ValidationError(errors)
    applicant = _applicant(data)
    applicant.full_clean()
    applicant.save()
    record(actor, "applicant.create", applicant, after=snapshot_public(applicant), summary=applicant.name)
    return applicant


def _applicant(data: dict[str, str]) -> Applicant:
    person = data["kind"] == ApplicantKind.NATURAL_PERSON
    number = data["id_number"] if person else ""
    return Applicant(
        kind=data["kind"],
        name=data["name"],
        id_document=data["id_document"] if person else "",
        id_number_encrypted=crypto.encrypt(number),
        id_number_digest=crypto.match_digest(number),
        id_number_masked=mask_id_number(number),
        credit_code="" if person else data["credit_code"],
        legal_representative="" if person else data["legal_representative"],
        contact_name=data["contact_name"],
        phone_encrypted=crypto.encrypt(data["phone"]),
        phone_masked=mask_phone(_COUNTRY_CODE.sub("", data["phone"])),
        email=data["email"],
        address=data["address"],
        postcode=data["postcode"],
    )


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


def create_applicant_from(actor: Actor, data: Mapping[str, Any]) -> Applicant:
    """``create_applicant`` with the applicant fields of a form's cleaned data (the public form and staff
    intake share it, so neither can drop a field the law requires)."""
    return create_applicant(actor, **{name: data[name] for name in APPLICANT_FIELDS if name in data})
