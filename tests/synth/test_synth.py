"""``gongkai synth``: a realistic province, deterministic per seed, every record inside its body's existence."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, Q
from opencc import OpenCC

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import AdministrativeReview, FeeCollected, InformationRequest, Lawsuit
from gongkai.catalog.models import Publication, PublicationChannel
from gongkai.hotline.models import Ticket
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.build import build_report
from gongkai.search import Filters, search
from gongkai.search.models import SearchEntry
from gongkai.synth.build import Spec, SynthError, check, synthesise
from gongkai.synth.tree import plan_tree

pytestmark = pytest.mark.django_db
SMALL = Spec(bodies=120, publications=3000, cases=400, tickets=800, years=(2014, 2025), seed=7, batch=1000)


def _load(spec: Spec = SMALL) -> None:
    synthesise(spec, say=lambda _line: None)


def _fingerprint() -> list[Any]:
    return [
        list(
            Organisation.objects.order_by("pk").values_list(
                "name", "kind", "path", "valid_to", "successor_id"
            )
        ),
        list(
            Publication.objects.order_by("pk").values_list(
                "body_id", "title", "published_on", "normative_kind"
            )
        ),
        list(
            InformationRequest.objects.order_by("pk").values_list(
                "body_id", "receipt_date", "answered_on", "outcome"
            )
        ),
        list(Ticket.objects.order_by("pk").values_list("body_id", "received_at", "completed_at")),
    ]


def test_the_same_seed_gives_the_same_province_and_another_seed_another() -> None:
    import random
    from dataclasses import asdict

    first = [asdict(b) for b in plan_tree(random.Random(3), 500, (2014, 2025))]
    assert first == [asdict(b) for b in plan_tree(random.Random(3), 500, (2014, 2025))]
    assert first != [asdict(b) for b in plan_tree(random.Random(4), 500, (2014, 2025))]


def test_a_load_is_repeatable_row_for_row() -> None:
    _load()
    once = _fingerprint()
    # children first: PostgreSQL checks the foreign keys when the indexes are rebuilt inside this transaction
    for model in (
        SearchEntry,
        Ticket,
        MailboxLetter,
        AdministrativeReview,
        Lawsuit,
        FeeCollected,
        InformationRequest,
        PublicationChannel,
        Publication,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    _load(Spec(**{**SMALL.__dict__, "code_prefix": "T"}))  # new bodies, same draws
    again = _fingerprint()
    # the bodies are new rows (other ids): compare everything but ids and paths
    assert [r[:2] for r in again[0][120:]] == [r[:2] for r in once[0][:120]]
    assert len(again[1]) == len(once[1]) and [r[1:] for r in again[1]] == [r[1:] for r in once[1]]


def test_counts_follow_the_arguments_and_the_tree_has_three_levels() -> None:
    _load()
    assert Organisation.objects.count() == 120
    assert Publication.objects.count() == 3000
    assert InformationRequest.objects.count() == 400
    assert Ticket.objects.count() == 800
    assert MailboxLetter.objects.count() == 200
    depths = dict(Organisation.objects.values_list("depth").annotate(n=Count("pk")))
    assert depths[0] == 1 and depths[1] > 1 and depths[2] > 10
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.DEPARTMENT, OrgKind.GENERAL_OFFICE} <= kinds
    for org in Organisation.objects.exclude(parent=None).select_related("parent"):
        assert org.path == f"{org.parent.path}{org.pk:06d}."  # type: ignore[union-attr]
    # every publication is posted on at least its government's website
    assert not Publication.objects.annotate(n=Count("channels")).filter(n=0).exists()


def test_reforms_have_successors_and_no_record_falls_outside_a_body_s_existence() -> None:
    _load(Spec(**{**SMALL.__dict__, "bodies": 900, "publications": 6000}))
    abolished = Organisation.objects.filter(valid_to__isnull=False)
    assert abolished.exists()
    assert not abolished.filter(successor=None).exists()
    districts = Organisation.objects.filter(kind=OrgKind.COUNTY, valid_from__gt=dt.date(2000, 1, 1))
    assert districts.exists() and all(d.name.endswith("区人民政府") for d in districts)
    for model, day in ((Publication, "published_on"), (InformationRequest, "receipt_date")):
        outside = model.objects.filter(
            Q(**{f"{day}__lt": F("body__valid_from")}) | Q(**{f"{day}__gt": F("body__valid_to")})
        )
        assert not outside.exists(), model
    assert Ticket.objects.filter(received_at__date__gt=F("body__valid_to")).count() == 0


def test_records_look_like_the_law_requires() -> None:
    _load()
    cases = InformationRequest.objects.all()
    assert not cases.filter(receipt_date__lt=dt.date(2019, 5, 15), regime="2019").exists()
    assert not cases.filter(receipt_date__gte=dt.date(2019, 5, 15), regime="2008").exists()
    assert cases.filter(answered_on__isnull=True).exists()  # some still open
    assert cases.filter(extension_days__gt=0).exists()
    assert cases.filter(answered_on__gt=F("due_date"), extension_days=0).exists()  # some late
    years = Publication.objects.aggregate(a=Min("published_on"), b=Max("published_on"))
    assert years["a"].year == 2014 and years["b"].year == 2025
    per_body = sorted(Publication.objects.values("body").annotate(n=Count("pk")).values_list("n", flat=True))
    assert per_body[-1] > 5 * per_body[len(per_body) // 2]  # a few big bodies, many small ones


def test_one_audit_entry_per_batch_and_the_data_is_searchable_and_reportable() -> None:
    before = AuditEntry.objects.count()
    _load()
    entries = AuditEntry.objects.filter(action="synth.bulk_create")
    assert entries.filter(object_type="catalog.publication").count() == 3
    assert sum(entries.filter(object_type="catalog.publication").values_list("batch_size", flat=True)) == 3000
    assert AuditEntry.objects.count() - before < 50  # one per batch and table (bodies per level, applicants)
    province = Organisation.objects.get(depth=0)
    hits = search("保障性住房", Filters(body_ids=list(Organisation.objects.values_list("pk", flat=True))))
    phrase = "公共租赁住房"
    traditional = OpenCC("s2t").convert(phrase)  # 公共租賃住房: the synthetic Traditional items are found too
    assert traditional != phrase
    expected = Publication.objects.public().filter(
        Q(title__contains=phrase)
        | Q(text__contains=phrase)
        | Q(keywords__contains=phrase)
        | Q(title__contains=traditional)
        | Q(text__contains=traditional)
    )
    assert hits.total > 0
    assert (
        search(phrase, Filters(body_ids=[o.pk for o in Organisation.objects.all()])).total == expected.count()
    )
    report = build_report(province, 2016, "2014")
    assert report is not None


def test_bad_arguments_and_a_database_with_data_are_refused(settings: Any) -> None:
    with pytest.raises(SynthError, match="--bodies"):
        check(Spec(5, 1, 1, 1, (2014, 2025)), append=False, force=False)
    with pytest.raises(SynthError, match="--years"):
        check(Spec(50, 1, 1, 1, (2025, 2014)), append=False, force=False)
    settings.PRODUCTION = True
    with pytest.raises(SynthError, match="production"):
        check(SMALL, append=False, force=False)
    settings.PRODUCTION = False
    _load(Spec(**{**SMALL.__dict__, "publications": 10, "cases": 1, "tickets": 4}))
    with pytest.raises(CommandError, match="已有数据"):
        call_command("synth", "--bodies", "20", stdout=io.StringIO())
    with pytest.raises(CommandError, match="前缀"):
        call_command("synth", "--bodies", "20", "--append", stdout=io.StringIO())
