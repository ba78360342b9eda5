"""Running one step of a staff page (a consultation's, an interview's): the step's form validated, the app's
action called, and the outcome said the same way everywhere — saved (a redirect: POST/redirect/GET), a step
the record's state does not allow (409) or input refused (400), both as a message on the page shown again.
Who may take the step is decided before, by the view (``gongkai.permissions``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or its errors as one ``ValidationError`` (said as the step's message)."""
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return form.cleaned_data


def run(
    request: HttpRequest, step: Callable[[], object], *, refused: type[Exception], done: str
) -> HttpResponse | int:
    """Take the step: a redirect to ``done`` when it is saved, else the status of the page shown again."""
    try:
        step()
    except refused as exc:
        messages.error(request, str(exc))
        return 409
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return 400
    messages.success(request, _("已保存"))
    return redirect(done)
