#!/usr/bin/env python3
"""Makes CallPipe's test calls from speech synthesised with espeak-ng.

A two-party support call: the agent (channel 0, an American male voice) and the customer
(channel 1, a British female voice) talk with gaps, the customer interrupts once, the agent
puts the customer on hold for six seconds, each channel carries the other party's bleed at
-30 dB, and both carry steady line noise. The exact ground truth (speech spans per channel,
computed from the clean voices before bleed and noise are added) is written next to the audio
as JSON, and the call is transcoded into every format the decoder must read.

Usage: Fixtures/audio/make_fixtures.py [OUTPUT_DIR]   (needs espeak-ng, sox and ffmpeg)
       Fixtures/audio/make_fixtures.py --long MINUTES OUTPUT.mp3   (a long call for benchmarks)
       Fixtures/audio/make_fixtures.py --pii OUTPUT_DIR   (the billing call with personal data)
"""
import array
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import wave

RATE = 16000
AGENT_VOICE = ["-v", "en-us", "-p", "40", "-s", "165"]
CUSTOMER_VOICE = ["-v", "en-gb+f3", "-p", "60", "-s", "170"]
AGENT_LEVEL_DBFS = -20.0  # RMS of the agent's speech
CUSTOMER_LEVEL_DBFS = -24.0
BLEED_DB = -30.0  # each party leaks into the other's channel this much quieter
NOISE_DBFS = -58.0  # steady line noise on both channels
SPEECH_FLOOR_DBFS = -55.0  # a clean-voice frame louder than this is speech
MIN_PAUSE_S = 0.5  # pauses shorter than this stay inside a speech span (the analyzer's hangover)

# (speaker, gap after the previous utterance's end in seconds, text). A negative gap starts the
# utterance before the previous one ends: an interruption.
SCRIPT = [
    ("agent", 0.6, "Thank you for calling Acme support, this is Sam. How can I help you today?"),
    ("customer", 0.6, "Hi Sam. My internet keeps dropping every evening."),
    ("agent", 0.5, "I am sorry to hear that. Can I have your account number please?"),
    ("customer", 0.7, "Sure, it is four five seven, two nine one."),
    ("agent", 0.5, "Thanks. Please hold while I check your line."),
    ("agent", 6.0, "Thank you for waiting. I can see several drops on your line this week, "
                   "so I will reset your port and send you a new router."),
    ("customer", -2.0, "Wait, will I be charged for the router?"),
    ("agent", 0.4, "No, the replacement is free of charge."),
    ("customer", 0.5, "Great, thank you so much."),
    ("agent", 0.4, "You are welcome. Have a nice evening."),
]
# A billing call in which the customer reads out personal data (docs/redaction.md): a card number
# that passes Luhn (a test card), a date of birth and an e-mail address, and the agent gives an
# order number (a decoy that must stay).
PII_SCRIPT = [
    ("agent", 0.6, "Thank you for calling Acme billing, this is Sam. How can I help?"),
    ("customer", 0.6, "Hi Sam, I would like to pay my bill by card."),
    ("agent", 0.5, "Of course. What is the card number?"),
    ("customer", 0.7, "It is four two four two, four two four two, four two four two, four two four two."),
    ("agent", 0.5, "Thank you. And your date of birth, please?"),
    ("customer", 0.6, "I was born on March third, nineteen eighty five."),
    ("agent", 0.5, "Where should I send the receipt?"),
    ("customer", 0.6, "My email is john smith at gmail dot com."),
    ("agent", 0.5, "Done. Your order number is five five five one two."),
    ("customer", 0.5, "Great, thank you. Bye."),
]
TAIL_S = 0.8
EXCERPT = (29.5, 35.0)  # seconds of the call around the interruption, for the PCM variants


def synthesise(text, voice, workdir, index):
    raw = os.path.join(workdir, f"u{index}.wav")
    resampled = os.path.join(workdir, f"u{index}-16k.wav")
    subprocess.run(["espeak-ng", *voice, "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", resampled], check=True)
    with wave.open(resampled) as handle:
        samples = array.array("h", handle.readframes(handle.getnframes()))
    values = [s / 32768.0 for s in samples]
    first = next(i for i, v in enumerate(values) if abs(v) > 1e-3)
    last = len(values) - next(i for i, v in enumerate(reversed(values)) if abs(v) > 1e-3)
    return values[first:last]


