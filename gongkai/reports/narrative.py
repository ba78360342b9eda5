"""Narrative text of a report: per-section templates whose numbers are placeholders bound to the statistics
registry (``{p14.items}``), plus ``{org}``, ``{year}`` and ``{area}`` (全市/全县 … or 本机关). Staff edit a
section per body and year (``NarrativeTemplate``); otherwise the built-in default for the format is used."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.models import NarrativeTemplate
from gongkai.reports.registry import REGISTRY, Scope

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")
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
    built-in default."""
    own = NarrativeTemplate.objects.filter(org=org, format=fmt, section=section)
    exact = own.filter(year=year).values_list("text", flat=True).first()
    if exact is not None:
        return exact
    carried = own.filter(year__lt=year, carries_forward=True).order_by("-year").values_list("text", flat=True)
    return carried.first() or default_text(fmt, section, org)


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in PLACEHOLDER.findall(text) if name not in REGISTRY and name not in CONTEXT_NAMES]


def validate_template(text: str) -> None:
    unknown = unknown_placeholders(text)
    if unknown:
        names = "、".join("{" + n + "}" for n in unknown)
        raise NarrativeError({"text": _("未知的统计占位符：%(names)s") % {"names": names}})


def area_name(org: Organisation, scope: Scope) -> str:
    if scope is Scope.OWN or org.kind not in {OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP}:
        return _("本机关")
    name = org.short_name or org.name
    return _("全%(level)s") % {"level": name[-1]} if name and name[-1] in "省市县区镇乡" else _("全辖区")


def render(text: str, values: dict[str, str], org: Organisation, year: int, scope: Scope) -> str:
    context = {"org": org.name, "year": str(year), "area": area_name(org, scope)}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in context:
            return context[name]
        return values.get(name, match.group(0))

    return PLACEHOLDER.sub(substitute, text)
