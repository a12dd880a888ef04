"""Benchmark of goal 2: the server time of one save with the progress counters
against the same save with them switched off (``bench/counters_off.py``).

Two saves of a village cultural house's submitted 2025 report in the largest
province, as its provincial officer, through the real pages and the WSGI
handler in this process (as the pages figure), each changing counted data:

- the report form (``reports:edit``): one yes/no answer flipped and the
  report submitted again (it stays counted, with the other answer);
- the year sheet with that one row changed: the sheet saves the changed rows
  of a page as drafts, so the row leaves the counted reports; it is submitted
  again through the form afterwards, untimed.

Each round reads the page (untimed) and posts it, once with the counters and
once without, in alternating order; median of the rounds. Saves without the
counters leave them wrong, so they are recounted (``refresh_counts``) at the
end.
"""

import statistics
from urllib.parse import urlencode

from django.core.management import call_command
from django.urls import reverse

from institutions.models import Category
from reports.entry.models import AnnualReport, ReportStatus

from .client import InProcess, session_cookie
from .counters_off import counters_off
from .html_forms import form_fields, with_explanations

CATEGORY = Category.CULTURE_VILLAGE


def _flipped(fields: dict, options: dict[str, list[str]], prefix: str = "") -> dict:
    """The form's data with its first yes/no answer (under ``prefix``)
    changed, every answer under ``prefix`` explained."""
    answers = [
        name
        for name, values in options.items()
        if name.startswith(prefix) and len([value for value in values if value]) == 2
    ]
    if not answers:
        raise RuntimeError(f"No yes/no field to change among {sorted(options)}")
    data = with_explanations(fields, answers)
    choices = [value for value in options[answers[0]] if value]
    data[answers[0]] = next(value for value in choices if value != data[answers[0]])
    return data


def _page(client: InProcess, url: str, *form) -> tuple[dict, dict]:
    """The fields and select options of a form on the page at ``url``."""
    _seconds, status, _size = client.get(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    fields = form_fields(client.last_body.decode(), *form)
    return fields.fields, fields.options


def _post(client: InProcess, url: str, data: dict) -> float:
    seconds, status, _size = client.post(url, data)
    if status != 302:
        raise RuntimeError(f"posting {url} answered {status}")
    return seconds


def form_submit(client: InProcess, institution_id: int, year: int) -> float:
    """Flips an answer of the report and submits it through its form."""
    url = reverse("reports:edit", args=[institution_id, year])
    fields, options = _page(client, url)
    return _post(client, url, _flipped(fields, options) | {"action": "submit"})


def _sheet_url(province: str, year: int) -> str:
    query = {"year": year, "category": CATEGORY, "province": province}
    return f"{reverse('reports:sheet')}?{urlencode(query)}"


def sheet_row_save(client: InProcess, institution_id: int, url: str) -> float:
    """Posts the sheet page at ``url`` with that one row's answer flipped."""
    fields, options = _page(client, url, "id", "sheet-form")
    return _post(
        client,
        url,
        _flipped(fields, options, prefix=f"r{institution_id}-") | {"action": "save"},
    )


def _targets(client: InProcess, province: str, year: int) -> tuple[int, int]:
    """Two institutions with a submitted report: one for the form, one on the
    sheet's first page for the sheet."""
    _fields, options = _page(client, _sheet_url(province, year), "id", "sheet-form")
    on_page = {int(name.split("-", 1)[0][1:]) for name in options if name[:1] == "r"}
    submitted = AnnualReport.objects.filter(
        institution__province_id=province,
        institution__category=CATEGORY,
        year=year,
        status=ReportStatus.SUBMITTED,
    ).order_by("institution_id")
    row = submitted.filter(institution__in=on_page).first()
    form = submitted.exclude(institution__in=on_page).first()
    if row is None or form is None:
        raise RuntimeError(
            f"Too few submitted {CATEGORY} reports of {year} in {province}"
        )
    return form.institution_id, row.institution_id


def report_form_save(officer, province: str, year: int) -> float:
    """One submitted village cultural house's report of ``province``
    submitted again with an answer changed, by ``officer`` (server seconds)."""
    report = (
        AnnualReport.objects.filter(
            institution__province_id=province,
            institution__category=CATEGORY,
            year=year,
            status=ReportStatus.SUBMITTED,
        )
        .order_by("institution_id")
        .first()
    )
    return form_submit(InProcess(session_cookie(officer)), report.institution_id, year)


def saves_measure(*, officer, province: str, year: int, rounds: int) -> dict:
    """Median server time of each save with and without the counters."""
    client = InProcess(session_cookie(officer))
    form_target, row_target = _targets(client, province, year)
    sheet = _sheet_url(province, year)
    saves = {
        "form": lambda: form_submit(client, form_target, year),
        "sheet row": lambda: sheet_row_save(client, row_target, sheet),
    }
    times = {(name, mode): [] for name in saves for mode in ("on", "off")}
    receivers = 0
    for index in range(rounds + 1):  # the first round warms up
        for name, save in saves.items():
            order = ("on", "off") if index % 2 == 0 else ("off", "on")
            for mode in order:
                if mode == "off":
                    with counters_off() as receivers:
                        seconds = save()
                else:
                    seconds = save()
                if index:
                    times[name, mode].append(seconds)
                if name == "sheet row":  # back to submitted, untimed
                    form_submit(client, row_target, year)
    call_command("refresh_counts", verbosity=0)
    return {
        "institutions": [form_target, row_target],
        "province": province,
        "year": year,
        "rounds": rounds,
        "counter_receivers_off": receivers,
        "slice_reports": AnnualReport.objects.filter(
            institution__province_id=province, institution__category=CATEGORY
        ).count(),
        **{
            name: {
                "on_ms": 1000 * statistics.median(times[name, "on"]),
                "off_ms": 1000 * statistics.median(times[name, "off"]),
                "on_runs_ms": [round(1000 * s, 1) for s in times[name, "on"]],
                "off_runs_ms": [round(1000 * s, 1) for s in times[name, "off"]],
            }
            for name in saves
        },
    }
