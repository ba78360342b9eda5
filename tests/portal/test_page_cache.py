"""Public pages served from the shared cache (gongkai.pagecache): a page is rendered once per change and a
publish, withdrawal, revision or report publication shows at once; signed-in users, forms with CSRF tokens and
answers that set cookies are never shared; the portal's counts (gongkai.catalogstats) equal a live COUNT; the
staff report page is built once per change (gongkai.reports.built)."""

from __future__ import annotations

import datetime as dt
import io
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai import dbrouting, pagecache
from gongkai.catalog import transitions as p
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import Channel, ChannelKind, Genre, KeyArea, Publication, Topic
from gongkai.catalogstats.counts import rebuild_counts
from gongkai.catalogstats.models import PublishedCount
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.portal import browse
from gongkai.reports import actions as report_actions
from gongkai.reports import built
from gongkai.reports.stats_table2 import ART20_5, T2
from gongkai.submissions import actions as submission_actions
from gongkai.submissions.xlsx import template_for
from tests.conftest import PASSWORD, Personas, Tree, make_org
from tests.submissions.helpers import TABLE3_2021, fill

pytestmark = pytest.mark.django_db
D = dt.date
CATALOG = "/catalog/"


@pytest.fixture(autouse=True)
def cache_on(settings: Any, tmp_path: Path) -> None:
    settings.GONGKAI_PAGE_CACHE = True
    settings.GONGKAI_REPORT_CACHE = True
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def site(tree: Tree) -> Channel:
    return Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )


def publish(
    tree: Tree, personas: Personas, site: Channel, title: str, on: dt.date, **extra: Any
) -> Publication:
    pub, _w = p.create_draft(personas.clerk, tree.education, title=title, made_on=on, **extra)
    p.review(personas.reviewer, pub, on=on, conclusion="passed")
    return p.publish(personas.clerk, pub, on=on, channels=[site])


def document_url(pub: Publication) -> str:
    return reverse("portal:document", args=[pub.index_code, pub.index_year, pub.index_serial])


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code in {200, 410}
    return response.content.decode()


def sneak_title(pub: Publication, title: str) -> None:
    """Change a row behind the cache's back (no signal, no bump): a page still showing the old title was served
    from the cache."""
    Publication.objects.filter(pk=pub.pk).update(title=title)


