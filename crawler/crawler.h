/* crawler.h - the public API of the crawler module. Other modules include only this header. */
#ifndef KHOTIN_CRAWLER_CRAWLER_H
#define KHOTIN_CRAWLER_CRAWLER_H

#include "common/kt_common.h"
#include "crawler/url.h"
#include "crawler/robots.h"
#include "crawler/discover.h"
#include "crawler/links.h"
#include "crawler/site_config.h"
#include "crawler/fetch.h"
#include "crawler/crawl.h"
#include "crawler/extract.h"
#include "crawler/dedup.h"

#endif
