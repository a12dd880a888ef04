"""Benchmarks at national scale (``make bench``); never part of the test run."""
