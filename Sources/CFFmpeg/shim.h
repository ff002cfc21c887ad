#ifndef CALLPIPE_CFFMPEG_SHIM_H
#define CALLPIPE_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>

// Macros Swift cannot import, exposed as functions (PLATFORM-NOTES.md).
static inline int cp_averror(int errnum) { return AVERROR(errnum); }
static inline int cp_averror_eof(void) { return AVERROR_EOF; }
static inline int cp_averror_invalid_data(void) { return AVERROR_INVALIDDATA; }
static inline int cp_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int cp_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t cp_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int cp_av_time_base(void) { return AV_TIME_BASE; }

#endif
