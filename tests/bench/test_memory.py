"""The import memory figure of ``make bench`` (bench/imports.py run_child)
is the child's own peak, whatever the bench process itself holds."""

import sys

from bench.imports import run_child

HELD_MB = 200


def test_child_peak_leaves_out_the_bench_process_memory(tmp_path):
    # Linux carries a process's peak resident size over ``exec``: a child
    # started straight from a process holding 200 MB reports at least 200 MB.
    held = b"\x01" * (HELD_MB * 1024 * 1024)
    run = run_child([sys.executable, "-c", "pass"], log=tmp_path / "child.log")
    assert run["returncode"] == 0
    assert 0 < run["max_rss_mb"] < HELD_MB / 2
    assert len(held) == HELD_MB * 1024 * 1024


def test_child_peak_counts_the_child_memory(tmp_path):
    grow = "held = b'\\x01' * (150 * 1024 * 1024)"
    run = run_child([sys.executable, "-c", grow], log=tmp_path / "child.log")
    assert run["returncode"] == 0
    assert run["max_rss_mb"] >= 150


def test_child_exit_status_is_kept(tmp_path):
    run = run_child([sys.executable, "-c", "exit(3)"], log=tmp_path / "child.log")
    assert run["returncode"] == 3
