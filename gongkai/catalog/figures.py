"""Table 2 figures that are not catalog items, entered per body and year (2019 Regulations art 20 (5), (6), (8),
(9); statutory-reference §3.2-3.3): year-end item counts, the year's decisions, fees and procurement.

``save_proactive_figures`` is the one write (atomic, audited); ``store_proactive_figures`` validates and saves a
row and is what the admin calls (the admin audits its own saves). The previous year's item counts come from the
previous year's row, so a body starting on the platform enters that year's row too (only the counts)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import ProactiveFigures
from gongkai.organisations.models import Organisation

COUNT_FIELDS: tuple[str, ...] = (
    "licensing_items",
    "licensing_decisions",
    "service_items",
    "service_decisions",
    "penalty_items",
    "penalty_decisions",
    "enforcement_items",
    "enforcement_decisions",
    "fee_items",
    "procurement_projects",
)
AMOUNT_FIELDS: tuple[str, ...] = ("fee_amount_wan_yuan", "procurement_amount_wan_yuan")
FIELDS = COUNT_FIELDS + AMOUNT_FIELDS
FIRST_YEAR, LAST_YEAR = 2008, 2100
AMOUNT_PLACES = 4
AMOUNT_DIGITS = 14


def _label(name: str) -> str:
    field = ProactiveFigures._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _count(name: str, raw: object) -> int:
    if isinstance(raw, bool) or raw is None or raw == "":
        raise ValidationError(_("%(field)s：请填写整数") % {"field": _label(name)})
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationError(
            _("%(field)s：“%(raw)s”不是整数") % {"field": _label(name), "raw": raw}
        ) from exc
    if value < 0:
        raise ValidationError(
            _("%(field)s：不能为负数（%(value)s）") % {"field": _label(name), "value": value}
        )
    return value


def _amount(name: str, raw: object) -> Decimal:
    if isinstance(raw, bool) or raw is None or raw == "":
        raise ValidationError(_("%(field)s：请填写金额（万元）") % {"field": _label(name)})
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(field)s：“%(raw)s”不是数字") % {"field": _label(name), "raw": raw}
        ) from exc
    if not value.is_finite() or value < 0:
        raise ValidationError(_("%(field)s：不能为负数（%(value)s）") % {"field": _label(name), "value": raw})
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -AMOUNT_PLACES:
        raise ValidationError(
            _("%(field)s：最多保留%(n)d位小数（万元精确到元）") % {"field": _label(name), "n": AMOUNT_PLACES}
        )
    if value >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ValidationError(_("%(field)s：金额过大（%(value)s）") % {"field": _label(name), "value": raw})
    return value


def clean_values(values: dict[str, Any]) -> dict[str, int | Decimal]:
    """Every field checked before anything is written; all problems reported at once, each naming its field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, int | Decimal] = {}
    for name in sorted(set(values) - set(FIELDS)):
        errors.setdefault(name, []).append(_("没有这一项数据：%(name)s") % {"name": name})
    for name in FIELDS:
        if name not in values:
            continue
        try:
            cleaned[name] = (
                _amount(name, values[name]) if name in AMOUNT_FIELDS else _count(name, values[name])
            )
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_body_year(body: Organisation, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("年度须在%(a)d至%(b)d之间（%(year)s）")
                % {"a": FIRST_YEAR, "b": LAST_YEAR, "year": year}
            }
        )
    if not body.existed_in(year):
        raise ValidationError(
            {"body": _("%(body)s在%(year)d年度不存在，不能填报该年数据") % {"body": body.name, "year": year}}
        )


def store_proactive_figures(figures: ProactiveFigures) -> ProactiveFigures:
    """Validate a row (its body existed in the year, values in range, once per body and year) and save it."""
    check_body_year(figures.body, figures.year)
    clean_values({name: getattr(figures, name) for name in FIELDS})
    figures.full_clean()
    figures.save()
    return figures


@transaction.atomic
def save_proactive_figures(actor: Actor, body: Organisation, year: int, **values: Any) -> ProactiveFigures:
    """Create or update a body's figures for a year; fields not given keep their value (0 for a new row).

    Raises ``ValidationError`` naming every bad field; nothing is written then."""
    check_body_year(body, year)
    cleaned = clean_values(values)
    figures = ProactiveFigures.objects.select_for_update().filter(body=body, year=year).first()
    before = snapshot(figures) if figures is not None else None
    if figures is None:
        figures = ProactiveFigures(body=body, year=year)
    for name, value in cleaned.items():
        setattr(figures, name, value)
    store_proactive_figures(figures)
    figures.refresh_from_db()
    record(
        actor,
        "catalog.proactive_figures.save",
        figures,
        before=before,
        after=snapshot(figures),
        summary=_("%(body)s%(year)d年度主动公开数据") % {"body": body.name, "year": year},
    )
    return figures
