"""The audit trail: every change to institutions, reports and targets shows
who, when, what (old → new) and why; ministry staff and administrators see
it, officers do not, and nobody can change it."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation

from institutions.models import Category, Institution
from institutions.services import institution_update
from lifelong_learning.audit import PAGE_SIZE
from lifelong_learning.history import reason_clip
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import ReportEntry, report_save, reports_save
from reports.entry.workflow import report_approve, report_reopen
from reports.periods.models import PeriodExtension, ReportingPeriod
from targets.models import Target
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


@pytest.fixture
def library(geography, officer_a):
    institution = InstitutionFactory(
        code="AUD-LIB",
        name="Thư viện Kiểm toán",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
    )
    return institution_update(
        institution=institution,
        user=officer_a,
        name="Thư viện Kiểm tra",
        reason="Đổi tên theo quyết định 12",
    )


def entries(response):
    return response.context["entries"]


def test_audit_is_at_audit_and_in_the_menu_of_ministry_staff(client, ministry_user):
    assert reverse("audit") == AUDIT
    client.force_login(ministry_user)
    response = client.get(reverse("home"))
    assert AUDIT in [item["url"] for item in response.context["nav_items"]]


@pytest.mark.parametrize("role", ["ministry_user", "administrator"])
def test_ministry_staff_and_administrators_see_the_audit_trail(
    client, request, role, library
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert any(
        entry.subject == "Thư viện Kiểm tra (AUD-LIB)" for entry in entries(response)
    )


def test_officers_get_403_and_no_menu_entry_anonymous_users_go_to_login(
    client, officer_a
):
    assert client.get(AUDIT).status_code == 302
    assert client.get(AUDIT)["Location"].startswith(reverse("login"))
    client.force_login(officer_a)
    assert client.get(AUDIT).status_code == 403
    nav = client.get(reverse("home")).context["nav_items"]
    assert AUDIT not in [item["url"] for item in nav]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_audit_trail_cannot_be_written_through_its_page(
    client, ministry_user, administrator, method
):
    for user in (ministry_user, administrator):
        client.force_login(user)
        assert getattr(client, method)(AUDIT).status_code == 405


def test_history_has_no_admin_and_officers_have_no_admin_at_all(
    client, officer_a, library
):
    for model in (Institution, AnnualReport, Target):
        assert not admin.site.is_registered(model.history.model)
    history_url = reverse("admin:institutions_institution_history", args=[library.pk])
    change_url = reverse("admin:institutions_institution_change", args=[library.pk])
    client.force_login(officer_a)
    for url in (history_url, change_url, reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert not officer_a.is_staff
    assert not any(
        officer_a.has_perm(f"{model._meta.app_label}.{action}_{name}")
        for model in (Institution, AnnualReport, Target)
        for name in [model.history.model._meta.model_name]
        for action in ("add", "change", "delete")
    )


def test_an_institution_change_shows_who_when_what_and_why(
    client, ministry_user, officer_a, library
):
    client.force_login(ministry_user)
    entry = entries(client.get(AUDIT, {"kind": "institution"}))[0]
    assert entry.user == officer_a
    assert entry.type == "~"
    assert timezone.now() - entry.date < datetime.timedelta(minutes=5)
    assert [(c.name, c.old, c.new) for c in entry.changes] == [
        ("name", "Thư viện Kiểm toán", "Thư viện Kiểm tra")
    ]
    assert entry.reason == "Đổi tên theo quyết định 12"
    assert entry.subject_url == library.get_absolute_url()


def test_report_saves_and_review_steps_show_their_reasons(
    client, ministry_user, officer_a, library
):
    report = report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values={"lll_services": True, "learning_visits": 10},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
        reason="Số liệu quý IV",
    )
    report_approve(user=ministry_user, report=report)
    report_reopen(user=ministry_user, report=report, reason="Sai lượt truy cập")
    client.force_login(ministry_user)
    response = client.get(AUDIT, {"kind": "report"})
    found = entries(response)
    assert [entry.reason for entry in found] == [
        "Sai lượt truy cập",
        "",
        "Số liệu quý IV",
    ]
    reopened, approved, created = found
    assert reopened.user == approved.user == ministry_user
    with translation.override("vi"):
        status_change = (
            "status",
            ReportStatus.APPROVED.label,
            ReportStatus.RETURNED.label,
        )
        assert tuple(map(str, status_change)) in [
            (c.name, c.old, c.new) for c in reopened.changes
        ]
    assert created.type == "+"
    assert ("learning_visits", "—", "10") in [
        (c.name, c.old, c.new) for c in created.changes
    ]
    assert created.subject == "Thư viện Kiểm tra (AUD-LIB) – 2024"
    assert created.subject_url == report.get_absolute_url()


@pytest.mark.parametrize(
    ("language", "old", "new"), [("vi", "32.547", "12.000"), ("en", "32,547", "12,000")]
)
def test_counts_are_grouped_in_the_readers_language_and_years_as_written(
    client, ministry_user, officer_a, library, language, old, new
):
    """As on the report's page: 32.547 → 12.000 in Vietnamese, never 32547."""
    values = {"lll_services": True, "learning_visits": 32547}
    report = report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values=values,
        expected_version=0,
    )
    values["learning_visits"] = 12000
    report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values=values,
        expected_version=report.version,
    )
    institution_update(institution=library, user=officer_a, opened_year=2001)
    client.force_login(ministry_user)
    client.cookies["django_language"] = language

    response = client.get(AUDIT, {"kind": "report"})
    changed = entries(response)[0]
    assert ("learning_visits", old, new) in [
        (c.name, c.old, c.new) for c in changed.changes
    ]
    assert f"{old} → {new}" in response.content.decode()
    opened = entries(client.get(AUDIT, {"kind": "institution"}))[0]
    assert ("opened_year", "2000", "2001") in [
        (c.name, c.old, c.new) for c in opened.changes
    ]


