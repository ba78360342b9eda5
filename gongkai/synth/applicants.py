"""Synthetic applicants (申请人), stored exactly as ``gongkai.cases.applicants.create_applicant`` stores them:
identity-document and phone numbers as Fernet tokens (``gongkai.crypto.encrypt``), the ID number's keyed digest
(``crypto.match_digest``) and the masked forms (``gongkai.masking``).

Encrypting is the expensive part (~30 µs a value; 300k applicants × 2 values would take most of a load), so a
pool of ``POOL`` identities is drawn from the seed and encrypted once per run; applicants then reuse them. A
reused identity is realistic: the same person files many requests (a few people file most of them), and the
digest finds them all (``find_by_id_number``). Plain values depend only on the seed; the tokens differ between
runs (Fernet uses a random IV and a timestamp) but decrypt to the same values."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai import crypto
from gongkai.audit.log import record
from gongkai.cases.models import Applicant, ApplicantKind, IdDocument
from gongkai.masking import mask_id_number, mask_phone
from gongkai.organisations.codes import (
    CREDIT_CHARSET,
    RESIDENT_ID_CHECK,
    RESIDENT_ID_WEIGHTS,
    make_credit_code,
    make_org_code,
)

ACTOR = "synth"
POOL = 512  # identities encrypted once per run
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国志强春梅海燕红梅晓东建华俊杰子涵浩然欣怡"
)
DIVISIONS = (
    "410100",
    "410102",
    "410200",
    "410300",
    "411000",
    "411002",
    "411023",
    "411024",
    "411081",
    "411700",
)
ORG_NAMES = (
    ("{stem}置业有限公司", ApplicantKind.BUSINESS),
    ("{stem}建设工程有限公司", ApplicantKind.BUSINESS),
    ("{stem}商贸有限责任公司", ApplicantKind.BUSINESS),
    ("{stem}律师事务所", ApplicantKind.LEGAL_SERVICE),
    ("{stem}法律服务所", ApplicantKind.LEGAL_SERVICE),
    ("{stem}社会科学研究院", ApplicantKind.RESEARCH),
    ("{stem}公益环保协会", ApplicantKind.PUBLIC_INTEREST),
    ("{stem}村民委员会", ApplicantKind.OTHER),
)
STEMS = ("许昌", "禹州", "长葛", "鄢陵", "襄城", "建安", "魏都", "中原", "豫通", "华夏", "德信", "宏远")
STREETS = ("建设路", "文峰路", "八一路", "许继大道", "东大街", "莲城大道", "魏武大道", "学院路")


@dataclass(frozen=True)
class Identity:
    """One person's identifiers in their stored forms (``Applicant`` column → value)."""

    id_number: str
    phone: str
    stored: dict[str, str]


def resident_id(rng: random.Random) -> str:
    """A valid 公民身份号码 (GB 11643-1999): division, birth date (1950-2003), sequence, check character."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(19_700))
    first17 = f"{rng.choice(DIVISIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return first17 + RESIDENT_ID_CHECK[total % 11]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def identity_pool(rng: random.Random, size: int = POOL) -> list[Identity]:
    """``size`` identities: plain values from ``rng``, each encrypted once."""
    pool = []
    for _ in range(size):
        number, phone = resident_id(rng), mobile(rng)
        stored = {
            "id_number_encrypted": crypto.encrypt(number),
            "id_number_digest": crypto.match_digest(number),
            "id_number_masked": mask_id_number(number),
            "phone_encrypted": crypto.encrypt(phone),
            "phone_masked": mask_phone(phone),
        }
        pool.append(Identity(number, phone, stored))
    return pool


class ApplicantMaker:
    """Applicant rows (attribute dicts for ``fast.Rows``) of a kind: people get a name, a resident ID and a
    phone from the pool (Zipf-like reuse: a few people file most requests); organisations a name, a valid
    统一社会信用代码, a contact person and a phone."""

    def __init__(self, rng: random.Random, pool_size: int = POOL) -> None:
        self.rng = rng
        self.pool = identity_pool(rng, pool_size)
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(self.pool))))

    def _person(self) -> Identity:
        return self.rng.choices(self.pool, cum_weights=self.cum)[0]

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))

    def row(self, kind: str) -> dict[str, Any]:
        who = self._person()
        common = {
            "kind": kind,
            "address": f"{self.rng.choice(STEMS)}市{self.rng.choice(STREETS)}{self.rng.randint(1, 399)}号",
            "postcode": f"461{self.rng.randrange(1000):03d}",
            "phone_encrypted": who.stored["phone_encrypted"],
            "phone_masked": who.stored["phone_masked"],
        }
        if kind == ApplicantKind.NATURAL_PERSON:
            return common | {
                "name": self._name(),
                "id_document": IdDocument.RESIDENT_ID,
                "id_number_encrypted": who.stored["id_number_encrypted"],
                "id_number_digest": who.stored["id_number_digest"],
                "id_number_masked": who.stored["id_number_masked"],
            }
        return common | {
            "name": self._org_name(kind),
            "credit_code": self._credit_code(kind),
            "contact_name": self._name(),
        }

    def _org_name(self, kind: str) -> str:
        patterns = [p for p, k in ORG_NAMES if k == kind] or [ORG_NAMES[0][0]]
        return self.rng.choice(patterns).format(stem=self.rng.choice(STEMS))

    def _credit_code(self, kind: str) -> str:
        body = "".join(self.rng.choice(CREDIT_CHARSET[:10]) for _ in range(8))
        prefix = (
            "91" if kind == ApplicantKind.BUSINESS else "31" if kind == ApplicantKind.LEGAL_SERVICE else "52"
        )
        return make_credit_code(prefix, self.rng.choice(DIVISIONS), make_org_code(body))


def write_applicants(rows: Sequence[dict[str, Any]], first_id: int) -> list[int]:
    """One batch of applicants (ids from ``first_id``) and one audit entry, in one transaction; returns the ids.
    No identifier enters the audit entry (only the count)."""
    from gongkai import bulkrows as fast

    writer = fast.Rows(Applicant)
    ids = list(range(first_id, first_id + len(rows)))
    with transaction.atomic():
        writer.insert([writer.row({**r, "id": pk}) for pk, r in zip(ids, rows, strict=True)])
        record(
            ACTOR,
            "synth.bulk_create",
            object_type="cases.applicant",
            summary="合成数据：申请人（证件号码和电话加密存储）",
            batch_size=len(rows),
        )
    return ids
