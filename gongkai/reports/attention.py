"""What needs a staff member's attention today (issue 12 §3: the staff home lists it with counts, each linking
to the list behind it). Every count is one aggregate query over the bodies the user may see
(``permissions.visible_orgs``), never a loop over records: a province holds hundreds of thousands of cases.

- requests due within 3 working days and overdue ones (2019 Regulations art 33; ``gongkai.workdays``), and
  those waiting to be assigned or signed for after a transfer (待分办/签收): the same definitions as the case
  inbox's views the items link to (``InformationRequestQuerySet.in_view``), so a count equals its list;
- mailbox letters due within 2 working days and overdue (the mailbox queue's views, ``LetterQuerySet.in_view``;
  the reply period is the local setting ``GONGKAI_MAILBOX_REPLY_WORKING_DAYS``), consultations whose feedback
  report is overdue (``ConsultationQuerySet.feedback_overdue_on``) and 12345 tickets open past their due time
  (``TicketQuerySet.overdue_at``), each the filter of the staff list it links to;
- publications waiting for their confidentiality review (保密审查, art 17): the catalog's "待保密审查" stage;
- last year's annual reports not yet published (art 49: departments by 31 January, the government-level report
  by 31 March, ``validation.report_deadline``), and the subordinate bodies whose report is neither published
  nor submitted (填报) for the roll-up the government-level report is built from (statutory-reference §3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.cases.models import InformationRequest
from gongkai.catalog.models import Publication, PublicationStatus, ReviewConclusion
from gongkai.catalog.transitions import latest_review_conclusion
from gongkai.consultations.models import Consultation
from gongkai.hotline.models import Ticket
from gongkai.mailbox.models import REMIND_WITHIN, Letter
from gongkai.organisations.models import Organisation, OrganisationQuerySet
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.models import ReportPublication
from gongkai.reports.submitted import submitting_org_ids


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    count: int
    url: str
    note: str = ""


def attention(user: Any, today: dt.date) -> list[Item]:
    """The items for ``user`` on ``today``, in the order shown (zero counts included: "nothing overdue" is news)."""
    orgs = permissions.visible_orgs(user)
    return [
        *_case_items(orgs, today),
        *_letter_items(orgs, today),
        _consultation_item(orgs, today),
        _ticket_item(orgs),
        _review_item(orgs),
        *_report_items(orgs, today.year - 1),
    ]


def _case_items(orgs: OrganisationQuerySet, today: dt.date) -> list[Item]:
    cases = InformationRequest.objects.filter(body__in=orgs.values("pk")).with_applicable_due()
    inbox = reverse("cases:inbox")
    views = (
        ("due_soon", _("3个工作日内到期的申请")),
        ("overdue", _("已超过答复期限的申请")),
        ("to_sign", _("待分办或待签收的申请（含转来的申请）")),
    )
    return [
        Item(view, label, cases.in_view(view, today).count(), f"{inbox}?view={view}") for view, label in views
    ]


def _letter_items(orgs: OrganisationQuerySet, today: dt.date) -> list[Item]:
    """Mailbox letters due within ``REMIND_WITHIN`` working days and overdue: the mailbox queue's own views."""
    letters = Letter.objects.filter(body__in=orgs.values("pk"))
    queue = reverse("mailbox_staff:queue")
    views = (
        ("due_soon", _("%(days)d个工作日内到期的信箱来信") % {"days": REMIND_WITHIN}),
        ("overdue", _("已超过答复期限的信箱来信")),
    )
    return [
        Item(f"letters_{view}", label, letters.in_view(view, today).count(), f"{queue}?view={view}")
        for view, label in views
    ]


def _consultation_item(orgs: OrganisationQuerySet, today: dt.date) -> Item:
    """Consultations whose feedback report (采纳情况反馈) is overdue: the staff list's ``?overdue=1``."""
    overdue = Consultation.objects.filter(body__in=orgs.values("pk")).feedback_overdue_on(today)
    url = reverse("consultations_staff:list") + "?overdue=1"
    return Item("consultations_overdue", _("采纳情况反馈已超期的意见征集"), overdue.count(), url)


def _ticket_item(orgs: OrganisationQuerySet) -> Item:
    """12345 tickets still open past the platform's due time: the ticket list's ``?overdue=1`` (every year)."""
    overdue = Ticket.objects.filter(body__in=orgs.values("pk")).overdue_at(timezone.now())
    url = reverse("hotline_staff:tickets") + "?overdue=1"
    return Item("tickets_overdue", _("超过办理时限的12345热线工单"), overdue.count(), url)


def _review_item(orgs: OrganisationQuerySet) -> Item:
    awaiting = (
        Publication.objects.filter(body__in=orgs.values("pk"), status=PublicationStatus.DRAFT)
        .annotate(latest_review=latest_review_conclusion())
        .filter(Q(latest_review__isnull=True) | Q(latest_review=ReviewConclusion.FAILED))
    )
    url = reverse("catalog:list") + "?stage=awaiting_review"
    return Item("awaiting_review", _("待保密审查的公开信息"), awaiting.count(), url)


def _published(year: int) -> QuerySet[Any]:
    return ReportPublication.objects.filter(year=year, published_at__isnull=False).values("org_id")


def _report_items(orgs: OrganisationQuerySet, year: int) -> list[Item]:
    """Bodies (visible) without a published report on ``year``, and subordinate bodies of the visible roots
    with neither a published report nor a current submission for it."""
    unpublished = orgs.existing_in_year(year).exclude(pk__in=_published(year))
    roots = list(orgs.exclude(parent__in=orgs.values("pk")).order_by("path")[:20])
    own = Item(
        "reports_unpublished",
        _("%(year)s年度报告尚未发布的机关") % {"year": year},
        unpublished.count(),
        _report_url(roots, year),
        _("部门应于%(year)s年1月31日前、本级政府应于3月31日前公布（条例第四十九条）") % {"year": year + 1},
    )
    if not roots:
        return [own]
    below = Organisation.objects.filter(reduce(or_, (Q(path__startswith=r.path) for r in roots))).exclude(
        pk__in=[r.pk for r in roots]
    )
    missing = (
        below.existing_in_year(year)
        .exclude(pk__in=_published(year))
        .exclude(pk__in=submitting_org_ids(year, default_format_for_year(year)))
    )
    overview = reverse("submissions:body", args=[roots[0].org_code, year]) + "#subtree"
    return [
        own,
        Item(
            "subordinates_missing",
            _("下级机关%(year)s年度报告既未发布也未填报") % {"year": year},
            missing.count(),
            overview,
            _("汇总报告需要下级机关的数据，部门年度报告应于%(year)s年1月31日前完成") % {"year": year + 1},
        ),
    ]


def _report_url(roots: list[Organisation], year: int) -> str:
    if not roots:
        return reverse("reports:staff_home")
    return reverse("reports:staff_report", args=[roots[0].org_code, year])
