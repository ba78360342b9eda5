"""The one base for every form of the project: text normalised on the way in, lengths said in words, dates kept
inside the range the calendar and the database can hold.

Every form class derives from ``Form`` or ``ModelForm`` below (``tests/misc/test_inputs.py`` walks all form
classes of the project and fails for one that does not). When a form is built, each of its text fields
(``forms.CharField`` and its subclasses: email, URL, slug, ...; declared, generated from a model or added
later) becomes a ``TextField``:

- its value goes through ``gongkai.inputs.normalise_text`` before anything else (multi-line for a textarea),
  and a refused character is a field error that names the field and the character's position;
- its length limit is validated and said as "最多500个字，当前612个字"; no ``maxlength`` attribute is rendered,
  because a browser silently cuts a pasted text at it;
- date and date-time fields refuse a date outside ``EARLIEST_DATE``–``LATEST_DATE`` (a year 9999 date overflowed
  the working-day calendar and answered 500).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.inputs import InputError, normalise_text

M = TypeVar("M", bound=models.Model)

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

MAX_LENGTH_MESSAGE = _("最多%(limit_value)d个字，当前%(show_value)d个字")
MIN_LENGTH_MESSAGE = _("至少%(limit_value)d个字，当前%(show_value)d个字")


def is_multiline(field: forms.Field) -> bool:
    """A field typed in a textarea keeps its line breaks; any other folds them into one space."""
    return isinstance(field.widget, forms.Textarea)


class TextField(forms.CharField):
    """A ``CharField`` whose value is normalised by ``gongkai.inputs.normalise_text`` first."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        adapt_text_field(self)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = normalise_text(value, multiline=is_multiline(self))
            except InputError as exc:
                raise ValidationError(
                    _("%(field)s：%(problem)s"),
                    code="refused_character",
                    params={"field": self.label or _("此项"), "problem": str(exc)},
                ) from exc
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.pop("minlength", None)
        return attrs


def adapt_text_field(field: forms.CharField) -> None:
    """Reword the length validators of ``field`` and drop the length attributes of its widget."""
    field.validators = [_reworded(v) for v in field.validators]
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs.pop("minlength", None)


def _reworded(validator: Any) -> Any:
    if isinstance(validator, MaxLengthValidator):
        return MaxLengthValidator(validator.limit_value, message=MAX_LENGTH_MESSAGE)
    if isinstance(validator, MinLengthValidator):
        return MinLengthValidator(validator.limit_value, message=MIN_LENGTH_MESSAGE)
    return validator


_TEXT_CLASSES: dict[type[forms.CharField], type[TextField]] = {forms.CharField: TextField}


def _text_class(cls: type[forms.CharField]) -> type[TextField]:
    """``TextField`` combined with a ``CharField`` subclass (``EmailField`` → ``TextEmailField``)."""
    if issubclass(cls, TextField):
        return cls
    if cls not in _TEXT_CLASSES:
        _TEXT_CLASSES[cls] = type(f"Text{cls.__name__}", (TextField, cls), {"__module__": __name__})
    return _TEXT_CLASSES[cls]


def _check_date_range(value: dt.date | dt.datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("日期须在%(start)s至%(end)s之间"),
            code="date_out_of_range",
            params={"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
        )


def normalise_fields(fields: Mapping[str, forms.Field]) -> None:
    """Make every text field of ``fields`` a ``TextField`` and bound every date field (idempotent)."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field, TextField):
            field.__class__ = _text_class(type(field))
            adapt_text_field(field)
        dated = isinstance(field, forms.DateField | forms.DateTimeField)
        if dated and _check_date_range not in field.validators:
            field.validators = [*field.validators, _check_date_range]


class NormalisedForm(forms.BaseForm):
    """The mechanism itself, mixed into ``Form`` and ``ModelForm``: fields are adapted when the form is built
    and again before it is cleaned (for fields a form adds after ``__init__``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        normalise_fields(self.fields)

    def full_clean(self) -> None:
        normalise_fields(self.fields)
        super().full_clean()


class Form(NormalisedForm, forms.Form):
    """The base of every plain form."""


class ModelForm(NormalisedForm, forms.ModelForm[M]):
    """The base of every model form (and of the admin's, through ``AuditedModelAdmin.form``)."""


class AccessibleFields(forms.BaseForm):
    """A public form laid out field by field (``portal/_apply_field.html``: the application and the mailbox
    letter): each field says whether it is marked required (``marked_required``), is described by its hint and
    character counter (``aria-describedby``; ``counted``: the fields with a counter and their limit), and after
    cleaning by its error (``aria-invalid``). Mixed in before the form's base class."""

    counted: dict[str, int] = {}

    def marked_required(self, name: str, field: forms.Field) -> bool:
        """Whether the field shows the required mark (a form may mark fields its ``clean`` requires)."""
        return field.required

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, fld in self.fields.items():
            marked = self.marked_required(name, fld)
            fld.marked_required = marked  # type: ignore[attr-defined]  # read by portal/_apply_field.html
            attrs = fld.widget.attrs
            if marked and not isinstance(fld.widget, forms.RadioSelect):
                attrs["aria-required"] = "true"
            described = [f"id_{name}_hint"] if fld.help_text else []
            if name in self.counted:
                attrs["data-counter"] = str(self.counted[name])
                described.append(f"id_{name}_counter")
            if described:
                attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    [f"id_{name}_error", attrs.get("aria-describedby", "")]
                ).strip()
