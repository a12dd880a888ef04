"""The Markdown table of ``make bench``: one line per figure, its reference
from the same run, the goal of issue 15 it answers (column ``#``; ``·`` for
the figures kept from earlier issues) and PASS/FAIL against it.

Every goal lives here, next to the line that judges it, so the printed goal
and the verdict cannot drift apart.
"""

# Goals of issue 15 (and the figures kept from earlier issues).
PAGE_RATIO = 3  # 1: pages, warm and cold, at most 3× the trivial page
SAVE_RATIO = 2  # 2: a save at most 2× the same save with the counters off
LOAD_P95_MS = 300  # 4: the normal mix
LOAD_OFFERED_SHARE = 0.95  # 4: requests/s at least 95% of the offered load
HEAVY_P95_MS = 1000  # 4: the heavy mix
COPY_SHARE = 0.3  # 6: import_reports at least 0.3× COPY of the same rows
PEER_RATIO = 50  # 6: and 50× django-import-export
GROWTH_RATIO = 1.3  # 7: at twice the national size within 1.3× of the national
PROGRESS_RATIO = 2  # kept: progress engine at most 2× hand-written SQL
MEMORY_MB = 300  # kept: peak RSS of the import
MEMORY_FLAT = 1.25  # kept: the larger file within 25% of the smaller
PUBLIC_RPS = 500  # issue 16: anonymous public pages, requests/s
PUBLIC_P95_MS = 100  # issue 16: and their p95


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:,.1f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def _row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _label(key: str, page: dict) -> str:
    if key == "national":
        return "National dashboard"
    return f"Province page ({page['path'].split('/provinces/')[-1][:2]})"


def machine_lines(results: dict) -> list[str]:
    machine = results["machine"]
    seed = results["seed"]
    return [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram_gb']} GB RAM; PostgreSQL {machine['postgresql']} "
        f"(fsync {machine['postgresql_settings']['fsync']}, shared_buffers "
        f"{machine['postgresql_settings']['shared_buffers']}); Python "
        f"{machine['python']}, Django {machine['django']}; load average at start "
        f"{machine['load_average_at_start'][0]:.1f}; {machine['date']}.",
        f"Data: {seed['institutions']:,} institutions, {seed['reports']:,} reports "
        f"(seeded in {seed['seconds']:.0f} s)"
        + (
            f"; growth: {results['growth']['seed']['institutions']:,} institutions, "
            f"{results['growth']['seed']['reports']:,} reports."
            if results.get("growth")
            else "."
        ),
    ]


def pages_rows(results: dict) -> list[str]:
    rows = []
    for key, cold in (("pages", False), ("pages_cold", True)):
        pages = results.get(key)
        if not pages:
            continue
        trivial = pages["trivial"]
        for name in ("national", "province"):
            page = pages[name]
            p50 = page["p50_ms"] / trivial["p50_ms"]
            p95 = page["p95_ms"] / trivial["p95_ms"]
            what = "cache empty (first view after a write)" if cold else "cached"
            rows.append(
                _row(
                    1,
                    f"{_label(name, page)}, {what}: server time p50 / p95, queries",
                    f"{_ms(page['p50_ms'])} / {_ms(page['p95_ms'])}, "
                    f"{page['queries']} q",
                    f"trivial page {_ms(trivial['p50_ms'])} / "
                    f"{_ms(trivial['p95_ms'])}, {trivial['queries']} q",
                    f"{p50:.1f}× / {p95:.1f}×",
                    f"≤ {PAGE_RATIO}×",
                    verdict(max(p50, p95) <= PAGE_RATIO),
                )
            )
    paths = {"national": "", "province": f"/provinces/{results.get('largest', '')}"}
    for name, parts in (results.get("cold_parts") or {}).items():
        label = _label(name, {"path": paths[name]})
        if "error" in parts:
            rows.append(_row(1, f"{label}: parts", parts["error"], "", "", "", "–"))
            continue
        listed = " · ".join(f"{part} {_ms(ms)}" for part, ms in parts.items())
        rows.append(
            _row(
                1,
                f"{label}, cache empty: its parts (median)",
                listed,
                f"sum {_ms(sum(parts.values()))}",
                "–",
                "where the time goes",
                "–",
            )
        )
    return rows


def saves_rows(saves: dict) -> list[str]:
    rows = []
    for name, label in (("form", "report form"), ("sheet row", "sheet, one row")):
        save = saves[name]
        ratio = save["on_ms"] / save["off_ms"]
        rows.append(
            _row(
                2,
                f"Save of one village cultural house's report in {saves['province']} "
                f"({label}; slice of {saves['slice_reports']:,} reports): server time",
                _ms(save["on_ms"]),
                f"counters off ({saves['counter_receivers_off']} receivers) "
                f"{_ms(save['off_ms'])}",
                f"{ratio:.2f}×",
                f"≤ {SAVE_RATIO}×",
                verdict(ratio <= SAVE_RATIO),
            )
        )
    return rows


