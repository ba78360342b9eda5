"""gongkai.accounts.models: a staff member belongs to one body with one role; only a supervisor names the body
whose subtree it supervises, and a body with staff (or supervisors) cannot be deleted from under them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from gongkai.accounts.models import Role, StaffProfile
from gongkai.organisations.models import Organisation
from tests.conftest import Tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _any(user: object) -> Any:
    return user


def test_the_five_roles_and_their_labels() -> None:
    assert {value: str(label) for value, label in Role.choices} == {
        "clerk": "经办人",
        "reviewer": "审核人",
        "office_head": "政务公开办公室负责人",
        "admin": "系统管理员",
        "supervisor": "监督管理人员",
    }


def test_a_profile_reads_as_user_body_and_role(tree: Tree) -> None:
    """The clerk of 测试市教育局, as the admin lists and the audit log summarise her."""
    clerk: Any = make_user("edu-clerk", tree.education, Role.CLERK)
    profile = StaffProfile.objects.get(user=clerk)
    assert str(profile) == "edu-clerk · 测试市教育局 · 经办人"
    assert clerk.staff_profile == profile


@pytest.mark.parametrize(
    ("role", "names_subtree", "valid"),
    [
        (Role.SUPERVISOR, True, True),
        (Role.SUPERVISOR, False, False),  # a supervisor of nothing
        (Role.CLERK, False, True),
        (Role.CLERK, True, False),  # a clerk cannot quietly see a subtree
        (Role.OFFICE_HEAD, True, False),
        (Role.ADMIN, True, False),
        (Role.REVIEWER, True, False),
    ],
)
def test_only_a_supervisor_names_a_supervised_body(
    tree: Tree, role: str, names_subtree: bool, valid: bool
) -> None:
    user: Any = make_user(f"{role}-{names_subtree}")
    profile = StaffProfile(
        user=user, body=tree.office, role=role, supervises=tree.county if names_subtree else None
    )
    if valid:
        profile.full_clean()
        profile.save()
        assert StaffProfile.objects.filter(user=user, role=role).exists()
        return
    with pytest.raises(ValidationError):  # caught by forms (full_clean validates constraints) …
        profile.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():  # … and by the database for everyone else
        profile.save()
    assert not StaffProfile.objects.filter(user=user).exists()


def test_an_unknown_role_is_refused_by_validation(tree: Tree) -> None:
    profile = StaffProfile(user=_any(make_user("nobody-role")), body=tree.education, role="mayor")
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert set(error.value.message_dict) == {"role"}


def test_one_profile_per_user(tree: Tree) -> None:
    clerk: Any = make_user("edu-clerk", tree.education, Role.CLERK)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=clerk, body=tree.county, role=Role.CLERK)


def test_a_body_with_staff_or_supervisors_cannot_be_deleted(tree: Tree) -> None:
    """测试市教育局招生办公室 keeps its clerk; 测试县公安局 is supervised from the city's general office (all three
    are leaves of the tree, so only the profiles hold them)."""
    make_user("school-clerk", tree.school_office, Role.CLERK)
    make_user("city-supervisor", tree.office, Role.SUPERVISOR, supervises=tree.county_police)
    for body in (tree.school_office, tree.county_police, tree.office):
        with pytest.raises(ProtectedError), transaction.atomic():
            body.delete()
    StaffProfile.objects.all().delete()
    school_pk = tree.school_office.pk
    tree.school_office.delete()  # without its staff, the same body goes
    assert not Organisation.objects.filter(pk=school_pk).exists()


def test_deleting_the_user_deletes_the_profile(tree: Tree) -> None:
    clerk: Any = make_user("edu-clerk", tree.education, Role.CLERK)
    clerk.delete()
    assert not StaffProfile.objects.exists()


def test_production_hashes_passwords_and_secrets_slowly() -> None:
    """The tests hash with MD5 for speed (tests/conftest.py); the project itself keeps Django's PBKDF2 first
    (the settings module names no weaker hasher), so staff passwords and tracking secrets resist guessing."""
    from django.conf import global_settings

    from gongkai import settings as project

    hashers = getattr(project, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not any("MD5" in h or "Unsalted" in h for h in hashers)