def test_a_page_is_served_from_the_cache_until_a_publication_bumps_it(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    first = publish(tree, personas, site, "第一份通知", D(2025, 3, 3))
    assert "第一份通知" in page(client, CATALOG) and "第一份通知" in page(client, "/")
    sneak_title(first, "悄悄改过的标题")
    assert "第一份通知" in page(client, CATALOG)  # served, not recomputed
    assert "第一份通知" in page(client, "/")
    publish(tree, personas, site, "第二份通知", D(2025, 3, 4))
    for url in (CATALOG, "/", reverse("portal:body", args=[tree.education.org_code])):
        shown = page(client, url)
        assert "第二份通知" in shown and "悄悄改过的标题" in shown  # rendered again, from the rows


def test_the_bump_also_runs_when_the_transaction_commits(
    client: Client, tree: Tree, personas: Personas, site: Channel, django_capture_on_commit_callbacks: Any
) -> None:
    page(client, CATALOG)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(tree, personas, site, "提交后可见的通知", D(2025, 3, 3))
    token = pagecache.generation([pagecache.CATALOG])
    for callback in callbacks:
        callback()
    assert pagecache.generation([pagecache.CATALOG]) != token
    assert "提交后可见的通知" in page(client, CATALOG)


def test_withdrawal_and_revision_show_at_once(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = publish(tree, personas, site, "原来的标题", D(2025, 3, 3))
    assert "原来的标题" in page(client, document_url(pub))
    pub = p.revise(personas.clerk, pub, reason="更正错字", on=D(2025, 3, 4), title="修订后的标题")
    assert "原来的标题" in page(client, document_url(pub))  # the revision awaits its review
    p.review(personas.reviewer, pub, on=D(2025, 3, 5), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2025, 3, 5))
    assert "修订后的标题" in page(client, document_url(pub))
    assert "修订后的标题" in page(client, CATALOG)
    p.withdraw(personas.clerk, pub, reason="已失效", on=D(2025, 3, 6))
    assert client.get(document_url(pub)).status_code == 410
    assert "修订后的标题" not in page(client, CATALOG)
    assert "共 0 条" in page(client, CATALOG)


def test_report_publication_shows_at_once(client: Client, tree: Tree, personas: Personas) -> None:
    save_proactive_figures("test", tree.education, 2024, licensing_items=5, licensing_decisions=12)
    assert client.get(f"/reports/{tree.city.org_code}/2024/").status_code == 404
    before = page(client, "/reports/")
    report_actions.publish_report(
        personas.office_head, tree.city, 2024, "2021", "subtree", override_reason="测试"
    )
    assert page(client, "/reports/") != before
    assert client.get(f"/reports/{tree.city.org_code}/2024/").status_code == 200


def test_search_results_are_kept_per_normalised_query(
    client: Client, tree: Tree, personas: Personas, site: Channel, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written on commit
        pub = publish(tree, personas, site, "关于招生工作的通知", D(2025, 3, 3))
    assert "找到 1 条" in page(client, "/search/", q="招生")
    sneak_title(pub, "关于招生工作的通知（改）")
    assert "（改）" not in page(client, "/search/", q=" 招生 ", year="")  # the same query, normalised
    assert "（改）" in page(client, "/search/", q="招生", year="2025")  # other filters: another entry


def test_signed_in_users_never_get_or_leave_a_shared_page(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = publish(tree, personas, site, "公开的通知", D(2025, 3, 3))
    staff = Client()
    assert staff.login(username=personas.clerk.username, password=PASSWORD)
    shown = staff.get(CATALOG)
    assert shown["Cache-Control"] == "private, no-store" and "退出" in shown.content.decode()
    anonymous = page(client, CATALOG)
    assert "退出" not in anonymous
    sneak_title(pub, "员工看到的新标题")
    assert "员工看到的新标题" in staff.get(CATALOG).content.decode()  # never from the cache
    assert "员工看到的新标题" not in page(client, CATALOG)


def test_forms_with_csrf_tokens_and_cookies_are_never_stored(client: Client, tree: Tree) -> None:
    first = client.get("/apply/")
    again = Client().get("/apply/")
    assert "csrfmiddlewaretoken" in first.content.decode() and "no-store" in first["Cache-Control"]
    assert first.content != again.content  # each visitor gets a token of its own
    request = RequestFactory().get(CATALOG)
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("a", "b")
    assert not pagecache.storable(request, with_cookie)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not pagecache.storable(request, HttpResponse("x"))
    session = RequestFactory().get(CATALOG, HTTP_COOKIE="sessionid=abc")
    assert not pagecache.cacheable(session)


def test_etag_and_vary_for_the_proxy(client: Client, tree: Tree) -> None:
    response = client.get(CATALOG)
    assert response["ETag"] and "public" in response["Cache-Control"]
    assert {"cookie", "accept-language"} <= {v.strip().lower() for v in response["Vary"].split(",")}
    assert client.get(CATALOG, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# Counts --------------------------------------------------------------------------------------------------------


def varied_catalog(tree: Tree) -> None:
    """Items over bodies, years, topics, genres, areas and statuses, written one by one (the signals keep the
    counts), then changed: withdrawn, moved to another topic, turned back into drafts, deleted."""
    rng = random.Random(11)  # noqa: S311 - test data
    bodies = [tree.city, tree.education, tree.school_office, tree.county, tree.county_police]
    topics: list[Topic | None] = [*Topic.objects.all()[:12], None]
    genres: list[Genre | None] = [*Genre.objects.all()[:6], None]
    areas: list[KeyArea | None] = [*KeyArea.objects.all()[:3], None]
    statuses = ["published"] * 6 + ["draft", "withdrawn"]
    pubs = []
    for n in range(160):
        body = rng.choice(bodies)
        on = D(rng.choice([2019, 2023, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
        status = rng.choice(statuses)
        pubs.append(
            Publication.objects.create(
                body=body,
                title=f"条目{n}",
                made_on=on,
                index_code=body.org_code,
                index_year=on.year,
                index_serial=n + 1,
                published_on=None if status == "draft" and n % 2 else on,
                status=status,
                topic=rng.choice(topics),
                genre=rng.choice(genres),
                key_area=rng.choice(areas),
                normative_kind="normative" if n % 7 == 0 else "",
                issued_on=on if n % 7 == 0 else None,
            )
        )
    for pub in pubs[:40]:
        pub.status, pub.topic = rng.choice(statuses), rng.choice(topics)
        pub.save()
    for pub in pubs[40:50]:
        pub.delete()


FILTERS: list[dict[str, Any]] = [
    {},
    {"year": 2024},
    {"subtree": True},
    {"subtree": False},
    {"year": 2025, "subtree": True},
]


def filters(tree: Tree) -> Iterator[browse.CatalogFilter]:
    top = Topic.objects.filter(parent__isnull=True, children__isnull=False).first()
    genre = Genre.objects.first()
    for extra in FILTERS:
        for body in (None, tree.city, tree.education, tree.county):
            flt = browse.CatalogFilter(body=body, **extra)
            yield flt
            yield replace(flt, topic=top)
            yield replace(flt, genre=genre, topic=top)


def assert_counts_are_live(tree: Tree) -> None:
    for flt in filters(tree):
        assert browse.total(flt) == flt.queryset().count(), flt
        assert browse.facets(flt) == browse._live_facets(flt), flt
    for body in (tree.city, tree.county, tree.education):
        live = browse._live_facets(browse.CatalogFilter(body=body, subtree=True))["year"]
        assert browse.per_year(body, subtree=True) == sorted((int(f.key), f.count) for f in live)[-8:]


def test_counts_and_facets_equal_a_live_count(tree: Tree) -> None:
    varied_catalog(tree)
    assert_counts_are_live(tree)
    kept = set(
        PublishedCount.objects.filter(n__gt=0).values_list("body_id", "year", "topic_pk", "genre_pk", "n")
    )
    rebuild_counts()
    assert set(PublishedCount.objects.values_list("body_id", "year", "topic_pk", "genre_pk", "n")) == kept
    assert_counts_are_live(tree)


def test_the_catalog_page_counts_from_the_table_and_caps_deep_pages(client: Client, tree: Tree) -> None:
    varied_catalog(tree)
    flt = browse.CatalogFilter(year=2024)
    assert f"共 {flt.queryset().count()} 条" in page(client, CATALOG, year="2024")
    # key area: a filter the table does not hold, counted live
    area = KeyArea.objects.first()
    assert area is not None
    live = browse.CatalogFilter(area=area).queryset().count()
    assert f"共 {live} 条" in page(client, CATALOG, area=area.code)
    assert client.get(CATALOG, {"page": "100000"}).status_code == 200


# The staff report page -----------------------------------------------------------------------------------------

YEAR, FMT = 2024, "2021"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the report's expensive parts were built (the real build runs each time)."""
    calls: list[int] = []
    real = built._build

    def counting(*args: Any) -> dict[str, Any]:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(built, "_build", counting)
    return calls


def staff_page(client: Client, org: Organisation) -> Any:
    response = client.get(f"/staff/reports/{org.org_code}/{YEAR}/", {"scope": "subtree"})
    assert response.status_code == 200
    return response


def licensing(response: Any) -> Any:
    return response.context["report"].values()["t2.licensing.decisions"]


def test_staff_report_is_built_once_per_change(
    tree: Tree, personas: Personas, builds: list[int], supervisor_client: Client
) -> None:
    township = make_org("测试县某镇人民政府", OrgKind.TOWNSHIP, tree.county)
    save_proactive_figures("test", tree.county_police, YEAR, licensing_decisions=5)
    assert licensing(staff_page(supervisor_client, tree.county)) == 5
    staff_page(supervisor_client, tree.county)
    assert len(builds) == 1  # the second GET is served from the cache
    # a record
    save_proactive_figures("test", tree.county_police, YEAR, licensing_decisions=8)
    assert licensing(staff_page(supervisor_client, tree.county)) == 8
    # a section text
    report_actions.save_narrative("test", tree.county, FMT, 1, "本县的总体情况与众不同。", year=YEAR)
    assert "本县的总体情况与众不同。" in staff_page(supervisor_client, tree.county).content.decode()
    # a submission
    licensing_cell = (T2, f"{ART20_5}/行政许可", "本年处理决定数量")
    data = fill(template_for(township, YEAR, FMT), FMT, {**TABLE3_2021, licensing_cell: 7})
    submission_actions.submit(personas.supervisor, township, YEAR, FMT, io.BytesIO(data), "填报.xlsx")  # type: ignore[arg-type]
    assert licensing(staff_page(supervisor_client, tree.county)) == 8 + 7
    assert len(builds) == 4


@pytest.fixture
def supervisor_client(personas: Personas) -> Client:
    client = Client()
    user: AbstractUser = personas.supervisor
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_view_decorated_for_the_cache_keeps_other_methods_uncached(rf: RequestFactory) -> None:
    calls: list[str] = []

    @pagecache.cached_page(pagecache.CATALOG)
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(request.method or "")
        return HttpResponse("ok")

    view(rf.get("/x/"))
    view(rf.get("/x/"))
    view(rf.post("/x/"))
    assert calls == ["GET", "POST"]


# Read-your-writes on a replica (gongkai.dbrouting) -------------------------------------------------------------


@pytest.fixture
def floor(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A replica as far as ``raise_floor`` can tell (the primary's WAL position is a fake): the generation of
    ``CATALOG`` at each moment the floor was raised."""
    raised: list[str] = []

    def position() -> str:
        raised.append(pagecache.generation([pagecache.CATALOG]))
        return "0/3000060"

    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "primary_wal_position", position)
    dbrouting._floor_cache().delete(dbrouting.FLOOR_KEY)
    yield raised
    dbrouting._floor_cache().delete(dbrouting.FLOOR_KEY)


def test_a_publication_raises_the_replica_floor_before_the_last_new_generation(
    tree: Tree,
    personas: Personas,
    site: Channel,
    floor: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(tree, personas, site, "副本测试通知", D(2025, 3, 3))
    assert floor == [] and dbrouting.read_floor() == ""  # nothing is raised before the commit
    before_commit = pagecache.generation([pagecache.CATALOG])
    for callback in callbacks:
        callback()
    assert dbrouting.read_floor() == "0/3000060"
    assert floor[0] == before_commit  # the floor went up before the commit drew a new generation ...
    # ... and the generation pages are now stored under was drawn after the last raise: a page kept under it was
    # rendered from a replica that had replayed the publication
    assert pagecache.generation([pagecache.CATALOG]) != floor[-1]


def test_without_a_replica_a_bump_asks_the_primary_nothing(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def no_query() -> str:
        raise AssertionError("the WAL position is asked only with a replica")

    monkeypatch.setattr(dbrouting, "primary_wal_position", no_query)
    assert not dbrouting.replica_configured()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump(pagecache.CATALOG)
    assert dbrouting.read_floor() == ""


def test_deleting_a_published_item_drops_its_cached_pages(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = publish(tree, personas, site, "将被删除的通知", D(2025, 3, 3))
    assert "将被删除的通知" in page(client, document_url(pub)) and "将被删除的通知" in page(client, CATALOG)
    url = document_url(pub)
    Publication.objects.filter(pk=pub.pk).first().delete()  # type: ignore[union-attr]
    assert client.get(url).status_code == 404
    assert "将被删除的通知" not in page(client, CATALOG)


# One build at a time (single flight), stale copies while rebuilding ---------------------------------------------


@pytest.fixture
def counted(settings: Any) -> tuple[list[str], Any]:
    """A cached view that counts its renders and answers with the render's number."""
    settings.GONGKAI_PAGE_BUILD_WAIT = 30
    rendered: list[str] = []

    @pagecache.cached_page(pagecache.CATALOG, timeout=60)
    def view(request: HttpRequest) -> HttpResponse:
        rendered.append(f"render {len(rendered) + 1}")
        time.sleep(0.2 if len(rendered) == 1 else 0)
        return HttpResponse(rendered[-1])

    return rendered, view


def test_an_expired_page_is_served_stale_while_another_request_rebuilds_it(
    rf: RequestFactory, counted: tuple[list[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered, view = counted
    assert view(rf.get("/x/")).content == b"render 1"
    clock = time.time() + 61  # past the page's 60 seconds, within the stale grace
    monkeypatch.setattr(pagecache, "_now", lambda: clock)
    key = pagecache.page_key(rf.get("/x/"), [pagecache.CATALOG])
    assert pagecache._claim(key)  # another worker is rebuilding it
    assert view(rf.get("/x/")).content == b"render 1"
    assert rendered == ["render 1"]
    pagecache._release(key)
    assert view(rf.get("/x/")).content == b"render 2"  # the first request after the claim rebuilds it
    assert view(rf.get("/x/")).content == b"render 2"
    assert rendered == ["render 1", "render 2"]


def test_requests_that_miss_together_wait_for_one_build(
    rf: RequestFactory, counted: tuple[list[str], Any]
) -> None:
    rendered, view = counted
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _n: view(rf.get("/x/")).content, range(6)))
    assert rendered == ["render 1"]
    assert answers == [b"render 1"] * 6


def test_a_waiting_request_builds_itself_when_the_builder_stores_nothing(
    rf: RequestFactory, counted: tuple[list[str], Any]
) -> None:
    rendered, view = counted
    key = pagecache.page_key(rf.get("/x/"), [pagecache.CATALOG])
    assert pagecache._claim(key)  # a builder whose answer could not be shared (it set a cookie, say)
    threading.Timer(0.1, pagecache._release, args=(key,)).start()
    started = time.monotonic()
    assert view(rf.get("/x/")).content == b"render 1"
    assert time.monotonic() - started < 10  # not the whole 30 s wait
    assert rendered == ["render 1"]
