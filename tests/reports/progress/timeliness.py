"""A small reporting cycle of 2025 on a clock the tests set, counted by hand
for the timeliness tests: district libraries of Hà Nội (01, due 31/03/2026)
and Đắk Lắk (66, extended to 15/04/2026).

Hà Nội: 4 active, 3 reported, 2 on time (50,0%):
- LA-0 first submitted at 23:59:59 on the due day in Vietnam: on time;
- LA-1 at 00:00:01 the next day: late;
- LA-2 on 10/03, returned, submitted again on 20/04: on time (its first
  submission counts);
- LA-3 a draft: not reported.

Đắk Lắk: 3 active, 3 reported, 2 on time (66,7%): LB-0 on 10/04 and LB-1 at
23:59:59 on 15/04 on time, LB-2 at 00:00:01 on 16/04 late.

Whole country: 7 active, 6 reported (85,7%), 4 on time (57,1%).
"""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from institutions.models import Category, Province
from reports.entry import workflow
from reports.periods.services import extension_save, period_save
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory

YEAR = 2025
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FAMILY = "library_lll_services"
CATEGORY = Category.LIBRARY_DISTRICT

# (active, reporters, on time, on-time rate) by area, counted by hand.
EXPECTED = {
    PROVINCE_A: (4, 3, 2, 50.0),
    PROVINCE_B: (3, 3, 2, 66.7),
    "VN": (7, 6, 4, 57.1),
}


def at(text: str) -> datetime.datetime:
    """A moment given as Vietnam's wall clock: "2026-03-31 23:59:59"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def on_clock(moment: datetime.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _report(code: str, province: str):
    institution = InstitutionFactory(
        code=code,
        name=f"Thư viện {code}",
        category=CATEGORY,
        province=province,
        opened_year=2000,
    )
    return ReportFactory(institution=institution, year=YEAR, lll_services=True)


def _submit(report, moment: str, user):
    with on_clock(at(moment)):
        return workflow.report_submit(user=user, report=report)


def timeliness_cycle(*, administrator, ministry_user) -> dict:
    """Opens the 2025 period with Đắk Lắk's extension and walks the
    submissions above; returns the reports by code."""
    with on_clock(at("2025-12-01 09:00:00")):
        period = period_save(
            user=administrator,
            year=YEAR,
            opens_on=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 3, 31),
            closes_on=datetime.date(2026, 5, 31),
        )
        extension_save(
            user=administrator,
            period=period,
            province=Province.objects.get(code=PROVINCE_B),
            due_on=datetime.date(2026, 4, 15),
            closes_on=datetime.date(2026, 5, 31),
            reason="Lũ lụt",
        )
    reports = {f"LA-{n}": _report(f"LA-{n}", PROVINCE_A) for n in range(4)}
    reports |= {f"LB-{n}": _report(f"LB-{n}", PROVINCE_B) for n in range(3)}
    _submit(reports["LA-0"], "2026-03-31 23:59:59", administrator)
    _submit(reports["LA-1"], "2026-04-01 00:00:01", administrator)
    _submit(reports["LA-2"], "2026-03-10 10:00:00", administrator)
    with on_clock(at("2026-03-15 10:00:00")):
        workflow.report_return(
            user=ministry_user, report=reports["LA-2"], comment="Sửa số liệu"
        )
    _submit(reports["LA-2"], "2026-04-20 10:00:00", administrator)
    _submit(reports["LB-0"], "2026-04-10 08:00:00", administrator)
    _submit(reports["LB-1"], "2026-04-15 23:59:59", administrator)
    _submit(reports["LB-2"], "2026-04-16 00:00:01", administrator)
    return reports
