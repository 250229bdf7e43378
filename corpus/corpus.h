/* corpus.h - the public API of the corpus module: the on-disk archive (WARC files, crawl state,
 * article records). Other modules include only this header. */
#ifndef KHOTIN_CORPUS_CORPUS_H
#define KHOTIN_CORPUS_CORPUS_H

#include "common/kt_common.h"
#include "corpus/article.h"
#include "corpus/article_store.h"
#include "corpus/archive.h"
#include "corpus/crawl_state.h"
#include "corpus/http_message.h"
#include "corpus/warc_digest.h"
#include "corpus/warc_reader.h"
#include "corpus/warc_writer.h"

#endif
