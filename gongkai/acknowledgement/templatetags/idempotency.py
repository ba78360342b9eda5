"""``{% idempotency_field %}``: the hidden idempotency key of a form that creates something
(``gongkai.acknowledgement.keys``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from gongkai.acknowledgement.keys import FIELD, field_key

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context: Any) -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, field_key(context.get("request")))
