#!/usr/bin/python3
"""Drives MLPerf LoadGen with a fake system under test that answers query k after a listed latency, and writes what
LoadGen decided (verdicts, early-stopping estimates, percentiles, counts) with the latencies, as the expected values
of tests/RfcnPerf.Serving.Tests/LoadGenOracleTests.cs. See README.md for how to build LoadGen and rerun this.

Usage: PYTHONPATH=<loadgen dir> /usr/bin/python3 fake_sut_cases.py OUT.json
"""
import heapq
import json
import os
import random
import re
import sys
import tempfile
import threading
import time

import mlperf_loadgen as lg

GRID_MS = 5  # listed latencies are multiples of 5 ms: LoadGen's real-clock jitter cannot swap two ranks


def listed(seed, count, low_ms, high_ms, over=()):
    """Latencies (ms) of queries 0..count-1: uniform on the 5 ms grid in [low, high]; `over` maps index -> latency."""
    rng = random.Random(seed)
    values = [GRID_MS * rng.randint(low_ms // GRID_MS, high_ms // GRID_MS) for _ in range(count)]
    for index, ms in over:
        values[index] = ms
    return values


class ListedSut:
    """Answers the k-th issued sample k's listed latency after it was issued (one timer thread, a heap of due times)."""

    def __init__(self, latencies_ms):
        self.latencies = latencies_ms
        self.issued = 0
        self.heap = []
        self.cv = threading.Condition()
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def issue(self, samples):
        now = time.perf_counter()
        with self.cv:
            for s in samples:
                due = now + self.latencies[self.issued % len(self.latencies)] / 1000.0
                heapq.heappush(self.heap, (due, self.issued, s.id))
                self.issued += 1
            self.cv.notify()

    def run(self):
        while True:
            with self.cv:
                while not self.heap and not self.stop:
                    self.cv.wait()
                if self.stop and not self.heap:
                    return
                due, _, sample_id = self.heap[0]
                wait = due - time.perf_counter()
                if wait > 0.002:
                    self.cv.wait(wait - 0.001)
                    continue
                if wait > 0:
                    continue  # spin the last millisecond
                heapq.heappop(self.heap)
            lg.QuerySamplesComplete([lg.QuerySampleResponse(sample_id, 0, 0)])

    def close(self):
        with self.cv:
            self.stop = True
            self.cv.notify()
        self.thread.join()


def run_case(case):
    settings = lg.TestSettings()
    settings.mode = lg.TestMode.PerformanceOnly
    settings.min_duration_ms = case["min_duration_ms"]
    settings.max_duration_ms = 0
    settings.min_query_count = case["min_query_count"]
    settings.max_query_count = case.get("max_query_count", 0)
    if case["scenario"] == "single-stream":
        settings.scenario = lg.TestScenario.SingleStream
        settings.single_stream_expected_latency_ns = 10_000_000
        settings.single_stream_target_latency_percentile = 0.9
    else:
        settings.scenario = lg.TestScenario.Server
        settings.server_target_qps = case["target_qps"]
        settings.server_target_latency_ns = case["target_latency_ms"] * 1_000_000
        settings.server_target_latency_percentile = 0.99
    fake = ListedSut(case["latencies_ms"])
    sut = lg.ConstructSUT(fake.issue, lambda: None)
    qsl = lg.ConstructQSL(64, 64, lambda s: None, lambda s: None)
    with tempfile.TemporaryDirectory() as out:
        log = lg.LogSettings()
        log.log_output.outdir = out
        log.log_output.copy_summary_to_stdout = False
        log.enable_trace = True  # its "Sample" events carry the latency LoadGen measured for each sample
        lg.StartTestWithLogSettings(sut, qsl, settings, log)
        lg.DestroyQSL(qsl)
        lg.DestroySUT(sut)
        fake.close()
        summary = open(os.path.join(out, "mlperf_log_summary.txt")).read()
        detail = {}
        for line in open(os.path.join(out, "mlperf_log_detail.txt")):
            if line.startswith(":::MLLOG"):
                record = json.loads(line[len(":::MLLOG"):])
                detail[record["key"]] = record["value"]
        # The trace is Chrome's trace format but not strict JSON; its "Sample" events sit one per line.
        sample = re.compile(r'"name"\s*:\s*"Sample".*"sample_seq"\s*:\s*(\d+).*"complete_ns"\s*:\s*(\d+)')
        samples = sorted((int(m.group(1)), int(m.group(2))) for m in map(sample.search, open(os.path.join(out, "mlperf_log_trace.json"))) if m)
    detail["measured_ns"] = [ns for _, ns in samples]
    return summary, detail


def extract(summary, detail, scenario):
    def yes(label):
        match = re.search(r"^\s*" + re.escape(label) + r"\s*:\s*(Yes|NO)", summary, re.M)
        return None if match is None else match.group(1) == "Yes"

    got = {
        "result": re.search(r"Result is : (\w+)", summary).group(1),
        "min_duration_met": yes("Min duration satisfied"),
        "min_queries_met": yes("Min queries satisfied"),
        "early_stopping_met": yes("Early stopping satisfied"),
        "perf_constraints_met": yes("Performance constraints satisfied"),
        "query_count": detail["result_query_count"],
        "early_stopping_text": summary.split("Early Stopping Result:\n", 1)[1].split("\n\n", 1)[0],
        "percentiles_ns": {p: detail["result_%s_percentile_latency_ns" % p] for p in ("50.00", "90.00", "95.00", "97.00", "99.00", "99.90")},
        "min_latency_ns": detail["result_min_latency_ns"],
        "max_latency_ns": detail["result_max_latency_ns"],
        # Per sample in issue order: the latency LoadGen measured (completion minus scheduled time, its trace's
        # complete_ns); the listed latency plus the real clock's delays. The C# test replays these.
        "measured_ns": detail["measured_ns"],
    }
    if scenario == "single-stream":
        got["early_stopping_latency_ss"] = detail["early_stopping_latency_ss"]
        got["early_stopping_latency_ms"] = detail["early_stopping_latency_ms"]
        got["target_percentile_ns"] = int(re.search(r"90.0th percentile latency \(ns\) : (\d+)", summary).group(1))
    else:
        got["overlatency_query_count"] = detail["result_overlatency_query_count"]
    return got


def cases():
    ss, sv = "single-stream", "server"
    return [
        {"name": "ss-200", "scenario": ss, "min_duration_ms": 0, "min_query_count": 200, "latencies_ms": listed(1, 200, 5, 60)},
        {"name": "ss-50-too-few", "scenario": ss, "min_duration_ms": 0, "min_query_count": 50, "latencies_ms": listed(2, 50, 5, 60)},
        {"name": "ss-800-tail", "scenario": ss, "min_duration_ms": 0, "min_query_count": 800,
         "latencies_ms": listed(3, 800, 5, 25, over=[(i, 60 + GRID_MS * (i % 7)) for i in range(7, 800, 37)])},
        {"name": "ss-max-queries", "scenario": ss, "min_duration_ms": 0, "min_query_count": 300, "max_query_count": 100,
         "latencies_ms": listed(4, 300, 5, 40)},
        {"name": "server-500-under", "scenario": sv, "min_duration_ms": 0, "min_query_count": 500, "target_qps": 80.0,
         "target_latency_ms": 100, "latencies_ms": listed(5, 500, 5, 60)},
        {"name": "server-700-one-over", "scenario": sv, "min_duration_ms": 0, "min_query_count": 700, "target_qps": 80.0,
         "target_latency_ms": 100, "latencies_ms": listed(6, 700, 5, 60, over=[(350, 150)])},
        {"name": "server-500-one-over", "scenario": sv, "min_duration_ms": 0, "min_query_count": 500, "target_qps": 80.0,
         "target_latency_ms": 100, "latencies_ms": listed(7, 500, 5, 60, over=[(100, 150)])},
        {"name": "server-300-five-over", "scenario": sv, "min_duration_ms": 0, "min_query_count": 300, "target_qps": 80.0,
         "target_latency_ms": 100, "latencies_ms": listed(8, 300, 5, 60, over=[(i, 200) for i in (10, 70, 130, 190, 250)])},
        {"name": "server-max-queries", "scenario": sv, "min_duration_ms": 0, "min_query_count": 500, "max_query_count": 200,
         "target_qps": 80.0, "target_latency_ms": 100, "latencies_ms": listed(9, 500, 5, 60)},
    ]


def main():
    out = []
    for case in cases():
        started = time.time()
        summary, detail = run_case(case)
        case["loadgen"] = extract(summary, detail, case["scenario"])
        case["loadgen_summary"] = summary
        print("%-22s %-8s %5.1f s" % (case["name"], case["loadgen"]["result"], time.time() - started), file=sys.stderr)
        out.append(case)
    with open(sys.argv[1], "w") as f:
        json.dump({"loadgen_version": lg.__dict__.get("__version__", "see README"), "grid_ms": GRID_MS, "cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
