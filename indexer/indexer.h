/* indexer.h - the public API of the indexer module. Other modules include only this header. */
#ifndef KHOTIN_INDEXER_INDEXER_H
#define KHOTIN_INDEXER_INDEXER_H

#include "common/kt_common.h"
#include "indexer/index_writer.h"
#include "indexer/entities.h"
#include "indexer/kt_xapian.h"
#include "indexer/vi_analyze.h"

#endif
