#!/usr/bin/env python3
"""Scores findings against the labelled set (scripts/bench pii): precision and recall per kind,
for CallPipe and Presidio side by side.

An entity is found when every labelled span of it (a value read in two breaths has two) has all of
its letters and digits inside findings of its kind; a finding is right when it overlaps a labelled
span of its kind. Decoys (order numbers, prices, times…) must stay: each redacted is counted.

Usage: score.py SET.json CALLPIPE.json PRESIDIO.json [RESULTS.json]
"""
import json
import statistics
import sys

KINDS = ["card_number", "card_security_code", "card_expiry", "bank_account", "ssn", "phone", "email",
         "date_of_birth", "address", "person"]


def covered(line_text, span, findings, kind):
    chars = [i for i in range(span["start"], span["end"]) if line_text[i].isalnum()]
    hits = [f for f in findings if f["kind"] == kind or kind is None]
    return all(any(f["start"] <= i < f["end"] for f in hits) for i in chars)


def score(conversations, findings):
    by_line = {}
    for f in findings:
        by_line.setdefault((f["conversation"], f["line"]), []).append(f)
    entities = {}
    for c in conversations:
        for label in c["labels"]:
            entities.setdefault((label["kind"], label["entity"]), []).append((c, label))
    found = {k: [0, 0] for k in KINDS + ["decoy"]}
    any_kind = [0, 0]
    for (kind, _), spans in entities.items():
        ok = all(covered(c["lines"][l["line"]]["text"], l, by_line.get((c["id"], l["line"]), []), kind if kind != "decoy" else None)
                 for c, l in spans)
        if kind == "decoy":
            touched = any(any(f["start"] < l["end"] and l["start"] < f["end"] for f in by_line.get((c["id"], l["line"]), []))
                          for c, l in spans)
            found["decoy"][0] += touched
            found["decoy"][1] += 1
            continue
        found[kind][0] += ok
        found[kind][1] += 1
        hidden = all(covered(c["lines"][l["line"]]["text"], l, by_line.get((c["id"], l["line"]), []), None) for c, l in spans)
        any_kind[0] += hidden
        any_kind[1] += 1
    labels = {}
    for c in conversations:
        for l in c["labels"]:
            labels.setdefault((c["id"], l["line"]), []).append(l)
    right = {k: [0, 0] for k in KINDS}
    for f in findings:
        if f["kind"] not in right:
            continue
        spans = labels.get((f["conversation"], f["line"]), [])
        right[f["kind"]][0] += any(l["kind"] == f["kind"] and l["start"] < f["end"] and f["start"] < l["end"] for l in spans)
        right[f["kind"]][1] += 1
    return found, right, any_kind


def pct(pair):
    return "   -  " if pair[1] == 0 else f"{100 * pair[0] / pair[1]:5.1f}%"


def main():
    conversations = json.load(open(sys.argv[1]))
    ours = json.load(open(sys.argv[2]))
    theirs = json.load(open(sys.argv[3]))
    a_found, a_right, a_any = score(conversations, ours["findings"])
    b_found, b_right, b_any = score(conversations, theirs["findings"])
    print(f"{'':20} {'entities':>8}   {'CallPipe recall':>15} {'precision':>9}   {'Presidio recall':>15} {'precision':>9}")
    for kind in KINDS:
        print(f"{kind:20} {a_found[kind][1]:8d}   {pct(a_found[kind]):>15} {pct(a_right[kind]):>9}   "
              f"{pct(b_found[kind]):>15} {pct(b_right[kind]):>9}")
    total = lambda d: [sum(d[k][0] for k in KINDS), sum(d[k][1] for k in KINDS)]
    print(f"{'all kinds':20} {total(a_found)[1]:8d}   {pct(total(a_found)):>15} {pct(total(a_right)):>9}   "
          f"{pct(total(b_found)):>15} {pct(total(b_right)):>9}")
    print(f"{'hidden (any kind)':20} {a_any[1]:8d}   {pct(a_any):>15} {'':>9}   {pct(b_any):>15}")
    print(f"{'decoys redacted':20} {a_found['decoy'][1]:8d}   {pct(a_found['decoy']):>15} {'':>9}   {pct(b_found['decoy']):>15}"
          "   (lower is better)")
    minutes = ours["audio_minutes"]
    text = statistics.median(ours["text_seconds_per_run"])
    spread = (min(ours["text_seconds_per_run"]), max(ours["text_seconds_per_run"]))
    print(f"\ntext: CallPipe {1000 * text / minutes:.2f} ms per minute of conversation "
          f"(median of {len(ours['text_seconds_per_run'])} runs, {1000 * spread[0] / minutes:.2f}-{1000 * spread[1] / minutes:.2f}; "
          f"{minutes:.0f} min in the set); Presidio {1000 * theirs['seconds'] / minutes:.1f} ms per minute (one run)")
    if ours.get("audio_redaction_seconds"):
        audio = ours["audio_redaction_seconds"]
        print(f"audio: {1000 * statistics.median(audio) / ours['call_minutes']:.0f} ms per minute of recording "
              f"(median of {len(audio)}, {1000 * min(audio) / ours['call_minutes']:.0f}-"
              f"{1000 * max(audio) / ours['call_minutes']:.0f}; decode, mute, FLAC) on a "
              f"{ours['call_minutes']:.0f}-minute call")
    if theirs.get("unmapped"):
        print(f"Presidio's other entity types (not scored): {theirs['unmapped']}")
    if len(sys.argv) > 4:
        json.dump({"callpipe": {"found": a_found, "right": a_right, "hidden": a_any},
                   "presidio": {"found": b_found, "right": b_right, "hidden": b_any}}, open(sys.argv[4], "w"), indent=1)


if __name__ == "__main__":
    main()
