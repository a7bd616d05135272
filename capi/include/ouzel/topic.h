/* Ouzel C API: MQTT topic names and filters — validation, matching, and a router.
 *
 * The engine's own rules (MQTT 5.0 sections 4.7 and 4.8.2; 3.1 and 3.1.1 use the same ones), so a
 * binding never writes its own matcher:
 *
 *   ouzel_topic_validate_filter("sport/+/player1", SIZE_MAX);          // OUZEL_OK
 *   ouzel_topic_matches("sport/#", SIZE_MAX, "sport", SIZE_MAX);       // 1
 *   ouzel_topic_matches("+/monitor", SIZE_MAX, "$SYS/monitor", SIZE_MAX); // 0 ($ topics)
 *
 *   ouzel_topic_router *r;
 *   ouzel_topic_router_new(&r);
 *   ouzel_topic_router_add(r, "site/+/temp", SIZE_MAX, 1);
 *   ouzel_topic_router_add(r, "site/#", SIZE_MAX, 2);
 *   uint64_t ids[8]; size_t n;
 *   ouzel_topic_router_match(r, "site/7/temp", SIZE_MAX, ids, 8, &n);  // n = 2: ids 1, 2
 *   ouzel_topic_router_free(r);
 *
 * Strings are (pointer, length) UTF-8; a length of SIZE_MAX means NUL-terminated. A NULL pointer
 * with length 0 is the empty string. Inputs are borrowed for the call only.
 */
#ifndef OUZEL_TOPIC_H
#define OUZEL_TOPIC_H

#include "ouzel/common.h"

OUZEL_BEGIN_DECLS

/* Checks a topic name (what PUBLISH and a Will carry): 1..65,535 bytes of well-formed MQTT UTF-8
 * (no U+0000, no surrogates) without the wildcards '+' and '#'. OUZEL_OK, or OUZEL_EINVAL with
 * ouzel_last_error_message() naming the rule and the byte offset ("topic contains the wildcard
 * '+' at byte 3 [MQTT-3.3.2-2]"). Thread-safe; no allocation kept. */
OUZEL_EXTERN int ouzel_topic_validate_name(const char* topic, size_t topic_len);

/* Checks a topic filter (what SUBSCRIBE and UNSUBSCRIBE carry): the length and UTF-8 rules of
 * topic names; '#' only as the whole last level; '+' only as a whole level; a filter starting with
 * "$share/" needs a non-empty share name without '/', '+' or '#', then '/' and a valid filter.
 * OUZEL_OK, or OUZEL_EINVAL with ouzel_last_error_message() naming the rule and the byte offset.
 * Thread-safe. */
OUZEL_EXTERN int ouzel_topic_validate_filter(const char* filter, size_t filter_len);

/* Whether the topic name `topic` matches the topic filter `filter`: 1 (matches), 0 (does not), or
 * OUZEL_EINVAL when either is invalid (the message says which, as the validators above do).
 * '+' matches exactly one level, which may be empty; '#' matches any number of levels including
 * none ("sport/#" matches "sport"); a topic starting with '$' is not matched by a filter whose
 * first level is a wildcard [MQTT-4.7.2-1]; "$share/{group}/{f}" matches as `f`. Bytes are
 * compared as they are, with no normalisation [MQTT-4.7.3-4]. Thread-safe. */
OUZEL_EXTERN int ouzel_topic_matches(const char* filter, size_t filter_len, const char* topic,
                                     size_t topic_len);

/* A router: a set of (topic filter, id) pairs that answers "which ids does this topic match?",
 * built on the engine's subscription index (a trie over topic levels: a lookup costs one hash
 * probe per level plus the wildcard branches present, however many filters are stored). Bindings
 * use it to send each incoming message to the handlers of the filters it matches (paho's
 * message_callback_add).
 *
 * Thread-compatibility: ouzel_topic_router_match may run on several threads at once on one
 * router; ouzel_topic_router_add, _remove and _free need exclusive access (no other call on that
 * router at the same time). Distinct routers are independent. */
typedef struct ouzel_topic_router ouzel_topic_router;

/* Creates an empty router in *out, owned by the caller (free it with ouzel_topic_router_free).
 * OUZEL_EINVAL (out NULL), OUZEL_ENOMEM. Thread-safe. */
OUZEL_EXTERN int ouzel_topic_router_new(ouzel_topic_router** out);

/* Frees the router and every pair in it. NULL is a no-op. Needs exclusive access. */
OUZEL_EXTERN void ouzel_topic_router_free(ouzel_topic_router* router);

/* Adds the pair (`filter`, `id`) (the filter is copied). A filter may carry several ids and an id
 * may sit under several filters; adding a pair already present changes nothing and returns
 * OUZEL_OK. "$share/g/x" and "x" are different filters that match the same topics.
 * OUZEL_EINVAL (NULL router, invalid filter: the message says why; nothing is added),
 * OUZEL_ENOMEM. Needs exclusive access. */
OUZEL_EXTERN int ouzel_topic_router_add(ouzel_topic_router* router, const char* filter,
                                        size_t filter_len, uint64_t id);

/* Removes the pair (`filter`, `id`). OUZEL_ENOTFOUND when that pair is not in the router (the
 * filter must be spelled as it was added), OUZEL_EINVAL (NULL router). Needs exclusive access. */
OUZEL_EXTERN int ouzel_topic_router_remove(ouzel_topic_router* router, const char* filter,
                                           size_t filter_len, uint64_t id);

/* Finds the ids of every pair whose filter matches the topic name `topic` (the rules of
 * ouzel_topic_matches). Each id appears once, even when it sits under several matching filters.
 * *out_total receives how many ids match; the first min(total, max) of them are written to
 * `ids` (which may be NULL when max is 0). When *out_total > max, call again with an array of at
 * least *out_total.
 *
 * Order: most specific filter first, paho-mqtt's order. Matching filters are compared level by
 * level: a literal level comes before '+', '+' before '#', and a filter that has ended before one
 * that goes on with '#' ("a" before "a/#"); ids whose filters tie (the same filter, or the same
 * filter under different share names) come in ascending order. An id under several matching
 * filters takes the place of the first of them.
 *
 * OUZEL_OK; OUZEL_EINVAL (NULL router or out_total, ids NULL with max > 0, an invalid topic name:
 * *out_total is then 0), OUZEL_ENOMEM. May run concurrently with other matches on the same
 * router. */
OUZEL_EXTERN int ouzel_topic_router_match(const ouzel_topic_router* router, const char* topic,
                                          size_t topic_len, uint64_t* ids, size_t max,
                                          size_t* out_total);

/* Number of (filter, id) pairs in the router (0 for NULL). Same thread rules as match. */
OUZEL_EXTERN size_t ouzel_topic_router_count(const ouzel_topic_router* router);

OUZEL_END_DECLS

#endif /* OUZEL_TOPIC_H */
