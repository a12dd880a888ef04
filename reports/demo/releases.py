"""Demo releases for `make run`: 2023-1, 2024-1 and a correction 2024-2, so
the public pages have a release drop-down and a revision log to show."""

from django.contrib.auth import get_user_model
from django.db import transaction

from institutions.models import Category
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import report_save
from reports.entry.workflow import report_approve, report_reopen, report_submit
from reports.releases.models import Release
from reports.releases.services import release_publish

CORRECTION_NOTES = (
    "Đính chính: Thành phố Hà Nội mở lại và sửa báo cáo 2024 của một thư viện "
    "cấp huyện (dịch vụ học tập suốt đời)."
)


def _correction(ministry, officer) -> None:
    """A ministry reopening of an approved 2024 report in Hà Nội, the
    officer's fix and its approval: what moves between 2024-1 and 2024-2."""
    report = (
        AnnualReport.objects.filter(
            year=2024,
            status=ReportStatus.APPROVED,
            institution__province_id="01",
            institution__category=Category.LIBRARY_DISTRICT,
        )
        .order_by("lll_services", "institution__code")
        .first()
    )
    if report is None:
        return
    report_reopen(
        user=ministry,
        report=report,
        reason="Hà Nội báo số liệu dịch vụ học tập chưa đúng",
    )
    report.refresh_from_db()
    report_save(
        user=officer,
        institution=report.institution,
        year=2024,
        values={"lll_services": not report.lll_services},
        expected_version=report.version,
        reason="Sửa theo biên bản kiểm tra của Sở",
    )
    report.refresh_from_db()
    report_submit(user=officer, report=report)
    report_approve(user=ministry, report=report)


@transaction.atomic
def demo_releases_create() -> list[Release]:
    """Publishes the demo releases once (nothing when any release exists)."""
    if Release.objects.exists():
        return list(Release.objects.order_by("published_at"))
    users = get_user_model().objects
    ministry = users.get(username="ministry")
    officer = users.get(username="officer-hanoi")
    releases = [
        release_publish(year=2023, user=ministry, notes="Số liệu chính thức năm 2023."),
        release_publish(year=2024, user=ministry, notes="Số liệu chính thức năm 2024."),
    ]
    _correction(ministry, officer)
    releases.append(release_publish(year=2024, user=ministry, notes=CORRECTION_NOTES))
    return releases
