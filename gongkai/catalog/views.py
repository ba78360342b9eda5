"""Staff catalog pages: the body's items, a new draft, the item page with its workflow steps, attachments and
the vocabularies. Thin: parse with a form, call one domain function (``transitions``, ``vocabularies``),
render. Steps are dispatched through the explicit ``ACTIONS`` table, never by name lookup on user input.

Access (``gongkai.permissions``): staff see their own body's items, a supervisor its subtree read-only; an
item outside what the user may see is a 404, so its existence is not revealed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import permissions
from gongkai.acknowledgement.keys import idempotent
from gongkai.audit.models import AuditEntry
from gongkai.catalog import forms, revisions, transitions, vocabularies
from gongkai.catalog.actions import index_template, render_index_number
from gongkai.catalog.models import (
    Attachment,
    NormativeKind,
    Publication,
    PublicationStatus,
    ReviewConclusion,
    Topic,
)
from gongkai.engagement import interpretations
from gongkai.masking import mask_text
from gongkai.workdays.calendar import get_calendar

S = PublicationStatus
PAGE_SIZE = 50


@dataclass(frozen=True)
class Action:
    label: Any
    form: type[djforms.Form]
    states: frozenset[str]
    run: Callable[[Any, Publication, dict[str, Any]], Any]
    by_reviewer: bool = False  # 保密审查 needs the reviewer's role; every other step the body's staff
    applies: Callable[[Publication], bool] = lambda pub: True


def _revise(user: Any, pub: Publication, d: dict[str, Any]) -> Publication:
    """A revision and the files that come with it, together or not at all."""
    with transaction.atomic():
        pub = transitions.revise(
            user,
            pub,
            reason=d["reason"],
            on=d.get("on"),
            title=d["title"],
            text=d["text"],
            document_number=d["document_number"],
        )
        for upload in d["attachments"]:
            transitions.add_attachment(user, pub, upload)
    return pub


def _repealable(pub: Publication) -> bool:
    return bool(pub.normative_kind) and pub.repealed_on is None


ACTIONS: dict[str, Action] = {
    "review": Action(
        gettext_lazy("保密审查"),
        forms.ReviewForm,
        frozenset({S.DRAFT}),
        lambda u, p, d: transitions.review(u, p, on=d["on"], conclusion=d["conclusion"], note=d["note"]),
        by_reviewer=True,
    ),
    "publish": Action(
        gettext_lazy("发布"),
        forms.PublishForm,
        frozenset({S.DRAFT}),
        lambda u, p, d: transitions.publish(u, p, on=d["on"], channels=list(d["channels"])),
    ),
    "revise": Action(gettext_lazy("修订"), forms.ReviseForm, frozenset({S.PUBLISHED}), _revise),
    "withdraw": Action(
        gettext_lazy("撤回"),
        forms.WithdrawForm,
        frozenset({S.PUBLISHED}),
        lambda u, p, d: transitions.withdraw(u, p, reason=d["reason"], on=d.get("on")),
    ),
    "repeal": Action(
        gettext_lazy("废止"),
        forms.RepealForm,
        frozenset({S.PUBLISHED}),
        lambda u, p, d: transitions.repeal(u, p, on=d["on"], reason=d["reason"]),
        applies=_repealable,
    ),
}


def may_run(user: Any, action: Action, pub: Publication) -> bool:
    if action.by_reviewer:
        return permissions.can_review_publication(user, pub.body)
    return permissions.can_draft_publication(user, pub.body)


def action_form(name: str, pub: Publication, data: Any = None, files: Any = None) -> djforms.Form:
    action = ACTIONS[name]
    today = timezone.localdate()
    kwargs: dict[str, Any] = {"prefix": name, "initial": {"on": today}}
    if action.form is forms.PublishForm:
        kwargs["pub"] = pub
    if action.form is forms.ReviseForm:
        kwargs["initial"] = {"title": pub.title, "text": pub.text, "document_number": pub.document_number}
    if action.form is forms.ReviewForm:
        kwargs["initial"] = {"on": today, "conclusion": ReviewConclusion.PASSED}
    return action.form(data, files, **kwargs)


def add_errors(form: djforms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a domain ValidationError on the form, each message on the field it names (or the form)."""
    aliases = {"interprets": "interprets_number", "file": "attachments", **(aliases or {})}
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, problems in errors.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, problems)


