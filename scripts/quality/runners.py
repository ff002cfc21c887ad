"""Runs the tools the benchmark compares: `callpipe analyze` and `callpipe transcribe` (offline
and through the OpenAI-compatible path), and faster-whisper directly, timing each run."""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# Keys that would change which AI provider `callpipe transcribe` uses; cleared for every run.
AI_KEYS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CALLPIPE_AI_PROVIDER", "CALLPIPE_TRANSCRIPTION_MODEL",
           "CALLPIPE_ANALYSIS_MODEL")


def timed(command, env=None, cwd=None):
    """(stdout, wall seconds) of a command; its stderr is shown only when it fails."""
    started = time.monotonic()
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}")
    return done.stdout, elapsed


def spread(seconds):
    """Median, min and max of a list of wall times."""
    return {"runs": len(seconds), "median_s": round(statistics.median(seconds), 2),
            "min_s": round(min(seconds), 2), "max_s": round(max(seconds), 2)}


def analyze(callpipe, path):
    out, _ = timed([callpipe, "analyze", "--json", path])
    return json.loads(out)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in AI_KEYS}
    env.update(extra)
    return env


def transcribe_offline(callpipe, path, repo):
    """`callpipe transcribe --json` with the local provider (the bundled tiny.en server)."""
    env = clean_env(CALLPIPE_AI_PROVIDER="local", CALLPIPE_LOCAL_WHISPER_DIR=os.path.join(repo, "tools/local-whisper"))
    out, elapsed = timed([callpipe, "transcribe", "--json", path], env=env, cwd=repo)
    return json.loads(out), elapsed


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OpenAICompatibleServer:
    """tools/local-whisper/server.py on a free loopback port, plus the chat-completions stand-in
    (chat_stub.py) in the same process, as an OpenAI-compatible server for `callpipe transcribe`."""

    def __init__(self, repo):
        self.repo, self.port, self.process = repo, free_port(), None

    def __enter__(self):
        whisper = os.path.join(self.repo, "tools/local-whisper")
        self.process = subprocess.Popen(
            [os.path.join(whisper, ".venv/bin/python"), os.path.join(HERE, "chat_stub.py"),
             os.path.join(whisper, "server.py"), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the OpenAI-compatible whisper server exited while starting")
                time.sleep(0.5)
        raise RuntimeError("the OpenAI-compatible whisper server did not start in 120 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def transcribe(self, callpipe, path):
        env = clean_env(CALLPIPE_AI_PROVIDER="openai", OPENAI_BASE_URL=f"http://127.0.0.1:{self.port}/v1",
                        OPENAI_API_KEY="bench-quality-any-key")
        out, elapsed = timed([callpipe, "transcribe", "--json", path], env=env, cwd=self.repo)
        return json.loads(out), elapsed


def whisper_direct(repo, setting, files):
    """({file: {"text", "segments"}}, wall seconds) of faster-whisper run directly on mono files."""
    python = os.path.join(repo, "tools/local-whisper/.venv/bin/python")
    out, elapsed = timed([python, os.path.join(HERE, "whisper_direct.py"), setting, *files])
    return json.loads(out)["files"], elapsed
