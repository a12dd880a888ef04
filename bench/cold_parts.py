"""Where a cold dashboard page's time goes: each part of the national page and
of a province page, timed on its own against the seeded database, beside the
whole page with an empty cache and the trivial page.

The parts are those of the views (:mod:`reports.progress.views`), called in
the views' order on one freshly loaded set of counts, as a first reader after
a write meets them: loading the counters, the evaluation behind the cards and
the overview table, the overview chart, the on-track map, the follow-up list
(a province: the paginator's count, its first page and the reasons), and the
template. Medians of ``--repeats`` runs, in milliseconds.

    scripts/with-postgres.sh sh -c '... seed ...; \\
        DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.cold_parts'
"""

import argparse
import os
import statistics
import sys
import time

import django


def _median_ms(samples: list[float]) -> float:
    return round(1000 * statistics.median(samples), 2)


class Clock:
    """Seconds spent in each named part, over several runs."""

    def __init__(self):
        self.samples: dict[str, list[float]] = {}

    def part(self, name: str, function, *args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        self.samples.setdefault(name, []).append(time.perf_counter() - started)
        return result

    def medians(self) -> dict[str, float]:
        return {name: _median_ms(values) for name, values in self.samples.items()}


def _request(path: str, user):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get(path, HTTP_ACCEPT_LANGUAGE="vi")
    request.user = user
    request.session = SessionStore()
    request.LANGUAGE_CODE = "vi"
    translation.activate("vi")
    return request


def national_parts(clock: Clock, *, user, year: int) -> None:
    from django.template.loader import render_to_string

    from reports.progress.display import cards_build, overview_chart, timeliness_text
    from reports.progress.figures import NATION, progress_figures_load
    from reports.progress.tables import on_track_map, overview_table
    from reports.progress.views import NationalDashboardView

    request = _request(f"/reports/dashboard/?year={year}", user)
    view = NationalDashboardView()
    view.setup(request)
    view.filters_ = view.filters()
    targets = view.targets
    figures = clock.part(
        "counters load", progress_figures_load, year=year, targets=targets
    )

    def evaluation():
        cards = cards_build(figures, NATION)
        overview_table(figures.evaluations(NATION))
        timeliness_text(figures.timeliness(NATION), year)
        return cards

    cards = clock.part("evaluation (cards, table)", evaluation)
    clock.part("charts", overview_chart, cards)
    provinces = view.all_provinces()
    clock.part("on-track map", on_track_map, figures, provinces, None)
    context = view.get_context_data()
    clock.part("template", render_to_string, view.template_name, context, request)


def province_parts(clock: Clock, *, user, year: int, code: str) -> None:
    from django.template.loader import render_to_string

    from lifelong_learning.pagination import BoundedPaginator
    from reports.progress import follow_up
    from reports.progress.display import cards_build, overview_chart, timeliness_text
    from reports.progress.figures import progress_figures_load
    from reports.progress.follow_up import follow_up_list, follow_ups
    from reports.progress.tables import on_track_map, overview_table
    from reports.progress.views import FOLLOW_UP_PAGE_SIZE, ProvinceDashboardView

    request = _request(f"/reports/dashboard/provinces/{code}/?year={year}", user)
    view = ProvinceDashboardView()
    view.setup(request, code=code)
    view.filters_ = view.filters(area=code)
    targets = view.targets
    # Absent before the counters counted the list (to time older versions).
    follow_up_count = getattr(follow_up, "follow_up_count", None)
    figures = clock.part(
        "counters load",
        progress_figures_load,
        year=year,
        province_code=code,
        targets=targets,
    )

    def evaluation():
        cards = cards_build(figures, code)
        overview_table(figures.evaluations(code))
        timeliness_text(figures.timeliness(code), year)
        return cards

    cards = clock.part("evaluation (cards, table)", evaluation)
    clock.part("charts", overview_chart, cards)
    provinces = view.all_provinces()
    clock.part("on-track map", on_track_map, figures, provinces, {code})
    paginator = BoundedPaginator(
        follow_up_list(province_code=code, year=year, targets=targets),
        FOLLOW_UP_PAGE_SIZE,
    )
    # The paginator counting the list itself (a join of the year's reports),
    # and the same number from the province's counters.
    clock.part("follow-up count (list)", lambda: paginator.count)
    if follow_up_count is not None:
        paginator.count = clock.part(
            "follow-up count (counters)",
            follow_up_count,
            province_code=code,
            year=year,
            targets=targets,
        )

    def first_page():
        page = paginator.get_page(None)
        return list(
            follow_ups(
                page.object_list, year=year, approved_only=False, targets=targets
            )
        )

    clock.part("follow-up page", first_page)
    context = view.get_context_data(code=code)
    clock.part("template", render_to_string, view.template_name, context, request)


def whole_pages(paths: dict[str, str], *, user, repeats: int) -> dict[str, float]:
    """Median server time of each page through the WSGI handler, the cache
    emptied before each request."""
    from django.core.cache import cache

    from bench.client import InProcess, session_cookie

    client = InProcess(session_cookie(user))
    times: dict[str, list[float]] = {name: [] for name in paths}
    for path in paths.values():
        client.get(path)  # warm-up
    for _run in range(repeats):
        for name, path in paths.items():
            cache.clear()
            seconds, status, _size = client.get(path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            times[name].append(seconds)
    return {name: _median_ms(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--province", default="79", help="the province page's code (79: the largest)"
    )
    parser.add_argument("--repeats", type=int, default=15)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.contrib.auth import get_user_model

    from institutions.models import Institution
    from reports.entry.models import AnnualReport

    user, _created = get_user_model().objects.get_or_create(
        username="bench-cold-parts", defaults={"is_superuser": True, "is_staff": True}
    )
    national, province = Clock(), Clock()
    for run in range(options.repeats + 1):
        if run == 1:  # the first run warms imports and templates up
            national, province = Clock(), Clock()
        national_parts(national, user=user, year=options.year)
        province_parts(province, user=user, year=options.year, code=options.province)
    pages = whole_pages(
        {
            "trivial": "/bench/trivial/",
            "national": f"/reports/dashboard/?year={options.year}",
            "province": (
                f"/reports/dashboard/provinces/{options.province}/?year={options.year}"
            ),
        },
        user=user,
        repeats=options.repeats,
    )
    print(
        f"{Institution.objects.count():,} institutions, "
        f"{AnnualReport.objects.count():,} reports; year {options.year}; "
        f"median of {options.repeats} runs, ms"
    )
    for title, clock in (
        ("national", national),
        (f"province {options.province}", province),
    ):
        medians = clock.medians()
        parts = sum(ms for name, ms in medians.items() if "(list)" not in name)
        print(f"\n{title}: parts sum {parts:.1f}")
        for name, ms in medians.items():
            print(f"  {name:<28}{ms:>9.2f}")
    print("\nwhole pages, cold (WSGI, cache emptied):")
    for name, ms in pages.items():
        ratio = ms / pages["trivial"] if pages["trivial"] else 0
        print(f"  {name:<28}{ms:>9.2f}  ({ratio:.1f}× trivial)")


if __name__ == "__main__":
    sys.exit(main())
