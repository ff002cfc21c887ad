#!/usr/bin/env python3
"""Makes the small hostile recordings in Fixtures/audio/hostile/: files that are valid enough for
FFmpeg to open but claim what they are not, so the decoder's limits can be tested on real bytes.

- timestamp-leap.mkv: two seconds of Matroska/Vorbis (16 kHz stereo, about 8 KB) whose packet
  timestamps jump 10^6 s ahead after the first second, so the file declares 277 hours. Decoded
  naively, the gap becomes 64 GB of silence at 16 kHz.
- timestamp-gap.mkv: the same with a leap of 60 s, an honest file's paused recorder: the gap is
  filled with a minute of silence, a chunk at a time.
- playlist.m3u8: an HLS playlist whose one segment is another file of the checkout
  (../call.mp3). FFmpeg itself follows it (`ffprobe playlist.m3u8` reads the call); CallPipe must
  refuse it rather than read the file it points at. (The tests write FFmpeg concat lists the same
  way at run time.)

Usage: Fixtures/audio/make_hostile_fixtures.py [OUTPUT_DIR]   (needs ffmpeg 4.4 or later, for setts)
"""
import os
import subprocess
import sys

LEAP_AFTER_S = 1  # the timestamps jump after this much audio


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_timestamp_leap(path, leap_s):
    # Two tones, one per channel, so the file decodes to real audio before the leap. The setts
    # bitstream filter rewrites the muxer's timestamps, which Matroska keeps in milliseconds.
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2:r=16000", "-f", "lavfi", "-i", "sine=f=660:d=2:r=16000",
           "-filter_complex", "[0:a][1:a]amerge=inputs=2[a]", "-map", "[a]",
           "-c:a", "libvorbis", "-q:a", "0", "-fflags", "+bitexact", "-flags:a", "+bitexact",
           "-bsf:a", f"setts=ts=TS+{leap_s * 1000}*gte(TS\\,{LEAP_AFTER_S * 1000})",
           "-f", "matroska", path)


def make_playlist(path):
    with open(path, "w") as handle:
        handle.write("#EXTM3U\n#EXT-X-TARGETDURATION:60\n#EXT-X-MEDIA-SEQUENCE:0\n"
                     "#EXTINF:60.0,\n../call.mp3\n#EXT-X-ENDLIST\n")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "hostile")
    os.makedirs(out, exist_ok=True)
    make_timestamp_leap(os.path.join(out, "timestamp-leap.mkv"), 1_000_000)
    make_timestamp_leap(os.path.join(out, "timestamp-gap.mkv"), 60)
    make_playlist(os.path.join(out, "playlist.m3u8"))
