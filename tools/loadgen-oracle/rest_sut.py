#!/usr/bin/python3
"""LoadGen's Python SUT against `rfcnperf serve`: each sample is one TF Serving REST request with one b64 JPEG
({"instances": [{"b64": ...}]}), the body `rfcnperf load --payload b64` sends, so LoadGen's summary can be read next to
`rfcnperf load --scenario ... --url` against the same server. Not part of the tests (timings are the machine's).

Usage: PYTHONPATH=<loadgen dir> /usr/bin/python3 rest_sut.py URL IMAGE_DIR OUT_DIR single-stream|server
       [--target-qps Q] [--target-latency-ms L] [--min-duration-ms D] [--min-queries N] [--expected-latency-ms E]
"""
import argparse
import base64
import http.client
import json
import os
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import mlperf_loadgen as lg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("images")
    ap.add_argument("out")
    ap.add_argument("scenario", choices=["single-stream", "server"])
    ap.add_argument("--target-qps", type=float, default=1.0)
    ap.add_argument("--target-latency-ms", type=float, default=200.0)
    ap.add_argument("--min-duration-ms", type=int, default=60000)
    ap.add_argument("--min-queries", type=int, default=100)
    ap.add_argument("--expected-latency-ms", type=float, default=100.0)
    ap.add_argument("--performance-sample-count", type=int, default=64)
    a = ap.parse_args()

    url = urllib.parse.urlparse(a.url)
    path = url.path.rstrip("/") + ":predict"
    files = sorted(os.path.join(a.images, f) for f in os.listdir(a.images) if f.endswith(".jpg"))
    bodies = {}
    local = threading.local()
    pool = ThreadPoolExecutor(max_workers=32)

    def load(indices):
        for i in indices:
            with open(files[i], "rb") as f:
                bodies[i] = json.dumps({"instances": [{"b64": base64.b64encode(f.read()).decode()}]}).encode()

    def unload(indices):
        for i in indices:
            bodies.pop(i, None)

    def send(sample):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            local.conn.request("POST", path, bodies[sample.index], {"Content-Type": "application/json"})
            reply = local.conn.getresponse()
            reply.read()
            if reply.status != 200:
                print("status", reply.status)
        except Exception as ex:  # the sample still completes: LoadGen has no failure outcome
            print("error", ex)
            local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        lg.QuerySamplesComplete([lg.QuerySampleResponse(sample.id, 0, 0)])

    def issue(samples):
        for s in samples:
            pool.submit(send, s)

    settings = lg.TestSettings()
    settings.mode = lg.TestMode.PerformanceOnly
    settings.min_duration_ms = a.min_duration_ms
    settings.min_query_count = a.min_queries
    if a.scenario == "single-stream":
        settings.scenario = lg.TestScenario.SingleStream
        settings.single_stream_expected_latency_ns = int(a.expected_latency_ms * 1e6)
        settings.single_stream_target_latency_percentile = 0.9
    else:
        settings.scenario = lg.TestScenario.Server
        settings.server_target_qps = a.target_qps
        settings.server_target_latency_ns = int(a.target_latency_ms * 1e6)
        settings.server_target_latency_percentile = 0.99
    sut = lg.ConstructSUT(issue, lambda: None)
    qsl = lg.ConstructQSL(len(files), min(a.performance_sample_count, len(files)), load, unload)
    os.makedirs(a.out, exist_ok=True)
    log = lg.LogSettings()
    log.log_output.outdir = a.out
    log.log_output.copy_summary_to_stdout = True
    lg.StartTestWithLogSettings(sut, qsl, settings, log)
    pool.shutdown()
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)


if __name__ == "__main__":
    main()
