#!/usr/bin/env python3
"""Real human speech of card numbers for scripts/bench pii (docs/redaction.md "Measured"): the
digits are words said by real people in the quality set's public-domain recordings (LibriVox,
LJ Speech, pocketsphinx's spoken playing cards; scripts/quality/sources.py), spliced into card
numbers that pass Luhn. Those recordings say one, two, four, five, seven and eight — no zero,
three, six or nine, and no "dot" or "com", so card numbers only, from those six digits. Each call:
the agent (espeak, channel 0) asks for the card number, the customer (channel 1) reads it in four
groups. Writes CALL.wav and truth.json (the numbers) into OUTPUT_DIR.

Usage (the quality set's virtualenv): real_speech.py SOURCES_CACHE OUTPUT_DIR [--calls N]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import wave

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))
import sources  # noqa: E402

RATE = sources.RATE
WORDS = {"one": "1", "two": "2", "four": "4", "five": "5", "seven": "7", "eight": "8"}


def luhn_card(rng, allowed):
    while True:
        body = "4" + "".join(rng.choice(allowed) for _ in range(14))
        total = 0
        for i, d in enumerate(reversed(body + "0")):
            n = int(d)
            if i % 2 == 1:
                n *= 2
                if n > 9:
                    n -= 9
            total += n
        check = str((10 - total % 10) % 10)
        if check in allowed:
            return body + check


def level(samples, dbfs):
    rms = float(np.sqrt(np.mean(samples ** 2))) or 1e-9
    return samples * (10 ** (dbfs / 20) / rms)


def espeak(text, workdir):
    raw = os.path.join(workdir, "agent.wav")
    resampled = os.path.join(workdir, "agent-16k.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", resampled], check=True)
    with wave.open(resampled) as handle:
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype=np.int16).astype(np.float32) / 32768


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cache")
    parser.add_argument("out")
    parser.add_argument("--calls", type=int, default=4)
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    clips = sources.load_clips(arguments.cache)
    said = {}
    for clip in clips:
        for start, end, word in clip.words:
            if word in WORDS:
                piece = clip.samples[max(0, int((start - 0.03) * RATE)):int((end + 0.03) * RATE)]
                said.setdefault(WORDS[word], []).append((clip.id, level(piece.astype(np.float32), -24)))
    allowed = sorted(said)
    rng = random.Random(20261207)
    truth = []
    with tempfile.TemporaryDirectory() as workdir:
        question = level(espeak("Thank you. What is the card number, please?", workdir), -20)
        for index in range(arguments.calls):
            number = luhn_card(rng, allowed)
            customer, speakers = [np.zeros(int(0.4 * RATE), np.float32)], set()
            for position, digit in enumerate(number):
                clip_id, piece = rng.choice(said[digit])
                speakers.add(clip_id.split("-")[0])
                customer.append(piece)
                customer.append(np.zeros(int((0.5 if position % 4 == 3 else 0.12) * RATE), np.float32))
            customer = np.concatenate(customer)
            start = len(question) + int(0.6 * RATE)
            length = start + len(customer) + RATE
            channels = np.zeros((2, length), np.float32)
            channels[0, :len(question)] = question
            channels[1, start:start + len(customer)] = customer
            noise = np.random.default_rng(index).normal(0, 10 ** (-60 / 20), channels.shape).astype(np.float32)
            channels += noise + 0.03 * channels[::-1]  # line noise and -30 dB bleed
            name = f"real-card-{index + 1}.wav"
            with wave.open(os.path.join(arguments.out, name), "wb") as handle:
                handle.setnchannels(2)
                handle.setsampwidth(2)
                handle.setframerate(RATE)
                pcm = (np.clip(channels.T, -1, 1) * 32767).astype("<i2")
                handle.writeframes(pcm.tobytes())
            truth.append({"file": name, "card": number, "sources": sorted(speakers)})
    json.dump(truth, open(os.path.join(arguments.out, "truth.json"), "w"), indent=1)
    print("real speech:", len(truth), "calls with card numbers spliced from", ", ".join(allowed))


if __name__ == "__main__":
    main()
