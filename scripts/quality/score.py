#!/usr/bin/env python3
"""Scores CallPipe on the real-speech quality set next to reference tools (`scripts/bench quality`).

Talk time: `callpipe analyze --json` on every call x codec against the truth, next to WebRTC VAD on
the same file decoded by ffmpeg. Transcription (unless --skip-wer): `callpipe transcribe --json`
offline and through the OpenAI-compatible path, and faster-whisper directly on each channel, as
word error rates per party; line timing of CallPipe's transcript segments; wall times.
The references' results only depend on the calls, so they are kept until the calls change:
faster-whisper's in WORK/references.json (--refresh-references runs them again), WebRTC VAD's in
WORK/webrtc.json.
"""
import argparse
import json
import os
import subprocess
import sys

import audio
import report
import runners
import webrtc_vad
from textnorm import normalise, wer
from truth import PARTIES, intersect, merge, total

LINE_MARGIN_S = 0.3
SETTINGS = ("beam5", "beam1", "beam5-vad")


def error_pct(measured, truth):
    return round((measured - truth) / truth * 100, 1) if truth else None


def webrtc_spans(path, cache):
    """WebRTC VAD's speech spans per party of a file, kept in `cache` (they only change with the file)."""
    key = os.path.basename(path)
    if key not in cache:
        channels = audio.decode_channels(path)
        cache[key] = {party: merge(webrtc_vad.speech_spans(channels[index])) for index, party in enumerate(PARTIES)}
    return cache[key]


def talk_time(callpipe, path, truth, vad_cache):
    """Per party: CallPipe's and WebRTC VAD's talk seconds and errors; overlap errors."""
    analysis = runners.analyze(callpipe, path)
    vad = webrtc_spans(path, vad_cache)
    expected = truth["expected"]
    row = {"parties": {}, "overlap_truth_s": expected["overlap_s"]}
    for party in PARTIES:
        ours = analysis["speakers"].get(party, {}).get("talk_s", 0.0)
        theirs = round(total(vad[party]), 2)
        row["parties"][party] = {
            "truth_s": expected["talk_s"][party], "callpipe_s": ours,
            "callpipe_err_pct": error_pct(ours, expected["talk_s"][party]),
            "webrtc_s": theirs, "webrtc_err_pct": error_pct(theirs, expected["talk_s"][party]),
        }
    row["overlap_callpipe_s"] = analysis["overlap"]["total_s"]
    row["overlap_callpipe_err_s"] = round(analysis["overlap"]["total_s"] - expected["overlap_s"], 2)
    webrtc_overlap = total(intersect(vad["agent"], vad["customer"]))
    row["overlap_webrtc_err_s"] = round(webrtc_overlap - expected["overlap_s"], 2)
    if truth["music"]:
        # Hold music is not talk; how much of each tool's agent talk time is music.
        ours = merge([[s["start_s"], s["end_s"]] for s in analysis["segments"] if s["speaker"] == "agent"])
        row["music"] = {"truth_s": round(total(truth["music"]), 2),
                        "callpipe_s": round(total(intersect(ours, truth["music"])), 2),
                        "webrtc_s": round(total(intersect(vad["agent"], truth["music"])), 2)}
    return row


def reference_words(truth, party):
    return [w["w"] for w in sorted(truth["words"][party], key=lambda w: w["start_s"])]


def transcript_wer(segments, truth):
    """WER per party of CallPipe transcript segments (speaker, start_s, text)."""
    out = {}
    for party in PARTIES:
        text = " ".join(s["text"] for s in sorted(segments, key=lambda s: s["start_s"]) if s["speaker"] == party)
        out[party] = wer(reference_words(truth, party), normalise(text))
    return out


def line_timing(segments, truth):
    """How much of each transcript line is its speaker's truth speech (padded by LINE_MARGIN_S)."""
    shares, longest, worst = [], 0.0, None
    for segment in segments:
        start, end, party = segment["start_s"], segment["end_s"], segment["speaker"]
        if end <= start:
            continue
        padded = merge([[s - LINE_MARGIN_S, e + LINE_MARGIN_S] for s, e in truth["spans"].get(party, [])])
        inside = intersect([[start, end]], padded)
        share = total(inside) / (end - start)
        edges = [start] + [x for span in inside for x in span] + [end]
        silence = max(b - a for a, b in zip(edges[::2], edges[1::2]))
        shares.append(share)
        longest = max(longest, silence)
        if worst is None or share < worst["share"]:
            worst = {"share": round(share, 3), "speaker": party, "start_s": start, "end_s": end,
                     "text": segment["text"][:80]}
    if not shares:
        return {"lines": 0}
    return {"lines": len(shares), "min_share": round(min(shares), 3), "mean_share": round(sum(shares) / len(shares), 3),
            "under_half": sum(1 for s in shares if s < 0.5), "longest_silence_s": round(longest, 2), "worst": worst}


def channel_files(call_dir, name, work):
    """The two channels of a call's WAV as mono 16 kHz files (ffmpeg), for faster-whisper."""
    files = {}
    for index, party in enumerate(PARTIES):
        path = os.path.join(work, f"{name}-{party}.wav")
        source = os.path.join(call_dir, f"{name}.wav")
        if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(source):
            audio.ffmpeg("-i", source, "-af", f"pan=mono|c0=c{index}", path)
        files[party] = path
    return files