def scale_to(values, level_dbfs):
    """Scales a voice so that its speech frames have the given RMS level."""
    frames = [values[i:i + 320] for i in range(0, len(values), 320)]
    energies = [sum(v * v for v in f) / len(f) for f in frames if f]
    loud = [e for e in energies if e > max(energies) * 1e-3]
    rms = math.sqrt(sum(loud) / len(loud))
    gain = 10 ** (level_dbfs / 20) / rms
    return [v * gain for v in values]


def speech_spans(clean):
    """Exact speech spans of a clean voice: 10 ms frames above the floor, pauses < 0.5 s kept."""
    hop = RATE // 100
    floor = 10 ** (SPEECH_FLOOR_DBFS / 10)
    active = [sum(v * v for v in clean[i:i + hop]) / hop > floor for i in range(0, len(clean) - hop + 1, hop)]
    spans = []
    for index, on in enumerate(active):
        if not on:
            continue
        start, end = index / 100, (index + 1) / 100
        if spans and start - spans[-1][1] < MIN_PAUSE_S:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [[round(s, 2), round(e, 2)] for s, e in spans if e - s >= 0.1]


def ground_truth(spans, duration, utterances):
    agent, customer = spans["agent"], spans["customer"]
    overlap = sum(max(0.0, min(a[1], c[1]) - max(a[0], c[0])) for a in agent for c in customer)
    interruptions = {
        name: sum(1 for s in own for o in other if o[0] < s[0] < o[1])
        for name, own, other in (("agent", agent, customer), ("customer", customer, agent))
    }
    union = sorted(agent + customer)
    merged = []
    for start, end in union:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    gaps, cursor = [], 0.0
    for start, end in merged:
        if start > cursor:
            gaps.append([cursor, start])
        cursor = max(cursor, end)
    if duration > cursor:
        gaps.append([cursor, duration])
    return {
        "duration_s": round(duration, 3),
        "sample_rate": RATE,
        "channels": {"agent": 0, "customer": 1},
        "utterances": utterances,
        "spans": spans,
        "expected": {
            "talk_s": {name: round(sum(e - s for s, e in spans[name]), 2) for name in spans},
            "mono_talk_s": round(sum(e - s for s, e in merged), 2),
            "overlap_s": round(overlap, 2),
            "interruptions": interruptions,
            "non_talk_instances": [[round(s, 2), round(e, 2)] for s, e in gaps if e - s >= 2.0],
        },
    }


def write_wav(path, channels):
    frames = array.array("h")
    for samples in zip(*channels):
        frames.extend(max(-32768, min(32767, int(round(v * 32767)))) for v in samples)
    with wave.open(path, "wb") as handle:
        handle.setnchannels(len(channels))
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(frames.tobytes())


def build_call(workdir, script=SCRIPT, customer_voice=CUSTOMER_VOICE):
    rng = random.Random(20261124)
    placed, cursor = [], 0.0
    for index, (speaker, gap, text) in enumerate(script):
        voice = AGENT_VOICE if speaker == "agent" else customer_voice
        level = AGENT_LEVEL_DBFS if speaker == "agent" else CUSTOMER_LEVEL_DBFS
        samples = scale_to(synthesise(text, voice, workdir, index), level)
        start = cursor + gap
        placed.append((speaker, start, samples, text))
        cursor = max(cursor, start + len(samples) / RATE)
    duration = cursor + TAIL_S
    length = int(duration * RATE)
    clean = {"agent": [0.0] * length, "customer": [0.0] * length}
    utterances = []
    for speaker, start, samples, text in placed:
        offset = int(round(start * RATE))
        track = clean[speaker]
        for i, v in enumerate(samples):
            track[offset + i] += v
        utterances.append({"speaker": speaker, "start_s": round(offset / RATE, 3),
                           "end_s": round((offset + len(samples)) / RATE, 3), "text": text})
    bleed = 10 ** (BLEED_DB / 20)
    noise = 10 ** (NOISE_DBFS / 20)
    channels = [
        [a + bleed * c + rng.gauss(0, noise) for a, c in zip(clean["agent"], clean["customer"])],
        [c + bleed * a + rng.gauss(0, noise) for a, c in zip(clean["agent"], clean["customer"])],
    ]
    spans = {name: speech_spans(clean[name]) for name in clean}
    return channels, ground_truth(spans, duration, utterances)


