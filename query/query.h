/* query.h - the public API of the query module. Other modules include only this header. */
#ifndef KHOTIN_QUERY_QUERY_H
#define KHOTIN_QUERY_QUERY_H

#include "common/kt_common.h"
#include "query/search.h"
#include "query/stats.h"

#endif
