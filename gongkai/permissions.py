"""Every access decision in one place.

- A body's staff (clerk, reviewer, office head, admin) see only their own body.
- A supervisor sees the subtree of the body it names (``StaffProfile.supervises``).
- Superusers see everything.
- The body's own staff edit its report text; publishing needs its office head or admin role (or a superuser).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gongkai.accounts.models import Role, StaffProfile
from gongkai.organisations.models import Organisation, OrganisationQuerySet, OrgKind

if TYPE_CHECKING:
    from gongkai.api.models import ApiToken

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
    """保密审查 is done by the body's reviewer, office head or admin; a clerk cannot review. (A reviewer who
    drafted an item may still review it: four-eyes review is not enforced yet.)"""
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


def can_register_cases(user: User) -> bool:
    """Whether ``user`` may register a request in some body (their own; a superuser in any): a supervisor
    reads its subtree's cases but registers none, and a signed-in user with no body has nothing to open."""
    profile = _profile(user)
    return _is_superuser(user) or (profile is not None and can_handle_case(user, profile.body))


def can_draft_publication(user: User, org: Organisation) -> bool:
    """Proactive disclosure items are drafted, published, revised, withdrawn and repealed by the body's own
    staff (2019 Regulations art 19: each body publishes what it makes); a supervisor reads but does not write.
    The confidentiality review itself needs ``can_review_publication``."""
    return can_edit_report(user, org)


def draftable_orgs(user: User) -> OrganisationQuerySet:
    """The bodies ``user`` may draft proactive disclosure items for (``can_draft_publication``): their own
    body while it exists; every existing body for a superuser; none for a supervisor."""
    if _is_superuser(user):
        return Organisation.objects.filter(valid_to__isnull=True)
    profile = _profile(user)
    if profile is None or profile.role == Role.SUPERVISOR:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=profile.body_id, valid_to__isnull=True)


def can_edit_vocabularies(user: User) -> bool:
    """The catalog's vocabularies (主题分类, 体裁, 重点领域) are shared by every body of the deployment, so they
    are kept by a system administrator or by the city's OGI office (2019 Regulations art 3: the general office
    of the people's government leads OGI work in its area): the office head or admin of the top-level
    government or of its general office."""
    if _is_superuser(user):
        return True
    profile = _profile(user)
    if profile is None:
        return False
    if profile.role == Role.ADMIN:
        return True
    body = profile.body
    city_office = body.parent_id is None or (body.kind == OrgKind.GENERAL_OFFICE and body.depth == 1)
    return profile.role == Role.OFFICE_HEAD and city_office


def can_edit_index_templates(user: User) -> bool:
    """Index-number templates are edited in the Django admin, which needs its own staff flag and model
    permission."""
    has_perm = getattr(user, "has_perm", None)
    return (
        bool(getattr(user, "is_staff", False))
        and callable(has_perm)
        and bool(has_perm("catalog.change_indexnumbertemplate"))
    )


def can_edit_guide(user: User, org: Organisation) -> bool:
    """A body's disclosure guide (2019 art 12) is kept by its office head or admin (as for its report)."""
    return can_publish_report(user, org)


def can_enter_proactive_figures(user: User, org: Organisation) -> bool:
    """A body's Table 2 figures (licensing, penalties, fees, procurement; 2019 Regulations art 20) are entered by
    its office head or admin; its other staff and supervisors read them."""
    return can_publish_report(user, org)


def can_submit_figures(user: User, org: Organisation) -> bool:
    """Report figures of a body not on the platform (填报, issue 5) are uploaded by the body's OGI office head or
    by a supervisor of a subtree that contains it (the office that compiles the subtree's report). A submission
    replaces the body's records in every report of that year, as weighty as publishing: not a clerk's step."""
    return can_publish_report(user, org) or can_supervise(user, org)


def can_download_submission_template(user: User, org: Organisation) -> bool:
    """Whoever may see a body may download its blank submission template and see its submissions."""
    return can_view_org(user, org)


def token_orgs(token: ApiToken) -> OrganisationQuerySet:
    """The bodies another system's API token acts for: its own body, or the body's subtree when the token says
    so (only a people's government or its general office gets one: ``gongkai.api.actions.create_token``)."""
    if token.include_subtree:
        return Organisation.objects.subtree_of(token.body)
    return Organisation.objects.filter(pk=token.body_id)


def token_may(token: ApiToken, scope: str, org: Organisation | None = None) -> bool:
    """Whether an API token holds ``scope`` (and, with ``org``, acts for that body)."""
    return scope in token.scopes and (org is None or token_orgs(token).filter(pk=org.pk).exists())


def can_handle_letter(user: User, org: Organisation) -> bool:
    """A mailbox letter is worked (签收, 转办, 退回, 答复, 公开, 转为申请) by the handling body's own staff; a
    supervisor of the subtree reads it and presses for an answer (督办: ``can_supervise``)."""
    return can_edit_report(user, org)


def can_set_mailbox(user: User, org: Organisation) -> bool:
    """Whether a body accepts anonymous letters is decided by its office head or admin."""
    return can_publish_report(user, org)


def can_handle_ticket(user: User, org: Organisation) -> bool:
    """12345 hotline tickets of a body are registered, imported and updated by the body's own staff; a
    supervisor of the subtree reads them (``visible_orgs``)."""
    return can_edit_report(user, org)


def can_handle_consultation(user: User, org: Organisation) -> bool:
    """A public consultation (意见征集) is created, opened, closed, moderated and classified, and its feedback
    report generated, by the body's own staff; a supervisor of the subtree reads it."""
    return can_edit_report(user, org)


def can_publish_consultation_feedback(user: User, org: Organisation) -> bool:
    """The feedback report (采纳情况反馈) speaks for the body: published by its office head or admin."""
    return can_publish_report(user, org)


def can_handle_interview(user: User, org: Organisation) -> bool:
    """Interviews and press conferences are announced, moderated, transcribed, ended and published by the
    body's own staff; a supervisor of the subtree reads them."""
    return can_edit_report(user, org)


def can_record_engagement(user: User, org: Organisation) -> bool:
    """Public-concern events, their responses, Weibo/WeChat posts and interpretations of a body are recorded by
    the body's own staff; a supervisor of the subtree reads them (``visible_orgs``)."""
    return can_edit_report(user, org)


def can_use_checker(user: User) -> bool:
    """The report checker's staff pages (batch checks, comparisons of published reports): every staff member,
    supervisors and evaluators above all; the reports it reads are public documents. A batch is seen by its
    creator (and a superuser) only: ``can_view_batch``."""
    return is_staff_member(user)


def can_view_batch(user: User, created_by_id: int) -> bool:
    return can_use_checker(user) and (_is_superuser(user) or user.pk == created_by_id)
