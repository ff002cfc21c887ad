"""Dialpad and ElevenLabs as a sync reads them (docs/connectors.md), on loopback from a thread, for
the browser suite: a few calls and conversations at fixed times in one month, so a test knows what
a sync imports. Shapes as the vendors send them and as `MockDialpad`/`MockElevenLabs` serve them:
Dialpad's ids and millisecond times as strings, `Authorization: Bearer`; ElevenLabs' `xi-api-key`,
Unix seconds, `next_cursor`/`has_more`. Nothing has audio (the calls are stored as done at once).
"""

import io
import json
import re
import threading
import wave
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DIALPAD_KEY = "dp_e2e_key_0123456789abcd"
DEPARTMENT = "5220070760521728"
ELEVENLABS_KEY = "sk_e2e_key_0123456789wxyz"
AGENT = "agent_e2e_reception_bot"

OPERATORS = [
    {"id": "4800000000000001", "first_name": "Ana", "last_name": "Silva", "email": "ana.silva@example.com"},
    {"id": "4800000000000002", "first_name": "Ben", "last_name": "Okafor", "email": "ben.okafor@example.com"},
]

# Dialpad: (day of the month, hour, direction, operator, talk seconds; 0 = never connected, missed).
DIALPAD_CALLS = [
    (2, 9, "inbound", 0, 185), (3, 10, "outbound", 1, 420), (4, 11, "inbound", 0, 0),
    (5, 12, "inbound", 1, 65), (6, 13, "outbound", 0, 300), (7, 14, "inbound", 1, 240),
]

# ElevenLabs: (day, direction, status, call_successful, termination reason, seconds, cost, rating,
# criteria (resolved_request, polite_and_clear), where the customer's number is).
CONVERSATIONS = [
    (2, "inbound", "done", "success", "end_call tool was called.", 95, 1200, 5, ("success", "success"), "twilio"),
    (3, "inbound", "done", "success", "end_call tool was called.", 45, 900, None, ("success", "success"), "sip_trunking"),
    (4, "outbound", "done", "failure", "Client disconnected: 1000", 20, 400, 2, ("failure", "success"), "twilio"),
    (5, "inbound", "done", "success", "transfer_to_number tool was called.", 130, 1500, None, ("unknown", "success"), "variables"),
    (6, "inbound", "done", "unknown", "Call ended by remote party", 310, 300, None, ("unknown", "failure"), "none"),
    (7, "outbound", "done", "success", "end_call tool was called.", 60, 800, 4, ("success", "success"), "twilio"),
    (8, "inbound", "failed", "failure", "Error: LLM provider unavailable", 15, 100, None, ("failure", "failure"), "twilio"),
    (9, "inbound", "done", "failure", "end_call tool was called.", 200, 700, 3, ("failure", "success"), "sip_trunking"),
]


def silence_wav():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)
    return buffer.getvalue()


