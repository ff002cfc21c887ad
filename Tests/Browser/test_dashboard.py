"""The supervisor dashboard in headless Chromium against a real `callpipe serve` (offline AI: the
bundled tiny.en Whisper server and the heuristic analyzer), seeded with demo calls.

Every test fails on any SEVERE browser log entry it did not expect, and leaves a screenshot in
.build/artifacts/e2e/.
"""

import base64
import re
import subprocess
import time
import unittest

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from harness import FIXTURES, Server, chromium, screenshot, wait_for


class DashboardTests(unittest.TestCase):
    server = None
    driver = None
    api_call = None

    @classmethod
    def setUpClass(cls):
        # Dead air after 4 s: the fixture's 6 s hold raises a live alert.
        cls.server = Server(environment={"CALLPIPE_LIVE_DEAD_AIR_S": "4"})
        # Demo calls first (the analytics view's data), then the server on the same database.
        cls.server.run_cli("seed-demo", "--days", "3", "--data-dir", str(cls.server.data_dir))
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

    def setUp(self):
        self.allowed_errors = []
        self.driver.set_window_size(1280, 800)
        self.driver.get_log("browser")  # Start each test with an empty log.

    def tearDown(self):
        screenshot(self.driver, self.id().split(".")[-1])
        severe = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        unexpected = [m for m in severe if not any(re.search(pattern, m) for pattern in self.allowed_errors)]
        self.assertEqual(unexpected, [], "console errors")

    # Helpers

    def processed_call(self):
        """A call uploaded through the API and processed, shared by the tests that need one (made
        on first use, so each test runs on its own, in any order)."""
        if DashboardTests.api_call is None:
            agent = self.server.make_key("agent", agent_id="e2e-api")
            DashboardTests.api_call = self.server.processed_call(agent, (FIXTURES / "call.mp3").read_bytes())
        return DashboardTests.api_call

    def open(self, hash_path="", token=None):
        url = f"{self.server.url}/{'?token=' + token if token else ''}{'#' + hash_path if hash_path else ''}"
        self.driver.get(url)

    def sign_in(self, hash_path="/floor", token=None):
        self.open(hash_path, token=token or self.server.dev_key)
        wait_for(lambda: self.driver.find_element(By.ID, "connection").get_attribute("data-state") == "open", message="the rooms connection")

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector):
        # The dashboard re-renders as room events arrive: an element found a moment ago may be
        # replaced before its text is read, so a stale one is looked up again.
        for _ in range(5):
            found = self.css(selector)
            try:
                return found[0].text if found else ""
            except StaleElementReferenceException:
                time.sleep(0.05)
        return self.css(selector)[0].text if self.css(selector) else ""

    def no_horizontal_overflow(self):
        return self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Scenarios

    def test_01_a_wrong_key_is_refused_with_the_servers_message_and_the_printed_key_signs_in(self):
        self.allowed_errors = [r"status of 401"]
        self.open()
        key = wait_for(lambda: self.driver.find_element(By.ID, "login-key"))
        self.assertEqual(self.driver.switch_to.active_element, key, "the key field has focus")
        key.send_keys("cp_supervisor_wrong", Keys.ENTER)
        error = wait_for(lambda: self.text("#login-error"), message="the login error")
        self.assertIn("the API key is not valid", error)
        key.clear()
        key.send_keys(self.server.dev_key, Keys.ENTER)
        wait_for(lambda: self.css("#view h1") and self.text("#view h1") == "Floor", message="the floor")
        wait_for(lambda: self.text("#connection") == "Live", message="the connection indicator")
        stored = self.driver.execute_script("return sessionStorage.getItem('callpipe.key')")
        self.assertEqual(stored, self.server.dev_key)
        self.driver.find_element(By.ID, "signout").click()
        wait_for(lambda: self.driver.find_element(By.ID, "login").is_displayed(), message="the login screen")
        self.assertIsNone(self.driver.execute_script("return sessionStorage.getItem('callpipe.key')"))

    def test_02_the_printed_url_signs_in_and_drops_the_token_from_the_address(self):
        self.driver.get(self.server.dashboard_url)
        wait_for(lambda: self.text("#view h1") == "Floor", message="the floor")
        self.assertNotIn("token", self.driver.current_url)
        self.assertNotIn(self.server.dev_key, self.driver.execute_script("return location.href + document.referrer"))
        # The demo calls are on the floor as finished calls.
        wait_for(lambda: len(self.css(".floor-list li")) >= 10, message="recent calls on the floor")
        self.assertTrue(self.css(".floor-list .pill.done"))

    def test_03_a_dropped_recording_becomes_a_transcript_insights_and_a_summary(self):
        self.sign_in("/upload")
        agent_key = wait_for(lambda: self.driver.find_element(By.ID, "upload-agent-key"))
        agent_key.clear()
        agent_key.send_keys(self.server.dev_agent_key)
        self.driver.find_element(By.ID, "upload-customer").send_keys("cust-e2e")
        # A real drop: a File in a DataTransfer, dispatched on the drop zone.
        audio = base64.b64encode((FIXTURES / "call.mp3").read_bytes()).decode()
        self.driver.execute_script("""
            const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'call.mp3', { type: 'audio/mpeg' }));
            const zone = document.getElementById('drop-zone');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        """, audio)
        wait_for(lambda: self.driver.find_element(By.CSS_SELECTOR, "progress").get_attribute("value") == "100", message="the upload's progress")
        wait_for(lambda: "Done" in self.text("#view .side [role=status]"), timeout=90, message="the pipeline to finish")
        stages = {li.get_attribute("data-stage"): li.get_attribute("data-state") for li in self.css(".stages li")}
        self.assertEqual(stages, {"analyze": "done", "transcribe": "done", "enrich": "done", "summarize": "done", "deliver": "done"})
        self.assertTrue(self.text(".summary-text"), "a summary")
        # The call view: bubbles on both sides, the summary, CRM deliveries and the recording.
        self.driver.find_element(By.LINK_TEXT, "Open the call").click()
        wait_for(lambda: len(self.css(".bubble.agent")) >= 2 and len(self.css(".bubble.customer")) >= 2, message="transcript bubbles")
        # Read in one go, again if a late event re-rendered the transcript in between (a stale element).
        agent, customer = wait_for(
            lambda: (self.css(".bubble.agent")[0].rect, self.css(".bubble.customer")[0].rect),
            message="the bubbles' positions")
        self.assertGreater(agent["x"], customer["x"], "the agent speaks from the right, the customer from the left")
        self.assertTrue(self.text(".outcome") not in ("", "–"))
        self.assertTrue(self.no_horizontal_overflow(), "the call view fits 1280 px")
        self.assertNotIn("null", self.text(".call-meta"))
        wait_for(lambda: self.css(".seek"), message="seekable lines once the recording is loaded")
        duration = wait_for(lambda: self.driver.execute_script("return document.querySelector('audio').duration"), message="the audio's duration")
        self.assertGreater(duration, 30)
        def click_fourth_line():
            # Found, read and clicked in one go, again if a late event re-rendered the transcript
            # in between (a stale element).
            seek = self.css(".bubble .seek")[3]
            start = float(seek.find_element(By.XPATH, "ancestor::li").get_attribute("data-start"))
            seek.click()
            return (start,)

        (start,) = wait_for(click_fourth_line, timeout=10, message="a click on the fourth line's time")
        wait_for(lambda: abs(self.driver.execute_script("return document.querySelector('audio').currentTime") - start) < 1.5, message="the player at the line")
        wait_for(lambda: len(self.css("tr[data-state=delivered]")) == 4, timeout=30, message="four CRM deliveries")

    def test_04_a_file_that_is_not_audio_gets_the_servers_message(self):
        self.allowed_errors = [r"status of 415"]
        self.sign_in("/upload")
        field = wait_for(lambda: self.driver.find_element(By.ID, "upload-agent-key"))
        field.clear()
        field.send_keys(self.server.dev_agent_key)
        path = self.server.data_dir / "notes.wav"
        path.write_text("these are meeting notes, not audio")
        self.driver.find_element(By.ID, "upload-file").send_keys(str(path))
        error = wait_for(lambda: self.text("#view .error"), message="the upload error")
        self.assertRegex(error, r"(?i)not .*audio|unsupported|no audio")

    def test_05_a_replayed_live_call_shows_its_lines_as_they_are_spoken(self):
        self.sign_in("/floor")
        replay = subprocess.Popen(
            [self.server.binary, "replay", str(FIXTURES / "call.mp3"), "--server", self.server.url, "--token", self.admin,
             "--agent-id", "lee", "--protocol", "twilio", "--speed", "3"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            row = wait_for(lambda: [r for r in self.css(".call-row.is-live") if "lee" in r.text], timeout=20, message="the live call on the floor")[0]
            first = row.find_element(By.CSS_SELECTOR, ".dur").text
            wait_for(lambda: row.find_element(By.CSS_SELECTOR, ".dur").text != first, timeout=5, message="the duration ticking")
            screenshot(self.driver, "floor-live-call")
            row.send_keys(Keys.ENTER)  # Rows are links: the keyboard opens them.
            wait_for(lambda: "/calls/" in self.driver.current_url, message="the call view")
            wait_for(lambda: self.text(".pill").lower() == "live", message="the live call view")
            wait_for(lambda: len(self.css(".bubble.agent")) >= 1 and len(self.css(".bubble.customer")) >= 1, timeout=30, message="live bubbles")
            self.assertEqual(self.css(".transcript")[0].get_attribute("aria-live"), "polite")
            self.assertTrue(self.css(".bar-row .bar span"), "talk-time bars")
            wait_for(lambda: self.css(".chart svg path.line"), timeout=30, message="the sentiment trend")
            screenshot(self.driver, "call-live")
        finally:
            output, _ = replay.communicate(timeout=60)
        self.assertEqual(replay.returncode, 0, output)
        wait_for(lambda: self.text(".pill").lower() == "done", timeout=90, message="the call to be done")
        wait_for(lambda: self.text(".summary-text"), timeout=10, message="the summary")
        self.assertTrue(self.css(".alerts li"), "the hold raised an alert")

    def test_06_search_finds_the_call_with_its_words_highlighted(self):
        self.sign_in("/history")
        call = self.processed_call()
        segments = self.server.api(f"/api/calls/{call}", self.server.dev_key)["transcript"]["segments"]
        word = max((w for s in segments for w in re.findall(r"[A-Za-z]{6,}", s["text"])), key=len)
        box = wait_for(lambda: self.driver.find_element(By.ID, "filter-q"))
        box.send_keys(word, Keys.ENTER)
        wait_for(lambda: self.css(".results li"), message="search results")
        hits = [li for li in self.css(".results li") if call in li.text]
        self.assertTrue(hits, f"{call} is among the matches for {word}")
        marks = [m.text.lower() for m in hits[0].find_elements(By.TAG_NAME, "mark")]
        self.assertIn(word.lower(), marks)
        # The table pages and filters.
        wait_for(lambda: self.css("tbody tr"), message="the history table")
        self.assertIn("page 1 of", self.text("#history-status"))
        self.driver.find_element(By.ID, "filter-direction").send_keys("outbound")
        self.driver.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
        wait_for(lambda: "direction=outbound" in self.driver.current_url, message="the filter in the address")
        wait_for(lambda: self.css("tbody tr") and all("outbound" in r.text for r in self.css("tbody tr")), message="outbound calls only")

    def test_07_the_analytics_view_draws_its_charts_from_the_demo_data(self):
        self.sign_in("/analytics")
        wait_for(lambda: len(self.css("figure.chart svg")) >= 6, timeout=20, message="the charts")
        calls = int(self.text(".kpi .v"))
        self.assertGreater(calls, 20)
        self.assertTrue(self.css("figure.chart svg path.line"), "the calls-per-hour line")
        self.assertGreaterEqual(len(self.css("figure.chart svg path[fill^='#']")), 3, "outcome slices")
        self.assertGreaterEqual(len(self.css("figure.chart svg rect")), 4, "agent bars")
        agent = self.server.api("/api/agents", self.server.dev_key)["agents"][0]["agent_id"]
        self.driver.find_element(By.ID, "filter-agent_id").send_keys(agent, Keys.ENTER)
        wait_for(lambda: f"agent_id={agent}" in self.driver.current_url, message="the agent filter")
        wait_for(lambda: self.css(".kpi .v") and int(self.css(".kpi .v")[0].text) < calls, message="one agent's figures")

    def test_08_every_view_fits_a_phone_and_works_from_the_keyboard(self):
        self.driver.set_window_size(390, 844)
        self.sign_in("/floor")
        for view in ("/floor", "/history", "/analytics", "/upload"):
            self.driver.get(f"{self.server.url}/#{view}")
            wait_for(lambda: self.css("#view h1"), message=view)
            time.sleep(0.5)
            self.assertTrue(self.no_horizontal_overflow(), f"{view} scrolls sideways at phone width")
            screenshot(self.driver, f"phone{view.replace('/', '-')}")
        call = self.processed_call()
        self.driver.get(f"{self.server.url}/#/calls/{call}")
        wait_for(lambda: self.css(".bubble"), message="the call at phone width")
        self.assertTrue(self.no_horizontal_overflow(), "the call view scrolls sideways at phone width")
        screenshot(self.driver, "phone-call")
        # Keyboard: every control has a label, and Tab reaches the navigation.
        unlabelled = self.driver.execute_script("""
            return [...document.querySelectorAll('input, select, button, a[href]')].filter((el) => {
              if (el.type === 'hidden' || el.closest('[hidden]')) return false;
              const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
              return !(label || el.getAttribute('aria-label') || el.textContent.trim());
            }).map((el) => el.outerHTML.slice(0, 80));""")
        self.assertEqual(unlabelled, [])
        self.driver.set_window_size(1280, 800)
        self.driver.get(f"{self.server.url}/#/floor")
        wait_for(lambda: self.css("#view h1"), message="the floor")
        self.driver.execute_script("document.querySelector('.brand').focus()")
        for _ in range(6):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            if self.driver.switch_to.active_element.text == "History":
                break
        self.assertEqual(self.driver.switch_to.active_element.text, "History")
        outline = self.driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
        self.assertNotEqual(outline, "none", "a visible focus style")
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(lambda: self.text("#view h1") == "History", message="history opened from the keyboard")

    def test_09_the_connection_indicator_shows_a_lost_server_and_reconnects(self):
        # The printed dev-mode key dies with the run that printed it: sign in with a key of one's own.
        self.sign_in("/floor", token=self.server.make_key("supervisor"))
        self.allowed_errors = [r"WebSocket connection to .* failed", r"ERR_CONNECTION_REFUSED"]
        port = self.server.port
        self.server.stop()
        wait_for(lambda: self.driver.find_element(By.ID, "connection").get_attribute("data-state") == "reconnecting", timeout=10, message="reconnecting")
        self.assertIn("Reconnecting", self.text("#connection"))
        screenshot(self.driver, "reconnecting")
        self.server.requested_port = port
        self.server.start()
        wait_for(lambda: self.driver.find_element(By.ID, "connection").get_attribute("data-state") == "open", timeout=40, message="reconnected")
        self.assertEqual(self.text("#connection"), "Live")

    def test_10_the_call_view_shows_talk_speed_and_questions_per_party(self):
        # A seeded demo call (not one an earlier test made), read with a key of this test's own. Demo
        # calls have no audio: the recording is 410 Gone.
        self.allowed_errors = [r"/recording - .*status of 410"]
        key = self.server.make_key("supervisor")
        calls = self.server.api("/api/calls/history?page_size=100", key)["calls"]
        call = next(c for c in calls if c["metrics"].get("agent_talk_speed_wpm") is not None)
        conversation = self.server.api(f"/api/calls/{call['id']}", key)["conversation"]
        self.sign_in(f"/calls/{call['id']}", token=key)
        panel = wait_for(lambda: self.css("section.conversation tr[data-speaker=agent] .wpm"), message="the talk speed panel")
        for speaker in ("agent", "customer"):
            wpm = conversation["speakers"][speaker]["talk_speed_wpm"]
            cell = self.text(f"section.conversation tr[data-speaker={speaker}] .wpm")
            self.assertEqual(cell, f"{int(wpm + 0.5)} wpm", speaker)
        self.assertTrue(panel[0].is_displayed())
        share = conversation["customer_question_share"]
        expected = "–" if share is None else f"{int(share * 100 + 0.5)}%"
        self.assertEqual(self.text("section.conversation .question-share"), expected)
        self.assertNotIn("null", self.text("section.conversation"))
        self.assertTrue(self.no_horizontal_overflow(), "the call view fits 1280 px")
        self.driver.execute_script("arguments[0].scrollIntoView()", self.css("section.conversation")[0])
        screenshot(self.driver, "call-talk-speed")


if __name__ == "__main__":
    unittest.main()
