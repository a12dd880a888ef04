"""The header from the keyboard: every link and button of the dark red header
shows a clearly visible focus ring (WCAG 2.2 focus appearance)."""

import re

import pytest

pytestmark = pytest.mark.browser

FOCUS = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    inHeader: !!el.closest('header'),
    name: el.textContent.trim() || el.getAttribute('aria-label') || el.tagName,
    width: parseFloat(style.outlineWidth),
    style: style.outlineStyle,
    color: style.outlineColor,
    background: getComputedStyle(el.closest('nav') || document.body).backgroundColor,
  };
}
"""


def _luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])

    def linear(channel):
        if channel <= 0.03928:
            return channel / 12.92
        return ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_of_white_on_black_is_21():
    assert round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)")) == 21


def test_every_header_control_shows_a_thick_focus_ring(journey):
    page = journey.page
    journey.login("officer-hanoi")
    page.locator("body").focus()
    seen = []
    for _press in range(20):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if not focus["inHeader"]:
            if seen:
                break
            continue  # the skip link comes before the header
        seen.append(focus["name"])
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert contrast(focus["color"], focus["background"]) >= 3, focus
    # The brand and the menu (or its toggler on phones) at least.
    assert len(seen) >= 2, seen