def visible_items(request: HttpRequest) -> QuerySet[Publication]:
    return Publication.objects.filter(body__in=permissions.visible_orgs(request.user))


def _item_for(request: HttpRequest, pk: int) -> Publication:
    return get_object_or_404(
        visible_items(request).select_related(
            "body", "topic__parent", "genre", "key_area", "interprets__body", "interprets__genre"
        ),
        pk=pk,
    )


def index_numbers(pubs: Iterable[Publication]) -> dict[int, str]:
    """Rendered index numbers of a page of items (one template look-up per body, not per item)."""
    templates: dict[int, str] = {}
    numbers = {}
    for pub in pubs:
        if pub.body_id not in templates:
            templates[pub.body_id] = index_template(pub.body)
        numbers[pub.pk] = render_index_number(
            templates[pub.body_id], pub.index_code, pub.index_year, pub.index_serial
        )
    return numbers


# The list ---------------------------------------------------------------------------------------------


def _filtered(qs: QuerySet[Publication], data: dict[str, Any]) -> QuerySet[Publication]:
    """Every filter except the status (the counts per status are over this set)."""
    if data.get("q"):
        qs = qs.filter(Q(title__contains=data["q"]) | Q(document_number__contains=data["q"]))
    if data.get("year"):
        qs = qs.filter(index_year=data["year"])
    if data.get("body") is not None:
        qs = qs.filter(body=data["body"])
    topic: Topic | None = data.get("topic")
    if topic is not None:
        qs = qs.filter(Q(topic=topic) | Q(topic__parent=topic))
    if data.get("genre") is not None:
        qs = qs.filter(genre=data["genre"])
    today = timezone.localdate()
    normative = {
        "yes": lambda q: q.exclude(normative_kind=NormativeKind.NONE),
        "no": lambda q: q.filter(normative_kind=NormativeKind.NONE),
        "in_force": lambda q: q.filter(status=S.PUBLISHED).in_force_on(today),
        "repealed": lambda q: q.exclude(normative_kind=NormativeKind.NONE).filter(repealed_on__lte=today),
        "uninterpreted": interpretations.without_interpretation,  # 政策解读 (gongkai.engagement)
    }
    if data.get("normative") in normative:
        qs = normative[data["normative"]](qs)
    if data.get("stage"):
        qs = qs.filter(status=S.DRAFT).annotate(latest_review=transitions.latest_review_conclusion())
        passed = Q(latest_review=ReviewConclusion.PASSED)
        awaiting = Q(latest_review__isnull=True) | Q(latest_review=ReviewConclusion.FAILED)
        qs = qs.filter(passed if data["stage"] == "ready" else awaiting)
    if data.get("late"):
        qs = transitions.late_items(qs, today)
    return qs


def _list_params(request: HttpRequest) -> Any:
    """The query string, with the current year filled in when the lateness filter has no year (the deadline
    is computed per run of days in SQL; a year keeps that expression small)."""
    params = request.GET.copy()
    if params.get("late") and not params.get("year"):
        params["year"] = str(timezone.localdate().year)
    return params


def _rows(pubs: list[Publication]) -> list[dict[str, Any]]:
    numbers, calendar, today = index_numbers(pubs), get_calendar(), timezone.localdate()
    return [
        {
            "pub": pub,
            "number": numbers[pub.pk],
            "title": mask_text(pub.title),
            "late": pub.status != S.WITHDRAWN and transitions.is_late(pub, today, calendar),
        }
        for pub in pubs
    ]


