"""Nearest-rank percentiles, shared by the benchmarks in ops/bench/ (they run as scripts, so
this directory is on their import path)."""

import math


def percentile(samples, p):
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
