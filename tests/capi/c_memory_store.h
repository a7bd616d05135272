/* A session store written in plain C against ouzel/sys/store.h, for the tests: records in memory
 * (so they survive a client, not the process), call counters, and failures on request. What an
 * application or a binding writes to plug in its own store.
 *
 *   c_memory_store* s = c_memory_store_new();
 *   ouzel_options_set_store(opts, c_memory_store_vtable(), s);  // destroy frees it...
 *   c_memory_store_keep(s);                                     // ...unless kept for the test
 */
#ifndef OUZEL_TESTS_CAPI_C_MEMORY_STORE_H
#define OUZEL_TESTS_CAPI_C_MEMORY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "ouzel/sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct c_memory_store c_memory_store;

c_memory_store* c_memory_store_new(void);
/* The vtable (static). Its destroy frees the store unless c_memory_store_keep was called; then it
 * only counts, and the test frees the store with c_memory_store_free. */
const ouzel_store_vtable* c_memory_store_vtable(void);
void c_memory_store_keep(c_memory_store* s);
void c_memory_store_free(c_memory_store* s);

size_t c_memory_store_count(const c_memory_store* s);
/* The index-th record in key order (0 <= index < count). Borrowed. */
const char* c_memory_store_key_at(const c_memory_store* s, size_t index, size_t* key_len);
const void* c_memory_store_value_at(const c_memory_store* s, size_t index, size_t* value_len);
/* Records whose key starts with `prefix`. */
size_t c_memory_store_count_prefix(const c_memory_store* s, const char* prefix);
/* Adds or replaces a record directly (to plant damaged ones). */
int c_memory_store_set(c_memory_store* s, const char* key, size_t key_len, const void* value,
                       size_t value_len);

/* Calls counted so far. */
typedef struct c_memory_store_counts {
  int64_t puts, removes, clears, loads, flushes, destroys;
} c_memory_store_counts;
c_memory_store_counts c_memory_store_get_counts(const c_memory_store* s);

/* Failures: the next `times` calls of that slot return `code` (0 times: never). */
void c_memory_store_fail_put(c_memory_store* s, int code, int times);
void c_memory_store_fail_load(c_memory_store* s, int code);
void c_memory_store_fail_flush(c_memory_store* s, int code, int times);

#ifdef __cplusplus
}
#endif

#endif /* OUZEL_TESTS_CAPI_C_MEMORY_STORE_H */
