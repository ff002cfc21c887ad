#ifndef CALLPIPE_CSNDFILE_SHIM_H
#define CALLPIPE_CSNDFILE_SHIM_H

#include <sndfile.h>

#endif