class VendorMocks:
    """Both vendors on one port: `dialpad_url` and `elevenlabs_url` are the base URLs to configure.
    `month` (a UTC datetime, the first of a month at 00:00) is where every call and conversation
    starts."""

    def __init__(self, month):
        self.month = month
        self.requests = []
        self.calls = [self._dialpad_call(i, *spec) for i, spec in enumerate(DIALPAD_CALLS)]
        self.conversations = [self._conversation(i, *spec) for i, spec in enumerate(CONVERSATIONS)]
        self.server = None

    # Data

    def _ms(self, day, hour, extra_s=0):
        start = self.month + timedelta(days=day - 1, hours=hour, seconds=extra_s)
        return str(int(start.timestamp() * 1000))

    def _dialpad_call(self, index, day, hour, direction, operator, talk_s):
        user = OPERATORS[operator]
        ring = 12
        call = {
            "call_id": str(5000000000000000 + index * 104729), "direction": direction, "state": "hangup",
            "date_started": self._ms(day, hour), "date_ended": self._ms(day, hour, ring + talk_s),
            "duration": float(talk_s * 1000), "total_duration": float((ring + talk_s) * 1000),
            "contact": {"name": f"Customer {index + 1}", "phone": f"+1415555{index:04d}", "type": "local"},
            "target": {"id": user["id"], "name": f"{user['first_name']} {user['last_name']}", "email": user["email"],
                       "type": "user", "phone": "+14155550100"},
            "was_recorded": False,
        }
        if talk_s:
            call["date_connected"] = self._ms(day, hour, ring)
        return call

    def _conversation(self, index, day, direction, status, successful, termination, seconds, cost, rating, criteria, numbers):
        start = int((self.month + timedelta(days=day - 1, hours=15)).timestamp())
        conversation_id = f"conv_e2e_{index:04d}"
        customer = f"+1415556{index:04d}"
        bot = "+14155550100"
        metadata = {
            "start_time_unix_secs": start, "call_duration_secs": seconds, "cost": cost, "termination_reason": termination,
            "feedback": {"overall_score": None, "likes": 0, "dislikes": 0, "rating": rating},
            "error": {"code": 1011, "reason": "LLM provider unavailable"} if status == "failed" else None,
        }
        if numbers in ("twilio", "sip_trunking"):
            metadata["phone_call"] = {"type": numbers, "direction": direction, "agent_number": bot,
                                      "external_number": customer, "call_sid": f"CA{index:032d}"}
        variables = {"system__conversation_id": conversation_id, "system__agent_id": AGENT}
        if numbers != "none":
            inbound = direction == "inbound"
            variables["system__caller_id"] = customer if inbound else bot
            variables["system__called_number"] = bot if inbound else customer
        turns = [{"role": "agent" if turn % 2 == 0 else "user",
                  "message": "How can I help you today?" if turn % 2 == 0 else "I have a question about my order.",
                  "time_in_call_secs": seconds * turn // 4} for turn in range(4)]
        details = {
            "agent_id": AGENT, "conversation_id": conversation_id, "status": status, "transcript": turns,
            "metadata": metadata,
            "analysis": {"call_successful": successful, "transcript_summary": "The caller asked about an order.",
                         "evaluation_criteria_results": {
                             name: {"criteria_id": name, "result": result, "rationale": "judged by the test"}
                             for name, result in zip(("resolved_request", "polite_and_clear"), criteria)}},
            "conversation_initiation_client_data": {"dynamic_variables": variables},
            "has_audio": False, "has_user_audio": False, "has_response_audio": False,
        }
        summary = {"agent_id": AGENT, "agent_name": "Reception Bot", "conversation_id": conversation_id,
                   "start_time_unix_secs": start, "call_duration_secs": seconds, "message_count": len(turns),
                   "status": status, "call_successful": successful, "direction": direction}
        return {"summary": summary, "details": details}

    # Serving

    def answer(self, path, query, headers):
        self.requests.append(path)
        if path.startswith("/dialpad/"):
            if headers.get("Authorization") != f"Bearer {DIALPAD_KEY}" and query.get("apikey") != DIALPAD_KEY:
                return 401, {"error": {"code": 401, "message": "Invalid API key"}}
            if path == "/dialpad/api/v2/call":
                if query.get("target_id") != DEPARTMENT or query.get("target_type") != "department":
                    return 404, {"error": {"code": 404, "message": "Target not found"}}
                after = int(query.get("started_after", "0"))
                before = int(query.get("started_before", str(2**62)))
                items = [c for c in self.calls if after <= int(c["date_started"]) < before]
                return 200, {"items": sorted(items, key=lambda c: int(c["date_started"]), reverse=True)}
            if path == f"/dialpad/api/v2/departments/{DEPARTMENT}/operators":
                users = [{"id": u["id"], "first_name": u["first_name"], "last_name": u["last_name"],
                          "display_name": f"{u['first_name']} {u['last_name']}", "emails": [u["email"]], "state": "active"}
                         for u in OPERATORS]
                return 200, {"users": users, "rooms": []}
            return 404, {"error": {"code": 404, "message": "Not found"}}
        if path.startswith("/elevenlabs/"):
            if headers.get("xi-api-key") != ELEVENLABS_KEY:
                return 401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}
            if path == "/elevenlabs/v1/convai/conversations":
                size = int(query.get("page_size", "30"))
                if not 1 <= size <= 100:
                    return 422, {"detail": [{"loc": ["query", "page_size"], "msg": "ensure this value is less than or equal to 100"}]}
                after = int(query.get("call_start_after_unix", "0"))
                before = int(query.get("call_start_before_unix", str(2**62)))
                listed = [c["summary"] for c in self.conversations if query.get("agent_id") == AGENT
                          and after <= c["summary"]["start_time_unix_secs"] < before]
                listed.sort(key=lambda s: s["start_time_unix_secs"], reverse=True)
                offset = int(query.get("cursor", "0") or "0")
                page = listed[offset:offset + size]
                more = offset + size < len(listed)
                return 200, {"conversations": page, "has_more": more, "next_cursor": str(offset + size) if more else None}
            match = re.fullmatch(r"/elevenlabs/v1/convai/conversations/([^/]+)(/audio)?", path)
            found = match and next((c for c in self.conversations if c["summary"]["conversation_id"] == match.group(1)), None)
            if not found:
                return 404, {"detail": {"status": "conversation_not_found", "message": "Conversation not found"}}
            if match.group(2):
                return 200, silence_wav()
            return 200, found["details"]
        return 404, {"error": {"code": 404, "message": "Not found"}}

    def start(self):
        mocks = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *arguments):
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(url.query).items()}
                status, body = mocks.answer(url.path, query, self.headers)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "audio/wav" if isinstance(body, bytes) else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def dialpad_url(self):
        return f"{self.url}/dialpad"

    @property
    def elevenlabs_url(self):
        return f"{self.url}/elevenlabs"

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
