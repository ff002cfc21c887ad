#!/usr/bin/env python3
"""Builds the real-speech quality set: stereo support calls from read and spontaneous speech
(agent = channel 0, customer = channel 1), their exact truth, and every stereo codec.

Usage: make_calls.py --sources DIR --out DIR [--calls call-48s,call-12min,call-holds]
       make_calls.py --sources DIR --fixture Fixtures/speech   (the short committed fixture)

Calls are rebuilt only when the generator (this folder's modules) changed: OUT/stamp holds its hash;
OUT/content each call's hash (JSON), under which the benchmark caches the references' results.
See docs/quality.md for how a call is put together.
"""
import argparse
import hashlib
import json
import os
import random
import sys

import numpy as np

import audio
from audio import RATE
from sources import load_clips
from truth import PARTIES, ground_truth, intersect, merge

AGENT_LEVEL_DB = -20.0  # speech RMS of the agent's clips
CUSTOMER_LEVEL_DB = -28.0  # speech RMS of the customer's line after the telephone chain
LEVEL_JITTER_DB = 3.0  # each clip's level varies by up to this much either way
AGENT_NOISE_DB = -50.0  # room and line noise on the agent's channel
CUSTOMER_SNR_DB = (15.0, 20.0)  # the customer's line noise, drawn once per call
BLEED_DB = -30.0  # each party in the other's channel
BLEED_DELAY_S = {"agent": 0.006, "customer": 0.004}  # delay of each party's bleed
MUSIC_LEVEL_DB = -28.0
TAIL_S = 1.0

# name: duration (s), seed, share of turn changes that overlap, holds as (when, as a share of the
# call; how long in s; hold music on the agent's channel or silence). The seeds of call-holds and
# fixture were picked for several overlaps and (fixture) a customer with 9 s of speech;
# `fixture` is the short call committed under Fixtures/speech, from public-domain/BSD clips only.
# `sources` limits a call's clips to some sources (all when absent); the first three calls keep the
# clips they were built from before the LJSpeech clips joined the set, `call-read` has an agent
# reading 574 distinct words (each clip about once), for word error rates not dominated by a few
# phrases said many times.
FIRST_SOURCES = ("librivox", "sonnet", "cards", "goforward")
CALLS = {
    "call-48s": {"duration": 46, "seed": 48, "overlap": 0.5, "holds": [], "sources": FIRST_SOURCES},
    "call-12min": {"duration": 720, "seed": 720, "overlap": 0.2, "holds": [(0.3, 35, False), (0.6, 50, True)],
                   "sources": FIRST_SOURCES},
    "call-holds": {"duration": 150, "seed": 1, "overlap": 0.6,
                   "holds": [(0.1, 20, False), (0.4, 45, True), (0.75, 30, False)], "sources": FIRST_SOURCES},
    "call-read": {"duration": 300, "seed": 300, "overlap": 0.3, "holds": [(0.5, 25, False)],
                  "sources": ("ljspeech", "cards", "goforward")},
    "fixture": {"duration": 26, "seed": 2, "overlap": 0.5, "holds": [], "sources": ("librivox", "cards")},
}
CODECS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "flac": ["-c:a", "flac"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
}

# Same bytes on every build: no encoder version tags, a fixed Ogg stream serial number.
BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact"]


class Cycle:
    """Clips of one party in shuffled rounds: every clip is used once before any is used again."""

    def __init__(self, clips, rng):
        self.clips, self.rng, self.queue = list(clips), rng, []

    def next(self):
        if not self.queue:
            self.queue = self.rng.sample(self.clips, len(self.clips))
        return self.queue.pop()


def plan(spec, clips):
    """Places clips on the timeline: [(party, clip, start_s, level_db)] and the hold music spans."""
    rng = random.Random(spec["seed"])
    allowed = spec.get("sources")
    pools = {party: Cycle([c for c in clips if c.party == party and (not allowed or c.source in allowed)], rng)
             for party in ("agent", "customer")}
    holds = sorted(spec["holds"])
    placed, music = [], []
    audio_end = {"agent": 0.0, "customer": 0.0}
    speech_end, party = 0.3, "agent"
    while speech_end < spec["duration"] - TAIL_S - 2.0:
        if party == "customer" and holds and speech_end >= holds[0][0] * spec["duration"]:
            # The agent has just spoken: puts the customer on hold, then comes back.
            _, length, with_music = holds.pop(0)
            if with_music:
                music.append([speech_end + 1.0, speech_end + length - 1.0])
            speech_end += length
            party = "agent"
        turn = []
        for index in range(rng.randint(1, 3)):
            clip = pools[party].next()
            if index:
                gap = rng.uniform(0.2, 0.9)
            elif placed and placed[-1][0] != party and rng.random() < spec["overlap"]:
                gap = -rng.uniform(0.3, 1.2)
            else:
                gap = rng.uniform(0.3, 1.8)
            start = max(speech_end + gap - clip.speech[0], audio_end[party], 0.0)
            level = (AGENT_LEVEL_DB if party == "agent" else CUSTOMER_LEVEL_DB) + rng.uniform(-1, 1) * LEVEL_JITTER_DB
            turn.append((party, clip, round(start, 4), level))
            audio_end[party] = start + clip.duration
            speech_end = max(speech_end, start + clip.speech[1])
        placed.extend(turn)
        party = "customer" if party == "agent" else "agent"
    return placed, music