def references(calls, args):
    """faster-whisper directly, every setting on every call once, the best setting RUNS times on
    the longest call; cached in WORK/references.json under the calls' content hash."""
    cache_path = os.path.join(args.work, "references.json")
    content = call_hashes(args.calls_dir)
    cache = {}
    if os.path.exists(cache_path) and not args.refresh_references:
        with open(cache_path) as handle:
            cache = json.load(handle)
    previous = cache.get("content") if isinstance(cache.get("content"), dict) else {}
    results = {key: value for key, value in cache.get("results", {}).items()
               if previous.get(key.split("/")[0]) == content.get(key.split("/")[0])}
    cache = {"content": content, "results": results}
    for name, truth in calls.items():
        files = channel_files(os.path.join(args.calls_dir, name), name, args.work)
        for setting in SETTINGS:
            key = f"{name}/{setting}"
            if key not in results:
                print(f"quality: faster-whisper {setting} on {name}", file=sys.stderr)
                out, seconds = runners.whisper_direct(args.repo, setting, list(files.values()))
                results[key] = {"wer": {p: wer(reference_words(truth, p), normalise(out[files[p]]["text"]))
                                        for p in PARTIES}, "seconds": [round(seconds, 2)],
                                "text": {p: out[files[p]]["text"] for p in PARTIES}}
    with open(cache_path, "w") as handle:
        json.dump(cache, handle, indent=1)
    best = best_setting(results)
    timed_call = max(calls, key=lambda n: calls[n]["duration_s"])
    key = f"{timed_call}/{best}"
    files = channel_files(os.path.join(args.calls_dir, timed_call), timed_call, args.work)
    while len(results[key]["seconds"]) < args.runs:
        print(f"quality: timing faster-whisper {best} on {timed_call}", file=sys.stderr)
        results[key]["seconds"].append(round(runners.whisper_direct(args.repo, best, list(files.values()))[1], 2))
        with open(cache_path, "w") as handle:
            json.dump(cache, handle, indent=1)
    return results, best, timed_call


def call_hashes(calls_dir):
    """Each call's content hash as make_calls.py wrote them ({} when the file is of an older form)."""
    with open(os.path.join(calls_dir, "content")) as handle:
        text = handle.read()
    try:
        return json.loads(text)
    except ValueError:
        return {}


def call_of(name):
    """The call a file of the set belongs to: `call-48s.mp3` -> `call-48s`."""
    return os.path.basename(name).rsplit(".", 1)[0]


def best_setting(results):
    """The setting with the fewest word errors over every call and party it ran on."""
    errors = {}
    for key, result in results.items():
        setting = key.split("/")[1]
        errors[setting] = errors.get(setting, 0) + sum(w["sub"] + w["del"] + w["ins"] for w in result["wer"].values())
    return min(errors, key=errors.get)


def transcription(calls, args):
    out = {"calls": {}}
    refs, best, timed_call = references(calls, args)
    out["faster_whisper_best"] = best
    with runners.OpenAICompatibleServer(args.repo) as server:
        for name, truth in calls.items():
            path = os.path.join(args.calls_dir, name, f"{name}.wav")
            print(f"quality: callpipe transcribe on {name} (offline, then OpenAI path)", file=sys.stderr)
            offline, seconds = runners.transcribe_offline(args.callpipe, path, args.repo)
            times = [seconds]
            if name == timed_call:
                times += [runners.transcribe_offline(args.callpipe, path, args.repo)[1] for _ in range(args.runs - 1)]
            openai, _ = server.transcribe(args.callpipe, path)
            segments = offline["transcript"]["segments"]
            out["calls"][name] = {
                "callpipe_offline": transcript_wer(segments, truth),
                "callpipe_openai": transcript_wer(openai["transcript"]["segments"], truth),
                "faster_whisper": {s: refs[f"{name}/{s}"]["wer"] for s in SETTINGS},
                "line_timing": line_timing(segments, truth),
                "callpipe_offline_seconds": [round(t, 2) for t in times],
            }
            with open(os.path.join(args.work, f"{name}-transcript.json"), "w") as handle:
                json.dump({"offline": offline["transcript"], "openai": openai["transcript"]}, handle, indent=1)
    out["timing"] = {"call": timed_call, "audio_s": calls[timed_call]["duration_s"],
                     "callpipe_offline": runners.spread(out["calls"][timed_call]["callpipe_offline_seconds"]),
                     "faster_whisper": dict(runners.spread(refs[f"{timed_call}/{best}"]["seconds"][:args.runs]),
                                           setting=best)}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--callpipe", required=True)
    parser.add_argument("--calls-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--calls", default="call-48s,call-12min,call-holds,call-read")
    parser.add_argument("--codecs", default="wav,mp3,m4a,flac,opus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-wer", action="store_true")
    parser.add_argument("--refresh-references", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    calls = {}
    for name in args.calls.split(","):
        with open(os.path.join(args.calls_dir, name, f"{name}.json")) as handle:
            calls[name] = json.load(handle)
    results = {"callpipe": args.callpipe, "talk_time": {}}
    vad_path = os.path.join(args.work, "webrtc.json")
    content = call_hashes(args.calls_dir)
    vad = {}
    if os.path.exists(vad_path):
        with open(vad_path) as handle:
            vad = json.load(handle)
    previous = vad.get("content") if isinstance(vad.get("content"), dict) else {}
    vad_cache = {path: spans for path, spans in vad.get("files", {}).items()
                 if previous.get(call_of(path)) == content.get(call_of(path))}
    for name, truth in calls.items():
        for codec in args.codecs.split(","):
            path = os.path.join(args.calls_dir, name, f"{name}.{codec}")
            results["talk_time"][f"{name}.{codec}"] = talk_time(args.callpipe, path, truth, vad_cache)
    with open(vad_path, "w") as handle:
        json.dump({"content": content, "files": vad_cache}, handle)
    if not args.skip_wer:
        results["transcription"] = transcription(calls, args)
    with open(os.path.join(args.work, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1)
    print(report.table(results))
    print(f"\nwritten to {os.path.join(args.work, 'results.json')}")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.CalledProcessError) as error:
        sys.exit(f"quality: {error}")
