"""Narrative text of a report: per-section templates whose numbers are placeholders bound to the statistics
registry (``{p14.items}``), plus ``{org}``, ``{year}`` and ``{area}`` (全市/全县 … or 本机关). Staff edit a
section per body and year (``NarrativeTemplate``); otherwise the built-in default for the format is used.

A placeholder may name any registered statistic: the format's table cells come from the report, the others
(e.g. ``fees.amount``, statistics without a cell) are computed for the same body, year and scope. So that the
text states facts without hand-typed digits (statutory-reference §3.4 rule 7), one conditional is available:
``{if KEY}text when KEY is not zero{else}text when it is zero{endif}`` (the ``{else}`` part is optional, no
nesting) — the 2021 section 六 fee statement uses it (§3.3)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reading import once
from gongkai.reports.models import NarrativeTemplate
from gongkai.reports.registry import REGISTRY, Context, Scope, Statistic, format_value, statistics_for_format

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")
CONDITIONAL = re.compile(r"\{if ([a-z0-9_.]+)\}(.*?)(?:\{else\}(.*?))?\{endif\}", re.DOTALL)
MARKER = re.compile(r"\{(if [^{}]*|else|endif)\}")
KEYWORDS = ("else", "endif")
DEFAULTS_DIR = Path(__file__).resolve().parent / "narratives"
CONTEXT_NAMES = ("org", "year", "area")


class NarrativeError(ValidationError):
    pass


def default_text(fmt: str, section: int, org: Organisation) -> str:
    """The built-in default: ``narratives/<fmt>-<section>[-government].md``."""
    government = org.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP}
    candidates = [f"{fmt}-{section}-government.md"] if government else []
    candidates.append(f"{fmt}-{section}.md")
    for name in candidates:
        path = DEFAULTS_DIR / name
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
    return ""


def template_for(org: Organisation, year: int, fmt: str, section: int) -> str:
    """The body's text for this year, else its latest earlier text marked to carry forward, else the
    built-in default (read once per page being built: ``gongkai.reading``)."""
    return once(
        ("narrative-text", org.pk, year, fmt, section), lambda: _template_for(org, year, fmt, section)
    )


def _template_for(org: Organisation, year: int, fmt: str, section: int) -> str:
    own = NarrativeTemplate.objects.filter(org=org, format=fmt, section=section)
    exact = own.filter(year=year).values_list("text", flat=True).first()
    if exact is not None:
        return exact
    carried = own.filter(year__lt=year, carries_forward=True).order_by("-year").values_list("text", flat=True)
    return carried.first() or default_text(fmt, section, org)


def unknown_placeholders(text: str) -> list[str]:
    names = [n for n in PLACEHOLDER.findall(text) if n not in KEYWORDS]
    names += [m.group(1)[3:].strip() for m in MARKER.finditer(text) if m.group(1).startswith("if ")]
    return [name for name in names if name not in REGISTRY and name not in CONTEXT_NAMES]


def conditional_errors(text: str) -> list[str]:
    """Markers out of order: ``{if}`` inside ``{if}``, ``{else}``/``{endif}`` without ``{if}``, unclosed."""
    errors: list[str] = []
    open_if, seen_else = False, False
    for match in MARKER.finditer(text):
        marker = match.group(1)
        if marker.startswith("if"):
            if open_if:
                errors.append(_("“{%(m)s}”不能嵌套在另一个{if …}之内") % {"m": marker})
            open_if, seen_else = True, False
        elif marker == "else":
            if not open_if or seen_else:
                errors.append(_("“{else}”前面没有对应的{if …}"))
            seen_else = True
        else:
            if not open_if:
                errors.append(_("“{endif}”前面没有对应的{if …}"))
            open_if = False
    if open_if:
        errors.append(_("{if …}缺少对应的{endif}"))
    return errors


def validate_template(text: str) -> None:
    unknown = unknown_placeholders(text)
    if unknown:
        names = "、".join("{" + n + "}" for n in unknown)
        raise NarrativeError({"text": _("未知的统计占位符：%(names)s") % {"names": names}})
    errors = conditional_errors(text)
    if errors:
        raise NarrativeError({"text": errors})


def placeholders_for_format(fmt: str) -> list[Statistic]:
    """What a section editor may use: the format's cells, then the statistics that have no cell at all."""
    return statistics_for_format(fmt) + [s for s in REGISTRY.values() if not s.cells]


def area_name(org: Organisation, scope: Scope) -> str:
    if scope is Scope.OWN or org.kind not in {OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP}:
        return _("本机关")
    name = org.short_name or org.name
    return _("全%(level)s") % {"level": name[-1]} if name and name[-1] in "省市县区镇乡" else _("全辖区")


def render(text: str, values: dict[str, str], org: Organisation, year: int, scope: Scope) -> str:
    """Fill the placeholders: ``values`` (the report's displays) first, then any other registered statistic
    computed for the same body, year and scope; ``{if KEY}…{else}…{endif}`` keeps the branch for KEY ≠ 0."""
    context = {"org": org.name, "year": str(year), "area": area_name(org, scope)}
    computed: Context | None = None

    def lookup(name: str) -> str | None:
        nonlocal computed
        if name in context:
            return context[name]
        if name in values:
            return values[name]
        if name in REGISTRY:
            computed = computed or Context(org=org, year=year, scope=scope)
            return format_value(REGISTRY[name], computed.value(name))
        return None

    def choose(match: re.Match[str]) -> str:
        shown = lookup(match.group(1))
        try:
            true = shown is not None and Decimal(shown) != 0
        except InvalidOperation:
            true = bool(shown)
        return match.group(2) if true else (match.group(3) or "")

    def substitute(match: re.Match[str]) -> str:
        shown = lookup(match.group(1))
        return match.group(0) if shown is None else shown

    return PLACEHOLDER.sub(substitute, CONDITIONAL.sub(choose, text))
