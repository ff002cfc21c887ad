"""Ground truth of a built call, from the aligned words of the clips placed in it.

A party's speech spans are the union of its word intervals with pauses shorter than MIN_PAUSE_S
merged (the definition of Fixtures/audio/make_fixtures.py, whose pauses come from the clean
voice's energy instead). The JSON keeps the keys of that script's truth, so the Swift tests'
`GroundTruth` reads both, and adds the words, the placed clips and the hold music.
"""

MIN_PAUSE_S = 0.5
NON_TALK_MIN_S = 2.0
PARTIES = ("agent", "customer")


def merge(intervals, min_pause=0.0):
    """Sorted union of [start, end] intervals; gaps shorter than min_pause are closed."""
    merged = []
    for start, end in sorted(intervals):
        if merged and (start <= merged[-1][1] or start - merged[-1][1] < min_pause):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def intersect(first, second):
    """Intersection of two sorted lists of disjoint [start, end] intervals."""
    out, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if start < end:
            out.append([start, end])
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out


def total(intervals):
    return sum(end - start for start, end in intervals)


def rounded(intervals):
    return [[round(start, 3), round(end, 3)] for start, end in intervals]


def ground_truth(duration, words, utterances, music):
    """The truth JSON of a call.

    words: {party: [{"w", "start_s", "end_s", "utterance", "clip"}]}; utterances: the placed clips;
    music: [[start, end]] of hold music (not speech)."""
    spans = {party: merge([[w["start_s"], w["end_s"]] for w in words[party]], MIN_PAUSE_S) for party in PARTIES}
    overlap = intersect(spans["agent"], spans["customer"])
    interruptions = {
        party: sum(1 for s in spans[party] for o in spans[other] if o[0] < s[0] < o[1])
        for party, other in (("agent", "customer"), ("customer", "agent"))
    }
    talk = merge(spans["agent"] + spans["customer"])
    gaps, cursor = [], 0.0
    for start, end in talk + [[duration, duration]]:
        if start - cursor >= NON_TALK_MIN_S:
            gaps.append([cursor, start])
        cursor = max(cursor, end)
    return {
        "duration_s": round(duration, 3),
        "sample_rate": 16000,
        "channels": {"agent": 0, "customer": 1},
        "definition": f"speech = union of the party's aligned word intervals, pauses < {MIN_PAUSE_S} s merged",
        "spans": {party: rounded(spans[party]) for party in PARTIES},
        "expected": {
            "talk_s": {party: round(total(spans[party]), 3) for party in PARTIES},
            "mono_talk_s": round(total(talk), 3),
            "overlap_s": round(total(overlap), 3),
            "overlaps": rounded(overlap),
            "interruptions": interruptions,
            "non_talk_instances": rounded(gaps),
        },
        "music": rounded(music),
        "utterances": utterances,
        "words": words,
    }
