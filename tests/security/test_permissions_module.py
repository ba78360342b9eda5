"""``gongkai.permissions`` tested directly with the personas of tests/conftest.py: the bodies each one sees,
every may-act check on its own body and on another, the supervisor's subtree (also after a body moves), and
effective dating (an abolished body stays readable but takes no new drafts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import IntegrityError, transaction

from gongkai import permissions as p
from gongkai.accounts.models import Role, StaffProfile
from gongkai.organisations.actions import save_organisation
from gongkai.organisations.models import Organisation, OrgKind
from tests.conftest import Personas, Tree, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(tree: Tree, personas: Personas) -> dict[str, Any]:
    """The personas, and the roles conftest has no persona for: the office head and the system administrator
    of 教育局, the office head of the city's general office, a superuser, an anonymous visitor."""
    return {
        "clerk": personas.clerk,
        "reviewer": personas.reviewer,
        "office_head": personas.office_head,
        "supervisor": personas.supervisor,
        "outsider": personas.outsider,
        "edu_head": make_user("edu-head", tree.education, Role.OFFICE_HEAD),
        "edu_admin": make_user("edu-admin", tree.education, Role.ADMIN),
        "office_office_head": make_user("gen-office-head", tree.office, Role.OFFICE_HEAD),
        "superuser": get_user_model().objects.create_superuser("root", password="x"),
        "anonymous": AnonymousUser(),
    }


def test_each_persona_sees_its_own_body_or_its_supervised_subtree(tree: Tree, people: dict[str, Any]) -> None:
    everything = {tree.city, tree.office, tree.education, tree.school_office, tree.county, tree.county_police}
    expected = {
        "clerk": {tree.education},  # not the body below it: staff see their own body only
        "reviewer": {tree.education},
        "edu_head": {tree.education},
        "edu_admin": {tree.education},
        "office_head": {tree.city},  # the city's office head: the city government itself, not its subtree
        "supervisor": {tree.county, tree.county_police},  # the supervised subtree, not its own body
        "outsider": set(),
        "anonymous": set(),
        "superuser": everything,
    }
    for name, bodies in expected.items():
        assert set(p.visible_orgs(people[name])) == bodies, name
        for org in everything:  # can_view_org agrees with visible_orgs everywhere
            assert p.can_view_org(people[name], org) == (org in bodies), (name, org.name)


#: Each may-act check on the role's own body (教育局; 县公安局 for the supervisor, inside its subtree), in the
#: order of ROLES. On another body every check is False except for the superuser (test below).
ROLES = ("clerk", "reviewer", "edu_head", "edu_admin", "supervisor", "outsider", "anonymous", "superuser")
MAY: dict[str, tuple[Callable[[Any, Organisation], bool], str]] = {
    "can_publish_report": (p.can_publish_report, "- - y y - - - y"),
    "can_edit_report": (p.can_edit_report, "y y y y - - - y"),
    "can_approve_extension": (p.can_approve_extension, "- - y y - - - y"),
    "can_handle_case": (p.can_handle_case, "y y y y - - - y"),
    "can_supervise": (p.can_supervise, "- - - - y - - y"),
    "can_review_publication": (p.can_review_publication, "- y y y - - - y"),
    "can_draft_publication": (p.can_draft_publication, "y y y y - - - y"),
    "can_edit_guide": (p.can_edit_guide, "- - y y - - - y"),
    "can_enter_proactive_figures": (p.can_enter_proactive_figures, "- - y y - - - y"),
    "can_submit_figures": (p.can_submit_figures, "- - y y y - - y"),
    "can_download_submission_template": (p.can_download_submission_template, "y y y y y - - y"),
}


@pytest.mark.parametrize("name", list(MAY))
def test_may_act_on_the_own_body_by_role(name: str, tree: Tree, people: dict[str, Any]) -> None:
    check, cells = MAY[name]
    expected = dict(zip(ROLES, (c == "y" for c in cells.split()), strict=True))
    for role, allowed in expected.items():
        own = tree.county_police if role == "supervisor" else tree.education
        assert check(people[role], own) is allowed, (name, role)


