"""Every access decision in one place.

- A body's staff (clerk, reviewer, office head, admin) see only their own body.
- A supervisor sees the subtree of the body it names (``StaffProfile.supervises``).
- Superusers see everything.
- The body's own staff edit its report text; publishing needs its office head or admin role (or a superuser).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gongkai.accounts.models import Role, StaffProfile
from gongkai.organisations.models import Organisation, OrganisationQuerySet

User = AbstractBaseUser | AnonymousUser


def _profile(user: User) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    try:
        profile: StaffProfile = getattr(user, "staff_profile")  # noqa: B009 - reverse one-to-one may be missing
    except StaffProfile.DoesNotExist:
        return None
    return profile


def _is_superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False)) and user.is_authenticated


def visible_orgs(user: User) -> OrganisationQuerySet:
    """The bodies whose records and reports ``user`` may see."""
    if _is_superuser(user):
        return Organisation.objects.all()
    profile = _profile(user)
    if profile is None:
        return Organisation.objects.none()
    if profile.role == Role.SUPERVISOR and profile.supervises is not None:
        return Organisation.objects.subtree_of(profile.supervises)
    return Organisation.objects.filter(pk=profile.body_id)


def can_view_org(user: User, org: Organisation) -> bool:
    return visible_orgs(user).filter(pk=org.pk).exists()


def can_publish_report(user: User, org: Organisation) -> bool:
    if _is_superuser(user):
        return True
    profile = _profile(user)
    return (
        profile is not None and profile.body_id == org.pk and profile.role in {Role.OFFICE_HEAD, Role.ADMIN}
    )


def can_edit_report(user: User, org: Organisation) -> bool:
    """The body's own staff write its report text (a supervisor reads but does not write)."""
    if _is_superuser(user):
        return True
    profile = _profile(user)
    return profile is not None and profile.body_id == org.pk and profile.role != Role.SUPERVISOR


def can_approve_extension(user: User, org: Organisation) -> bool:
    """An extension is approved by the body's OGI office head (2008 art 24; 2019 art 33)."""
    if _is_superuser(user):
        return True
    profile = _profile(user)
    return (
        profile is not None and profile.body_id == org.pk and profile.role in {Role.OFFICE_HEAD, Role.ADMIN}
    )


def can_handle_case(user: User, org: Organisation) -> bool:
    """A case is worked by the handling body's own staff (a supervisor reads it, 督办 comes later)."""
    return can_edit_report(user, org)


def can_supervise(user: User, org: Organisation) -> bool:
    """督办: a supervisor whose supervised subtree contains the body (or a superuser)."""
    if _is_superuser(user):
        return True
    profile = _profile(user)
    return (
        profile is not None
        and profile.role == Role.SUPERVISOR
        and profile.supervises is not None
        and org.path.startswith(profile.supervises.path)
    )


def can_review_publication(user: User, org: Organisation) -> bool:
    """保密审查 is done by the body's reviewer, office head or admin — not by the clerk who drafted."""
    if _is_superuser(user):
        return True
    profile = _profile(user)
    return (
        profile is not None
        and profile.body_id == org.pk
        and profile.role in {Role.REVIEWER, Role.OFFICE_HEAD, Role.ADMIN}
    )


def is_staff_member(user: User) -> bool:
    return _is_superuser(user) or _profile(user) is not None
