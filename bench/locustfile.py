"""Benchmark 5: 50 users reading dashboards and 10 provincial officers saving
reports through the real pages, against gunicorn on 127.0.0.1.

``BENCH_LOAD`` names a JSON file written by ``bench/load.py``: the session
cookies of the users (logged in beforehand, so the load is not dominated by
password hashing), the provinces, and per officer the reports they may edit.
``BENCH_READERS`` and ``BENCH_OFFICERS`` set how many of each run (50 and 10
by default; the heavy mix runs 200 and 40, sharing the same sessions). The
think times are in ``bench/mix.py``, which also computes the offered load.
"""

import itertools
import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

# Locust imports this file by its path; the bench package sits one level up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.html_forms import form_fields, with_explanations
from bench.mix import OFFICER_WAIT, READER_WAIT

with open(os.environ["BENCH_LOAD"], encoding="utf-8") as _file:
    PLAN = json.load(_file)
_readers = itertools.count()
_officers = itertools.count()
VISITS = ("learning_visits", "study_visits")
NOT_VALUES = {"csrfmiddlewaretoken", "version", "reason"}


class DashboardReader(HttpUser):
    """Ministry staff reading the national dashboard and province pages."""

    fixed_count = int(os.environ.get("BENCH_READERS", "50"))
    wait_time = between(*READER_WAIT)

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

    fixed_count = int(os.environ.get("BENCH_OFFICERS", "10"))
    wait_time = between(*OFFICER_WAIT)

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
        form = form_fields(page.text)
        values = [name for name in form.fields if name not in NOT_VALUES]
        data = with_explanations(form.fields, values)
        for name in VISITS:
            if name in data:
                data[name] = str(random.randint(100, 50_000))
        data["action"] = random.choice(["save", "submit"])
        self.client.post(
            url, data=data, headers={"Referer": self.host + url}, name="report save"
        )
