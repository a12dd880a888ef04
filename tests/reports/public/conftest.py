"""A published release of 2024 (province A and B's district libraries) and
the correction that moves its figures, for the public pages' tests."""

import re

import pytest

from reports.entry.services import report_save
from reports.entry.workflow import report_approve, report_reopen, report_submit
from reports.releases.services import release_publish
from tests.reports.releases.conftest import PUBLISHED, approved_2024  # noqa: F401

CARD = re.compile(
    r'id="(card-\d+)-title">([^<]+)</h3>\s*<p class="card-value mb-1">'
    r'<span data-testid="card-value">([^<]+)</span>'
)


def card_values(html: str) -> dict[str, str]:
    """Each card's label and value as a page shows them."""
    return {label: value for _key, label, value in CARD.findall(html)}


@pytest.fixture
def release_2024(approved_2024):  # noqa: F811
    return release_publish(year=2024, notes="Số liệu chính thức", now=PUBLISHED)


def correct(report, *, ministry_user, officer_a) -> None:
    """The ministry reopens an approved report, the officer corrects it
    (services now provided) and the ministry approves it again."""
    report_reopen(user=ministry_user, report=report, reason="Sai số liệu dịch vụ")
    report.refresh_from_db()
    report_save(
        user=officer_a,
        institution=report.institution,
        year=report.year,
        values={"lll_services": True},
        expected_version=report.version,
        reason="Bổ sung dịch vụ học tập",
    )
    report.refresh_from_db()
    report_submit(user=officer_a, report=report)
    report_approve(user=ministry_user, report=report)
