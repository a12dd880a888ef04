"""The administrator's journey: a target edited in the Django admin, in the
portal's language, shows on the dashboard at once. Through the controls only,
in both languages, at phone and laptop size."""

import pytest

from targets.models import Target

pytestmark = pytest.mark.browser


def test_admin_edits_a_target_and_the_dashboard_shows_the_new_threshold(journey):
    page = journey.page
    target = Target.objects.get(position=30)  # district libraries, 2025, 70%
    journey.login("admin")
    # The admin is in the user menu.
    journey.open_menu()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("admin-menu").click()
    page.wait_for_load_state()
    journey.check()
    assert page.locator("#site-name").inner_text().strip()
    # The model's link in the admin index (the app's heading links elsewhere).
    page.locator("#content-main a[href$='/targets/target/']").first.click()
    page.wait_for_load_state()
    journey.check()
    page.locator(
        f"#result_list a[href*='/targets/target/{target.pk}/change/']"
    ).first.click()
    page.wait_for_load_state()
    journey.check()
    threshold = page.locator("input[name=threshold]")
    # The box shows the threshold as the list does, in the reader's language.
    assert threshold.input_value() == journey.say("70,00", "70.00")
    threshold.fill(journey.say("65,5", "65.5"))
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    journey.check()
    target.refresh_from_db()
    assert str(target.threshold) == "65.50"

    page.goto("/")
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    journey.check()
    cards = page.locator("main").inner_text()
    assert journey.say("65,5%", "65.5%") in cards