@login_required
def catalog_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    params = _list_params(request)
    filters = forms.CatalogFilter(params or None, bodies=permissions.visible_orgs(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    base = _filtered(visible_items(request), data)
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    status = data.get("status") or ""
    items = base.filter(status=status) if status else base
    page = Paginator(
        items.select_related("body", "genre").order_by("-made_on", "-index_serial", "-id"), PAGE_SIZE
    ).get_page(params.get("page"))
    params.pop("page", None)
    query = params.urlencode()
    params.pop("status", None)
    context = {
        "filters": filters,
        "page": page,
        "rows": _rows(list(page.object_list)),
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in S.choices],
        "total": sum(counts.values()),
        "status": status,
        "query": query,
        "status_query": params.urlencode(),
        "can_draft": permissions.draftable_orgs(request.user).exists(),
        "can_edit_vocabularies": permissions.can_edit_vocabularies(request.user),
        "can_edit_index_templates": permissions.can_edit_index_templates(request.user),
    }
    return render(request, "catalog/list.html", context)


# Drafts -----------------------------------------------------------------------------------------------


def _attach_all(user: Any, pub: Publication, uploads: Iterable[Any]) -> None:
    for upload in uploads:
        transitions.add_attachment(user, pub, upload)


def _warn(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


@login_required
@idempotent("catalog.new_draft")
def new_draft(request: HttpRequest) -> HttpResponse:
    bodies = permissions.draftable_orgs(request.user).order_by("path")
    if not bodies.exists():
        raise PermissionDenied
    form = forms.NewDraftForm(
        request.POST or None,
        request.FILES or None,
        bodies=bodies,
        initial={"made_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body_choice"]
        if not permissions.can_draft_publication(request.user, body):
            raise PermissionDenied
        fields = form.fields_for_domain()
        try:
            with transaction.atomic():
                pub, warnings = transitions.create_draft(
                    request.user, body, title=fields.pop("title"), made_on=fields.pop("made_on"), **fields
                )
                _attach_all(request.user, pub, form.cleaned_data["attachments"])
        except (ValidationError, transitions.IllegalStep) as exc:
            add_errors(form, _as_validation_error(exc), {"body": "body_choice"})
        else:
            messages.success(request, _("草稿已保存，索引号已分配。下一步：保密审查。"))
            _warn(request, warnings)
            return redirect("catalog:item", pk=pub.pk)
    return render(request, "catalog/edit.html", {"form": form, "pub": None})


def _as_validation_error(exc: Exception) -> ValidationError:
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


@login_required
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _item_for(request, pk)
    if not permissions.can_draft_publication(request.user, pub.body):
        raise PermissionDenied
    if not transitions.editable(pub):
        messages.error(request, _("只有尚未通过保密审查的草稿才能修改。"))
        return redirect("catalog:item", pk=pub.pk)
    form = forms.PublicationForm(
        request.POST or None,
        request.FILES or None,
        # The form's checks change its copy, not ``pub``; a revision is edited as it would be published.
        instance=revisions.proposed(Publication.objects.get(pk=pub.pk)),
        body=pub.body,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                pub, warnings = transitions.update_draft(request.user, pub, **form.fields_for_domain())
                _attach_all(request.user, pub, form.cleaned_data["attachments"])
        except (ValidationError, transitions.IllegalStep) as exc:
            add_errors(form, _as_validation_error(exc))
        else:
            messages.success(request, _("草稿已保存。"))
            _warn(request, warnings)
            return redirect("catalog:item", pk=pub.pk)
    return render(request, "catalog/edit.html", {"form": form, "pub": pub})


# The item page ----------------------------------------------------------------------------------------


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _item_for(request, pk)
    bound: dict[str, djforms.Form] = {}
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in ACTIONS:
            raise Http404(_("没有这项操作"))
        if not may_run(request.user, ACTIONS[name], pub):
            raise PermissionDenied
        result = _run(request, pub, name)
        if isinstance(result, HttpResponse):
            return result
        if pub.status not in ACTIONS[name].states or not ACTIONS[name].applies(pub):
            # A step this item does not offer (any more): say why, show the item as it is.
            messages.error(request, "；".join(_messages_of(result)))
            return redirect("catalog:item", pk=pub.pk)
        bound[name] = result
    # Staff see a revision as it would be published; the public keeps the row (``catalog.revisions``).
    return render(request, "catalog/item.html", _item_context(request, revisions.proposed(pub), bound))


def _run(request: HttpRequest, pub: Publication, name: str) -> HttpResponse | djforms.Form:
    form = action_form(name, pub, request.POST, request.FILES)
    if not form.is_valid():
        return form
    try:
        ACTIONS[name].run(request.user, pub, dict(form.cleaned_data))
    except transitions.IllegalStep as exc:  # e.g. publishing before a passed review: say why on the form
        form.add_error(None, str(exc))
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        add_errors(form, exc, {"on": "on", "file": "attachments"})
    else:
        messages.success(request, _("已完成：%(action)s。") % {"action": ACTIONS[name].label})
        pub.refresh_from_db()
        if name == "publish" and transitions.is_late(pub, timezone.localdate()):
            messages.warning(request, _("本次发布超过了成文或修订之日起20个工作日的期限。"))
        return redirect("catalog:item", pk=pub.pk)
    return form


def _messages_of(form: djforms.Form) -> list[str]:
    return [
        f"{form.fields[field].label}：{error}" if field in form.fields else str(error)
        for field, errors in form.errors.items()
        for error in errors
    ]


def _item_context(request: HttpRequest, pub: Publication, bound: dict[str, djforms.Form]) -> dict[str, Any]:
    today = timezone.localdate()
    actions = [
        (name, a.label, bound.get(name) or action_form(name, pub))
        for name, a in ACTIONS.items()
        if pub.status in a.states and a.applies(pub) and may_run(request.user, a, pub)
    ]
    visible_ids = set(permissions.visible_orgs(request.user).values_list("pk", flat=True))
    # Another body's draft interpretation is not this body's to read: only published ones, or its own.
    interpretations = [
        i
        for i in pub.interpretations.select_related("body")
        if i.body_id in visible_ids or i.status == PublicationStatus.PUBLISHED
    ]
    linked = [pub.interprets] if pub.interprets is not None else []
    numbers = index_numbers([pub, *linked, *interpretations])
    can_draft = permissions.can_draft_publication(request.user, pub.body)
    return {
        "pub": pub,
        "number": numbers[pub.pk],
        "interprets_number": numbers.get(pub.interprets.pk) if pub.interprets is not None else "",
        "text": mask_text(pub.text),
        "in_force": pub.in_force_on(today),
        "deadline": transitions.publication_deadline(pub),
        "late": pub.status != S.WITHDRAWN and transitions.is_late(pub, today),
        "warnings": transitions.warnings_for(pub) if pub.status == S.DRAFT else [],
        "passed": pub.status == S.DRAFT and not transitions.editable(pub),
        "versions": pub.versions.order_by("-version"),
        "reviews": pub.reviews.select_related("reviewer").order_by("-id"),
        "postings": pub.postings.select_related("channel__kind").order_by("published_on", "id"),
        "attachments": pub.attachments.order_by("id"),
        "interpretations": [(i, numbers[i.pk]) for i in interpretations],
        "visible_ids": visible_ids,
        "audit": [
            (entry, mask_text(entry.summary))
            for entry in AuditEntry.objects.for_object(pub).order_by("at", "id")
        ],
        "actions": actions,
        "can_edit": can_draft and transitions.editable(pub),
        "attachment_form": forms.AttachmentForm(),
    }


# Attachments ------------------------------------------------------------------------------------------


@login_required
@idempotent("catalog.attachment_add")
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _item_for(request, pk)
    if request.method != "POST":
        return redirect("catalog:item", pk=pub.pk)
    if not permissions.can_draft_publication(request.user, pub.body):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                _attach_all(request.user, pub, form.cleaned_data["attachments"])
        except (ValidationError, transitions.IllegalStep) as exc:
            add_errors(form, _as_validation_error(exc))
        else:
            messages.success(request, _("附件已上传。"))
            return redirect("catalog:item", pk=pub.pk)
    context = _item_context(request, pub, {}) | {"attachment_form": form}
    return render(request, "catalog/item.html", context, status=400)


def _attachment_for(request: HttpRequest, pk: int, attachment_pk: int) -> Attachment:
    pub = _item_for(request, pk)
    return get_object_or_404(
        Attachment.objects.select_related("publication__body"), pk=attachment_pk, publication=pub
    )


@login_required
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = _attachment_for(request, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件缺失")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _attachment_for(request, pk, attachment_pk)
    if request.method != "POST":
        return redirect("catalog:item", pk=pk)
    if not permissions.can_draft_publication(request.user, attachment.publication.body):
        raise PermissionDenied
    try:
        transitions.remove_attachment(request.user, attachment)
    except (ValidationError, transitions.IllegalStep) as exc:
        messages.error(request, "；".join(_as_validation_error(exc).messages))
    else:
        messages.success(request, _("附件已删除：%(name)s") % {"name": attachment.name})
    return redirect("catalog:item", pk=pk)


# Vocabularies -----------------------------------------------------------------------------------------

VOCABULARY_TITLES = {
    "topic": gettext_lazy("主题分类"),
    "genre": gettext_lazy("体裁"),
    "area": gettext_lazy("重点领域"),
}


def _add_form(kind: str, data: Any = None) -> djforms.Form:
    form_class = forms.TopicForm if kind == "topic" else forms.TermForm
    return form_class(data, prefix=kind)


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    can_edit = permissions.can_edit_vocabularies(request.user)
    bound: dict[str, djforms.Form] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        if kind not in vocabularies.VOCABULARIES:
            raise Http404
        form = _add_form(kind, request.POST)
        if form.is_valid():
            try:
                term = vocabularies.add_term(request.user, kind, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("已添加：%(term)s") % {"term": term})
                return redirect(reverse("catalog:vocabularies") + f"#{kind}")
        bound[kind] = form
    sections = []
    for kind, model in vocabularies.VOCABULARIES.items():
        qs: Iterable[vocabularies.Term] = (
            Topic.objects.select_related("parent").order_by("code")
            if model is Topic
            else model.objects.order_by("code")
        )
        uses = vocabularies.usage_counts(model)
        sections.append(
            {
                "kind": kind,
                "title": VOCABULARY_TITLES[kind],
                "rows": [(term, uses.get(term.pk, 0)) for term in qs],
                "form": bound.get(kind) or _add_form(kind),
            }
        )
    context = {"sections": sections, "can_edit": can_edit}
    return render(request, "catalog/vocabularies.html", context, status=400 if bound else 200)


@login_required
def vocabulary_term(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Rename (``op=rename``) or delete (``op=delete``) one term; refusals are shown with their reason."""
    if kind not in vocabularies.VOCABULARIES:
        raise Http404
    if not permissions.can_edit_vocabularies(request.user):
        raise PermissionDenied
    term = cast(vocabularies.Term, get_object_or_404(vocabularies.VOCABULARIES[kind].objects.all(), pk=pk))
    back = redirect(reverse("catalog:vocabularies") + f"#{kind}")
    if request.method != "POST":
        return back
    op = request.POST.get("op", "")
    try:
        if op == "rename":
            form = forms.RenameForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"name": form.errors["name"]})
            vocabularies.rename_term(request.user, term, name=form.cleaned_data["name"])
            messages.success(request, _("已改名：%(term)s") % {"term": form.cleaned_data["name"]})
        elif op == "delete":
            vocabularies.delete_term(request.user, term)
            messages.success(request, _("已删除：%(term)s") % {"term": term.name})
        else:
            raise Http404
    except ValidationError as exc:
        label = _("名称") if hasattr(exc, "error_dict") else ""
        messages.error(request, (f"{label}：" if label else "") + "；".join(exc.messages))
    return back