def cache_rows(scope: dict, load: dict | None) -> list[str]:
    written = scope["written"]
    computed = scope["computed_after_write"]
    kept = [name for name, again in computed.items() if not again]
    redone = [name for name, again in computed.items() if again]
    expected = {"national", written}
    ok = (
        all(scope["cached_before_write"].values())
        and set(redone) == expected
        and set(kept) == set(computed) - expected
    )
    rows = [
        _row(
            3,
            f"Pages recomputed after a save in province {written}",
            "recomputed: " + (", ".join(redone) or "none"),
            "kept in the cache: " + (", ".join(kept) or "none"),
            "–",
            f"only national and {written}",
            verdict(ok),
        )
    ]
    if load:
        shared = load["shared_cache"] != "none"
        rows.append(
            _row(
                3,
                "Load test: one cache shared by the gunicorn workers",
                load["shared_cache"],
                "–",
                "–",
                "shared",
                verdict(shared),
            )
        )
    return rows


def load_rows(results: dict) -> list[str]:
    rows = []
    for key, p95_goal, offered_goal in (
        ("load", LOAD_P95_MS, True),
        ("load_heavy", HEAVY_P95_MS, False),
    ):
        load = results.get(key)
        if not load:
            continue
        share = load["rps"] / load["offered_rps"]
        ok = load["failures"] == 0 and load["p95_ms"] <= p95_goal
        goal = f"p95 ≤ {_ms(p95_goal)}, 0 errors"
        if offered_goal:
            ok = ok and share >= LOAD_OFFERED_SHARE
            goal += f", ≥ {LOAD_OFFERED_SHARE:.0%} of offered"
        rows.append(
            _row(
                4,
                f"Load: gunicorn ({load['workers']} workers) + locust, "
                f"{load['seconds']} s, {load['readers']} readers + "
                f"{load['officers']} officers",
                f"{load['rps']:.1f} req/s, p95 {_ms(load['p95_ms'])}, "
                f"{load['failures']} errors of {load['requests']:,}",
                f"offered {load['offered_rps']:.1f} req/s",
                f"{share:.0%}",
                goal,
                verdict(ok),
            )
        )
    return rows


def public_rows(public: dict) -> list[str]:
    """Issue 16's goal: anonymous people on the public pages of a release."""
    ours, trivial = public["public"], public["trivial"]
    ok = (
        ours["rps"] >= PUBLIC_RPS
        and ours["p95_ms"] <= PUBLIC_P95_MS
        and ours["errors"] == 0
    )
    return [
        _row(
            16,
            f"Public pages of release {public['release']}, anonymous (national "
            f"and largest province, vi): gunicorn ({public['workers']} workers) "
            f"+ wrk, {public['connections']} connections, {public['seconds']} s",
            f"{ours['rps']:,.0f} req/s, p95 {_ms(ours['p95_ms'])}, "
            f"{ours['errors']} errors of {ours['requests']:,}",
            f"trivial page {trivial['rps']:,.0f} req/s, p95 {_ms(trivial['p95_ms'])}",
            f"{ours['rps'] / trivial['rps']:.2f}×",
            f"≥ {PUBLIC_RPS} req/s, p95 ≤ {_ms(PUBLIC_P95_MS)}, 0 errors",
            verdict(ok),
        )
    ]


def imports_rows(imports: dict) -> list[str]:
    ours = imports["import_reports_rows_per_s"]
    copy_ratio = ours / imports["copy_rows_per_s"]
    rows = [
        _row(
            6,
            f"`import_reports` of {imports['rows']:,} rows, full validation",
            f"{ours:,.0f} rows/s",
            f"`COPY` into reports, history, transitions "
            f"{imports['copy_rows_per_s']:,.0f} rows/s",
            f"{copy_ratio:.2f}×",
            f"≥ {COPY_SHARE}×",
            verdict(copy_ratio >= COPY_SHARE),
        )
    ]
    if "peer_rows_per_s" in imports:
        peer_ratio = ours / imports["peer_rows_per_s"]
        rows.append(
            _row(
                6,
                "″ against django-import-export (`ModelResource`, "
                f"{imports['peer_rows']:,}-row subset)",
                f"{ours:,.0f} rows/s",
                f"{imports['peer_rows_per_s']:,.0f} rows/s",
                f"{peer_ratio:.1f}×",
                f"≥ {PEER_RATIO}×",
                verdict(peer_ratio >= PEER_RATIO),
            )
        )
    return rows


