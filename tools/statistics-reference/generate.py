#!/usr/bin/python3
"""Expected values for tests/RfcnPerf.Statistics.Tests, computed by SciPy and NumPy (never called from a test).

Writes scipy-reference.json beside tests/RfcnPerf.Statistics.Tests/Data. Run from anywhere:
    /usr/bin/python3 tools/statistics-reference/generate.py
Inputs are drawn from NumPy's PCG64 with fixed seeds and written into the file, so the C# tests read the
same numbers SciPy saw.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import stats

ALPHA = 0.05
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "RfcnPerf.Statistics.Tests",
                   "Data", "scipy-reference.json")


def times(rng, n, median_ms, sigma):
    """Log-normal request times in ms, rounded to 1 ns so the file holds them exactly as the test reads them."""
    return [float(v) for v in np.round(median_ms * np.exp(rng.normal(0.0, sigma, n)), 6)]


def mann_whitney_cases(rng):
    cases = []
    # (n, m, shift of y in log units): below and above Perfolizer's exact limit (n + m <= 65).
    for n, m, shift in [(5, 7, 0.0), (12, 10, 0.3), (20, 25, -0.1), (30, 30, 0.05), (32, 33, 0.2),
                        (40, 40, 0.1), (50, 45, -0.05), (100, 80, 0.02)]:
        x = times(rng, n, 50.0, 0.1)
        y = times(rng, m, 50.0 * np.exp(shift), 0.1)
        exact = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
        asym = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
        cases.append({"x": x, "y": y, "u": float(exact.statistic), "pExact": float(exact.pvalue),
                      "pAsymptotic": float(asym.pvalue)})
    return cases


def hl_interval_by_inversion(lx, ly, method):
    """The shifts d for which SciPy's two-sided Mann-Whitney test of (ly - d) against lx keeps p > ALPHA.

    Between two consecutive sorted pairwise differences the test's U is constant, so testing one point inside each
    gap finds the accepted gaps; the interval runs from the difference below the first accepted gap to the one above
    the last (R's wilcox.test conf.int gives the same ends).
    """
    diffs = np.sort(np.subtract.outer(ly, lx).ravel())
    gaps = np.concatenate(([diffs[0] - 1.0], (diffs[:-1] + diffs[1:]) / 2, [diffs[-1] + 1.0]))
    accepted = [j for j, d in enumerate(gaps)
                if stats.mannwhitneyu(ly - d, lx, alternative="two-sided", method=method).pvalue > ALPHA]
    lo, hi = accepted[0], accepted[-1]
    assert accepted == list(range(lo, hi + 1)), "accepted shifts are not one interval"
    return float(diffs[lo - 1]), float(diffs[hi]), lo


def hodges_lehmann_cases(rng):
    cases = []
    for n, m, shift in [(10, 10, 0.0), (15, 12, 0.08), (30, 30, 0.03), (30, 35, -0.2), (40, 40, 0.05),
                        (60, 50, 0.0)]:
        a = times(rng, n, 40.0, 0.08)
        b = times(rng, m, 40.0 * np.exp(shift), 0.08)
        la, lb = np.log(a), np.log(b)
        estimate = float(np.median(np.subtract.outer(lb, la).ravel()))
        lower, upper, rank = hl_interval_by_inversion(la, lb, "exact")
        case = {"a": a, "b": b, "logShift": estimate, "logLower": lower, "logUpper": upper, "rank": rank,
                "method": "exact"}
        if n + m > 65:
            al, au, ar = hl_interval_by_inversion(la, lb, "asymptotic")
            case.update({"asymptoticLogLower": al, "asymptoticLogUpper": au, "asymptoticRank": ar})
        cases.append(case)
    return cases


def percentile_bootstrap_cases(rng):
    """The percentile bootstrap of the median of per-round log ratios on committed resample indices.

    Each replicate's median is numpy.median of the drawn log ratios; the interval's ends are numpy.percentile (its
    default 'linear' method, Hyndman-Fan type 7) at 2.5 and 97.5 of the replicate medians, as
    scipy.stats.bootstrap(method='percentile') takes them.
    """
    cases = []
    for rounds, replicates, ratio in [(31, 400, 1.0), (40, 300, 0.7), (45, 250, 1.08)]:
        drift = np.cumsum(rng.normal(0.0, 0.03, rounds))
        a = np.round(30.0 * np.exp(drift + rng.normal(0.0, 0.05, rounds)), 6)
        b = np.round(30.0 * ratio * np.exp(drift + rng.normal(0.0, 0.05, rounds)), 6)
        logs = np.log(b) - np.log(a)
        idx = rng.integers(0, rounds, size=(replicates, rounds))
        medians = np.median(logs[idx], axis=1)
        lo, hi = np.percentile(medians, [2.5, 97.5])
        cases.append({"a": [float(v) for v in a], "b": [float(v) for v in b], "indices": idx.tolist(),
                      "ratio": float(np.exp(np.median(logs))), "lower": float(np.exp(lo)), "upper": float(np.exp(hi))})
    return cases


def large_sample_cases():
    """Sizes where Perfolizer's Edgeworth CDF overflows 32-bit integers (5 m n (m + n) above 2^31 from about 600 values
    a side; n m (n + m + 1) from about 1,024): U and the asymptotic p-value, the Hodges-Lehmann estimate and the
    interval by inverting SciPy's asymptotic test. Acceptance rises then falls along the sorted pairwise differences,
    so each end is found by bisection instead of testing all n m gaps. Its own generator, so the cases above keep
    their inputs.
    """
    rng = np.random.default_rng(20261206)
    cases = []
    for n, m, shift in [(700, 700, 0.01), (1068, 1068, 0.02), (2500, 1800, -0.01)]:
        a = times(rng, n, 40.0, 0.3)
        b = times(rng, m, 40.0 * np.exp(shift), 0.3)
        la, lb = np.log(a), np.log(b)
        asym = stats.mannwhitneyu(b, a, alternative="two-sided", method="asymptotic", use_continuity=True)
        diffs = np.sort(np.subtract.outer(lb, la).ravel())
        gaps = np.concatenate(([diffs[0] - 1.0], (diffs[:-1] + diffs[1:]) / 2, [diffs[-1] + 1.0]))

        def accepted(j):
            return stats.mannwhitneyu(lb - gaps[j], la, alternative="two-sided", method="asymptotic").pvalue > ALPHA

        centre = len(diffs) // 2
        assert accepted(centre)
        lo, hi = 0, centre  # first accepted gap
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if accepted(mid) else (mid + 1, hi)
        first = lo
        lo, hi = centre, len(gaps) - 1  # last accepted gap
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if accepted(mid) else (lo, mid - 1)
        last = lo
        cases.append({"a": a, "b": b, "u": float(asym.statistic), "pAsymptotic": float(asym.pvalue),
                      "logShift": float(np.median(diffs)), "asymptoticLogLower": float(diffs[first - 1]),
                      "asymptoticLogUpper": float(diffs[last]), "asymptoticRank": int(first)})
    return cases


def main():
    rng = np.random.default_rng(20261219)
    doc = {
        "generator": "tools/statistics-reference/generate.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "alpha": ALPHA,
        "mannWhitney": mann_whitney_cases(rng),
        "hodgesLehmann": hodges_lehmann_cases(rng),
        "percentileBootstrap": percentile_bootstrap_cases(rng),
        "largeSamples": large_sample_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
