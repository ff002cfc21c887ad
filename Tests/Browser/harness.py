"""What the browser suite and `scripts/bench ui` share: a real `callpipe serve` in a temporary data
directory, keys made with `callpipe keys create`, and headless Chromium driven by Selenium.

Nothing here touches the internet: Debian's chromium and chromedriver are given explicitly (no
Selenium Manager downloads) and the server uses the offline AI provider unless told otherwise.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Fixtures" / "audio"
ARTIFACTS = ROOT / ".build" / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CALLPIPE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CALLPIPE_CHROMEDRIVER", "/usr/bin/chromedriver")


def callpipe_binary():
    """The `callpipe` built by `swift build` (CALLPIPE_BIN overrides)."""
    explicit = os.environ.get("CALLPIPE_BIN")
    if explicit:
        return explicit
    found = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
    return str(Path(found.stdout.strip()) / "callpipe")


class Server:
    """`callpipe serve --port 0` with its own data directory and log; stop() ends it with SIGTERM."""

    def __init__(self, data_dir=None, environment=None, port=0, binary=None):
        self.binary = binary or callpipe_binary()
        self.owns_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="callpipe-e2e-"))
        self.environment = environment or {}
        self.requested_port = port
        self.process = None
        self.port = None
        self.dev_key = None
        self.dev_agent_key = None

    def env(self):
        base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
        # No CALLPIPE_PUBLIC_DIR: the server must find Public/ from its executable, as in a fresh clone.
        base.update({"CALLPIPE_DEV_MODE": "true", "LOG_LEVEL": "info"})
        base.update(self.environment)
        return base

    def run_cli(self, *arguments, check=True, timeout=120):
        result = subprocess.run([self.binary, *arguments], cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"callpipe {' '.join(arguments)} failed ({result.returncode}): {result.stderr}")
        return result

    def make_key(self, role, agent_id=None):
        arguments = ["keys", "create", "--role", role, "--data-dir", str(self.data_dir)]
        if agent_id:
            arguments += ["--agent-id", agent_id]
        return self.run_cli(*arguments).stdout.strip().splitlines()[-1]

    def start(self, timeout=120):
        self.log_path = self.data_dir / f"serve-{int(time.time() * 1000)}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.requested_port), "--data-dir", str(self.data_dir)],
            cwd=self.data_dir, env=self.env(), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.log_path.read_text(errors="replace")
            listening = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
            dashboard = re.search(r"dashboard: (\S+)", text)
            if listening and dashboard:
                self.port = int(listening.group(1))
                self.dev_key = re.search(r"supervisor key (\S+)", text).group(1)
                self.dev_agent_key = re.search(r"agent key for the dashboard's uploads \(agent dev-agent\): (\S+)", text).group(1)
                self.dashboard_url = dashboard.group(1)
                self.wait_healthy(deadline)
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"callpipe serve exited: {text}")
            time.sleep(0.1)
        raise RuntimeError(f"callpipe serve did not start: {self.log_path.read_text(errors='replace')}")

    def wait_healthy(self, deadline):
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, path, key, method="GET", body=None, content_type=None):
        headers = {"Authorization": f"Bearer {key}"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(f"{self.url}{path}", method=method, data=body, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def processed_call(self, agent_key, audio, content_type="audio/mpeg", timeout=120):
        """Uploads `audio` as a call through the HTTP API, ends it and waits until the pipeline is
        done; returns the call id."""
        call = self.api("/api/calls/start", agent_key, "POST", json.dumps({"customer_id": "cust-api"}).encode(),
                        "application/json")["id"]
        self.api(f"/api/calls/{call}/audio", agent_key, "POST", audio, content_type)
        self.api(f"/api/calls/{call}/end", agent_key, "POST")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.api(f"/api/calls/{call}", agent_key)["status"]
            if status == "done":
                return call
            if status == "failed":
                raise AssertionError(f"call {call} failed in the pipeline")
            time.sleep(0.5)
        raise AssertionError(f"call {call} was not processed within {timeout} s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def remove(self):
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def chromium(width=1280, height=800, performance_log=False):
    """Headless Chromium through Debian's chromedriver, with the browser log kept (and, for the
    benchmark, the DevTools performance log)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--metrics-recording-only", "--no-default-browser-check", "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(argument)
    prefs = {"browser": "ALL"}
    if performance_log:
        prefs["performance"] = "ALL"
    options.set_capability("goog:loggingPrefs", prefs)
    os.environ.setdefault("SE_OFFLINE", "true")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_window_size(width, height)
    return driver


def wait_for(predicate, timeout=30, interval=0.1, message="condition"):
    """Polls predicate until it returns something truthy; raises AssertionError after timeout."""
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # The page may be between renders.
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}" + (f" (last error: {last_error})" if last_error else ""))


def screenshot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
