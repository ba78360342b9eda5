"""Public catalog pages: the bodies' 政府信息公开 columns (指南 · 制度 · 法定主动公开内容 · 年报), catalog browsing,
the document page, search and charts. Views are thin: queries live in ``browse`` and ``gongkai.search``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai import pagecache, permissions
from gongkai import search as fulltext
from gongkai.catalog.actions import index_number, index_template, render_index_number
from gongkai.catalog.models import Genre, KeyArea, Publication, PublicationStatus, Topic
from gongkai.catalog.public import public_versions
from gongkai.organisations.models import Organisation
from gongkai.pagecache import cached_page
from gongkai.portal import browse, charts
from gongkai.portal.models import DisclosureGuide
from gongkai.reports.models import ReportPublication

PAGE_SIZE = 20
MAX_PAGES = 500  # deeper pages cost an OFFSET over the catalog: narrow the filters instead (docs/portal.md)
MAX_QUERY = 200  # longer queries are cut (the search itself accepts anything)
SEARCH_BODY_DEPTH = 2  # the search form lists bodies down to this depth (0: the roots), and the chosen one


def index_numbers(pubs: Any) -> list[str]:
    """Rendered index numbers for a page of items (the template is looked up once per body)."""
    templates: dict[int, str] = {}
    out = []
    for p in pubs:
        if p.body_id not in templates:
            templates[p.body_id] = index_template(p.body)
        out.append(render_index_number(templates[p.body_id], p.index_code, p.index_year, p.index_serial))
    return out


def _org(org_code: str) -> Organisation:
    return get_object_or_404(Organisation, org_code=org_code)


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its total (from the count table) instead of counting, and stopping at ``MAX_PAGES``."""

    def __init__(self, object_list: Any, per_page: int, total: int | None) -> None:
        super().__init__(object_list, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total if self.total is not None else int(super().count)

    @cached_property
    def num_pages(self) -> int:
        return min(int(super().num_pages), MAX_PAGES)


def _page(request: HttpRequest, qs: Any, total: int | None = None) -> Any:
    return CountedPaginator(qs, PAGE_SIZE, total).get_page(request.GET.get("page"))


def _body_context(body: Organisation, tab: str) -> dict[str, Any]:
    return {
        "body": body,
        "tab": tab,
        "children": body.children.filter(valid_to__isnull=True).order_by("sort_order", "name"),
        "ancestors": Organisation.objects.filter(pk__in=[int(p) for p in body.path.split(".") if p])
        .exclude(pk=body.pk)
        .order_by("depth"),
    }


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def body(request: HttpRequest, org_code: str) -> HttpResponse:
    """The body's 政府信息公开 column: its guide in brief, the latest items, the columns and a trend chart."""
    org = _org(org_code)
    latest = public_versions(list(browse.CatalogFilter(body=org).queryset().select_related("genre")[:10]))
    trend = browse.per_year(org, subtree=False)
    context = _body_context(org, "home") | {
        "guide": DisclosureGuide.objects.filter(body=org).first(),
        "latest": latest,
        "trend": trend,
    }
    return render(request, "portal/body.html", context)


@require_GET
@cached_page(pagecache.BODIES)
def body_guide(request: HttpRequest, org_code: str) -> HttpResponse:
    org = _org(org_code)
    guide = DisclosureGuide.objects.filter(body=org).first()
    user: Any = request.user
    can_edit = user.is_authenticated and permissions.can_edit_guide(user, org)
    context = _body_context(org, "guide") | {"guide": guide, "can_edit": can_edit}
    return render(request, "portal/body_guide.html", context)


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def body_rules(request: HttpRequest, org_code: str) -> HttpResponse:
    org = _org(org_code)
    guide = DisclosureGuide.objects.filter(body=org).first()
    rules = public_versions(list(guide.rules.public().order_by("-published_on")) if guide is not None else [])
    return render(request, "portal/body_rules.html", _body_context(org, "rules") | {"rules": rules})


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def body_catalog(request: HttpRequest, org_code: str) -> HttpResponse:
    org = _org(org_code)
    return _catalog(
        request, browse.CatalogFilter.from_params(request.GET, body=org), _body_context(org, "catalog")
    )


@require_GET
@cached_page(pagecache.REPORTS, pagecache.BODIES)
def body_reports(request: HttpRequest, org_code: str) -> HttpResponse:
    org = _org(org_code)
    publications = (
        ReportPublication.objects.filter(org=org, published_at__isnull=False)
        .select_related("org")
        .order_by("-year")
    )
    return render(
        request, "portal/body_reports.html", _body_context(org, "reports") | {"publications": publications}
    )


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def catalog(request: HttpRequest) -> HttpResponse:
    return _catalog(request, browse.CatalogFilter.from_params(request.GET), {"tab": None})


def _catalog(request: HttpRequest, flt: browse.CatalogFilter, context: dict[str, Any]) -> HttpResponse:
    qs = flt.queryset().select_related("body", "genre").order_by("-published_on", "-id")
    page = _page(request, qs, browse.total(flt))
    page.object_list = public_versions(list(page.object_list))
    context |= {
        "flt": flt,
        "page": page,
        "facets": browse.facets(flt),
        "areas": KeyArea.objects.all(),
        "rows": list(zip(page.object_list, index_numbers(page.object_list), strict=True)),
    }
    return render(request, "portal/catalog.html", context)


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def document(request: HttpRequest, index_code: str, year: int, serial: int) -> HttpResponse:
    pub = browse.document_or_404(index_code, year, serial)
    if pub.status == PublicationStatus.WITHDRAWN:
        context = {"pub": pub, "number": index_number(pub)}
        return render(request, "portal/document_withdrawn.html", context, status=410)
    shown: Any = pub
    under_revision = pub.status == PublicationStatus.DRAFT
    if under_revision:
        # A revision awaiting its confidentiality review is not public: show the version last published.
        shown = pub.versions.order_by("-version").first()
        if shown is None:
            raise Http404(_("没有这条政府信息"))
    context = {
        "pub": pub,
        "shown": shown,
        "under_revision": under_revision,
        "number": index_number(pub),
        "attachments": pub.attachments.filter(added_in_version__lte=getattr(shown, "version", pub.version)),
        "interpretations": public_versions(
            list(pub.interpretations.public().select_related("interpretation_record"))
        ),
        "interprets": public_versions([pub.interprets])[0]
        if pub.interprets is not None and Publication.objects.public().filter(pk=pub.interprets.pk).exists()
        else None,
        # Under revision, the newest record's reason belongs to the unreviewed revision: not public yet.
        "versions": pub.versions.filter(
            version__lt=pub.version - 1 if under_revision else pub.version
        ).order_by("version"),
        "in_force": pub.in_force_on(_today()),
        "channels": pub.postings.select_related("channel").order_by("published_on", "channel__name"),
    }
    return render(request, "portal/document.html", context)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@require_GET
def attachment(request: HttpRequest, index_code: str, year: int, serial: int, pk: int) -> FileResponse:
    pub = browse.document_or_404(index_code, year, serial)
    if pub.status == PublicationStatus.WITHDRAWN:
        raise Http404(_("该信息已撤回"))
    att = get_object_or_404(pub.attachments, pk=pk)
    if pub.status == PublicationStatus.DRAFT and att.added_in_version >= pub.version:
        raise Http404(_("附件尚未公开"))
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件缺失，请联系发布机关")) from exc
    response = FileResponse(handle, as_attachment=True, filename=att.name)
    response["X-Content-SHA256"] = att.sha256
    return response


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES, timeout=settings.GONGKAI_SEARCH_CACHE_TIMEOUT)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY]
    flt = browse.CatalogFilter.from_params(request.GET)
    filters = fulltext.Filters(
        body_ids=list(
            Organisation.objects.filter(path__startswith=flt.body.path).values_list("pk", flat=True)
            if flt.subtree
            else [flt.body.pk]
        )
        if flt.body is not None
        else None,
        topic_id=flt.topic.pk if flt.topic else None,
        genre_id=flt.genre.pk if flt.genre else None,
        year=flt.year,
        key_area_id=flt.area.pk if flt.area else None,
        normative_only=flt.normative,
    )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    mode = fulltext.EXACT if request.GET.get("mode") == fulltext.EXACT else fulltext.RELEVANCE
    results = fulltext.search(
        query, filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, mode=mode
    )
    pubs = Publication.objects.select_related("body", "genre").in_bulk(
        [h.publication_id for h in results.hits]
    )
    public_versions(list(pubs.values()))
    hits = [(h, pubs[h.publication_id]) for h in results.hits if h.publication_id in pubs]
    pages = max(1, -(-results.total // PAGE_SIZE))
    context = {
        "query": query,
        "flt": flt,
        "hits": list(zip(hits, index_numbers([p for _h, p in hits]), strict=True)),
        "total": results.total,
        "mode": mode,
        "suggestions": results.suggestions,
        "page_number": page_number,
        "pages": pages,
        "genres": Genre.objects.all(),
        "areas": KeyArea.objects.all(),
        "topics": Topic.objects.filter(parent__isnull=True),
        "bodies": _search_bodies(flt.body),
    }
    return render(request, "portal/search.html", context)


def _search_bodies(chosen: Organisation | None) -> Any:
    """The bodies offered in the search form: the top ``SEARCH_BODY_DEPTH + 1`` levels of the tree (a province's
    thousands of township offices would make every result page hundreds of kilobytes) and the chosen body, so that
    a search narrowed to a deeper body (``?body=CODE``, from a link or typed) keeps its choice in the form."""
    shown = Q(depth__lte=SEARCH_BODY_DEPTH)
    if chosen is not None:
        shown |= Q(pk=chosen.pk)
    return Organisation.objects.filter(shown, valid_to__isnull=True).order_by("path")


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def publications_chart(request: HttpRequest, org_code: str) -> HttpResponse:
    """Items published per year by a body (``?subtree=1``: with the bodies below it), as SVG."""
    org = _org(org_code)
    subtree = request.GET.get("subtree") == "1"
    data = browse.per_year(org, subtree=subtree)
    title = _("%(org)s主动公开政府信息数量（条）") % {"org": org.display_name}
    svg = charts.bar_chart_svg(title, [str(y) for y, _n in data], [n for _y, n in data])
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response
