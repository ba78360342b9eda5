"""Shared case builders for the letter and answer tests: 陈七's letter to the education bureau of 9 March 2026."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest
from tests.conftest import Personas, Tree


@pytest.fixture
def media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded and generated files under the test's own directory (use with ``pytest.mark.usefixtures``)."""
    settings.MEDIA_ROOT = tmp_path


def new_case(tree: Tree, personas: Personas, subject: str = "申请公开2025年招生计划") -> InformationRequest:
    """陈七 asks the education bureau by letter, received on Monday 9 March 2026, registered by the clerk."""
    applicant = create_applicant(
        "t", kind="natural", name="陈七", id_document="resident_id", id_number="11010519491231002X"
    )
    return t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="letter",
        subject=subject,
        applicant=applicant,
    )
