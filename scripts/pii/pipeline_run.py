#!/usr/bin/env python3
"""The real-speech card numbers through the whole pipeline (scripts/bench pii): a `callpipe serve`
with the offline default and redaction as shipped (text+audio), each call uploaded, processed,
then read back — its stored transcript, and its recording transcribed again by `callpipe
transcribe`. Reports, per call, what the model heard on the customer's channel before redaction
(its words, spaces and commas left out), whether the stored transcript holds a [CARD_NUMBER] token, and how many of the
card's digits in a row survive anywhere (stored lines, or the redacted recording heard again).

Usage: pipeline_run.py CALLPIPE_BINARY CALLS_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request


def request(base, key, method, path, body=None, content_type=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as response:
        data = response.read()
    return json.loads(data) if data[:1] in (b"{", b"[") else data


def longest_run(card, text):
    """The most consecutive digits of `card` found, in order, in the digits of `text`."""
    digits = re.sub(r"\D", "", text)
    best = 0
    for length in range(1, len(card) + 1):
        if any(card[i:i + length] in digits for i in range(len(card) - length + 1)):
            best = length
        else:
            break
    return best


def transcribe(binary, path):
    out = subprocess.run([binary, "transcribe", "--json", path], capture_output=True, text=True,
                         env=dict(os.environ, CALLPIPE_AI_PROVIDER="local"), check=True).stdout
    return json.loads(out)["transcript"]["segments"]


def main():
    binary, calls_dir, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    key = subprocess.run([binary, "keys", "create", "--role", "admin", "--data-dir", work], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()[-1]
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([binary, "serve", "--port", "0", "--data-dir", work], stdout=log, stderr=log,
                              env=dict(os.environ, CALLPIPE_AI_PROVIDER="local", CALLPIPE_DEV_MODE="false"))
    try:
        port = None
        for _ in range(400):
            text = open(os.path.join(work, "serve.log")).read()
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
            if match:
                port = int(match.group(1))
                break
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        truth = json.load(open(os.path.join(calls_dir, "truth.json")))
        print(f"{'call':16} {'card':17} {'heard before (customer)':28} {'token':>5} {'run in lines':>12} {'run in audio':>12}")
        for entry in truth:
            path = os.path.join(calls_dir, entry["file"])
            before = " ".join(s["text"] for s in transcribe(binary, path) if s["speaker"] == "customer")
            call = request(base, key, "POST", "/api/calls/start", json.dumps({"agent_id": "bench"}).encode(),
                           "application/json")["id"]
            request(base, key, "POST", f"/api/calls/{call}/audio", open(path, "rb").read(), "audio/wav")
            request(base, key, "POST", f"/api/calls/{call}/end")
            for _ in range(1200):
                detail = request(base, key, "GET", f"/api/calls/{call}")
                if detail["status"] in ("done", "failed"):
                    break
                time.sleep(0.1)
            lines = " ".join(s["text"] for s in detail["transcript"]["segments"])
            recording = os.path.join(work, f"{call}.flac")
            with open(recording, "wb") as handle:
                handle.write(request(base, key, "GET", f"/api/calls/{call}/recording"))
            after = " ".join(s["text"] for s in transcribe(binary, recording))
            heard = before.replace(",", "").replace(" ", "")
            print(f"{entry['file']:16} {entry['card']:17} {heard[:26]:28} {'yes' if '[CARD_NUMBER]' in lines else 'no':>5} "
                  f"{longest_run(entry['card'], lines):>12} {longest_run(entry['card'], after):>12}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
