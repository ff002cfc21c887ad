"""The benchmark's printed tables, from the results that score.py also writes as JSON."""


def pct(value):
    return "-" if value is None else f"{value:+.1f}%"


def wer_cell(result):
    return "-" if result.get("wer") is None else f"{result['wer'] * 100:.1f}%"


def talk_table(talk):
    lines = ["talk time (error vs truth; overlap error in s)",
             (f"{'file':<20} {'party':<9} {'truth s':>8} {'CallPipe':>9} {'WebRTC':>9} {'overlap':>8} "
              f"{'CP ov err':>9} {'VAD ov err':>10}")]
    for file, row in talk.items():
        for index, (party, cell) in enumerate(row["parties"].items()):
            overlap = (f"{row['overlap_truth_s']:>8.2f} {row['overlap_callpipe_err_s']:>+9.2f} "
                       f"{row['overlap_webrtc_err_s']:>+10.2f}") if index == 0 else ""
            lines.append(f"{file if index == 0 else '':<20} {party:<9} {cell['truth_s']:>8.2f} "
                         f"{pct(cell['callpipe_err_pct']):>9} {pct(cell['webrtc_err_pct']):>9} {overlap}")
        if "music" in row:
            music = row["music"]
            lines.append(f"{'':<20} {'':<9} hold music {music['truth_s']:.1f} s, counted as agent talk: "
                         f"CallPipe {music['callpipe_s']:.1f} s, WebRTC {music['webrtc_s']:.1f} s")
    return lines


def pooled(calls, party, results_of):
    """One party's word error rate over every call of the run: all errors over all reference
    words (a call's figure swings by whole words with where the model's windows fall)."""
    errors = words = 0
    for call in calls.values():
        result = results_of(call)[party]
        if result.get("wer") is None:
            return "-"
        errors += result["sub"] + result["del"] + result["ins"]
        words += result["ref_words"]
    return f"{errors / words * 100:.1f}%" if words else "-"


def wer_table(transcription):
    best = transcription["faster_whisper_best"]
    lines = ["word error rate (normalised; see docs/quality.md)",
             (f"{'call':<12} {'party':<9} {'CP offline':>10} {'CP openai':>10} {'fw beam5':>9} {'fw beam1':>9} "
              f"{'fw b5+vad':>9}  best: {best}")]
    for name, call in transcription["calls"].items():
        for party in ("agent", "customer"):
            fw = call["faster_whisper"]
            lines.append(f"{name:<12} {party:<9} {wer_cell(call['callpipe_offline'][party]):>10} "
                         f"{wer_cell(call['callpipe_openai'][party]):>10} {wer_cell(fw['beam5'][party]):>9} "
                         f"{wer_cell(fw['beam1'][party]):>9} {wer_cell(fw['beam5-vad'][party]):>9}")
    for party in ("agent", "customer"):
        cells = [pooled(transcription["calls"], party, lambda call, key=key: call[key])
                 for key in ("callpipe_offline", "callpipe_openai")]
        cells += [pooled(transcription["calls"], party, lambda call, s=s: call["faster_whisper"][s])
                  for s in ("beam5", "beam1", "beam5-vad")]
        widths = (10, 10, 9, 9, 9)
        lines.append(f"{'all calls':<12} {party:<9} " + " ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths)))
    lines += ["", "line timing of CallPipe's offline transcript (share of a line that is its speaker's speech ±0.3 s)",
              f"{'call':<12} {'lines':>6} {'min':>6} {'mean':>6} {'<0.5':>5} {'longest silence s':>18}"]
    for name, call in transcription["calls"].items():
        t = call["line_timing"]
        if t["lines"]:
            lines.append(f"{name:<12} {t['lines']:>6} {t['min_share']:>6.2f} {t['mean_share']:>6.2f} "
                         f"{t['under_half']:>5} {t['longest_silence_s']:>18.2f}")
    timing = transcription["timing"]
    cp, fw = timing["callpipe_offline"], timing["faster_whisper"]
    lines += ["", f"wall time on {timing['call']} ({timing['audio_s']:.0f} s of audio), median [min-max] of runs",
              (f"  callpipe transcribe (offline)            {cp['median_s']:7.1f} s "
               f"[{cp['min_s']:.1f}-{cp['max_s']:.1f}] x{cp['runs']}"),
              (f"  faster-whisper {fw['setting']:<9} both channels     {fw['median_s']:7.1f} s "
               f"[{fw['min_s']:.1f}-{fw['max_s']:.1f}] x{fw['runs']}")]
    return lines


def table(results):
    lines = talk_table(results["talk_time"])
    if "transcription" in results:
        lines += [""] + wer_table(results["transcription"])
    return "\n".join(lines)
