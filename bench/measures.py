"""The measurements of ``make bench`` that run in this process or in child
processes of the portal's commands: progress against hand-written SQL, import
speed against ``COPY`` and django-import-export, import memory."""

import statistics
import sys
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def progress_measure(year: int, repeats: int) -> dict:
    """D's progress engine (every target row, nation and 34 provinces, from
    one load) against the hand-written SQL, alternating, median of runs."""
    from institutions.models import Province
    from reports.progress.figures import NATION, progress_figures_load
    from targets.selectors import target_list

    from .progress_reference import reference_figures

    targets = list(target_list())
    areas = [NATION, *Province.objects.order_by("code").values_list("pk", flat=True)]

    def portal():
        figures = progress_figures_load(year=year, targets=targets)
        return {
            area: [evaluation.row() for evaluation in figures.evaluations(area)]
            for area in areas
        }

    def reference():
        return reference_figures(targets, year)

    portal(), reference()  # warm-up
    portal_times, reference_times = [], []
    for _repeat in range(repeats):
        seconds, portal_rows = _timed(portal)
        portal_times.append(seconds)
        seconds, reference_rows = _timed(reference)
        reference_times.append(seconds)
    keys = ("denominator", "reporters", "numerator", "panel", "base_total")
    keys += ("year_total",)
    mismatches = 0
    for area in areas:
        for ours, theirs in zip(portal_rows[area], reference_rows[area], strict=True):
            for key in keys:
                if key in theirs and ours.get(key) != theirs[key]:
                    mismatches += 1
    return {
        "year": year,
        "target_rows": len(targets),
        "areas": len(areas),
        "portal_ms": 1000 * statistics.median(portal_times),
        "reference_ms": 1000 * statistics.median(reference_times),
        "portal_runs_ms": [round(1000 * s, 1) for s in portal_times],
        "reference_runs_ms": [round(1000 * s, 1) for s in reference_times],
        "counts_match_reference": mismatches == 0,
        "mismatches": mismatches,
    }


def imports_measure(
    workdir: Path, *, rows: int, peer_rows: int, repeats: int, peer: bool = True
) -> dict:
    """``import_reports`` of a ``rows``-row file against ``COPY`` of the same
    file and (with ``peer``) django-import-export on its first ``peer_rows``
    rows; alternating, median of ``repeats`` runs each."""
    from . import imports

    big = workdir / f"reports-{rows}.csv"
    written = imports.reports_csv_write(big, rows)
    peer_file = workdir / f"reports-{peer_rows}.csv"
    if peer:
        imports.reports_csv_write(peer_file, peer_rows)
    ours, copies, peers = [], [], []
    for repeat in range(repeats):
        log(f"import run {repeat + 1}/{repeats}: COPY, import_reports, peer")
        copies.append(imports.copy_run(big))
        ours.append(imports.import_reports_run(big, log=workdir / "import.log"))
        imports.imported_reports_delete()
        if peer:
            peers.append(imports.import_export_run(peer_file, log=workdir / "peer.log"))
            imports.imported_reports_delete()
    ours_seconds = statistics.median(run["seconds"] for run in ours)
    copy_seconds = statistics.median(copies)
    result = {
        "rows": written,
        "import_reports_seconds": ours_seconds,
        "import_reports_rows_per_s": written / ours_seconds,
        "import_reports_runs_s": [round(run["seconds"], 1) for run in ours],
        "import_reports_max_rss_mb": statistics.median(r["max_rss_mb"] for r in ours),
        "copy_seconds": copy_seconds,
        "copy_rows_per_s": written / copy_seconds,
    }
    if peer:
        peer_seconds = statistics.median(run["seconds"] for run in peers)
        result |= {
            "peer_rows": peer_rows,
            "peer_seconds": peer_seconds,
            "peer_rows_per_s": peer_rows / peer_seconds,
            "peer_runs_s": [round(run["seconds"], 1) for run in peers],
            "peer_totals": peers[-1]["totals"],
        }
    return result


def memory_measure(workdir: Path, *, sizes: list[int]) -> dict:
    from . import imports

    result = {}
    for size in sizes:
        path = workdir / f"memory-{size}.csv"
        written = imports.reports_csv_write(path, size, seed=2)
        log(f"memory: importing {written:,} rows")
        run = imports.import_reports_run(path, log=workdir / f"memory-{size}.log")
        imports.imported_reports_delete()
        path.unlink()
        result[str(size)] = {
            "rows": written,
            "max_rss_mb": run["max_rss_mb"],
            "seconds": run["seconds"],
            "rows_per_s": written / run["seconds"],
        }
    return result
