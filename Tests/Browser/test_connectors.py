"""The dashboard's connector views in headless Chromium against a real `callpipe serve` (issue 17):
sources and their sync log, settings, archives, the voice-bot KPIs and agent activity, the source
filter, and following the newest live call. Dialpad and ElevenLabs are stood in for by
`vendor_mocks.VendorMocks` on loopback, with calls and conversations in the previous UTC month; the
connector routes need an admin key, so the dashboard is signed in with one.

As in test_dashboard.py, every test fails on any SEVERE browser log entry it did not expect, leaves
a screenshot in .build/artifacts/e2e/, and makes what it needs on first use (any order works).
"""

import json
import re
import subprocess
import time
import unittest
import urllib.error
from datetime import datetime, timedelta, timezone

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import FIXTURES, Server, chromium, screenshot, wait_for
from vendor_mocks import AGENT, CONVERSATIONS, DEPARTMENT, DIALPAD_CALLS, DIALPAD_KEY, ELEVENLABS_KEY, VendorMocks

# A schedule that does not fire while the suite runs (00:00 on 1 January): only the tests start syncs.
QUIET_SCHEDULE = "0 0 1 1 *"


def month_start(moment):
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class ConnectorViewTests(unittest.TestCase):
    server = None
    driver = None
    mocks = None
    imported = False

    @classmethod
    def setUpClass(cls):
        this_month = month_start(datetime.now(timezone.utc))
        cls.month = month_start(this_month - timedelta(days=1))  # The mocks' data: the previous month.
        cls.month_text = cls.month.strftime("%Y-%m")
        cls.window = {"from": cls.month.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": this_month.strftime("%Y-%m-%dT%H:%M:%SZ")}
        cls.mocks = VendorMocks(cls.month).start()
        # Not the dev-mode mocks of 1,500 calls each (with recordings for the pipeline): the tests'
        # own few (the connectors are pointed at them either way).
        cls.server = Server(environment={"CALLPIPE_CONNECTOR_MOCK": "false"})
        cls.server.run_cli("seed-demo", "--days", "2", "--data-dir", str(cls.server.data_dir))
        cls.admin = cls.server.make_key("admin")
        cls.server.start()
        cls.driver = chromium()

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()
        if cls.server:
            cls.server.stop()
            cls.server.remove()
        if cls.mocks:
            cls.mocks.stop()

    def setUp(self):
        self.allowed_errors = []
        self.driver.set_window_size(1280, 800)
        self.driver.get_log("browser")

    def tearDown(self):
        screenshot(self.driver, self.id().split(".")[-1])
        severe = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        unexpected = [m for m in severe if not any(re.search(pattern, m) for pattern in self.allowed_errors)]
        self.assertEqual(unexpected, [], "console errors")

    # Helpers

    def api(self, path, method="GET", body=None):
        data = None if body is None else json.dumps(body).encode()
        return self.server.api(path, self.admin, method, data, "application/json" if data is not None else None)

    def refused(self, path, method, body):
        """The server's error for a request it refuses: (status, code, message)."""
        with self.assertRaises(urllib.error.HTTPError) as refusal:
            self.api(path, method, body)
        error = json.loads(refusal.exception.read())["error"]
        return refusal.exception.code, error["code"], error["message"]

    def configure(self, kind):
        """The connector pointed at its mock, with its key (PUT only what a test needs)."""
        settings = {
            "dialpad": {"api_key": DIALPAD_KEY, "target_id": DEPARTMENT, "base_url": self.mocks.dialpad_url},
            "elevenlabs": {"api_key": ELEVENLABS_KEY, "target_id": AGENT, "base_url": self.mocks.elevenlabs_url},
        }[kind]
        return self.api(f"/api/connectors/{kind}", "PUT", {**settings, "schedule": QUIET_SCHEDULE, "enabled": True})

    def runs(self, kind):
        return self.api(f"/api/connectors/sync-runs?kind={kind}&limit=50")["runs"]

    def finished(self, kind, run_id, timeout=60):
        return wait_for(lambda: next((r for r in self.runs(kind) if r["id"] == run_id and r["status"] != "running"), None),
                        timeout=timeout, message=f"{kind} run {run_id} to finish")

    def import_calls(self):
        """Both connectors synced over the mocks' month through the API, once for the class."""
        if ConnectorViewTests.imported:
            return
        for kind in ("dialpad", "elevenlabs"):
            self.configure(kind)
            wait_for(lambda: not any(r["status"] == "running" for r in self.runs(kind)), timeout=60, message=f"no {kind} run going")
            run = self.api(f"/api/connectors/{kind}/sync", "POST", self.window)["run"]
            done = self.finished(kind, run["id"])
            self.assertEqual(done["status"], "succeeded", done)
        ConnectorViewTests.imported = True

    def open(self, hash_path):
        self.driver.get(f"{self.server.url}/#{hash_path}")

    def sign_in(self, hash_path):
        self.driver.get(f"{self.server.url}/?token={self.admin}#{hash_path}")
        wait_for(lambda: self.driver.find_element(By.ID, "connection").get_attribute("data-state") == "open", message="the rooms connection")

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector):
        for _ in range(5):
            found = self.css(selector)
            try:
                return found[0].text if found else ""
            except StaleElementReferenceException:
                time.sleep(0.05)
        return self.css(selector)[0].text if self.css(selector) else ""

    def fill(self, selector, value):
        field = self.driver.find_element(By.CSS_SELECTOR, selector)
        field.clear()
        field.send_keys(value)

    def kpi(self, name):
        return self.text(f"#voicebot-kpis [data-kpi='{name}'] .v")

    def everything_the_page_holds(self):
        """The DOM as HTML, every field's value and both storages: where a key must never be."""
        return self.driver.execute_script("""
            const values = [...document.querySelectorAll('input, textarea, select')].map((el) => el.value);
            const stored = [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`));
            return [document.documentElement.outerHTML, ...values, ...stored, location.href].join('\\n');""")

    def no_horizontal_overflow(self):
        return self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Scenarios

    def test_01_the_sources_view_shows_both_connectors_and_a_manual_run_in_the_sync_log(self):
        self.allowed_errors = [r"/api/connectors/elevenlabs/sync - .*status of 409"]
        dialpad = self.configure("dialpad")
        # ElevenLabs without a key: "Run now" is refused as not configured (what it imported stays).
        self.api("/api/connectors/elevenlabs", "PUT", {"api_key": ""})
        before = {run["id"] for run in self.runs("dialpad")}
        self.sign_in("/sources")
        wait_for(lambda: self.text("#source-dialpad-key") not in ("", "…"), message="the connectors")
        self.assertEqual(self.text("section.connector-card[data-kind=dialpad] h2"), "Dialpad")
        self.assertEqual(self.text("section.connector-card[data-kind=elevenlabs] h2"), "ElevenLabs")
        self.assertEqual(self.text("#source-dialpad-key"), dialpad["api_key"])
        self.assertEqual(self.text("#source-dialpad-target"), DEPARTMENT)
        self.assertEqual(self.text("#source-dialpad-schedule"), dialpad["schedule"])
        self.assertEqual(self.text("#source-dialpad-enabled"), "yes")
        self.assertEqual(self.text("#source-elevenlabs-key"), "not set")
        self.assertNotIn(DIALPAD_KEY, self.everything_the_page_holds())

        self.css("section.connector-card[data-kind=elevenlabs] button.primary")[0].click()
        _, code, message = self.refused("/api/connectors/elevenlabs/sync", "POST", {})
        self.assertEqual(code, "not_configured")
        wait_for(lambda: message in self.text("#source-elevenlabs-message"), message="the not-configured message")
        self.assertEqual(self.css("#source-elevenlabs-message")[0].get_attribute("role"), "alert")

        self.css("section.connector-card[data-kind=dialpad] button.primary")[0].click()
        wait_for(lambda: "sync started" in self.text("#source-dialpad-message"), message="the run started")
        row = wait_for(lambda: [r for r in self.css("#sync-log tbody tr")
                                if r.get_attribute("data-kind") == "dialpad" and r.get_attribute("data-id") not in before],
                       message="the new run in the sync log")[0]
        run_id = row.get_attribute("data-id")
        # Polled every 2 s while it runs: the row turns to succeeded without a reload.
        wait_for(lambda: self.css(f"#sync-log tr[data-id='{run_id}'][data-status=succeeded]"), timeout=60, message="the run to succeed")
        cells = [td.text for td in self.css(f"#sync-log tr[data-id='{run_id}'] td")]
        self.assertEqual([cell.lower() for cell in cells[1:4]], ["dialpad", "manual", "succeeded"])
        run = self.finished("dialpad", run_id)
        self.assertEqual(cells[5:9], [str(run["pages"]), str(run["calls_new"]), str(run["calls_updated"]), str(run["calls_failed"])])
        wait_for(lambda: "succeeded" in self.text("#source-dialpad-last").lower(), message="the card's last run")
        self.assertFalse(self.css("section.connector-card[data-kind=dialpad] .paused")[0].is_displayed())

    def test_02_settings_save_shows_the_key_masked_and_never_the_raw_key(self):
        self.allowed_errors = [r"/api/connectors/dialpad - .*status of 400"]
        self.sign_in("/settings")
        wait_for(lambda: self.css("#settings-dialpad fieldset:not([disabled])"), message="the settings forms")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "label[for=settings-dialpad-target]").text, "Department id")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "label[for=settings-elevenlabs-target]").text, "Agent id")
        key = self.driver.find_element(By.ID, "settings-dialpad-api-key")
        self.assertEqual(key.get_attribute("type"), "password")
        key.send_keys(DIALPAD_KEY)
        self.fill("#settings-dialpad-target", DEPARTMENT)
        self.fill("#settings-dialpad-base-url", self.mocks.dialpad_url)
        self.fill("#settings-dialpad-schedule", QUIET_SCHEDULE)
        enabled = self.driver.find_element(By.ID, "settings-dialpad-enabled")
        if not enabled.is_selected():
            enabled.click()
        self.driver.find_element(By.CSS_SELECTOR, "#settings-dialpad button[type=submit]").click()
        wait_for(lambda: "saved" in self.text("#settings-dialpad [role=status]").lower(), message="saved")
        stored = self.api("/api/connectors/dialpad")
        self.assertEqual((stored["target_id"], stored["base_url"]), (DEPARTMENT, self.mocks.dialpad_url))
        self.assertEqual(stored["schedule"].split(), QUIET_SCHEDULE.split())
        self.assertEqual(key.get_attribute("value"), "", "the key field is emptied after a save")
        self.assertEqual(key.get_attribute("placeholder"), stored["api_key"])
        self.assertTrue(stored["api_key"].endswith(DIALPAD_KEY[-4:]) and DIALPAD_KEY not in stored["api_key"], stored["api_key"])
        self.assertNotIn(DIALPAD_KEY, self.everything_the_page_holds())

        # A wrong schedule: the server's 400 message as it is, nothing stored.
        self.fill("#settings-dialpad-schedule", "61 * * * *")
        self.driver.find_element(By.CSS_SELECTOR, "#settings-dialpad button[type=submit]").click()
        status, code, message = self.refused("/api/connectors/dialpad", "PUT", {"schedule": "61 * * * *"})
        self.assertEqual((status, code), (400, "invalid_schedule"))
        wait_for(lambda: self.text("#settings-dialpad .error") == message, message="the server's message")
        self.assertEqual(self.api("/api/connectors/dialpad")["schedule"], stored["schedule"])
        self.assertNotIn(DIALPAD_KEY, self.everything_the_page_holds())

    def test_03_archiving_a_month_lists_it_and_downloads_it_with_the_key(self):
        self.sign_in("/archives")
        month = wait_for(lambda: self.driver.find_element(By.ID, "archive-month"))
        self.assertEqual(month.get_attribute("value"), self.month_text, "the previous month by default")
        for _ in range(2):  # Again for the same month: replaced, still one row.
            self.driver.find_element(By.CSS_SELECTOR, "form[aria-label='Archive a month'] button[type=submit]").click()
            wait_for(lambda: f"Archived {self.month_text}" in self.text("#view p[role=status]"), message="archived")
            self.driver.execute_script("document.querySelector('#view p[role=status]').textContent = ''")
        archive = next(a for a in self.api("/api/archives")["archives"] if a["month"] == self.month_text)
        rows = wait_for(lambda: self.css(f"#archives tbody tr[data-month='{self.month_text}']"), message="the archive listed")
        self.assertEqual(len(rows), 1)
        cells = [cell.text for cell in rows[0].find_elements(By.CSS_SELECTOR, "th, td")]
        self.assertEqual(cells[0], self.month_text)
        self.assertEqual(cells[1], str(archive["calls"]))
        self.assertEqual(cells[3], archive["sha256"][:12])
        # The download is fetched with the key in a header and saved from a Blob (the click on the
        # temporary link is caught here, so nothing lands in a downloads folder).
        self.driver.execute_script("""
            window.__saved = [];
            const original = URL.createObjectURL.bind(URL);
            URL.createObjectURL = (blob) => { window.__saved.push({ size: blob.size }); return original(blob); };
            HTMLAnchorElement.prototype.click = function () { window.__saved.push({ name: this.download }); };""")
        rows[0].find_element(By.CSS_SELECTOR, "button").click()
        saved = wait_for(lambda: self.driver.execute_script("return window.__saved.length >= 2 && window.__saved"), message="the download")
        self.assertEqual(saved, [{"size": archive["bytes"]}, {"name": archive["file_name"]}])

    def test_04_the_voice_bot_view_shows_the_months_kpis_and_agent_activity(self):
        self.import_calls()
        kpis = self.api(f"/api/analytics/voicebot?month={self.month_text}")
        activity = self.api(f"/api/analytics/agent-activity?month={self.month_text}")
        self.assertEqual(kpis["sessions"], len(CONVERSATIONS))
        self.sign_in("/voicebot")
        month = wait_for(lambda: self.driver.find_element(By.ID, "voicebot-month"))
        self.assertEqual(month.get_attribute("value"), datetime.now(timezone.utc).strftime("%Y-%m"), "this month by default")
        self.driver.execute_script("arguments[0].value = arguments[1]", month, self.month_text)
        self.driver.find_element(By.CSS_SELECTOR, "form[aria-label=Month] button[type=submit]").click()
        wait_for(lambda: f"month={self.month_text}" in self.driver.current_url, message="the month in the address")
        wait_for(lambda: self.kpi("sessions") == str(kpis["sessions"]), message="the sessions")
        outcomes = kpis["outcomes"]
        self.assertEqual(self.kpi("conversion"), f"{kpis['conversion_percent']:.1f}%")
        self.assertEqual([self.kpi(k) for k in ("successful", "failed", "unknown")],
                         [str(outcomes["successful"]), str(outcomes["failed"]), str(outcomes["unknown"])])
        self.assertEqual(self.kpi("drop-outs"), str(kpis["drop_outs"]))
        self.assertTrue(self.kpi("transfers").startswith(f"{kpis['transfers']} ("))
        self.assertTrue(self.kpi("technical-errors").startswith(f"{kpis['technical_errors']} ("))
        self.assertEqual(self.kpi("short-long"), f"{kpis['durations']['short']} / {kpis['durations']['long']}")
        self.assertNotIn("undefined", self.text("#voicebot-kpis"))
        self.assertNotIn("NaN", self.text("#voicebot-kpis"))
        # Per criterion and per direction, and the daily trend.
        for criterion, counts in kpis["criteria"].items():
            row = self.css(f"figure.panel tr[data-name='{criterion}'] td")
            self.assertEqual([c.text for c in row[1:4]], [str(counts["successful"]), str(counts["failed"]), str(counts["unknown"])])
        self.assertEqual(len(self.css("figure.panel tr[data-name=inbound], figure.panel tr[data-name=outbound]")), len(kpis["by_direction"]))
        self.assertGreaterEqual(len(self.css("figure.chart svg circle")), len(kpis["daily"]))
        # Agent activity: a row per agent and the totals.
        rows = self.css("#agent-activity tbody tr[data-agent]")
        self.assertEqual(len(rows), len(activity["agents"]))
        self.assertGreaterEqual(len(rows), 2)
        totals = [c.text for c in self.css("#agent-activity tfoot td")]
        total = activity["total"]
        self.assertEqual(totals[:5], [str(total[k]) for k in ("total", "inbound", "outbound", "completed", "missed")])
        self.assertTrue(self.no_horizontal_overflow(), "the voice-bot view fits 1280 px")

    def test_05_the_source_filter_narrows_history_and_analytics(self):
        self.import_calls()
        everything = self.api("/api/calls/history?page_size=1")["total"]
        self.sign_in("/history")
        wait_for(lambda: self.css("#history-status") and "page 1 of" in self.text("#history-status"), message="the history")
        for source, name, expected in (("dialpad", "Dialpad", len(DIALPAD_CALLS)), ("elevenlabs", "ElevenLabs", len(CONVERSATIONS))):
            total = self.api(f"/api/calls/history?page_size=1&source={source}")["total"]
            self.assertEqual(total, expected)
            Select(self.driver.find_element(By.ID, "filter-source")).select_by_visible_text(name)
            self.driver.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
            wait_for(lambda: f"source={source}" in self.driver.current_url, message="the filter in the address")
            wait_for(lambda: self.text("#history-status").startswith(f"{total} calls"), message=f"{source} calls only")
            rows = self.css("tbody tr")
            self.assertEqual(len(rows), total)
            self.assertEqual({r.get_attribute("data-source") for r in rows}, {source})
            self.assertEqual({r.find_element(By.CSS_SELECTOR, ".source-tag").text for r in rows}, {name})
        self.assertGreater(everything, len(DIALPAD_CALLS) + len(CONVERSATIONS), "the demo calls are there too")
        Select(self.driver.find_element(By.ID, "filter-source")).select_by_visible_text("CallPipe")
        self.driver.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
        wait_for(lambda: "source=callpipe" in self.driver.current_url, message="CallPipe's own calls")
        wait_for(lambda: self.css("tbody tr") and not self.css("tbody .source-tag")
                 and {r.get_attribute("data-source") for r in self.css("tbody tr")} == {"callpipe"}, message="no imported call")
        # Analytics narrowed the same way.
        expected = self.api(f"/api/analytics/dashboard?source=dialpad&from={self.month_text}-01")["totals"]["calls"]
        self.open(f"/analytics?source=dialpad&from={self.month_text}-01")
        wait_for(lambda: self.css(".kpi .v") and self.text(".kpi .v") == str(expected), timeout=20, message="Dialpad's calls in analytics")
        self.assertEqual(Select(self.driver.find_element(By.ID, "filter-source")).first_selected_option.text, "Dialpad")

    def test_06_follow_newest_switches_the_call_view_to_each_new_live_call_and_persists(self):
        self.sign_in("/floor")
        toggle = wait_for(lambda: self.driver.find_element(By.ID, "follow-newest"))
        self.assertFalse(toggle.is_selected(), "off by default")
        toggle.click()
        self.assertEqual(self.driver.execute_script("return localStorage.getItem('callpipe.followNewest')"), "true")
        self.driver.refresh()
        wait_for(lambda: self.driver.find_element(By.ID, "follow-newest").is_selected(), message="the toggle kept across a reload")
        wait_for(lambda: self.driver.find_element(By.ID, "connection").get_attribute("data-state") == "open", message="the rooms connection")
        replays = []
        try:
            for agent in ("follow-a", "follow-b"):
                replays.append(subprocess.Popen(
                    [self.server.binary, "replay", str(FIXTURES / "call.mp3"), "--server", self.server.url, "--token", self.admin,
                     "--agent-id", agent, "--protocol", "twilio", "--speed", "2"],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
                wait_for(lambda: "/calls/" in self.driver.current_url and agent in self.text(".call-meta"), timeout=30, message=f"{agent}'s call opened")
                call = self.driver.current_url.split("/calls/")[1]
                self.assertEqual(self.api(f"/api/calls/{call}")["agent_id"], agent)
                wait_for(lambda: self.text(".pill").lower() == "live", message="the live call view")
            self.assertTrue(self.driver.find_element(By.ID, "follow-newest").is_selected(), "the toggle is on the call view too")
            self.driver.find_element(By.ID, "follow-newest").click()
            self.assertIsNone(self.driver.execute_script("return localStorage.getItem('callpipe.followNewest')"))
        finally:
            for replay in replays:
                output, _ = replay.communicate(timeout=120)
                self.assertEqual(replay.returncode, 0, output)

    def test_07_the_connector_views_fit_a_phone_and_label_every_control(self):
        self.driver.set_window_size(390, 844)
        self.sign_in("/sources")
        for view in ("/sources", "/settings", "/archives", "/voicebot", "/floor"):
            self.open(view)
            wait_for(lambda: self.css("#view h1"), message=view)
            wait_for(lambda: not self.css("#view [role=status]") or "Loading" not in self.text("#view [role=status]"), message=f"{view} loaded")
            link = self.driver.find_element(By.CSS_SELECTOR, f"#nav a[href='#{view}']")
            self.assertEqual(link.get_attribute("aria-current"), "page")
            self.assertTrue(self.no_horizontal_overflow(), f"{view} scrolls sideways at phone width")
            unlabelled = self.driver.execute_script("""
                return [...document.querySelectorAll('#view input, #view select, #view button, #view a[href]')].filter((el) => {
                  if (el.type === 'hidden' || el.closest('[hidden]')) return false;
                  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
                  return !(label || el.getAttribute('aria-label') || el.textContent.trim());
                }).map((el) => el.outerHTML.slice(0, 80));""")
            self.assertEqual(unlabelled, [], view)
            screenshot(self.driver, f"phone{view.replace('/', '-')}")


if __name__ == "__main__":
    unittest.main()
