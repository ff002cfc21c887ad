"""`scripts/bench ui`: the dashboard's speed in headless Chromium against a release `callpipe serve`.

1. First paint of `/` on loopback (Performance API `first-contentful-paint`): a cold load (empty
   cache) and the median of warm ones.
2. Assets: the bytes of every file the page loads (resource timing), and of all of Public/.
3. The floor with STREAMS (default 200) real live calls — `callpipe replay --streams N`, Twilio
   μ-law in real time, live transcription by the fake OpenAI server — while a PerformanceObserver
   records long tasks and requestAnimationFrame records frame gaps; the WebSocket frames the page
   receives are counted from the DevTools log (the event rate actually achieved).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import FIXTURES, ROOT, Server, chromium, screenshot, wait_for

STREAMS = int(os.environ.get("STREAMS", "200"))
RAMP = float(os.environ.get("RAMP", "10"))
WINDOW = float(os.environ.get("WINDOW", "20"))
BIN = Path(os.environ["CALLPIPE_BIN"]).resolve().parent

MONITOR = """
window.__bench = { longTasks: [], gaps: [], last: performance.now(), running: true };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: false });
const frame = (now) => {
  const bench = window.__bench;
  bench.gaps.push(now - bench.last);
  bench.last = now;
  if (bench.running) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
"""


def first_paint(driver, url, cold):
    if cold:
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.get("about:blank")
    driver.get(url)
    return wait_for(lambda: driver.execute_script(
        "const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null"), message="first paint")


def main():
    fake = subprocess.Popen([str(BIN / "callpipe-bench"), "fake-openai", "--work", str(ROOT / ".build-bench" / "ui"), "--latency", "0.3"],
                            stdout=subprocess.PIPE, text=True)
    fake_info = json.loads(fake.stdout.readline())
    server = Server(binary=str(BIN / "callpipe"), environment={
        "CALLPIPE_AI_PROVIDER": "openai", "OPENAI_BASE_URL": fake_info["base_url"], "OPENAI_API_KEY": fake_info["api_key"],
        "CALLPIPE_CA_FILE": fake_info["ca_file"], "CALLPIPE_WORKERS": "0"})
    replay = None
    driver = None
    try:
        admin = server.make_key("admin")
        server.start()
        driver = chromium(performance_log=True)
        driver.execute_cdp_cmd("Network.enable", {})
        url = f"{server.url}/"
        driver.get(url)
        driver.execute_script(f"sessionStorage.setItem('callpipe.key', {json.dumps(server.dev_key)})")
        cold = first_paint(driver, url, cold=True)
        warm = [first_paint(driver, url, cold=False) for _ in range(5)]
        wait_for(lambda: driver.execute_script("return document.getElementById('connection').dataset.state") == "open", message="the rooms")
        resources = driver.execute_script("""
            const entries = performance.getEntriesByType('resource').map((e) => [e.name, e.encodedBodySize || e.transferSize]);
            const nav = performance.getEntriesByType('navigation')[0];
            return [[location.href, nav.encodedBodySize || nav.transferSize], ...entries];""")
        page_bytes = sum(size for name, size in resources if "/api/" not in name and "/ws" not in name)
        public_bytes = sum(path.stat().st_size for path in (ROOT / "Public").rglob("*") if path.is_file())

        # The floor under load.
        driver.execute_script(MONITOR)
        driver.get_log("performance")
        started = time.time()
        replay = subprocess.Popen(
            [str(BIN / "callpipe"), "replay", str(FIXTURES / "call.mp3"), "--server", server.url, "--token", admin,
             "--protocol", "twilio", "--streams", str(STREAMS), "--ramp", str(RAMP), "--agent-id", "bench", "--json"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        live_rows = lambda: driver.execute_script("return document.querySelectorAll('.call-row.is-live').length")
        wait_for(lambda: live_rows() >= STREAMS * 0.95, timeout=RAMP + 30, interval=0.5, message=f"{STREAMS} live rows")
        ramped = time.time() - started
        driver.execute_script("window.__bench.longTasks = []; window.__bench.gaps = []; window.__bench.last = performance.now();")
        driver.get_log("performance")
        window_start = time.time()
        time.sleep(WINDOW)
        elapsed = time.time() - window_start
        bench = driver.execute_script("window.__bench.running = false; return window.__bench;")
        frames = sum(1 for entry in driver.get_log("performance")
                     if json.loads(entry["message"])["message"]["method"] == "Network.webSocketFrameReceived")
        rows_during = live_rows()
        screenshot(driver, f"bench-floor-{STREAMS}-live")
        gaps = sorted(bench["gaps"])
        long_tasks = bench["longTasks"]

        print(f"ui benchmark: headless Chromium, release callpipe serve on loopback, {STREAMS} live calls")
        print(f"  first contentful paint of /: cold {cold:.0f} ms, warm median {statistics.median(warm):.0f} ms "
              f"(max {max(warm):.0f} ms)   target < 300 ms")
        print(f"  assets: {page_bytes / 1024:.1f} KB loaded by the page, {public_bytes / 1024:.1f} KB in Public/   target < 150 KB")
        print(f"  floor: {rows_during} live rows ({STREAMS} streams started over {RAMP:.0f} s, all on the floor after {ramped:.1f} s)")
        print(f"  events received by the page: {frames} in {elapsed:.1f} s = {frames / elapsed:.0f}/s   target >= 100/s")
        print(f"  frames: {len(gaps)} in {elapsed:.1f} s, gap p50 {percentile(gaps, 0.5):.1f} ms, p99 {percentile(gaps, 0.99):.1f} ms, "
              f"longest {max(gaps) if gaps else 0:.1f} ms")
        print(f"  long tasks (> 50 ms): {len(long_tasks)}, longest {max(long_tasks) if long_tasks else 0:.0f} ms   target: none")
        ok = (cold < 300 and page_bytes < 150 * 1024 and public_bytes < 150 * 1024 and not long_tasks
              and (max(gaps) if gaps else 0) <= 50 and frames / elapsed >= 100)
        print("  result: " + ("all targets met" if ok else "a target was missed"))
        return 0
    finally:
        if replay and replay.poll() is None:
            replay.terminate()
            replay.wait()
        if driver:
            driver.quit()
        server.stop()
        server.remove()
        fake.terminate()
        fake.wait()


def percentile(values, fraction):
    if not values:
        return 0
    return values[min(len(values) - 1, int(fraction * len(values)))]


if __name__ == "__main__":
    sys.exit(main())
