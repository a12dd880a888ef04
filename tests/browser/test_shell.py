"""The portal shell in a real browser: home page, language switch, each role's login."""

import pytest

from lifelong_learning.roles import Role
from tests.factories import UserFactory

from .conftest import PHONE, login, logout

pytestmark = pytest.mark.browser


def test_home_switch_language_and_log_in_as_each_role(page, tmp_path, province_a):
    users = {
        "admin-b": UserFactory(username="admin-b", role=Role.ADMINISTRATOR),
        "ministry-b": UserFactory(username="ministry-b", role=Role.MINISTRY_STAFF),
        "officer-b": UserFactory(
            username="officer-b", role=Role.PROVINCIAL_OFFICER, province=province_a
        ),
    }

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Học tập suốt đời" in page.locator("h1").inner_text()
    page.screenshot(path=tmp_path / "home-vi.png", full_page=True)

    page.click("[data-testid=language-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Lifelong learning" in page.locator("h1").inner_text()
    page.click("[data-testid=language-vi]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"

    expected_labels = {
        "admin-b": "Quản trị viên",
        "ministry-b": "Cán bộ Bộ",
        "officer-b": "Cán bộ tỉnh",
    }
    for username, label in expected_labels.items():
        login(page, users[username].username)
        badge = page.locator("[data-testid=current-user]").inner_text()
        assert label in badge
        if username == "officer-b":
            assert province_a.name in badge
        page.screenshot(path=tmp_path / f"home-{username}.png", full_page=True)
        logout(page)
        assert page.locator("header").get_by_text("Đăng nhập").is_visible()

    page.set_viewport_size(PHONE)
    page.goto("/")
    page.screenshot(path=tmp_path / "home-phone.png", full_page=True)
    assert page.locator(".navbar-toggler").is_visible()

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []
