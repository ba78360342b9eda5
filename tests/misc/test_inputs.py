"""Input normalisation: ``gongkai.inputs`` itself, and ``gongkai.forms`` applying it to every form of the project
(a form class that does not derive from ``gongkai.forms`` fails here)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms

import gongkai
from gongkai import forms as gkforms
from gongkai.inputs import InputError, has_refused, normalise_text, strip_illegal

# ---------------------------------------------------------------------------------------------- gongkai.inputs


@pytest.mark.parametrize(
    ("typed", "single", "multi"),
    [
        ("  某项目  ", "某项目", "某项目"),
        ("第一行\r\n第二行", "第一行 第二行", "第一行\n第二行"),
        ("甲\r乙", "甲 乙", "甲\n乙"),
        ("甲\t\t乙", "甲 乙", "甲\t\t乙"),
        ("\ufeff\u200b标题\u200b", "标题", "标题"),
        ("Cafe\u0301", "Café", "Café"),  # NFC: e + combining acute → é
        ("\u1100\u1161", "\uac00", "\uac00"),  # NFC composes Hangul jamo
    ],
)
def test_text_is_folded_composed_and_trimmed(typed: str, single: str, multi: str) -> None:
    assert normalise_text(typed) == single
    assert normalise_text(typed, multiline=True) == multi


@pytest.mark.parametrize(
    ("typed", "position", "code"),
    [
        ("某\x01\x02\x0b\x0c\x1f项目", 2, "U+0001"),
        ("abc\x00", 4, "U+0000"),
        ("\x7f", 1, "U+007F"),
        ("C1\x85", 3, "U+0085"),
        ("名称\ufffe", 3, "U+FFFE"),
        ("名称\uffff", 3, "U+FFFF"),
        ("\ufdd0", 1, "U+FDD0"),
        ("x\U0010ffff", 2, "U+10FFFF"),
        ("lone\ud800", 5, "U+D800"),
    ],
)
def test_refused_characters_are_named_with_their_position(typed: str, position: int, code: str) -> None:
    for multiline in (False, True):
        with pytest.raises(InputError) as err:
            normalise_text(typed, multiline=multiline)
        assert f"第{position}个字符" in str(err.value) and code in str(err.value)
    assert has_refused(typed)


def test_the_position_counts_after_folding_line_breaks() -> None:
    # "甲\r\n\x01": one line feed in multi-line text, so the control character is the 3rd character.
    with pytest.raises(InputError, match="第3个字符"):
        normalise_text("甲\r\n\x01", multiline=True)


def test_strip_illegal_removes_what_normalise_text_refuses() -> None:
    assert strip_illegal("a\x01b\ufffe\r\nc") == "ab\nc"
    assert strip_illegal("a\tb\nc", multiline=False) == "a b c"
    assert not has_refused("普通文字\n第二行\t")


# ---------------------------------------------------------------------------------------------- gongkai.forms


class Sample(gkforms.Form):
    subject = forms.CharField(label="申请内容", max_length=10, widget=forms.Textarea)
    name = forms.CharField(label="姓名", max_length=5)
    email = forms.EmailField(label="电子邮箱", required=False)
    on = forms.DateField(label="日期", required=False)


def test_a_refused_character_is_an_error_of_its_field_and_the_rest_is_kept() -> None:
    form = Sample({"subject": "甲\x01乙", "name": "张\ufffe三", "email": "a@example.invalid"})
    assert not form.is_valid()
    assert form.errors["subject"] == [
        "申请内容：第2个字符（U+0001）是不可见的控制字符或无效字符，请删除后重新填写"
    ]
    assert "姓名：第2个字符（U+FFFE）" in form.errors["name"][0]
    assert form.cleaned_data["email"] == "a@example.invalid"
    assert 'value="a@example.invalid"' in str(form["email"])


def test_text_is_normalised_multiline_only_in_a_textarea() -> None:
    form = Sample({"subject": " 第一行\r\n第二行 ", "name": "张\r\n三"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["subject"], form.cleaned_data["name"]) == ("第一行\n第二行", "张 三")


def test_lengths_are_counted_after_normalisation_and_said_in_words() -> None:
    form = Sample({"subject": "一二三四五六七八九十十一", "name": "  张三  "})
    assert not form.is_valid()
    assert form.errors["subject"] == ["最多10个字，当前12个字"]
    assert form.cleaned_data["name"] == "张三"


def test_no_maxlength_attribute_cuts_a_paste() -> None:
    html = str(Sample())
    assert "maxlength" not in html and "minlength" not in html


@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31"])
def test_dates_outside_the_calendar_are_refused(day: str) -> None:
    form = Sample({"subject": "s", "name": "n", "on": day})
    assert not form.is_valid()
    assert form.errors["on"] == ["日期须在1900-01-01至2099-12-31之间"]


def test_fields_added_after_the_form_was_built_are_normalised_too() -> None:
    form = Sample({"subject": "s", "name": "n", "late": "x\x0b"})
    form.fields["late"] = forms.CharField(label="后加")
    assert not form.is_valid() and "后加：第2个字符（U+000B）" in form.errors["late"][0]


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: dict[type[forms.BaseForm], None] = {}
    todo: list[type[Any]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("gongkai.") and cls.__module__ != "gongkai.forms":
            found[cls] = None
    return list(found)


# Forms defined in view modules, which this part may not edit: each needs ``gongkai.forms.Form``/``ModelForm``
# as its base (reported to their owners). Remove a name once its form is converted.
NOT_YET_CONVERTED: set[str] = set()


def test_every_form_of_the_project_normalises_its_text() -> None:
    classes = _project_form_classes()
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in classes}
    assert {"gongkai.portal.forms.ApplicationForm", "gongkai.cases.forms.IntakeForm"} <= names
    missing = sorted(
        n
        for cls in classes
        if not issubclass(cls, gkforms.NormalisedForm)
        and (n := f"{cls.__module__}.{cls.__qualname__}") not in NOT_YET_CONVERTED
    )
    assert missing == [], f"derive these forms from gongkai.forms.Form or ModelForm: {missing}"
    assert all(n in names for n in NOT_YET_CONVERTED)  # a converted or removed form leaves this list


def test_every_declared_text_field_becomes_a_normalising_field() -> None:
    for cls in _project_form_classes():
        if not issubclass(cls, gkforms.NormalisedForm):
            continue
        fields = {k: f.__deepcopy__({}) for k, f in cls.base_fields.items()}  # type: ignore[attr-defined]
        gkforms.normalise_fields(fields)
        for name, field in fields.items():
            if isinstance(field, forms.CharField):
                assert isinstance(field, gkforms.TextField), f"{cls.__name__}.{name}"
                assert "maxlength" not in field.widget.attrs, f"{cls.__name__}.{name}"
            if isinstance(field, forms.DateField | forms.DateTimeField):
                with pytest.raises(forms.ValidationError):
                    field.run_validators(dt.date(9999, 12, 31))