@pytest.mark.parametrize("name", list(MAY))
def test_nobody_but_the_superuser_acts_on_another_body(name: str, tree: Tree, people: dict[str, Any]) -> None:
    check, _cells = MAY[name]
    for role in ROLES:
        other = tree.education if role == "supervisor" else tree.county_police
        assert check(people[role], other) is (role == "superuser"), (name, role)
    # the city's office head: the city only, not the bodies below it
    assert not check(people["office_head"], tree.education), name


def test_the_supervised_subtree_follows_the_tree(tree: Tree, people: dict[str, Any]) -> None:
    supervisor = people["supervisor"]
    assert p.can_supervise(supervisor, tree.county) and p.can_supervise(supervisor, tree.county_police)
    assert not p.can_supervise(supervisor, tree.city) and not p.can_supervise(supervisor, tree.office)
    # 教育局 (with the body below it) moves under the county: now inside the supervised subtree
    tree.education.parent = tree.county
    save_organisation("test", tree.education)
    school = Organisation.objects.get(pk=tree.school_office.pk)
    assert p.can_supervise(supervisor, Organisation.objects.get(pk=tree.education.pk))
    assert p.can_supervise(supervisor, school) and p.can_view_org(supervisor, school)
    assert set(p.visible_orgs(supervisor)) == {tree.county, tree.county_police, tree.education, school}


def test_a_supervisor_must_name_what_it_supervises(tree: Tree) -> None:
    user: Any = make_user("lost-supervisor")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=user, body=tree.office, role=Role.SUPERVISOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=user, body=tree.office, role=Role.CLERK, supervises=tree.county)


def test_an_abolished_body_stays_readable_but_takes_no_drafts(tree: Tree, people: dict[str, Any]) -> None:
    clerk, superuser = people["clerk"], people["superuser"]
    assert set(p.draftable_orgs(clerk)) == {tree.education}
    assert not p.draftable_orgs(people["supervisor"]).exists()
    assert not p.draftable_orgs(people["outsider"]).exists()
    tree.education.valid_to = dt.date(2025, 12, 31)
    save_organisation("test", tree.education)
    assert not p.draftable_orgs(clerk).exists()
    assert set(p.visible_orgs(clerk)) == {tree.education}  # its records and reports stay readable
    assert tree.education not in set(p.draftable_orgs(superuser))
    assert tree.city in set(p.draftable_orgs(superuser))


def test_staff_membership(people: dict[str, Any]) -> None:
    for name, user in people.items():  # a superuser without a staff profile is one too
        assert p.is_staff_member(user) is (name not in {"outsider", "anonymous"}), name


def test_vocabularies_are_kept_by_the_city_office_and_system_administrators(people: dict[str, Any]) -> None:
    editors = {"superuser", "edu_admin", "office_head", "office_office_head"}
    for name, user in people.items():
        assert p.can_edit_vocabularies(user) is (name in editors), name


def test_index_templates_need_the_admin_flag_and_the_model_permission(people: dict[str, Any]) -> None:
    assert p.can_edit_index_templates(people["superuser"])
    assert not p.can_edit_index_templates(people["clerk"])
    assert not p.can_edit_index_templates(people["anonymous"])
    staff = make_user("admin-site-user")
    staff.is_staff = True
    staff.save()
    assert not p.can_edit_index_templates(staff)  # the flag alone is not enough
    staff.user_permissions.add(Permission.objects.get(codename="change_indexnumbertemplate"))
    staff = get_user_model().objects.get(pk=staff.pk)  # permissions are cached on the instance
    assert p.can_edit_index_templates(staff)


def test_who_may_register_cases(people: dict[str, Any]) -> None:
    """Every body's own staff register requests in their body; the supervisor (who reads its subtree's cases),
    an account with no body and an anonymous visitor register none; a superuser registers anywhere."""
    registrars = {
        "clerk",
        "reviewer",
        "edu_head",
        "edu_admin",
        "office_head",
        "office_office_head",
        "superuser",
    }
    for name, user in people.items():
        assert p.can_register_cases(user) is (name in registrars), name


