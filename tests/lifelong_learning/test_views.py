"""The portal's own pages: logging out, changing one's password, the API
documentation, and the links that lead to them."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "hoc-tap-suot-doi-2030"


def test_logging_out_says_so_on_the_home_page(client, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    content = response.content.decode()
    assert "Bạn đã đăng xuất." in content
    # The message's close button is named in Vietnamese too.
    assert 'aria-label="Đóng"' in content
    assert "_auth_user_id" not in client.session


def test_logging_out_in_english(client, officer_a):
    client.force_login(officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.post(reverse("logout"), follow=True).content.decode()
    assert "You have logged out." in content


def _change_password(client, old: str, new: str, **kwargs):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        **kwargs,
    )


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_page_is_in_the_portal_layout_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="h3 mb-3">Đổi mật khẩu</h1>' in content
    assert "Mật khẩu cũ" in content
    assert 'name="new_password2"' in content
    assert 'data-testid="user-menu"' in content


def test_password_change_applies_djangos_validators_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    response = _change_password(client, TEST_PASSWORD, "12345")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in content
    assert "Mật khẩu này quá phổ biến" in content
    officer_a.refresh_from_db()
    assert officer_a.check_password(TEST_PASSWORD)


def test_password_change_refuses_a_wrong_current_password(client, officer_a):
    client.force_login(officer_a)
    response = _change_password(client, "wrong", NEW_PASSWORD)
    assert response.status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(TEST_PASSWORD)


def test_every_role_changes_its_own_password_and_logs_in_with_it(
    client, officer_a, ministry_user, administrator
):
    for user in (officer_a, ministry_user, administrator):
        client.force_login(user)
        response = _change_password(client, TEST_PASSWORD, NEW_PASSWORD, follow=True)
        assert response.redirect_chain[-1][0] == reverse("password_change_done")
        assert "Mật khẩu của bạn đã được đổi." in response.content.decode()
        # Still logged in on this browser after the change.
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()
        assert client.login(username=user.username, password=NEW_PASSWORD)
        client.logout()
        assert not client.login(username=user.username, password=TEST_PASSWORD)


def test_user_menu_links_the_password_change_and_the_api_docs(client, officer_a):
    client.force_login(officer_a)
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in content
    assert f'href="{reverse("api:docs")}"' in content
    # The national report shows every province: not offered to an officer.
    assert reverse("reports:report_pdf") not in content


def test_ministry_staff_find_the_national_pdf_in_the_menu_and_on_the_dashboard(
    client, ministry_user
):
    client.force_login(ministry_user)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:report_pdf")}"' in home
    dashboard = client.get(reverse("reports:dashboard") + "?approved=on")
    content = dashboard.content.decode()
    link = re.search(r'href="([^"]+)" data-testid="national-pdf-link"', content)
    assert link, "the dashboard links the national PDF"
    url = link.group(1).replace("&amp;", "&")
    # The year goes into the address unlocalised (2025, not 2.025).
    assert re.search(r"year=20\d\d(&|$)", url), url
    assert "approved_only=on" in url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_footer_links_the_api_docs_for_everyone(client):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("api:docs")}"' in content


def test_api_docs_page_has_the_portal_header_and_a_vietnamese_introduction(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Học tập suốt đời trong thư viện" in content
    assert '<h1 class="h3">Tài liệu API</h1>' in content
    assert "API JSON chỉ đọc" in content
    assert 'id="swagger-ui"' in content
    # Every script is a file of the portal: no inline script, nothing remote.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, re.S)
    assert scripts
    for attributes, body in scripts:
        assert body.strip() == ""
        source = re.search(r'src="([^"]+)"', attributes).group(1)
        assert source.startswith("/"), source
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in content


def test_api_docs_start_up_script_points_at_the_schema(client):
    response = client.get(reverse("api:docs") + "?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in response.content.decode()
