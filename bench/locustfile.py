"""Benchmark 5: 50 users reading dashboards and 10 provincial officers saving
reports through the real pages, against gunicorn on 127.0.0.1.

``BENCH_LOAD`` names a JSON file written by ``bench/load.py``: the session
cookies of the users (logged in beforehand, so the load is not dominated by
password hashing), the provinces, and per officer the reports they may edit.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOAD"], encoding="utf-8") as _file:
    PLAN = json.load(_file)
_readers = itertools.count()
_officers = itertools.count()


class FormFields(HTMLParser):
    """The named fields of the report form, with their current values."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("data-testid") == "report-form":
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit"}:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value", "on")
            else:
                self.fields[name] = attributes.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


class DashboardReader(HttpUser):
    """Ministry staff reading the national dashboard and province pages."""

    fixed_count = 50
    wait_time = between(1, 3)

    def on_start(self):
        cookie = PLAN["readers"][next(_readers) % len(PLAN["readers"])]
        self.client.cookies.set(*cookie.split("=", 1))

    @task(4)
    def national(self):
        self.client.get("/reports/dashboard/", name="national dashboard")

    @task(4)
    def province(self):
        code = random.choice(PLAN["provinces"])
        self.client.get(
            f"/reports/dashboard/provinces/{code}/", name="province dashboard"
        )

    @task(1)
    def trends(self):
        self.client.get("/reports/dashboard/trends/", name="trends")

    @task(1)
    def provinces(self):
        self.client.get("/reports/dashboard/provinces/", name="provinces table")


class ReportingOfficer(HttpUser):
    """A provincial officer opening a report of their province and saving it."""

    fixed_count = 10
    wait_time = between(2, 5)

    def on_start(self):
        officer = PLAN["officers"][next(_officers) % len(PLAN["officers"])]
        self.client.cookies.set(*officer["cookie"].split("=", 1))
        self.reports = officer["reports"]

    @task
    def save_report(self):
        institution, year = random.choice(self.reports)
        url = f"/reports/institution/{institution}/{year}/"
        page = self.client.get(url, name="report form")
        if page.status_code != 200:
            return
        parser = FormFields()
        parser.feed(page.text)
        data = dict(parser.fields)
        for name in ("learning_visits", "study_visits"):
            if name in data:
                data[name] = str(random.randint(100, 50_000))
        data["action"] = random.choice(["save", "submit"])
        self.client.post(
            url, data=data, headers={"Referer": self.host + url}, name="report save"
        )