def test_only_the_top_level_general_office_keeps_vocabularies(tree: Tree) -> None:
    """The office head of 测试县人民政府办公室 (a general office one level lower) and of 测试市教育局 do not."""
    county_office = make_org("测试县人民政府办公室", OrgKind.GENERAL_OFFICE, tree.county)
    assert not p.can_edit_vocabularies(make_user("county-office-head", county_office, Role.OFFICE_HEAD))
    assert not p.can_edit_vocabularies(make_user("edu-office-head", tree.education, Role.OFFICE_HEAD))
    assert not p.can_edit_vocabularies(make_user("county-reviewer", county_office, Role.REVIEWER))
    assert p.can_edit_vocabularies(make_user("county-admin", county_office, Role.ADMIN))


def _fresh(user: Any) -> Any:
    """The user as the next request loads it (no cached profile or supervised body)."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_body_moved_out_of_the_subtree_leaves_the_supervisor(tree: Tree, people: dict[str, Any]) -> None:
    """测试县公安局 is taken from the county and put directly under the city: the county's supervisor loses it."""
    police = tree.county_police
    police.parent = tree.city
    save_organisation("test", police)
    supervisor = _fresh(people["supervisor"])
    police = Organisation.objects.get(pk=police.pk)
    assert not p.can_view_org(supervisor, police) and not p.can_supervise(supervisor, police)
    assert not p.can_submit_figures(supervisor, police)
    assert set(p.visible_orgs(supervisor)) == {tree.county}


def test_the_supervised_body_moved_takes_its_subtree_along(tree: Tree, people: dict[str, Any]) -> None:
    """测试县人民政府 (with its police bureau) is placed under 测试市教育局 for some reason: the supervisor still
    sees exactly the county and its police, now at a deeper path, and nothing of the bureau above them."""
    county = tree.county
    county.parent = tree.education
    save_organisation("test", county)
    supervisor = _fresh(people["supervisor"])
    police = Organisation.objects.get(pk=tree.county_police.pk)
    assert set(p.visible_orgs(supervisor)) == {tree.county, police}
    assert p.can_supervise(supervisor, police)
    assert not p.can_supervise(supervisor, Organisation.objects.get(pk=tree.education.pk))
    assert not p.can_view_org(supervisor, tree.school_office)  # a sibling under the same new parent


def test_an_abolished_body_stays_in_its_supervisors_view(tree: Tree, people: dict[str, Any]) -> None:
    """测试县公安局 is abolished: its records stay readable and supervised, but nobody drafts for it."""
    police_clerk = make_user("police-clerk", tree.county_police, Role.CLERK)
    tree.county_police.valid_to = dt.date(2025, 12, 31)
    save_organisation("test", tree.county_police)
    supervisor = _fresh(people["supervisor"])
    police = Organisation.objects.get(pk=tree.county_police.pk)
    assert p.can_view_org(supervisor, police) and p.can_supervise(supervisor, police)
    assert p.can_view_org(police_clerk, police)
    assert not p.draftable_orgs(_fresh(police_clerk)).exists()


def test_staff_flags_alone_grant_no_body(tree: Tree) -> None:
    """An admin-site account (is_staff) without a staff profile sees no body and is no staff member."""
    admin_site_user = make_user("admin-site-only")
    admin_site_user.is_staff = True
    admin_site_user.save()
    assert not p.visible_orgs(admin_site_user).exists() and not p.is_staff_member(admin_site_user)
    assert not p.can_view_org(admin_site_user, tree.city) and not p.can_register_cases(admin_site_user)


def test_a_superuser_with_a_profile_still_sees_everything(tree: Tree) -> None:
    """A superuser who also sits as a clerk of 测试市教育局 is not narrowed to the bureau."""
    root = get_user_model().objects.create_superuser("root-clerk", password="x")
    StaffProfile.objects.create(user=root, body=tree.education, role=Role.CLERK)
    root = _fresh(root)
    assert p.visible_orgs(root).count() == Organisation.objects.count() == 6
    assert p.can_publish_report(root, tree.county_police) and p.can_supervise(root, tree.city)
    assert p.can_edit_vocabularies(root)
