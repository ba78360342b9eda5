"""Vocabulary editing (主题分类, 体裁, 重点领域): who may edit, adding, renaming, deleting, refusing to delete a
term in use, and an audit entry for every write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai import permissions
from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions, vocabularies
from gongkai.catalog.models import Genre, KeyArea, Topic
from tests.conftest import PASSWORD, Personas, Tree, make_user

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_who_may_edit_the_vocabularies(tree: Tree, personas: Personas) -> None:
    assert permissions.can_edit_vocabularies(personas.office_head)  # the city government's OGI office
    assert permissions.can_edit_vocabularies(make_user("office-staff-head", tree.office, Role.OFFICE_HEAD))
    assert permissions.can_edit_vocabularies(make_user("edu-admin", tree.education, Role.ADMIN))
    assert not permissions.can_edit_vocabularies(make_user("edu-head", tree.education, Role.OFFICE_HEAD))
    assert not permissions.can_edit_vocabularies(make_user("county-head", tree.county, Role.OFFICE_HEAD))
    for user in (personas.clerk, personas.reviewer, personas.supervisor, personas.outsider):
        assert not permissions.can_edit_vocabularies(user)


def test_the_city_office_adds_renames_and_deletes_terms(tree: Tree, personas: Personas) -> None:
    client = login(personas.office_head)
    parent = Topic.objects.get(code="01")
    response = client.post(
        "/staff/catalog/vocabularies/",
        {"kind": "topic", "topic-code": "0104", "topic-name": "政务服务", "topic-parent": str(parent.pk)},
    )
    assert response.status_code == 302 and response["Location"].endswith("#topic")
    topic = Topic.objects.get(code="0104")
    assert (topic.parent, str(topic)) == (parent, "综合政务\\政务服务")
    client.post(
        "/staff/catalog/vocabularies/", {"kind": "area", "area-code": "pension", "area-name": "养老服务"}
    )
    area = KeyArea.objects.get(code="pension")
    response = client.post(f"/staff/catalog/vocabularies/area/{area.pk}/", {"op": "rename", "name": "养老"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "养老"
    client.post(f"/staff/catalog/vocabularies/area/{area.pk}/", {"op": "delete"})
    assert not KeyArea.objects.filter(code="pension").exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="vocabulary.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "vocabulary.topic.add",
        "vocabulary.area.add",
        "vocabulary.area.rename",
        "vocabulary.area.delete",
    ]
    rename = AuditEntry.objects.get(action="vocabulary.area.rename")
    assert (rename.before["name"], rename.after["name"], rename.actor_label) == (
        "养老服务",
        "养老",
        "office-head",
    )
    deleted = AuditEntry.objects.get(action="vocabulary.area.delete")
    assert (deleted.object_type, deleted.object_id) == ("catalog.keyarea", str(area.pk))


def test_a_term_in_use_is_not_deleted_and_the_page_says_why(tree: Tree, personas: Personas) -> None:
    genre = Genre.objects.get(code="tongzhi")
    transitions.create_draft(
        personas.clerk, tree.education, title="通知", made_on=dt.date(2026, 3, 2), genre=genre
    )
    client = login(personas.office_head)
    page = client.post(
        f"/staff/catalog/vocabularies/genre/{genre.pk}/", {"op": "delete"}, follow=True
    ).content.decode()
    assert "“通知”正被1条政府信息使用，不能删除" in page
    assert Genre.objects.filter(pk=genre.pk).exists()
    assert not AuditEntry.objects.filter(action="vocabulary.genre.delete").exists()
    # It can still be renamed; the item keeps it.
    client.post(f"/staff/catalog/vocabularies/genre/{genre.pk}/", {"op": "rename", "name": "通知（含公告）"})
    assert Genre.objects.get(pk=genre.pk).name == "通知（含公告）"
    page = client.get("/staff/catalog/vocabularies/").content.decode()
    assert "通知（含公告）" in page


def test_topics_with_children_and_the_interpretation_genre_are_kept(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="二级分类"):
        vocabularies.delete_term(personas.office_head, Topic.objects.get(code="01"))
    with pytest.raises(ValidationError, match="系统使用"):
        vocabularies.delete_term(personas.office_head, Genre.objects.get(code=Genre.INTERPRETATION))
    vocabularies.delete_term(personas.office_head, Topic.objects.get(code="0103"))
    assert not Topic.objects.filter(code="0103").exists()


def test_bad_terms_name_the_field_and_write_nothing(personas: Personas) -> None:
    client = login(personas.office_head)
    child = Topic.objects.get(code="0101")
    page = client.post(
        "/staff/catalog/vocabularies/",
        {"kind": "topic", "topic-code": "010101", "topic-name": "三级", "topic-parent": str(child.pk)},
    ).content.decode()
    assert "上级分类" in page and "主题分类只有两级" in page
    page = client.post(
        "/staff/catalog/vocabularies/",
        {"kind": "topic", "topic-code": "9901", "topic-name": "x", "topic-parent": str(child.parent_id)},
    ).content.decode()
    assert "二级分类的代码须以上级分类的代码01开头" in page
    page = client.post(
        "/staff/catalog/vocabularies/", {"kind": "genre", "genre-code": "tongzhi", "genre-name": "重复"}
    ).content.decode()
    assert "代码" in page and "已存在" in page
    page = client.post(
        "/staff/catalog/vocabularies/", {"kind": "genre", "genre-code": "有 空格", "genre-name": "x"}
    ).content.decode()
    assert "代码" in page
    genre = Genre.objects.get(code="han")
    page = client.post(
        f"/staff/catalog/vocabularies/genre/{genre.pk}/", {"op": "rename", "name": " "}, follow=True
    ).content.decode()
    assert "名称：" in page and Genre.objects.get(pk=genre.pk).name == "函"
    assert not AuditEntry.objects.filter(action__startswith="vocabulary.").exists()
    assert not Topic.objects.filter(code__in=["010101", "9901"]).exists()


def test_staff_read_the_vocabularies_but_only_editors_write(tree: Tree, personas: Personas) -> None:
    clerk = login(personas.clerk)
    page = clerk.get("/staff/catalog/vocabularies/").content.decode()
    assert "综合政务" in page and 'name="op"' not in page
    genre = Genre.objects.get(code="han")
    assert (
        clerk.post(
            "/staff/catalog/vocabularies/", {"kind": "genre", "genre-code": "x", "genre-name": "x"}
        ).status_code
        == 403
    )
    assert clerk.post(f"/staff/catalog/vocabularies/genre/{genre.pk}/", {"op": "delete"}).status_code == 403
    assert login(personas.outsider).get("/staff/catalog/vocabularies/").status_code == 403
    editor = login(personas.office_head)
    assert 'name="op"' in editor.get("/staff/catalog/vocabularies/").content.decode()
    assert (
        editor.post(f"/staff/catalog/vocabularies/nonsense/{genre.pk}/", {"op": "delete"}).status_code == 404
    )
    assert editor.post(f"/staff/catalog/vocabularies/genre/{genre.pk}/", {"op": "explode"}).status_code == 404
    assert Genre.objects.filter(pk=genre.pk).exists()
