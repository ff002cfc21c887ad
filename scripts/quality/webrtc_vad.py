"""The WebRTC VAD reference for talk time: each channel on its own at 16 kHz, aggressiveness 2,
30 ms frames, a 300 ms hangover after the last speech frame."""
import webrtcvad

from audio import RATE

AGGRESSIVENESS = 2
FRAME_MS = 30
HANGOVER_MS = 300


def speech_spans(samples):
    """[[start_s, end_s]] of speech in int16 samples at RATE."""
    vad = webrtcvad.Vad(AGGRESSIVENESS)
    hop = RATE * FRAME_MS // 1000
    hangover = HANGOVER_MS // FRAME_MS
    data = samples.astype("<i2").tobytes()
    spans, left = [], 0
    for index in range(len(samples) // hop):
        if vad.is_speech(data[index * hop * 2:(index + 1) * hop * 2], RATE):
            left = hangover
            start = index * FRAME_MS / 1000
            if spans and spans[-1][1] >= start:
                spans[-1][1] = start + FRAME_MS / 1000
            else:
                spans.append([start, start + FRAME_MS / 1000])
        elif left:
            left -= 1
            spans[-1][1] = (index + 1) * FRAME_MS / 1000
    return spans
