#!/usr/bin/env python3
"""tools/local-whisper/server.py with a neutral `POST /v1/chat/completions` added, so that
`callpipe transcribe` with the `openai` provider can run against it: CallPipe's call analysis
needs a chat model and fails the whole command when it has none, and no setting switches the
`openai` provider to the heuristic analyzer. The stand-in repeats each transcript line's speaker
with a neutral sentiment, so the transcript that CallPipe prints is the transcription's alone.

Usage: chat_stub.py PATH/TO/server.py [server.py's arguments]
"""
import importlib.util
import json
import re
import sys

NEUTRAL = {"overall_sentiment": 0.0, "sentiment_label": "neutral", "quarter_sentiment": [None] * 4,
           "summary": "Benchmark stand-in: no analysis.", "key_points": [], "action_items": [], "issues": [],
           "outcome": "unresolved", "topics": [], "hints": []}


def answer(request):
    """The chat completion for an analysis request: one neutral turn per numbered transcript line."""
    text = "\n".join(m.get("content") or "" for m in request.get("messages", []) if isinstance(m.get("content"), str))
    turns = [{"index": int(index), "speaker": speaker, "sentiment": 0.0, "sentiment_label": "neutral"}
             for index, speaker in re.findall(r"^\[(\d+)\] (agent|customer|unknown)\b", text, re.MULTILINE)]
    content = json.dumps(dict(NEUTRAL, turns=turns))
    return {"id": "bench-stub", "object": "chat.completion", "model": request.get("model", "stub"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0}}


def main():
    spec = importlib.util.spec_from_file_location("local_whisper_server", sys.argv[1])
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)
    transcription_post = server.Handler.do_POST

    def do_post(handler):
        if handler.path.rstrip("/") in ("/v1/chat/completions", "/chat/completions"):
            body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
            handler.send_json(200, answer(json.loads(body or b"{}")))
        else:
            transcription_post(handler)

    server.Handler.do_POST = do_post
    sys.argv = [sys.argv[1], *sys.argv[2:]]
    server.main()


if __name__ == "__main__":
    main()
