"""An officer's landing page on a phone: the province dashboard keeps a
phone's height and every *Enter data* button of the follow-up list is in
sight, so the officer goes from the list to the sheet with one tap."""

import pytest

from .conftest import check_page

pytestmark = pytest.mark.browser

# Six screens of 844 px: the returned work, the filters, one row of target
# cards, the values chart, the map and the first institutions to follow up;
# the rest of the follow-up list and the cards open on demand. The page was
# 10,300 px with the demo data when everything was laid out in full.
PHONE_HEIGHT_LIMIT = 5000


def test_officer_goes_from_the_follow_up_list_to_the_sheet(journey):
    page = journey.page
    journey.login("officer-hanoi")
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    assert "/reports/dashboard/provinces/01/" in page.url
    journey.check()
    if journey.phone:
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= PHONE_HEIGHT_LIMIT, f"the landing page is {height} px tall"

    buttons = page.get_by_test_id("follow-up").get_by_role(
        "link", name=journey.say("Nhập số liệu", "Enter data")
    )
    assert buttons.count() >= 5
    width = page.viewport_size["width"]
    for index in range(buttons.count()):
        button = buttons.nth(index)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            f"button {index} lies at {box} outside the {width} px screen"
        )

    more = page.get_by_test_id("follow-up-more")
    more.get_by_text(journey.say("Xem thêm", "Show")).click()
    assert buttons.count() > 5  # the hidden ones now count
    journey.check()

    first = page.get_by_test_id("follow-up-row").first
    name = first.get_by_role("link").first.inner_text()
    first.get_by_role("link", name=journey.say("Nhập số liệu", "Enter data")).click()
    page.wait_for_url("**/reports/sheet/**")
    check_page(page)
    assert page.locator("main table").get_by_text(name, exact=True).is_visible()


def test_target_cards_scroll_sideways_inside_their_row_on_a_phone(journey):
    page = journey.page
    journey.login("officer-hanoi")
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    cards = page.get_by_test_id("cards")
    count = cards.get_by_test_id("status-card").count()
    assert count > 3
    if journey.phone:
        hint = page.get_by_test_id("cards-swipe-hint")
        assert str(count) in hint.inner_text()
        # One row: the last card sits beside the first, reached by scrolling
        # the row, never the page.
        first, last = (
            cards.get_by_test_id("status-card").nth(i).bounding_box()
            for i in (0, count - 1)
        )
        assert last["y"] == first["y"]
        cards.get_by_test_id("status-card").nth(count - 1).scroll_into_view_if_needed()
        assert page.evaluate("window.scrollX") == 0
    else:
        assert not page.get_by_test_id("cards-swipe-hint").is_visible()
    journey.check()