def test_year_sheet_saves_are_marked_as_such(client, ministry_user, officer_a, library):
    reports_save(
        user=officer_a,
        entries=[
            ReportEntry(institution=library, year=2023, values={"lll_services": False})
        ],
    )
    client.force_login(ministry_user)
    client.cookies["django_language"] = "en"
    entry = entries(client.get(AUDIT, {"kind": "report"}, HTTP_ACCEPT_LANGUAGE="en"))[0]
    assert entry.reason == "year sheet"


def test_target_edits_in_the_admin_record_the_reason(
    client, administrator, ministry_user
):
    if not Target.objects.exists():
        targets_seed()
    target = Target.objects.order_by("position").first()
    client.force_login(administrator)
    url = reverse("admin:targets_target_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form.initial.get(name) for name in form.fields if name != "change_reason"
    }
    data.update(
        criteria=target.criteria,
        categories=target.categories,
        threshold="61",
        upper="",
        change_reason="Quyết định sửa đổi 2026",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(ministry_user)
    entry = entries(client.get(AUDIT, {"kind": "target"}))[0]
    assert entry.user == administrator
    assert entry.reason == "Quyết định sửa đổi 2026"
    old = f"{target.threshold:.2f}".replace(".", ",")
    assert ("threshold", old, "61,00") in [
        (c.name, c.old, c.new) for c in entry.changes
    ]


def test_the_institution_form_records_the_reason(
    client, officer_a, ministry_user, library
):
    client.force_login(officer_a)
    response = client.post(
        reverse("institutions:update", args=[library.pk]),
        {
            "name": library.name,
            "category": library.category,
            "province": PROVINCE_A,
            "opened_year": 2001,
            "reason": "Năm mở cửa đúng theo hồ sơ",
        },
    )
    assert response.status_code == 302
    record = library.history.first()
    assert record.history_change_reason == "Năm mở cửa đúng theo hồ sơ"
    assert record.history_user == officer_a


def test_the_report_form_records_the_reason(client, officer_a, library):
    client.force_login(officer_a)
    response = client.post(
        reverse("reports:edit", args=[library.pk, 2024]),
        {"version": 0, "lll_services": "1", "reason": "Bổ sung sau kiểm tra"},
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(institution=library, year=2024)
    assert report.history.first().history_change_reason == "Bổ sung sau kiểm tra"


def test_a_long_comment_is_kept_whole_in_the_transition_and_cut_in_the_history(
    ministry_user, officer_a, library
):
    report = report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values={"lll_services": True},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
    )
    report_approve(user=ministry_user, report=report)
    reason = "Lý do rất dài. " * 20
    report = report_reopen(user=ministry_user, report=report, reason=reason)
    assert report.transitions.last().comment == reason.strip()
    assert report.history.first().history_change_reason == reason_clip(reason)


@pytest.fixture
def many_changes(geography, officer_a, officer_b):
    for index in range(PAGE_SIZE + 5):
        province, user = (
            (PROVINCE_A, officer_a) if index % 2 else (PROVINCE_B, officer_b)
        )
        institution = InstitutionFactory(
            code=f"MANY-{index}", name=f"Thư viện {index}", province=province
        )
        institution_update(institution=institution, user=user, opened_year=1990)


def test_filters_by_record_province_user_and_dates(client, ministry_user, many_changes):
    client.force_login(ministry_user)
    in_b = entries(client.get(AUDIT, {"province": PROVINCE_B, "kind": "institution"}))
    assert in_b
    assert all(
        Institution.objects.get(code=e.subject.split("(")[-1].rstrip(")")).province_id
        == PROVINCE_B
        for e in in_b
    )
    by_officer = entries(client.get(AUDIT, {"user": "officer-a"}))
    assert by_officer
    assert {entry.user.username for entry in by_officer} == {"officer-a"}
    today = timezone.localdate()
    assert entries(client.get(AUDIT, {"date_from": today.isoformat()}))
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert not entries(client.get(AUDIT, {"date_to": yesterday}))
    assert not entries(client.get(AUDIT, {"kind": "target", "province": PROVINCE_A}))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_to", "9999-12-31"),
        ("date_from", "0001-01-01"),
        ("date_from", "9999-12-31"),
        ("date_to", "0001-01-01"),
    ],
)
def test_a_date_beyond_the_portals_years_is_a_form_error(
    client, ministry_user, library, field, value
):
    client.force_login(ministry_user)
    response = client.get(AUDIT, {field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Nhập một ngày từ 01/01/1800 đến 31/12/2100." in response.text
    assert 'min="1800-01-01" max="2100-12-31"' in response.text


def test_the_last_day_the_portal_accepts_filters_as_any_day(
    client, ministry_user, library
):
    client.force_login(ministry_user)
    response = client.get(AUDIT, {"date_from": "1800-01-01", "date_to": "2100-12-31"})
    assert response.context["form"].is_valid()
    assert entries(response)


def test_pages_of_fifty_in_a_fixed_number_of_queries(
    client, ministry_user, many_changes, django_assert_max_num_queries
):
    client.force_login(ministry_user)
    with django_assert_max_num_queries(20):
        first = client.get(AUDIT)
    assert len(entries(first)) == PAGE_SIZE
    assert first.context["page_obj"].paginator.count > PAGE_SIZE
    second = client.get(AUDIT, {"page": 2})
    assert entries(second)
    dates = [entry.date for entry in entries(first) + entries(second)]
    assert dates == sorted(dates, reverse=True)


def test_the_page_is_in_vietnamese_by_default_and_english_on_request(
    client, ministry_user, library
):
    client.force_login(ministry_user)
    page = client.get(AUDIT).content.decode()
    assert "Nhật ký thay đổi" in page
    assert "Đổi tên theo quyết định 12" in page
    client.post(reverse("set_language"), {"language": "en"})
    assert "Audit trail" in client.get(AUDIT).content.decode()


def test_long_reasons_are_cut_between_words_with_an_ellipsis():
    from lifelong_learning.history import REASON_MAX_LENGTH, reason_clip

    text = "Bổ sung số lượt học tập " * 10

    clipped = reason_clip(text)

    assert len(clipped) <= REASON_MAX_LENGTH
    assert clipped.endswith("…")
    # Cut after a whole word: what is kept, and a space, begins the text.
    assert " ".join(text.split()).startswith(clipped[:-1] + " ")
    assert reason_clip("  Ngắn  gọn ") == "Ngắn gọn"


def test_every_model_with_a_history_is_a_kind_of_record_named_in_words():
    from lifelong_learning.audit import audit_kinds, audited_models

    assert audited_models() == {
        "institution": Institution,
        "target": Target,
        "report": AnnualReport,
        "reportingperiod": ReportingPeriod,
        "periodextension": PeriodExtension,
    }
    with translation.override("en"):
        assert [(kind, str(label)) for kind, label in audit_kinds()] == [
            ("institution", "Institution"),
            ("target", "Target"),
            ("report", "Annual report"),
            ("reportingperiod", "Reporting period"),
            ("periodextension", "Extension"),
        ]


def test_a_target_is_named_by_its_label_and_its_criteria_by_theirs(
    client, ministry_user
):
    if not Target.objects.exists():
        targets_seed()
    target = next(t for t in Target.objects.all() if len(t.criteria) > 1)
    kept = target.criteria[:1]
    before = ", ".join(
        str(AnnualReport._meta.get_field(name).verbose_name) for name in target.criteria
    )
    target.criteria = kept
    target.save()
    client.force_login(ministry_user)

    entry = entries(client.get(AUDIT, {"kind": "target"}))[0]

    assert entry.subject == Target.objects.get(pk=target.pk).label
    assert entry.subject_url == ""
    after = str(AnnualReport._meta.get_field(kept[0]).verbose_name)
    assert ("criteria", before, after) in [
        (c.name, c.old, c.new) for c in entry.changes
    ]
