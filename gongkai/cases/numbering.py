"""Letter numbers (文号) of a body's letters: one sequence per body and year, following the body's template.

A number is allocated when a letter is sent (``allocate``, called inside ``letters.send``'s transaction): the
year's row is locked, its next sequence taken and incremented, so two clerks sending at once never get the same
number, and a number once taken is never given again (the ``Letter`` unique constraint guards it too). A body
without a template of its own uses ``DEFAULT_TEMPLATE``; a new year starts from the latest template the body
used. The body's staff edit the template (``set_template``, audited); the sequence is never reset.

The template's placeholders: ``{机关代字}`` (the body's short name, else its name), ``{year}``, ``{seq}``.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record
from gongkai.cases.models import LetterNumbering
from gongkai.organisations.models import Organisation

DEFAULT_TEMPLATE = "{机关代字}依申〔{year}〕{seq}号"
PLACEHOLDERS = frozenset({"机关代字", "year", "seq"})


def check_template(template: str) -> str:
    """The template, stripped, or a ``ValidationError`` on ``template``: only the known placeholders, no format
    specifications, and ``{seq}`` and ``{year}`` present (a number must be unique within the body)."""
    template = template.strip()
    try:
        fields = [
            (name, spec, conversion)
            for _text, name, spec, conversion in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        raise ValidationError({"template": _("文号模板格式不正确：花括号不成对")}) from exc
    unknown = [name for name, spec, conversion in fields if name not in PLACEHOLDERS or spec or conversion]
    if unknown:
        raise ValidationError(
            {
                "template": _("文号模板只能使用{机关代字}、{year}、{seq}，不能使用：%(bad)s")
                % {"bad": "、".join(unknown)}
            }
        )
    names = {name for name, _spec, _conversion in fields}
    if not {"seq", "year"} <= names:
        raise ValidationError({"template": _("文号模板须包含{year}和{seq}")})
    if len(format_number(template, "机" * 10, 2026, 99999)) > 100:
        raise ValidationError({"template": _("文号模板过长")})
    return template


def format_number(template: str, code: str, year: int, seq: int) -> str:
    return template.format_map({"机关代字": code, "year": year, "seq": seq})


def template_for(body: Organisation, year: int) -> str:
    """The year's template, else the latest the body used before, else the default."""
    row = LetterNumbering.objects.filter(body=body, year__lte=year).order_by("-year").first()
    return row.template if row is not None else DEFAULT_TEMPLATE


def _row(body: Organisation, year: int) -> LetterNumbering:
    """The year's row, locked; created (from ``template_for``) if it does not exist yet."""
    found = LetterNumbering.objects.select_for_update().filter(body=body, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a concurrent first letter of the year may create it first
            LetterNumbering.objects.create(body=body, year=year, template=template_for(body, year))
    except IntegrityError:
        pass
    return LetterNumbering.objects.select_for_update().get(body=body, year=year)


def preview(body: Organisation, year: int) -> str:
    """The number the next letter of ``year`` would get (shown before sending; not reserved)."""
    row = LetterNumbering.objects.filter(body=body, year=year).first()
    template, seq = (row.template, row.next_sequence) if row else (template_for(body, year), 1)
    return format_number(template, body.display_name, year, seq)


def allocate(body: Organisation, year: int) -> tuple[LetterNumbering, int, str]:
    """Take the next number of the body's year (the caller's transaction holds the row lock until commit)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.allocate must run inside the sending transaction")
    row = _row(body, year)
    seq = row.next_sequence
    LetterNumbering.objects.filter(pk=row.pk).update(next_sequence=F("next_sequence") + 1)
    return row, seq, format_number(row.template, body.display_name, year, seq)


@transaction.atomic
def set_template(actor: Actor, body: Organisation, year: int, template: str) -> LetterNumbering:
    """Change the template of the body's year (its sequence goes on: numbers already given stay taken)."""
    template = check_template(template)
    row = _row(body, year)
    before = {"template": row.template, "next_sequence": row.next_sequence}
    row.template = template
    row.full_clean()
    row.save(update_fields=["template"])
    record(
        actor,
        "letter_numbering.template",
        row,
        before=before,
        after={"template": template, "year": year},
        summary=template,
    )
    return row
