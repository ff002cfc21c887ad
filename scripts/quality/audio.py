"""Signal helpers for the quality set: WAV I/O, levels, noise, tones and ffmpeg round trips.

Every signal is a float32 numpy array at RATE, full scale 1.0.
"""
import io
import subprocess
import wave

import numpy as np

RATE = 16000


def read_wav_bytes(data):
    """Decodes a 16-bit PCM WAV (any rate is refused but RATE) into float32 mono."""
    with wave.open(io.BytesIO(data)) as handle:
        if handle.getframerate() != RATE or handle.getsampwidth() != 2 or handle.getnchannels() != 1:
            raise ValueError("expected 16 kHz 16-bit mono WAV")
        return pcm16_to_float(handle.readframes(handle.getnframes()))


def pcm16_to_float(data):
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def write_wav(path, channels, rate=RATE):
    """Writes 16-bit PCM WAV from a list of equally long float arrays (one per channel)."""
    stacked = np.stack(channels, axis=1) if len(channels) > 1 else channels[0][:, None]
    pcm = np.clip(np.round(stacked * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(len(channels))
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())


def dbfs(level_db):
    return 10.0 ** (level_db / 20.0)


def rms(samples):
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


def speech_rms(samples, intervals, offset=0.0):
    """RMS over the samples inside the given (start_s, end_s) intervals, shifted by offset seconds."""
    parts = [samples[max(0, int((s + offset) * RATE)):int((e + offset) * RATE)] for s, e in intervals]
    parts = [p for p in parts if len(p)]
    return rms(np.concatenate(parts)) if parts else 0.0


def delay(samples, seconds):
    shift = int(round(seconds * RATE))
    return np.concatenate([np.zeros(shift, dtype=np.float32), samples[:len(samples) - shift]])


def coloured_noise(rng, length, level_db, tilt=0.5):
    """Steady noise at an RMS level; `tilt` 0 is white, 1 pink-like (−3 dB per octave per 0.5)."""
    white = rng.standard_normal(length)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(length, 1.0 / RATE)
    spectrum /= np.maximum(freqs, 20.0) ** tilt
    noise = np.fft.irfft(spectrum, length)
    return (noise / rms(noise) * dbfs(level_db)).astype(np.float32)


def hold_music(rng, seconds, level_db):
    """A plain synthetic melody (harmonic tones with soft envelopes) standing for hold music."""
    note_s = 0.4
    scale = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25]
    t = np.arange(int(note_s * RATE)) / RATE
    envelope = np.minimum(1.0, t / 0.03) * np.exp(-t * 3.0)
    notes = []
    for _ in range(int(np.ceil(seconds / note_s))):
        f = scale[rng.integers(len(scale))]
        tone = sum(np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3))
        notes.append(tone * envelope)
    music = np.concatenate(notes)[:int(seconds * RATE)]
    return (music / rms(music) * dbfs(level_db)).astype(np.float32)


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def ffmpeg_bytes(data, *output_args):
    """ffmpeg from bytes to bytes: data in any format it reads, the output as output_args say."""
    return subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", "-", *output_args, "-"],
                          input=data, capture_output=True, check=True).stdout


def telephone(samples):
    """The customer's line: 300–3400 Hz band, 8 kHz, G.711 μ-law and back to RATE (ffmpeg)."""
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()
    chain = ("highpass=f=300:poles=2,highpass=f=300:poles=2,lowpass=f=3400:poles=2,lowpass=f=3400:poles=2,"
             "aresample=8000")
    encoded = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
         "-af", chain, "-c:a", "pcm_mulaw", "-f", "wav", "-"],
        input=pcm, capture_output=True, check=True).stdout
    decoded = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "wav", "-i", "-", "-af", f"aresample={RATE}",
         "-f", "s16le", "-ac", "1", "-"],
        input=encoded, capture_output=True, check=True).stdout
    out = pcm16_to_float(decoded)
    if len(out) < len(samples):
        out = np.concatenate([out, np.zeros(len(samples) - len(out), dtype=np.float32)])
    return out[:len(samples)]


def decode_channels(path):
    """Decodes any audio file with ffmpeg to RATE 16-bit stereo; returns [channel 0, channel 1]."""
    data = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-ac", "2", "-ar", str(RATE),
         "-f", "s16le", "-"], capture_output=True, check=True).stdout
    frames = np.frombuffer(data, dtype="<i2").reshape(-1, 2)
    return [frames[:, 0].copy(), frames[:, 1].copy()]
