#!/usr/bin/env python3
"""scripts/bench cluster, parts (a) and (d) (docs/testing.md, "Benchmarks"): post-call throughput
through the whole pipeline with N `callpipe serve` processes, and a node killed with SIGKILL
under load.

(a) For each engine and node count: a fresh database, the fake OpenAI server (0.3 s per answer),
    N nodes sharing one data directory (SQLite: one node only — it is the single-node store),
    CALLS uploads of Fixtures/audio/call.mp3 spread round-robin over the nodes, each call ended;
    calls/min = CALLS over the time from the first upload to the last call done.
(d) With PostgreSQL and 3 nodes: node 0 is killed with SIGKILL once a quarter of the calls are done;
    every call must still end done, delivered once to a webhook target (a receiver in this script
    counts deliveries per Idempotency-Key); reported: calls lost, duplicate deliveries, seconds
    from the kill until the last call was done.
Prints one line per run; the caller (scripts/bench) repeats runs and summarises.
"""
import argparse
import http.server
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

root = pathlib.Path(__file__).resolve().parent.parent.parent
fixture = (root / "Fixtures/audio/call.mp3").read_bytes()


class Deliveries(http.server.BaseHTTPRequestHandler):
    counts: dict = {}
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        key = self.headers.get("Idempotency-Key", "")
        with Deliveries.lock:
            Deliveries.counts[key] = Deliveries.counts.get(key, 0) + 1
        body = b'{"ok":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def request(method, url, key, body=None, content_type=None, timeout=120):
    headers = {"Authorization": f"Bearer {key}"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def query(url, sql):
    """One number from the database (psql)."""
    out = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def start_node(callpipe, data, environment, index):
    log = open(data / f"node-{index}.log", "w")
    process = subprocess.Popen(
        [callpipe, "serve", "--port", "0", "--data-dir", str(data)],
        env={**environment, "CALLPIPE_NODE_ID": f"node-{index}"}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        text = (data / f"node-{index}.log").read_text()
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
        if match:
            return process, f"http://127.0.0.1:{match.group(1)}"
        if process.poll() is not None:
            sys.exit(f"node {index} exited: {text[-2000:]}")
        time.sleep(0.1)
    sys.exit(f"node {index} did not start")


def run(args, engine, nodes, kill):
    work = pathlib.Path(tempfile.mkdtemp(prefix="callpipe-cluster-"))
    processes = []
    try:
        data = work / "data"
        data.mkdir()
        environment = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
        fake = subprocess.Popen([args.bench, "fake-openai", "--work", str(work / "fake")], stdout=subprocess.PIPE)
        processes.append(fake)
        info = json.loads(fake.stdout.readline())
        Deliveries.counts = {}
        receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deliveries)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        target = {"kind": "webhook", "url": f"http://127.0.0.1:{receiver.server_address[1]}/hook",
                  "secret": "whsec_bench", "name": "bench-hook"}
        environment.update({
            "OPENAI_API_KEY": info["api_key"], "OPENAI_BASE_URL": info["base_url"], "CALLPIPE_CA_FILE": info["ca_file"],
            "CALLPIPE_DEV_MODE": "false", "LOG_LEVEL": "info", "CALLPIPE_CRM_TARGETS": json.dumps([target]),
            "CALLPIPE_JOB_LEASE_S": "5", "CALLPIPE_RATE_LIMIT_RPS": "1000",
        })
        if engine == "postgres":
            database = f"bench_{os.getpid()}_{int(time.time() * 1000)}"
            subprocess.run(["psql", args.database_url.replace("/bench?", "/postgres?"), "-qc",
                            f"CREATE DATABASE {database}"], check=True, env={**os.environ})
            environment["CALLPIPE_DATABASE_URL"] = args.database_url.replace("/bench?", f"/{database}?")
        key = subprocess.run(
            [args.callpipe, "keys", "create", "--role", "admin", "--data-dir", str(data)],
            env=environment, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        bases = []
        for index in range(nodes):
            process, base = start_node(args.callpipe, data, environment, index)
            processes.append(process)
            bases.append(base)

        def one(index):
            base = bases[index % len(bases)] if not kill else bases[1 + index % (len(bases) - 1)]
            call = request("POST", f"{base}/api/calls/start", key, json.dumps({"agent_id": f"agent-{index % 7}"}).encode(),
                           "application/json")
            request("POST", f"{base}/api/calls/{call['id']}/audio", key, fixture, "audio/mpeg")
            request("POST", f"{base}/api/calls/{call['id']}/end", key)
            return call["id"]

        killed_at = None

        def kill_mid_job():
            # Node 0 is killed once a quarter of the calls are done, in the middle of a job.
            nonlocal killed_at
            url = environment["CALLPIPE_DATABASE_URL"]
            until = time.time() + args.timeout
            while time.time() < until:
                if query(url, "SELECT count(*) FROM calls WHERE status = 'done'") >= args.calls // 4 and query(
                        url, "SELECT count(*) FROM jobs WHERE state = 'running' AND claimed_by = 'node-0'") > 0:
                    processes[1].send_signal(signal.SIGKILL)  # processes[0] is the fake
                    killed_at = time.time()
                    return
                time.sleep(0.02)

        if kill:
            threading.Thread(target=kill_mid_job, daemon=True).start()
        started = time.time()
        with ThreadPoolExecutor(max_workers=4) as pool:
            ids = list(pool.map(one, range(args.calls)))

        remaining = set(ids)
        deadline = time.time() + args.timeout
        observer = bases[-1]
        while remaining and time.time() < deadline:
            for call_id in list(remaining):
                detail = request("GET", f"{observer}/api/calls/{call_id}", key)
                jobs = detail.get("jobs", [])
                if detail.get("status") in ("done", "failed") and jobs and all(
                        job["state"] in ("done", "failed") for job in jobs):
                    remaining.discard(call_id)
            time.sleep(0.2)
        finished = time.time()
        done = [c for c in ids if c not in remaining]
        failed = [c for c in done if request("GET", f"{observer}/api/calls/{c}", key).get("status") != "done"]
        # The outbox delivers after the final summary: wait for the last deliveries to land.
        wait_until = time.time() + 30
        while time.time() < wait_until and len(Deliveries.counts) < len(ids):
            time.sleep(0.2)
        duplicates = sum(count - 1 for count in Deliveries.counts.values() if count > 1)
        minutes = (finished - started) / 60
        if kill and killed_at is None:
            print("pipeline: node 0 never held a running job while calls remained; no kill happened", file=sys.stderr)
        line = (f"pipeline {engine} nodes {nodes} calls {len(ids)} done {len(done) - len(failed)} "
                f"lost {len(remaining) + len(failed)} calls_per_min {len(done) / minutes:.1f} "
                f"delivered {len(Deliveries.counts)} duplicates {duplicates}")
        if kill:
            line += f" killed {1 if killed_at else 0} recovered_s {finished - (killed_at or finished):.1f}"
        print(line, flush=True)
        receiver.shutdown()
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--callpipe", required=True)
    parser.add_argument("--bench", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--nodes", default="1,2,3")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--kill", action="store_true", help="only part (d)")
    args = parser.parse_args()
    if args.kill:
        run(args, "postgres", 3, kill=True)
        return
    run(args, "sqlite", 1, kill=False)
    for nodes in [int(n) for n in args.nodes.split(",")]:
        run(args, "postgres", nodes, kill=False)


main()
