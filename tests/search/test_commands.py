"""`gongkai search-index rebuild` and `gongkai search QUERY [--limit N] [--json] [--body ORG] [--year Y]`."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Publication
from gongkai.search import search
from gongkai.search.models import SearchEntry
from tests.search.conftest import Corpus, Oracle

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_search_index_rebuild_prints_progress(corpus: Corpus) -> None:
    SearchEntry.objects.all().delete()
    out, err = _run("search-index", "rebuild")
    assert f"indexed {len(corpus.pubs)}/{len(corpus.pubs)}" in err
    assert f"rebuilt: {len(corpus.pubs)} publications" in out
    assert SearchEntry.objects.count() == len(corpus.pubs)


def test_search_json_lists_hits_with_index_number_title_and_score(corpus: Corpus, oracle: Oracle) -> None:
    out, _ = _run("search", "財政", "--json", "--limit", "5")
    hits = json.loads(out)
    expected = oracle("财政")[:5]
    assert [h["publication_id"] for h in hits] == expected
    pubs = Publication.objects.in_bulk(expected)
    for hit in hits:
        pub = pubs[hit["publication_id"]]
        assert hit["index_number"] == index_number(pub)
        assert hit["title"] == pub.title  # plain text, not HTML
        assert isinstance(hit["score"], float)
    assert [h["score"] for h in hits] == [h.score for h in search("财政", limit=5).hits]


def test_search_filters_by_body_subtree_and_year(corpus: Corpus, oracle: Oracle) -> None:
    tree = corpus.tree
    out, _ = _run(
        "search", "政", "--json", "--limit", "1000", "--body", tree.county.org_code, "--year", "2014"
    )
    got = [h["publication_id"] for h in json.loads(out)]
    from gongkai.search import Filters

    expected = oracle("政", Filters(body_ids=[tree.county.pk, tree.county_police.pk], year=2014))
    assert got == expected and got
    with pytest.raises(CommandError, match="找不到"):
        _run("search", "政", "--body", "没有这个机关")


def test_search_plain_output_and_bad_queries(corpus: Corpus) -> None:
    out, _ = _run("search", "通知", "--limit", "3")
    assert out.strip().splitlines()[-1] == f"{search('通知').total} found"
    out, _ = _run("search", "' OR 1=1 --")
    assert out.strip() == "0 found"
    out, _ = _run("search", "", "--json")
    assert json.loads(out) == []


def test_the_console_command_runs_search_index_rebuild(tmp_path: object) -> None:
    """The hyphenated command name works through ``python -m gongkai`` (on a fresh empty database)."""
    env_data = str(tmp_path)
    import os

    env = {**os.environ, "GONGKAI_DATA_DIR": env_data}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "gongkai", "migrate", "-v0"], check=True, env=env, timeout=300)
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "search-index", "rebuild"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "rebuilt: 0 publications" in done.stdout


def test_search_mode_relevance_and_related_searches(corpus: Corpus, oracle: Oracle) -> None:
    out, _err = _run("search", "保障房", "--limit", "1000", "--json", "--mode", "relevance")
    assert {row["publication_id"] for row in json.loads(out)} == set(oracle("保障 房"))
    plain, _err = _run("search", "保障房")  # exact by default: nothing, and the relevance form is offered
    assert "0 found" in plain and f"related: 保障房 ({len(oracle('保障 房'))})" in plain
    with pytest.raises(CommandError):
        _run("search", "保障房", "--mode", "fuzzy")
