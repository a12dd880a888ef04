"""Waiting for the dashboards' charts in a browser: charts.js draws a chart
only when it comes near the viewport, so each is scrolled to in turn."""


def charts_drawn(page) -> None:
    """Scrolls to every Plotly chart of the page and waits until charts.js
    has drawn it (or marked it as failed)."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.and_(page.locator("[data-rendered]")).wait_for()
    page.evaluate("window.scrollTo(0, 0)")
