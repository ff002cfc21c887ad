#ifndef CALLPIPE_CFFMPEG_SHIM_H
#define CALLPIPE_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avstring.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>
#include <stdint.h>

// Macros Swift cannot import, exposed as functions (docs/ARCHITECTURE.md §1: Audio wraps FFmpeg).
static inline int cp_averror(int errnum) { return AVERROR(errnum); }
static inline int cp_averror_eof(void) { return AVERROR_EOF; }
static inline int cp_averror_invalid_data(void) { return AVERROR_INVALIDDATA; }
static inline int cp_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int cp_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t cp_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int cp_av_time_base(void) { return AV_TIME_BASE; }

// A decode's stop signal (Audio's DecodeInterrupt owns one), read by FFmpeg's interrupt callback
// while it blocks in I/O and by the Swift decode loop between packets. `cancelled` is set from
// another thread, so both fields are only touched through atomics.
typedef struct cp_interrupt {
    int cancelled;
    int64_t deadline;
} cp_interrupt;

static inline void cp_interrupt_cancel(cp_interrupt *state) {
    __atomic_store_n(&state->cancelled, 1, __ATOMIC_RELEASE);
}
// Starts the clock: the decode must be over `microseconds` from now.
static inline void cp_interrupt_arm(cp_interrupt *state, int64_t microseconds) {
    int64_t now = av_gettime_relative();
    int64_t deadline = microseconds > INT64_MAX - now ? INT64_MAX : now + microseconds;
    __atomic_store_n(&state->deadline, deadline, __ATOMIC_RELEASE);
}
// 0: go on; 1: cancelled; 2: past the deadline.
static inline int cp_interrupt_reason(const cp_interrupt *state) {
    if (__atomic_load_n(&state->cancelled, __ATOMIC_ACQUIRE)) return 1;
    if (av_gettime_relative() >= __atomic_load_n(&state->deadline, __ATOMIC_ACQUIRE)) return 2;
    return 0;
}
static inline int cp_interrupt_callback(void *opaque) { return cp_interrupt_reason(opaque) != 0; }
// Makes FFmpeg give up (AVERROR_EXIT) on blocking I/O once the decode is cancelled or late.
static inline void cp_interrupt_install(AVFormatContext *context, cp_interrupt *state) {
    context->interrupt_callback.callback = cp_interrupt_callback;
    context->interrupt_callback.opaque = state;
}

#endif
