"""Queries about interpretations (政策解读): the public list, the late flag (同步解读) and the policies without
an interpretation. An interpretation is a catalog item of genre 解读 linked to its policy
(``Publication.interprets``); its ``Interpretation`` record adds the form (text, graphic, video, an official's
reading). Every such item counts, with or without that record (imported items may have none yet)."""

from __future__ import annotations

from django.db.models import F, Q

from gongkai.catalog.models import Genre, Publication, PublicationQuerySet

# Genres that are policies besides the normative documents (规章、行政规范性文件): 政府令, 决定, 意见.
POLICY_GENRES = ("ling", "jueding", "yijian")


def is_interpretation() -> Q:
    return Q(genre__code=Genre.INTERPRETATION)


def late_condition(prefix: str = "") -> Q:
    """Published later than the policy it interprets (the same day is on time)."""
    return Q(**{f"{prefix}published_on__gt": F(f"{prefix}interprets__published_on")})


def public_interpretations() -> PublicationQuerySet:
    """Public interpretations, newest first, with their record and policy."""
    return (
        Publication.objects.public()
        .filter(is_interpretation())
        .select_related("body", "interprets", "interpretation_record")
        .order_by("-published_on", "-id")
    )


def policies(qs: PublicationQuerySet) -> PublicationQuerySet:
    """The policies among ``qs``: normative documents and the policy genres."""
    return qs.filter(~Q(normative_kind="") | Q(genre__code__in=POLICY_GENRES)).exclude(is_interpretation())


def without_interpretation(qs: PublicationQuerySet) -> PublicationQuerySet:
    """The policies among ``qs`` that no public interpretation explains."""
    explained = Publication.objects.public().filter(is_interpretation(), interprets__isnull=False)
    return policies(qs).exclude(pk__in=explained.values("interprets_id"))


def is_late(pub: Publication) -> bool:
    policy = pub.interprets
    return bool(
        pub.published_on
        and policy is not None
        and policy.published_on
        and pub.published_on > policy.published_on
    )