def clip_truth(truth, start, end):
    spans = {
        name: [[round(max(s, start) - start, 2), round(min(e, end) - start, 2)]
               for s, e in spans if e > start and s < end]
        for name, spans in truth["spans"].items()
    }
    utterances = [dict(u, start_s=round(u["start_s"] - start, 3), end_s=round(u["end_s"] - start, 3))
                  for u in truth["utterances"] if u["end_s"] > start and u["start_s"] < end]
    return ground_truth(spans, end - start, utterances)


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_fixtures(out):
    with tempfile.TemporaryDirectory() as workdir:
        channels, truth = build_call(workdir)
        master = os.path.join(workdir, "call.wav")
        write_wav(master, channels)
        with open(os.path.join(out, "call.json"), "w") as handle:
            json.dump(truth, handle, indent=1)
        outputs = {
            "call.mp3": ["-c:a", "libmp3lame", "-b:a", "32k"],
            "call.m4a": ["-c:a", "aac", "-b:a", "32k"],
            "call.ogg": ["-c:a", "libvorbis", "-q:a", "0"],
            "call.opus": ["-c:a", "libopus", "-b:a", "24k"],
            "call.webm": ["-c:a", "libopus", "-b:a", "24k", "-ar", "48000"],
            "call-mulaw.wav": ["-c:a", "pcm_mulaw", "-ar", "8000"],
        }
        for name, options in outputs.items():
            ffmpeg("-i", master, *options, os.path.join(out, name))
        # A video container with an audio track, and a video with no audio at all.
        ffmpeg("-f", "lavfi", "-i", "color=c=navy:s=32x32:r=1", "-i", master, "-shortest",
               "-c:v", "mpeg4", "-c:a", "aac", "-b:a", "32k", os.path.join(out, "call-video.mp4"))
        ffmpeg("-f", "lavfi", "-i", "color=c=navy:s=32x32:r=1:d=3", "-c:v", "mpeg4",
               os.path.join(out, "video-only.mp4"))
        # Mono telephony codecs: the two parties mixed, as a single-channel recorder hears them.
        ffmpeg("-i", master, "-ac", "1", "-ar", "8000", "-c:a", "gsm_ms", os.path.join(out, "call-mono-gsm.wav"))
        mono8k = os.path.join(workdir, "mono8k.wav")
        ffmpeg("-i", master, "-ac", "1", "-ar", "8000", mono8k)
        subprocess.run(["sox", mono8k, "-t", "amr-nb", "-C", "7", os.path.join(out, "call-mono.amr")], check=True)
        # Every PCM sample format on a short excerpt around the interruption.
        start, end = EXCERPT
        with open(os.path.join(out, "excerpt.json"), "w") as handle:
            json.dump(clip_truth(truth, start, end), handle, indent=1)
        pcm = {"pcm_u8": "u8", "pcm_s16le": "s16", "pcm_s24le": "s24", "pcm_s32le": "s32",
               "pcm_f32le": "f32", "pcm_alaw": "alaw"}
        for codec, suffix in pcm.items():
            ffmpeg("-ss", str(start), "-to", str(end), "-i", master, "-ar", "8000", "-c:a", codec,
                   os.path.join(out, f"excerpt-{suffix}.wav"))
        ffmpeg("-ss", str(start), "-to", str(end), "-i", master, "-ar", "8000", "-c:a", "flac",
               os.path.join(out, "excerpt.flac"))


def make_long_call(minutes, path):
    """Loops the call to the given length as a 44.1 kHz, 128 kbit/s stereo MP3 (the benchmark's
    input: what a call recorder typically saves)."""
    with tempfile.TemporaryDirectory() as workdir:
        channels, truth = build_call(workdir)
        master = os.path.join(workdir, "call.wav")
        write_wav(master, channels)
        loops = math.ceil(minutes * 60 / truth["duration_s"])
        ffmpeg("-stream_loop", str(loops - 1), "-i", master, "-t", str(minutes * 60),
               "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k", path)


def make_pii_call(out):
    """The billing call with personal data, as pii-call.mp3 with its truth in pii-call.json."""
    with tempfile.TemporaryDirectory() as workdir:
        # An American voice, slower: the test reads what the model heard, digit by digit.
        channels, truth = build_call(workdir, PII_SCRIPT, ["-v", "en-us", "-p", "70", "-s", "145"])
        master = os.path.join(workdir, "pii-call.wav")
        write_wav(master, channels)
        with open(os.path.join(out, "pii-call.json"), "w") as handle:
            json.dump(truth, handle, indent=1)
        ffmpeg("-i", master, "-c:a", "libmp3lame", "-b:a", "32k", os.path.join(out, "pii-call.mp3"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--pii":
        make_pii_call(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--long":
        make_long_call(float(sys.argv[2]), sys.argv[3])
    else:
        make_fixtures(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
