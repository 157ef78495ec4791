#!/usr/bin/python3
"""Extracts the raw samples of quick runs and computes bench compare's run-to-run verdicts independently.

Usage: run_to_run_reference.py OUT.json LETTER=RUN_DIR ... --pair A:B --pair A:C ...

For each run: every case of summary.json's rawCases with its BenchmarkDotNet Workload/Actual samples in ms per
operation (in measurement order), keyed as bench compare matches cases. For each pair BASE:RUN: per matched case the
ratio RUN/BASE and its interval from 5 consecutive blocks (Hodges-Lehmann on the blocks' log medians, the Mann-Whitney
95% interval over the blocks: the 3rd smallest to the 3rd largest of the 25 differences), the noise band (1.96 x
1.4826 x the median absolute deviation of the matched cases' log ratios), the widened interval and the verdict at 5%.
Python's standard library only (statistics.median, math.log): a second implementation of RfcnPerf.Statistics'
RunToRunRatio, written from its description, not from its code.
"""
import json
import math
import statistics
import sys
from functools import lru_cache

BLOCKS = 5
THETA = 0.05
MIN_SAMPLES = 30
MIN_CASES = 8
Z95 = 1.959963984540054
MAD_TO_SD = 1.482602218505602


@lru_cache(None)
def arrangements(n, m, u):
    """Number of orderings of n x's and m y's with Mann-Whitney U = u."""
    if u < 0:
        return 0
    if n == 0 or m == 0:
        return 1 if u == 0 else 0
    return arrangements(n - 1, m, u - m) + arrangements(n, m - 1, u)


def critical_rank(n, m, alpha=0.05):
    """Smallest q with P(U <= q) >= alpha / 2 under the null (at least 1), as R's wilcox.test takes it."""
    total = math.comb(n + m, n)
    cumulative = 0
    for q in range(n * m + 1):
        cumulative += arrangements(n, m, q)
        if cumulative / total >= alpha / 2:
            return max(1, q)
    return 1


def block_log_medians(samples):
    logs = [math.log(x) for x in samples]
    n = len(logs)
    if n <= BLOCKS:
        return logs
    return [statistics.median(logs[i * n // BLOCKS:(i + 1) * n // BLOCKS]) for i in range(BLOCKS)]


def within_run(a, b):
    la, lb = block_log_medians(a), block_log_medians(b)
    diffs = sorted(y - x for y in lb for x in la)
    k = critical_rank(len(la), len(lb))
    return statistics.median(diffs), diffs[k - 1], diffs[-k]


def verdict(lower, upper, rounds):
    if rounds < MIN_SAMPLES:
        return "unknown"
    if lower >= 1 - THETA and upper <= 1 + THETA:
        return "same"
    if upper < 1 - THETA:
        return "faster"
    return "slower" if lower > 1 + THETA else "unknown"


def load_run(folder):
    summary = json.load(open(f"{folder}/summary.json"))
    exports = {}
    cases = []
    for record in summary["rawCases"]:
        path = f"{folder}/{record['export']}"
        if path not in exports:
            exports[path] = {b["DisplayInfo"]: b for b in json.load(open(path))["Benchmarks"]}
        measurements = exports[path][record["entry"]]["Measurements"]
        samples = [m["Nanoseconds"] / m["Operations"] / 1e6 for m in measurements
                   if m["IterationMode"] == "Workload" and m["IterationStage"] == "Actual"]
        k = record["key"]
        key = f"{k['sha256'][:12]} {k['precision']} batch {k['batch']} intra {k['intraOp']} {k['interOp']} streams {k['streams']} {k['mode']}"
        cases.append({"key": key, "model": record["model"], "samplesMs": samples})
    return {"folder": folder.rstrip("/").split("/")[-1], "cases": cases}


def compare(base, run):
    index = {c["key"]: c for c in run["cases"]}
    matched = [(c, index[c["key"]]) for c in base["cases"] if c["key"] in index]
    within = [within_run(a["samplesMs"], b["samplesMs"]) for a, b in matched]
    logs = [w[0] for w in within]
    centre = statistics.median(logs)
    spread = MAD_TO_SD * statistics.median([abs(x - centre) for x in logs])
    half_width = Z95 * spread if len(logs) >= MIN_CASES else float("nan")
    out = []
    for (a, b), (shift, lo, hi) in zip(matched, within):
        rounds = min(len(a["samplesMs"]), len(b["samplesMs"]))
        lower, upper = math.exp(lo - half_width), math.exp(hi + half_width)
        out.append({"key": a["key"], "model": a["model"], "ratio": math.exp(shift),
                    "withinLower": math.exp(lo), "withinUpper": math.exp(hi),
                    "lower": lower, "upper": upper, "verdict": verdict(lower, upper, rounds)})
    return {"bandHalfWidth": half_width, "spread": spread, "cases": out}


def main(argv):
    out = argv[0]
    runs, pairs = {}, []
    it = iter(argv[1:])
    for arg in it:
        if arg == "--pair":
            pairs.append(next(it).split(":"))
        else:
            letter, folder = arg.split("=", 1)
            runs[letter] = load_run(folder)
    result = {"runs": runs, "pairs": {f"{a}:{b}": compare(runs[a], runs[b]) for a, b in pairs}}
    with open(out, "w") as f:
        json.dump(result, f, separators=(",", ":"))
    for name, pair in result["pairs"].items():
        counts = {}
        for c in pair["cases"]:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        print(f"{name}: band ±{(math.exp(pair['bandHalfWidth']) - 1) * 100:.1f}% {counts}")
        for c in pair["cases"]:
            if c["verdict"] in ("faster", "slower"):
                print(f"   {c['model']:14} {c['key'][13:]:70} {c['ratio']:.3f} [{c['lower']:.3f}, {c['upper']:.3f}] {c['verdict']}")


if __name__ == "__main__":
    main(sys.argv[1:])
