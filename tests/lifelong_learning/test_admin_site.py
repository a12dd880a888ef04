"""The administration in Vietnamese: the portal's own header and titles, the
API tokens by a Vietnamese name, targets filtered by their names, and the
words of Django 6 that its Vietnamese catalogue lacks."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reports.entry.models import ReportTransition
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_admin_index_has_the_portals_header_and_titles(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert "Quản trị cổng thông tin học tập suốt đời" in content
    assert (
        "<title>Dữ liệu, chỉ tiêu và tài khoản | Quản trị cổng thông tin</title>"
        in (content)
    )
    assert "Django" not in content.split("<body")[1].split("</header>")[0]
    assert "Mã truy cập API" in content
    assert ">Tokens<" not in content
    assert "Auth Token" not in content


def test_token_list_is_in_vietnamese(admin_client):
    content = admin_client.get(
        reverse("admin:authtoken_tokenproxy_changelist")
    ).content.decode()
    assert "Mã truy cập" in content
    assert "Tokens" not in content


def test_target_filter_shows_the_targets_names_not_their_slugs(admin_client):
    response = admin_client.get(reverse("admin:targets_target_changelist"))
    content = response.content.decode()
    filters = content.split('id="changelist-filter"')[1]
    assert "Thư viện cung cấp dịch vụ học tập suốt đời" in filters
    assert ">library_lll_services<" not in filters
    assert "family=library_lll_services" in filters
    chosen = admin_client.get(
        reverse("admin:targets_target_changelist") + "?family=library_visits"
    )
    rows = chosen.context["cl"].result_list
    assert rows and {target.family for target in rows} == {"library_visits"}


def test_admin_words_missing_from_djangos_catalogue_are_vietnamese(admin_client):
    content = admin_client.get(
        reverse("admin:targets_target_changelist")
    ).content.decode()
    for english in (">Show counts<", ">Run<", "Skip to main content", "Breadcrumbs"):
        assert english not in content, english
    assert "Hiện số lượng" in content
    assert "Thực hiện" in content
    assert "Chuyển đến nội dung chính" in content


def test_admin_scripts_words_are_vietnamese(admin_client):
    # The calendar of date fields and the permission pickers of the user page.
    script = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
    assert catalog["Monday"] == "Thứ hai"
    assert catalog["Choose all %s"] == "Chọn tất cả %s"


def test_a_reports_steps_are_named_in_words_in_the_admin(admin_client):
    report = ReportFactory(status="submitted")
    ReportTransition.objects.create(
        report=report, from_status="draft", to_status="submitted"
    )
    content = admin_client.get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    ).content.decode()
    assert "Bản nháp → Đã gửi" in content
    assert "draft → submitted" not in content


def test_roles_are_named_in_words_in_the_user_and_group_pages(admin_client, officer_a):
    users = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    filters = users.split('id="changelist-filter"')[1]
    assert "Cán bộ tỉnh" in filters
    assert ">provincial_officer<" not in filters
    officers = admin_client.get(
        reverse("admin:auth_user_changelist"), {"role": "provincial_officer"}
    )
    assert [user.username for user in officers.context["cl"].result_list] == [
        officer_a.username
    ]
    change = admin_client.get(
        reverse("admin:auth_user_change", args=[officer_a.pk])
    ).content.decode()
    assert ">Cán bộ tỉnh</option>" in change
    groups = admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Cán bộ Bộ" in groups


def test_permissions_are_named_in_words_in_the_pickers(admin_client, officer_a):
    change = admin_client.get(
        reverse("admin:auth_user_change", args=[officer_a.pk])
    ).content.decode()
    assert ">Báo cáo năm · được thêm</option>" in change
    assert "Can add annual report" not in change
    group = Group.objects.get(name="ministry_staff")
    content = admin_client.get(
        reverse("admin:auth_group_change", args=[group.pk])
    ).content.decode()
    assert "được xem</option>" in content
    assert ">Can view" not in content and "| Can " not in content
