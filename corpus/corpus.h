/* corpus.h - the public API of the corpus module: the on-disk archive (WARC files, crawl state,
 * article records). Other modules include only this header. */
#ifndef KHOTIN_CORPUS_CORPUS_H
#define KHOTIN_CORPUS_CORPUS_H

#include "common/kt_common.h"

#endif
