"""scripts/icons.py: static/css/icons.css holds every Bootstrap icon the portal
names and no other, drawn from the installed bootstrap-icons package."""

import importlib.util
import re

from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "icons.py"


def icons_module():
    spec = importlib.util.spec_from_file_location("icons", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icons_css_is_what_the_script_writes_for_the_icons_in_use():
    icons = icons_module()
    used = icons.icons_used()
    assert {"funnel", "search", "check-circle-fill", "lock-fill"} <= set(used)
    written = icons.OUTPUT.read_text("utf-8")
    assert written == icons.stylesheet(used), (
        "static/css/icons.css is stale: run .venv/bin/python scripts/icons.py"
    )
    assert sorted(re.findall(r"^\.bi-([a-z0-9-]+) ", written, re.M)) == used


def test_no_page_loads_the_icon_font(client):
    html = client.get("/accounts/login/").content.decode()
    assert "bootstrap-icons" not in html
    assert "css/icons.css" in html