def place(placed, party, length):
    """The party's clips on one track, and the highest noise floor any of them carries (after its
    gain)."""
    track = np.zeros(length, dtype=np.float32)
    loudest_floor = 0.0
    for who, clip, start, level in placed:
        if who != party:
            continue
        gain = audio.dbfs(level) / audio.speech_rms(clip.samples, [(s, e) for s, e, _ in clip.words])
        offset = int(round(start * RATE))
        track[offset:offset + len(clip.samples)] += clip.samples * gain
        loudest_floor = max(loudest_floor, clip_noise_floor(clip) * gain)
    return track, loudest_floor


def clip_noise_floor(clip, margin=0.15, frame=0.02):
    """The room noise of a source recording: the 10th percentile of its 20 ms frame RMS away from
    its words. A percentile, not the RMS of everything outside the words, which takes in breaths,
    lip noise and word tails and put the bed 5-8 dB too high on the first builds of the set."""
    keep = np.ones(len(clip.samples), dtype=bool)
    for s, e, _ in clip.words:
        keep[max(0, int((s - margin) * RATE)):int((e + margin) * RATE)] = False
    quiet = clip.samples[keep]
    size = int(frame * RATE)
    frames = len(quiet) // size
    if frames < 5:
        return 0.0
    levels = np.sqrt(np.mean(quiet[:frames * size].reshape(frames, size).astype(np.float64) ** 2, axis=1))
    return float(np.percentile(levels, 10))


def mix(spec, placed, music_spans, duration):
    """The two channels: the agent's clean read speech (+ room noise and hold music) and the
    customer's voice through a noisy telephone line, each with the other party's bleed."""
    rng = np.random.default_rng(spec["seed"])
    length = int(round(duration * RATE))
    agent, agent_clip_floor = place(placed, "agent", length)
    for start, end in music_spans:
        agent[int(start * RATE):int(end * RATE)] += audio.hold_music(rng, end - start, MUSIC_LEVEL_DB)
    customer, _ = place(placed, "customer", length)
    line = customer + audio.delay(agent, BLEED_DELAY_S["agent"]) * audio.dbfs(BLEED_DB)
    words = [(s + start, e + start) for who, clip, start, _ in placed if who == "customer" for s, e, _ in clip.words]
    # The line's speech level sets the gain to CUSTOMER_LEVEL_DB; the noise is scaled through the
    # same chain so that the SNR holds after the telephone band.
    gain = audio.dbfs(CUSTOMER_LEVEL_DB) / audio.speech_rms(audio.telephone(line), words)
    noise = audio.coloured_noise(rng, length, -30.0)
    band_loss = audio.rms(audio.telephone(noise)) / audio.rms(noise)
    snr = rng.uniform(*CUSTOMER_SNR_DB)
    noise *= audio.dbfs(CUSTOMER_LEVEL_DB - snr) / gain / band_loss / audio.rms(noise)
    customer_channel = audio.telephone(line + noise) * gain
    agent_channel = (agent + audio.delay(customer_channel, BLEED_DELAY_S["customer"]) * audio.dbfs(BLEED_DB)
                     + audio.coloured_noise(rng, length, agent_noise_db(agent_clip_floor)))
    return [agent_channel, customer_channel], round(snr, 2)


def agent_noise_db(clip_floor):
    """The agent's room noise: AGENT_NOISE_DB, or 3 dB above the highest noise floor a source clip
    brings with it. A call's background is continuous; a bed quieter than the clips' own noise
    would make that noise switch on and off with each utterance, which no real line does."""
    if clip_floor <= 0:
        return AGENT_NOISE_DB
    return max(AGENT_NOISE_DB, 20 * np.log10(clip_floor) + 3.0)


def build(name, spec, clips):
    placed, music = plan(spec, clips)
    duration = max(start + clip.duration for _, clip, start, _ in placed) + TAIL_S
    channels, snr = mix(spec, placed, music, duration)
    words = {"agent": [], "customer": []}
    utterances = []
    for index, (party, clip, start, level) in enumerate(sorted(placed, key=lambda p: p[2] + p[1].speech[0])):
        utterances.append({"index": index, "speaker": party, "clip": clip.id, "start_s": round(start, 3),
                           "end_s": round(start + clip.duration, 3), "level_dbfs": round(level, 1),
                           "text": clip.text})
        words[party].extend({"w": w, "start_s": round(start + s, 3), "end_s": round(start + e, 3),
                             "utterance": index, "clip": clip.id} for s, e, w in clip.words)
    truth = ground_truth(duration, words, utterances, music)
    truth["name"] = name
    truth["customer_snr_db"] = snr
    truth["levels_dbfs"] = measured_levels(channels, truth)
    return channels, truth


