"""Word normalisation and word error rate, applied the same way to references and hypotheses.

Normalisation: lowercase; curly apostrophes made straight and apostrophes removed inside words
("beauty's" -> "beautys"); every other character that is not a letter or digit separates words
("self-substantial" -> "self substantial"); numbers written with digits 0–99 become words
("10" -> "ten", "55" -> "fifty five"); "mr" -> "mister", "mrs" -> "missus", "ok" -> "okay".
"""
import re

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SPELLINGS = {"mr": "mister", "mrs": "missus", "ok": "okay", "metres": "meters"}


def number_words(token):
    value = int(token)
    if value < 20:
        return [ONES[value]]
    if value < 100:
        return [TENS[value // 10]] + ([ONES[value % 10]] if value % 10 else [])
    return [token]


def normalise(text):
    """The list of normalised words of a text."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)
    words = []
    for token in re.findall(r"[a-z0-9]+", text):
        if token.isdigit():
            words.extend(number_words(token))
        else:
            words.append(SPELLINGS.get(token, token))
    return words


def edit_counts(reference, hypothesis):
    """(substitutions, deletions, insertions) of the minimum word alignment."""
    # Each cell holds (cost, substitutions, deletions, insertions); ties prefer substitutions.
    previous = [(j, 0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, ref_word in enumerate(reference, start=1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hypothesis, start=1):
            cost, s, d, n = previous[j - 1]
            best = (cost, s, d, n) if ref_word == hyp_word else (cost + 1, s + 1, d, n)
            cost, s, d, n = previous[j]
            if cost + 1 < best[0]:
                best = (cost + 1, s, d + 1, n)
            cost, s, d, n = current[j - 1]
            if cost + 1 < best[0]:
                best = (cost + 1, s, d, n + 1)
            current.append(best)
        previous = current
    _, s, d, n = previous[-1]
    return s, d, n


def wer(reference_words, hypothesis_words):
    """Word error rate details: {"wer", "ref_words", "sub", "del", "ins"} (wer None with no reference)."""
    s, d, n = edit_counts(reference_words, hypothesis_words)
    total = len(reference_words)
    return {"wer": round((s + d + n) / total, 4) if total else None, "ref_words": total,
            "hyp_words": len(hypothesis_words), "sub": s, "del": d, "ins": n}