def growth_rows(results: dict) -> list[str]:
    growth = results["growth"]
    size = f"{growth['seed']['institutions']:,}"
    base = f"{results['seed']['institutions']:,}"
    figures = []  # (label, value at 2×, value at 1×, unit): larger is worse
    for name in ("national", "province"):
        if results.get("pages_cold") and growth.get("pages_cold"):
            page, before = growth["pages_cold"][name], results["pages_cold"][name]
            for stat in ("p50_ms", "p95_ms"):
                figures.append(
                    (
                        f"{_label(name, page)} cold, {stat[:3]}",
                        page[stat],
                        before[stat],
                    )
                )
    if results.get("saves") and growth.get("saves"):
        for name in ("form", "sheet row"):
            figures.append(
                (
                    f"Save ({name}), counters on",
                    growth["saves"][name]["on_ms"],
                    results["saves"][name]["on_ms"],
                )
            )
    rows = [
        _row(
            7,
            f"{label} at {size} institutions",
            _ms(grown),
            f"{base} institutions: {_ms(national)}",
            f"{grown / national:.2f}×",
            f"≤ {GROWTH_RATIO}×",
            verdict(grown / national <= GROWTH_RATIO),
        )
        for label, grown, national in figures
    ]
    if results.get("imports") and growth.get("imports"):
        grown = growth["imports"]["import_reports_rows_per_s"]
        national = results["imports"]["import_reports_rows_per_s"]
        ratio = national / grown  # time per row, 2× against 1×
        rows.append(
            _row(
                7,
                f"`import_reports` at {size} institutions (time per row)",
                f"{grown:,.0f} rows/s",
                f"{base} institutions: {national:,.0f} rows/s",
                f"{ratio:.2f}×",
                f"≤ {GROWTH_RATIO}×",
                verdict(ratio <= GROWTH_RATIO),
            )
        )
    return rows


def kept_rows(results: dict) -> list[str]:
    rows = []
    progress = results.get("progress")
    if progress:
        ratio = progress["portal_ms"] / progress["reference_ms"]
        differ = "" if progress["counts_match_reference"] else " (counts differ!)"
        rows.append(
            _row(
                "·",
                f"Progress of {progress['target_rows']} target rows, nation + "
                f"34 provinces ({progress['year']})",
                _ms(progress["portal_ms"]),
                f"hand-written SQL {_ms(progress['reference_ms'])}{differ}",
                f"{ratio:.1f}×",
                f"≤ {PROGRESS_RATIO}×, same counts",
                verdict(ratio <= PROGRESS_RATIO and not differ),
            )
        )
    memory = results.get("memory")
    if memory:
        sizes = sorted(memory.values(), key=lambda run: run["rows"])
        largest, smallest = sizes[-1], sizes[0]
        ratio = largest["max_rss_mb"] / smallest["max_rss_mb"]
        rows.append(
            _row(
                "·",
                f"Peak RSS of `import_reports`, {largest['rows']:,} rows",
                f"{largest['max_rss_mb']:,.0f} MB",
                f"{smallest['rows']:,} rows: {smallest['max_rss_mb']:,.0f} MB",
                f"{ratio:.2f}×",
                f"≤ {MEMORY_MB} MB, flat",
                verdict(largest["max_rss_mb"] <= MEMORY_MB and ratio <= MEMORY_FLAT),
            )
        )
    return rows


def markdown_table(results: dict) -> str:
    lines = [
        *machine_lines(results),
        "",
        "| # | Figure | Portal | Reference (same run) | Ratio | Goal | Result |",
        "|---|---|---|---|---|---|---|",
        *pages_rows(results),
    ]
    if results.get("saves"):
        lines.extend(saves_rows(results["saves"]))
    if results.get("cache_scope"):
        lines.extend(cache_rows(results["cache_scope"], results.get("load")))
    lines.extend(load_rows(results))
    if results.get("public"):
        lines.extend(public_rows(results["public"]))
    if results.get("web_imports"):
        from .web_imports import markdown_rows as web_imports_rows

        lines.extend(web_imports_rows(results["web_imports"], _row, verdict))
    if results.get("imports"):
        lines.extend(imports_rows(results["imports"]))
    if results.get("growth"):
        lines.extend(growth_rows(results))
    lines.extend(kept_rows(results))
    if results.get("uploads"):
        from .uploads import markdown_rows

        lines.extend(markdown_rows(results["uploads"], number="·"))
    passed = sum(line.endswith("| PASS |") for line in lines)
    failed = sum(line.endswith("| **FAIL** |") for line in lines)
    lines.extend(["", f"{passed} PASS, {failed} FAIL."])
    return "\n".join(lines)