def measured_levels(channels, truth):
    """Levels of the built channels in dBFS, for the truth JSON: each party's speech on its own
    channel, each channel where nobody talks (no speech or music within 0.5 s) and where only the
    other party talks (its bleed over the noise)."""
    def level(samples, intervals):
        value = audio.speech_rms(samples, intervals)
        return round(20 * np.log10(value), 1) if value > 0 else None

    def padded(intervals):
        return merge([[s - 0.5, e + 0.5] for s, e in intervals])

    busy = padded([span for party in PARTIES for span in truth["spans"][party]] + truth["music"])
    quiet = complement(busy, truth["duration_s"])
    out = {}
    for index, party in enumerate(PARTIES):
        other = PARTIES[1 - index]
        alone = intersect(truth["spans"][other], complement(padded(truth["spans"][party]), truth["duration_s"]))
        out[party] = {"speech": level(channels[index], [[w["start_s"], w["end_s"]] for w in truth["words"][party]]),
                      "quiet": level(channels[index], quiet), "other_party_only": level(channels[index], alone)}
    return out


def complement(intervals, duration):
    edges = [0.0] + [x for span in intervals for x in span] + [duration]
    return [[a, b] for a, b in zip(edges[::2], edges[1::2]) if b > a]


def write_call(name, channels, truth, out, codecs):
    os.makedirs(out, exist_ok=True)
    master = os.path.join(out, f"{name}.wav")
    audio.write_wav(master, channels)
    for codec in codecs:
        if codec != "wav":
            audio.ffmpeg("-i", master, *CODECS[codec], *BITEXACT, os.path.join(out, f"{name}.{codec}"))
    with open(os.path.join(out, f"{name}.json"), "w") as handle:
        json.dump(truth, handle, indent=1)


def generator_hash():
    here = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    for module in ("make_calls.py", "sources.py", "align.py", "audio.py", "truth.py", "textnorm.py"):
        with open(os.path.join(here, module), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def content_hashes(out):
    """Each call's hash of its WAV and truth: what the references' caches are kept under, per call,
    so that a change of the generator keeps the results of every call it did not change."""
    hashes = {}
    for name in sorted(n for n in CALLS if n != "fixture"):
        digest = hashlib.sha256()
        for suffix in ("wav", "json"):
            with open(os.path.join(out, name, f"{name}.{suffix}"), "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        hashes[name] = digest.hexdigest()
    return hashes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", required=True, help="cache of the downloaded archives and alignments")
    parser.add_argument("--out", help="where the calls go, one folder per call")
    parser.add_argument("--calls", default="call-48s,call-12min,call-holds,call-read")
    parser.add_argument("--fixture", help="write the short committed fixture (FLAC + truth) here")
    args = parser.parse_args()
    if args.fixture:
        channels, truth = build("speech-call", CALLS["fixture"], load_clips(args.sources))
        audio.write_wav(os.path.join(args.fixture, "speech-call.wav"), channels)
        audio.ffmpeg("-i", os.path.join(args.fixture, "speech-call.wav"), "-c:a", "flac", *BITEXACT,
                     os.path.join(args.fixture, "speech-call.flac"))
        os.remove(os.path.join(args.fixture, "speech-call.wav"))
        with open(os.path.join(args.fixture, "speech-call.json"), "w") as handle:
            json.dump(truth, handle, indent=1)
        return
    if not args.out:
        parser.error("--out or --fixture is required")
    stamp = os.path.join(args.out, "stamp")
    current = generator_hash()
    names = args.calls.split(",")
    built = all(os.path.exists(os.path.join(args.out, n, f"{n}.{c}")) for n in names for c in CODECS)
    if built and os.path.exists(stamp):
        with open(stamp) as handle:
            if handle.read() == current:
                return
    clips = load_clips(args.sources)
    if os.path.exists(stamp):
        os.remove(stamp)
    for name in (n for n in CALLS if n != "fixture"):
        print(f"quality: building {name}", file=sys.stderr)
        channels, truth = build(name, CALLS[name], clips)
        write_call(name, channels, truth, os.path.join(args.out, name), CODECS)
    with open(os.path.join(args.out, "content"), "w") as handle:
        json.dump(content_hashes(args.out), handle, indent=1)
    with open(stamp, "w") as handle:
        handle.write(current)


if __name__ == "__main__":
    main()
