"""Forced alignment of a clean clip to its reference text with pocketsphinx (US English model
shipped in the wheel), cached by the clip's audio and text so a rebuild does not align again."""
import hashlib
import json
import os

import numpy as np

from textnorm import normalise

# Normalised words of the reference texts that are not in the CMU dictionary the wheel ships.
EXTRA_PRONUNCIATIONS = {
    "beautys": "B Y UW T IY Z",
    "riper": "R AY P ER",
    "feedst": "F IY D S T",
    "buriest": "B EH R IY IH S T",
    "churl": "CH ER L",
    "makst": "M EY K S T",
    "niggarding": "N IH G ER D IH NG",
    "glutton": "G L AH T AH N",
    # LJSpeech (LJ001): printers, places and a few rarer words.
    "maintz": "M AY N T S",
    "missals": "M IH S AH L Z",
    "pannartz": "P AE N AA R T S",
    "pleasanter": "P L EH Z AH N T ER",
    "schoeffer": "SH EH F ER",
    "shapeliness": "SH EY P L IY N AH S",
    "subiaco": "S UW B IY AA K OW",
    "sweynheim": "S W EY N HH AY M",
    "woodcutters": "W UH D K AH T ER Z",
}
FRAME_S = 0.01
# A higher silence and filler probability than the decoder's defaults lets the alignment put the
# leading and trailing silence of a clip (and breaths) outside its words; with the defaults the first
# word of several clips started at 0 s although the clip's first 0.15–0.35 s are silence.
DECODER_OPTIONS = {"samprate": 16000, "bestpath": False, "silprob": 0.5, "fillprob": 0.1, "loglevel": "FATAL"}


class CachedAligner:
    def __init__(self, path):
        self.path = path
        self.cache = {}
        if os.path.exists(path):
            with open(path) as handle:
                self.cache = json.load(handle)

    def align(self, samples, text):
        """[[start_s, end_s, word], ...] for the normalised words of text, in order."""
        words = normalise(text)
        pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()
        key = hashlib.sha256(pcm + " ".join(words).encode()).hexdigest()
        if key not in self.cache:
            self.cache[key] = self.run(pcm, words)
        return self.cache[key]

    def run(self, pcm, words):
        from pocketsphinx import Decoder

        # A new decoder per clip: one that has processed other audio aligns differently.
        decoder = Decoder(**DECODER_OPTIONS)
        for word, phones in EXTRA_PRONUNCIATIONS.items():
            decoder.add_word(word, phones, True)
        decoder.set_align_text(" ".join(words))
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        aligned = [[round(s.start_frame * FRAME_S, 3), round((s.end_frame + 1) * FRAME_S, 3), s.word.split("(")[0]]
                   for s in decoder.seg() or [] if not s.word.startswith(("<", "["))]
        if [w for _, _, w in aligned] != words:
            raise SystemExit(f"pocketsphinx could not align {' '.join(words)!r}: got {aligned}")
        return aligned

    def save(self):
        with open(self.path, "w") as handle:
            json.dump(self.cache, handle, indent=0)
