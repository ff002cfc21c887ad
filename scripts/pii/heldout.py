#!/usr/bin/env python3
"""Turns the hand-written held-out set (scripts/pii/heldout.txt) into the labelled JSON that
scripts/bench pii scores: one conversation per paragraph, [[kind:text]] labels (kind#n: one value
split over lines), times made up from word counts.

Usage: heldout.py HELDOUT.txt OUTPUT.json
"""
import json
import re
import sys

MARK = re.compile(r"\[\[([a-z_]+)(#\d+)?:(.*?)\]\]")


def main():
    paragraphs, current = [], []
    for raw in open(sys.argv[1]):
        line = raw.rstrip("\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(current)
    conversations = []
    for number, paragraph in enumerate(paragraphs):
        ident = f"h{number:03d}"
        lines, labels, time, count = [], [], 0.0, 0
        for index, line in enumerate(paragraph):
            speaker = {"A": "agent", "C": "customer"}[line[0]]
            source, text, position = line[3:], "", 0
            for match in MARK.finditer(source):
                text += source[position:match.start()]
                kind, split, value = match.group(1), match.group(2), match.group(3)
                if split:
                    entity = f"{ident}-s{split[1:]}"
                else:
                    count += 1
                    entity = f"{ident}-e{count}"
                labels.append({"kind": kind, "start": len(text), "end": len(text) + len(value), "entity": entity,
                               "line": index})
                text += value
                position = match.end()
            text += source[position:]
            start = time + 0.4
            time = start + max(0.8, len(text.split()) * 0.38)
            lines.append({"speaker": speaker, "start": round(start, 2), "end": round(time, 2), "text": text})
        conversations.append({"id": ident, "lines": lines, "labels": labels})
    json.dump(conversations, open(sys.argv[2], "w"), indent=1)
    kinds = {}
    for c in conversations:
        for label in c["labels"]:
            kinds.setdefault(label["kind"], set()).add(label["entity"])
    print("held-out set:", len(conversations), "conversations;", ", ".join(f"{k} {len(v)}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
