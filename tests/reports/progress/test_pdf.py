"""The national PDF report: its text carries the figures of the worked example
of metrics.md, in Vietnamese number format, with statuses in words."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from institutions.models import Category, Institution
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.pdf import national_report_pdf
from reports.progress.progress import Status
from tests.conftest import PROVINCE_A
from tests.reports.progress.timeliness import timeliness_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_example(geography):
    """metrics.md's worked example in province A: ten district libraries in
    2022, four of them meeting lll_services; twelve in 2024 (two opened in
    2023), ten reporting, seven meeting. The ten report 100 learning visits
    each in 2022 and 121 in 2024: 10% average annual growth."""
    libraries = [
        Institution.objects.create(
            code=f"DL{n:02d}",
            name=f"Thư viện huyện số {n}",
            category=Category.LIBRARY_DISTRICT,
            province_id=PROVINCE_A,
            opened_year=2023 if n > 10 else None,
        )
        for n in range(1, 13)
    ]
    for n, library in enumerate(libraries[:10], start=1):
        AnnualReport.objects.create(
            institution=library,
            year=2022,
            lll_services=n <= 4,
            learning_visits=100,
            status=ReportStatus.APPROVED,
        )
        AnnualReport.objects.create(
            institution=library,
            year=2024,
            lll_services=n <= 7,
            learning_visits=121,
            status=ReportStatus.SUBMITTED,
        )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_shows_the_worked_example_in_vietnamese(worked_example):
    with translation.override("vi"):
        text = pdf_text(national_report_pdf(year=2024))
        acceleration = str(Status.ACCELERATION_NEEDED.label)
        on_track = str(Status.ON_TRACK.label)
    assert "1520/QĐ-TTg" in text
    assert "58,3%" in text  # district libraries providing lll services
    assert "83,3%" in text  # their reporting rate
    assert "10,0%" in text  # growth of library visits
    assert "Thành phố Hà Nội" in text
    assert "Tỉnh Đắk Lắk" in text
    assert acceleration in text
    assert on_track in text
    assert "58.3" not in text


def test_the_report_follows_the_language_and_the_approved_only_filter(
    worked_example,
):
    with translation.override("en"):
        text = pdf_text(national_report_pdf(year=2024, approved_only=True))
    assert "national progress report, 2024" in text
    assert "approved reports only" in text
    # The 2024 reports are only submitted: no value for 2024.
    assert "58.3%" not in text
    assert "No data" in text


def test_the_command_writes_the_pdf(worked_example, tmp_path):
    path = tmp_path / "report.pdf"
    call_command("national_report", "--year", "2024", str(path))
    text = pdf_text(path.read_bytes())
    assert "58,3%" in text


def test_the_view_serves_ministry_staff_and_refuses_officers(
    worked_example, client, ministry_user, officer_a
):
    url = "/reports/national-report.pdf?year=2024"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(officer_a)
    assert client.get(url).status_code == 403
    client.force_login(ministry_user)
    response = client.get("/reports/national-report.pdf?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "58,3%" in pdf_text(response.content)
    latest = client.get("/reports/national-report.pdf")  # the dashboards' year
    assert latest["Content-Disposition"].endswith('national-report-2024.pdf"')
    for year in ("abc", "2019"):
        bad = client.get(f"/reports/national-report.pdf?year={year}")
        assert bad.status_code == 400


def province_line(text: str, name: str) -> list[str]:
    """The cells after ``name`` in the provinces' table, one a line, up to
    the next province."""
    cells = text.split(f"\n{name}\n")[-1].split("\n")
    end = next(
        index
        for index, cell in enumerate(cells)
        if cell.startswith(("Tỉnh ", "Thành phố ", "Đã đạt"))
    )
    return cells[:end]


def test_the_report_shows_the_timeliness_beside_the_reporting_rate(
    administrator, ministry_user
):
    timeliness_cycle(administrator=administrator, ministry_user=ministry_user)
    with translation.override("vi"):
        text = pdf_text(national_report_pdf(year=2025))
    assert "Tỷ lệ báo cáo" in text and "Tỷ lệ đúng hạn" in text
    assert "85,7%" in text  # district libraries' reporting rate, 6 of 7
    assert "57,1%" in text  # their on-time rate, 4 of 7
    # The provinces' own timeliness, every category: 2 of 4 and 2 of 3; the
    # last cell of a province's line.
    assert province_line(text, "Thành phố Hà Nội")[-1] == "50,0%"
    assert province_line(text, "Tỉnh Đắk Lắk")[-1] == "66,7%"
    assert province_line(text, "Tỉnh Cao Bằng")[-1] == "–"  # no institution
    with translation.override("en"):
        english = pdf_text(national_report_pdf(year=2025))
    assert "On-time rate" in english and "57.1%" in english


def test_a_year_without_a_period_has_no_on_time_rate_in_the_report(worked_example):
    with translation.override("en"):
        text = pdf_text(national_report_pdf(year=2024))
    assert "On-time rate" in text
    assert "57.1%" not in text and "reporting period" in text
