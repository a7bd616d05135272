/* See c_memory_store.h. Records are kept sorted by key in one array; tests hold a few hundred. A
 * mutex guards everything, because the test thread inspects the store while a client's loop
 * thread may be calling it. */
#include "tests/capi/c_memory_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ouzel/errors.h"

typedef struct record {
  char* key;
  size_t key_len;
  void* value;
  size_t value_len;
} record;

struct c_memory_store {
  pthread_mutex_t mu;
  record* records;
  size_t count;
  size_t capacity;
  int keep;
  c_memory_store_counts counts;
  int put_fail_code, put_fail_times;
  int load_fail_code;
  int flush_fail_code, flush_fail_times;
};

static int compare_keys(const char* a, size_t a_len, const char* b, size_t b_len) {
  size_t n = a_len < b_len ? a_len : b_len;
  int c = memcmp(a, b, n);
  if (c != 0) return c;
  return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

/* Index of `key`, or where it would go (with *found 0). */
static size_t find(const c_memory_store* s, const char* key, size_t key_len, int* found) {
  size_t lo = 0, hi = s->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = compare_keys(s->records[mid].key, s->records[mid].key_len, key, key_len);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *found = 0;
  return lo;
}

static void* copy_bytes(const void* p, size_t n) {
  void* out = malloc(n > 0 ? n : 1);
  if (out != NULL && n > 0) memcpy(out, p, n);
  return out;
}

static int set_locked(c_memory_store* s, const char* key, size_t key_len, const void* value,
                      size_t value_len) {
  int found = 0;
  size_t i = find(s, key, key_len, &found);
  void* v = copy_bytes(value, value_len);
  if (v == NULL) return OUZEL_ENOMEM;
  if (found) {
    free(s->records[i].value);
    s->records[i].value = v;
    s->records[i].value_len = value_len;
    return OUZEL_OK;
  }
  char* k = (char*)copy_bytes(key, key_len);
  if (k == NULL) {
    free(v);
    return OUZEL_ENOMEM;
  }
  if (s->count == s->capacity) {
    size_t cap = s->capacity == 0 ? 16 : 2 * s->capacity;
    record* grown = (record*)realloc(s->records, cap * sizeof(record));
    if (grown == NULL) {
      free(k);
      free(v);
      return OUZEL_ENOMEM;
    }
    s->records = grown;
    s->capacity = cap;
  }
  memmove(&s->records[i + 1], &s->records[i], (s->count - i) * sizeof(record));
  s->records[i].key = k;
  s->records[i].key_len = key_len;
  s->records[i].value = v;
  s->records[i].value_len = value_len;
  s->count++;
  return OUZEL_OK;
}

static void clear_locked(c_memory_store* s) {
  for (size_t i = 0; i < s->count; ++i) {
    free(s->records[i].key);
    free(s->records[i].value);
  }
  s->count = 0;
}

static int store_put(const char* key, size_t key_len, const void* value, size_t value_len,
                     void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.puts++;
  int rc;
  if (s->put_fail_times > 0) {
    s->put_fail_times--;
    rc = s->put_fail_code;
  } else {
    rc = set_locked(s, key, key_len, value, value_len);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int store_remove(const char* key, size_t key_len, void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.removes++;
  int found = 0;
  size_t i = find(s, key, key_len, &found);
  if (found) {
    free(s->records[i].key);
    free(s->records[i].value);
    memmove(&s->records[i], &s->records[i + 1], (s->count - i - 1) * sizeof(record));
    s->count--;
  }
  pthread_mutex_unlock(&s->mu);
  return OUZEL_OK;
}

static int store_clear(void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.clears++;
  clear_locked(s);
  pthread_mutex_unlock(&s->mu);
  return OUZEL_OK;
}

static int store_load(ouzel_store_loader* loader, void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.loads++;
  int rc = s->load_fail_code;
  for (size_t i = 0; rc == OUZEL_OK && i < s->count; ++i) {
    const record* r = &s->records[i];
    rc = ouzel_store_loader_add(loader, r->key, r->key_len, r->value, r->value_len);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int store_flush(void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.flushes++;
  int rc = OUZEL_OK;
  if (s->flush_fail_times > 0) {
    s->flush_fail_times--;
    rc = s->flush_fail_code;
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static void store_destroy(void* user_data) {
  c_memory_store* s = (c_memory_store*)user_data;
  pthread_mutex_lock(&s->mu);
  s->counts.destroys++;
  int keep = s->keep;
  pthread_mutex_unlock(&s->mu);
  if (!keep) c_memory_store_free(s);
}

static const ouzel_store_vtable kVtable = {
    OUZEL_STORE_VTABLE_VERSION,
    store_put,
    store_remove,
    store_clear,
    store_load,
    store_flush,
    store_destroy,
};

c_memory_store* c_memory_store_new(void) {
  c_memory_store* s = (c_memory_store*)calloc(1, sizeof(c_memory_store));
  if (s != NULL) pthread_mutex_init(&s->mu, NULL);
  return s;
}

const ouzel_store_vtable* c_memory_store_vtable(void) { return &kVtable; }

void c_memory_store_keep(c_memory_store* s) {
  pthread_mutex_lock(&s->mu);
  s->keep = 1;
  pthread_mutex_unlock(&s->mu);
}

void c_memory_store_free(c_memory_store* s) {
  if (s == NULL) return;
  clear_locked(s);
  free(s->records);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

size_t c_memory_store_count(const c_memory_store* s) {
  pthread_mutex_lock((pthread_mutex_t*)&s->mu);
  size_t n = s->count;
  pthread_mutex_unlock((pthread_mutex_t*)&s->mu);
  return n;
}

const char* c_memory_store_key_at(const c_memory_store* s, size_t index, size_t* key_len) {
  *key_len = s->records[index].key_len;
  return s->records[index].key;
}

const void* c_memory_store_value_at(const c_memory_store* s, size_t index, size_t* value_len) {
  *value_len = s->records[index].value_len;
  return s->records[index].value;
}

size_t c_memory_store_count_prefix(const c_memory_store* s, const char* prefix) {
  size_t n = 0, plen = strlen(prefix);
  pthread_mutex_lock((pthread_mutex_t*)&s->mu);
  for (size_t i = 0; i < s->count; ++i) {
    if (s->records[i].key_len >= plen && memcmp(s->records[i].key, prefix, plen) == 0) ++n;
  }
  pthread_mutex_unlock((pthread_mutex_t*)&s->mu);
  return n;
}

int c_memory_store_set(c_memory_store* s, const char* key, size_t key_len, const void* value,
                       size_t value_len) {
  pthread_mutex_lock(&s->mu);
  int rc = set_locked(s, key, key_len, value, value_len);
  pthread_mutex_unlock(&s->mu);
  return rc;
}

c_memory_store_counts c_memory_store_get_counts(const c_memory_store* s) {
  pthread_mutex_lock((pthread_mutex_t*)&s->mu);
  c_memory_store_counts c = s->counts;
  pthread_mutex_unlock((pthread_mutex_t*)&s->mu);
  return c;
}

void c_memory_store_fail_put(c_memory_store* s, int code, int times) {
  pthread_mutex_lock(&s->mu);
  s->put_fail_code = code;
  s->put_fail_times = times;
  pthread_mutex_unlock(&s->mu);
}

void c_memory_store_fail_load(c_memory_store* s, int code) {
  pthread_mutex_lock(&s->mu);
  s->load_fail_code = code;
  pthread_mutex_unlock(&s->mu);
}

void c_memory_store_fail_flush(c_memory_store* s, int code, int times) {
  pthread_mutex_lock(&s->mu);
  s->flush_fail_code = code;
  s->flush_fail_times = times;
  pthread_mutex_unlock(&s->mu);
}
