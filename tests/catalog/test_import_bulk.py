"""The bulk write path of ``gongkai import publications`` (issue 11): raw inserts with reserved ids, and what
must hold around them — nothing written when a row is bad or a write fails half-way, the figures' dirty marks
and the portal counts as the ORM path leaves them, the search index updated on commit, ids that later
writes do not collide with (PostgreSQL sequences)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.catalog.importing import ImportFailed, import_publications, write
from gongkai.catalog.models import (
    Channel,
    ConfidentialityReview,
    Publication,
    PublicationChannel,
)
from gongkai.catalogstats.counts import rebuild_counts
from gongkai.catalogstats.models import PublishedCount
from gongkai.figures.bulk import marks_of
from gongkai.figures.models import FigureState
from gongkai.reports.registry import Context, Scope, statistics_for_format
from gongkai.search import search
from tests.catalog.test_import_export import channels, row, write_csv
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
__all__ = ["channels"]  # the fixture, used here by name


def generated(tree: Tree, n: int, **values: str) -> list[dict[str, str]]:
    """``n`` published items over three bodies, every one with a channel and a review by the admin."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", password="x")
    bodies = [tree.city, tree.education, tree.county]
    return [
        row(
            tree,
            0,
            索引号=f"{bodies[i % 3].org_code}/2025-{i // 3 + 1:05d}",
            机关代码=bodies[i % 3].org_code,
            标题=f"第{i}项行政审批结果公告",
            成文日期=f"2025-0{1 + i % 3}-03",
            发布日期=f"2025-0{1 + i % 3}-10",
            审查日期=f"2025-0{1 + i % 3}-07",
            发布渠道="测试市政府门户网站",
            审查人="admin",
            正文=f"第{i}项事项已办结。",
        )
        | values
        for i in range(n)
    ]


def snapshot() -> tuple[int, ...]:
    return (
        Publication.objects.count(),
        PublicationChannel.objects.count(),
        ConfidentialityReview.objects.count(),
        AuditEntry.objects.count(),
        FigureState.objects.filter(dirty=True).count(),
        PublishedCount.objects.count(),
    )


def test_a_bad_row_in_the_middle_of_20000_writes_nothing_and_is_named(
    tmp_path: Path, tree: Tree, channels: tuple[Channel, Channel]
) -> None:
    rows = generated(tree, 20_000)
    rows[10_000]["成文日期"] = "2025-02-30"
    before = snapshot()
    with pytest.raises(ImportFailed) as failed:
        import_publications("test", write_csv(tmp_path / "big.csv", rows))
    assert [str(p) for p in failed.value.problems] == [
        "第10002行“成文日期”：“2025-02-30”不是有效日期（应为YYYY-MM-DD）"
    ]
    assert snapshot() == before


def test_a_write_failing_in_a_later_batch_leaves_nothing(
    tmp_path: Path, tree: Tree, channels: tuple[Channel, Channel], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "items.csv", generated(tree, 5000))
    real, calls = write.create, []

    def failing_third(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(write, "create", failing_third)
    before = snapshot()
    with pytest.raises(RuntimeError):
        import_publications("test", path)
    assert len(calls) == 3 and snapshot() == before


def test_figures_marks_and_counts_are_those_of_the_rows_written(
    tmp_path: Path, tree: Tree, channels: tuple[Channel, Channel], django_capture_on_commit_callbacks: Any
) -> None:
    FigureState.objects.update(dirty=False)
    with django_capture_on_commit_callbacks(execute=True):
        report = import_publications("test", write_csv(tmp_path / "items.csv", generated(tree, 300)))
    assert report.counts["create"] == 300
    marked = set(FigureState.objects.filter(dirty=True).values_list("org_id", "year"))
    rows = [*Publication.objects.all(), *PublicationChannel.objects.select_related("publication")]
    expected = {(b, y) for bodies, years in marks_of(rows) for b in bodies for y in years}
    assert marked == expected and expected
    counts = sorted(PublishedCount.objects.values_list("body_id", "year", "topic_pk", "genre_pk", "n"))
    rebuild_counts()
    assert counts == sorted(
        PublishedCount.objects.values_list("body_id", "year", "topic_pk", "genre_pk", "n")
    )
    assert sum(n for *_key, n in counts) == 300
    for org in (tree.city, tree.education):
        ctx = Context(org=org, year=2025, scope=Scope.SUBTREE, fmt="2021")
        live = Context(org=org, year=2025, scope=Scope.SUBTREE, fmt="2021", live=True)
        assert {s.key: ctx.value(s.key) for s in statistics_for_format("2021")} == {
            s.key: live.value(s.key) for s in statistics_for_format("2021")
        }
    assert search("第299项行政审批").total == 1  # the index was updated when the import committed


def test_ids_reserved_by_the_import_do_not_collide_with_later_writes(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    import_publications("test", write_csv(tmp_path / "a.csv", generated(tree, 50)))
    for pub in Publication.objects.all():  # every posting and review points at its own row
        assert pub.published_on is not None
        assert list(pub.postings.values_list("published_on", flat=True)) == [pub.published_on]
        assert pub.reviews.get().reviewed_on == pub.published_on - dt.timedelta(days=3)
    later = Publication.objects.create(
        body=tree.education,
        index_code=tree.education.org_code,
        index_year=2026,
        index_serial=1,
        title="t",
        made_on=dt.date(2025, 6, 1),
    )
    assert later.pk > max(Publication.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    posting = PublicationChannel.objects.create(
        publication=later, channel=channels[0], published_on=dt.date(2025, 6, 2)
    )
    assert posting.pk > max(PublicationChannel.objects.exclude(pk=posting.pk).values_list("pk", flat=True))
    second = write_csv(tmp_path / "b.csv", [row(tree, 1, 索引号=f"{tree.education.org_code}/2024-00001")])
    assert import_publications("test", second).counts["create"] == 1
