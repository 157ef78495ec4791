#!/usr/bin/python3
"""The early-stopping minimum query table from the rules' formula (inference_rules.adoc, appendix "Early Stopping
Criterion"): for percentile p, tolerance d = 0, confidence c = 0.99 and t over-bound queries, the smallest h with
F(t; h + t, 1 - (p - d)) <= 1 - c, F the binomial CDF; a run needs h + t queries. Computed with SciPy, written as
the expected values of tests/RfcnPerf.Serving.Tests/EarlyStoppingTests.cs.

Usage: /usr/bin/python3 min_queries_table.py OUT.json
"""
import json
import sys

import scipy
from scipy.stats import binom

CONFIDENCE = 0.99
TOLERANCE = 0.0


def min_under(t, p):
    h = 1
    while binom.cdf(t, h + t, 1 - (p - TOLERANCE)) > 1 - CONFIDENCE:
        h += 1
    return h


def main():
    rows = []
    for p in (0.90, 0.99):
        for t in range(0, 21):
            h = min_under(t, p)
            rows.append({"percentile": p, "over_bound": t, "min_under_bound": h, "min_queries": h + t})
    with open(sys.argv[1], "w") as f:
        json.dump({"scipy": scipy.__version__, "confidence": CONFIDENCE, "tolerance": TOLERANCE, "rows": rows}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
