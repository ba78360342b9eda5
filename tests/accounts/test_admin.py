"""gongkai.accounts.admin: staff profiles, users and groups are edited in the admin, and every write is an audit
entry (who gave whom which role over which body); an invalid profile is a form error that writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from gongkai.accounts.models import Role, StaffProfile
from gongkai.audit.models import AuditEntry
from tests.conftest import PASSWORD, Tree, make_user

pytestmark = pytest.mark.django_db
PROFILES = "/admin/accounts/staffprofile/"


def audited(action: str) -> Any:
    """The one audit entry of ``action`` (its JSON before/after as plain dicts)."""
    return AuditEntry.objects.get(action=action)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root() -> Client:
    """The system's superuser, signed in to the admin."""
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    assert client.login(username="root", password=PASSWORD)
    return client


def _profile_form(user: Any, body: Any, role: str, supervises: Any = None) -> dict[str, str]:
    return {
        "user": str(user.pk),
        "body": str(body.pk),
        "role": role,
        "supervises": str(supervises.pk) if supervises is not None else "",
    }


def test_giving_a_role_is_audited(root: Client, tree: Tree) -> None:
    """root makes a new account the supervisor of 测试县人民政府's subtree, seated in the city's general office."""
    newcomer: Any = make_user("county-watch")
    response = root.post(
        f"{PROFILES}add/", _profile_form(newcomer, tree.office, Role.SUPERVISOR, tree.county)
    )
    assert response.status_code == 302, response.content[:800]
    profile = StaffProfile.objects.get(user=newcomer)
    assert (profile.body, profile.role, profile.supervises) == (tree.office, Role.SUPERVISOR, tree.county)
    entry = audited("accounts.staffprofile.add")
    assert (entry.actor_label, entry.object_id, entry.before) == ("root", str(profile.pk), None)
    assert entry.after == {
        "id": profile.pk,
        "user": newcomer.pk,
        "body": tree.office.pk,
        "role": "supervisor",
        "supervises": tree.county.pk,
    }


def test_changing_a_role_records_before_and_after(root: Client, tree: Tree) -> None:
    """The clerk of 测试市教育局 is promoted to the bureau's office head."""
    clerk: Any = make_user("edu-clerk", tree.education, Role.CLERK)
    profile = StaffProfile.objects.get(user=clerk)
    response = root.post(
        f"{PROFILES}{profile.pk}/change/", _profile_form(clerk, tree.education, Role.OFFICE_HEAD)
    )
    assert response.status_code == 302
    entry = audited("accounts.staffprofile.change")
    assert (entry.before["role"], entry.after["role"]) == ("clerk", "office_head")
    assert StaffProfile.objects.get(pk=profile.pk).role == Role.OFFICE_HEAD


@pytest.mark.parametrize(
    ("role", "supervises"),
    [(Role.SUPERVISOR, None), (Role.CLERK, "county")],
)
def test_an_invalid_profile_is_a_form_error_and_writes_nothing(
    root: Client, tree: Tree, role: str, supervises: str | None
) -> None:
    newcomer: Any = make_user("newcomer")
    target = getattr(tree, supervises) if supervises else None
    response = root.post(f"{PROFILES}add/", _profile_form(newcomer, tree.office, role, target))
    assert response.status_code == 200  # the form again, with the constraint's message
    assert response.context["adminform"].form.errors
    assert not StaffProfile.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="accounts.").exists()


def test_removing_a_profile_is_audited(root: Client, tree: Tree) -> None:
    reviewer: Any = make_user("edu-reviewer", tree.education, Role.REVIEWER)
    profile = StaffProfile.objects.get(user=reviewer)
    response = root.post(f"{PROFILES}{profile.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not StaffProfile.objects.exists()
    entry = audited("accounts.staffprofile.delete")
    assert entry.object_id == str(profile.pk) and entry.before["role"] == "reviewer"


def test_the_profile_list_shows_body_and_role_and_searches_by_body(root: Client, tree: Tree) -> None:
    make_user("edu-clerk", tree.education, Role.CLERK)
    make_user("police-clerk", tree.county_police, Role.CLERK)
    page = root.get(PROFILES, {"q": "教育局"}).content.decode()
    assert "edu-clerk" in page and "police-clerk" not in page


def test_a_password_change_is_audited_without_the_hash(root: Client, tree: Tree) -> None:
    clerk: Any = make_user("edu-clerk", tree.education, Role.CLERK)
    new_password = "another long passphrase 42"
    url = f"/admin/auth/user/{clerk.pk}/password/"
    response = root.post(
        url, {"password1": new_password, "password2": "mismatch 42", "usable_password": "true"}
    )
    assert response.status_code == 200  # a refused change is not recorded
    assert not AuditEntry.objects.filter(action="auth.user.password_change").exists()
    response = root.post(
        url, {"password1": new_password, "password2": new_password, "usable_password": "true"}
    )
    assert response.status_code == 302
    entry = audited("auth.user.password_change")
    assert (entry.actor_label, entry.object_type, entry.object_id) == ("root", "auth.user", str(clerk.pk))
    stored = str([entry.summary, entry.before, entry.after])
    assert new_password not in stored and "md5$" not in stored
    assert Client().login(username="edu-clerk", password=new_password)


def test_a_group_is_audited(root: Client) -> None:
    response = root.post("/admin/auth/group/add/", {"name": "公开办", "permissions": []})
    assert response.status_code == 302
    group = Group.objects.get(name="公开办")
    entry = audited("auth.group.add")
    assert entry.object_id == str(group.pk) and entry.after["name"] == "公开办"
