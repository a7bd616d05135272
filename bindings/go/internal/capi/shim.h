/* The Go binding's C helpers: each one makes the Ouzel call(s) a Go method needs and, on failure,
 * copies ouzel_last_error_message() (thread-local, so it must be read on the same thread, in the
 * same cgo call) into a goz_err the caller owns. One Go method is one cgo crossing.
 *
 * Compound arguments (options, MQTT 5 properties, subscription lists) arrive as flat byte
 * buffers encoded by encode.go, so no Go pointer is ever stored by C and no C object needs a
 * crossing per field. The format, little-endian:
 *   properties: { u8 kind, u8 id, value }*; kind 1 int: u32; kind 2 bytes: u32 n, n bytes (a
 *               UTF-8 string or binary data, by the property's type); kind 3 user: u32 n, name,
 *               u32 m, value.
 *   options:    { u8 kind, i32 id, value }*; kind 1 int: i64; kind 2 string: u32 n, bytes;
 *               kind 3 string NULL (reset); kind 4 will: topic, payload (u32 n + bytes each),
 *               u8 qos, u8 retain, u32 n + properties; kind 5 CONNECT properties: u32 n +
 *               properties.
 *   filters:    { u32 n, filter, u8 qos, u8 no_local, u8 retain_as_published,
 *               u8 retain_handling }* for subscribe; { u32 n, filter }* for unsubscribe.
 * Every helper is static: the file is included by the cgo preambles of this package only. */
#ifndef OUZEL_GO_SHIM_H
#define OUZEL_GO_SHIM_H

#include <ouzel.h>
#include <ouzel/events.h>
#include <stdlib.h>
#include <string.h>

typedef struct goz_err {
  int32_t index; /* options: the entry that failed, else -1 */
  char msg[480];
} goz_err;

/* Records the failure `rc` with the library's detail (or its generic text) and returns rc. */
static inline int goz_fail(int rc, goz_err* e) {
  const char* m = ouzel_last_error_message();
  if (m == NULL || m[0] == '\0') m = ouzel_strerror(rc);
  size_t n = strlen(m);
  if (n >= sizeof e->msg) n = sizeof e->msg - 1;
  memcpy(e->msg, m, n);
  e->msg[n] = '\0';
  return rc;
}

static inline int goz_fail_text(int rc, goz_err* e, const char* text) {
  size_t n = strlen(text);
  if (n >= sizeof e->msg) n = sizeof e->msg - 1;
  memcpy(e->msg, text, n);
  e->msg[n] = '\0';
  return rc;
}

/* --- Reading the Go-encoded buffers ------------------------------------------------------- */

typedef struct goz_reader {
  const uint8_t* p;
  size_t n;
  int bad; /* set when a read ran past the end */
} goz_reader;

static inline uint8_t goz_u8(goz_reader* r) {
  if (r->n < 1) {
    r->bad = 1;
    return 0;
  }
  uint8_t v = r->p[0];
  r->p += 1;
  r->n -= 1;
  return v;
}

static inline uint32_t goz_u32(goz_reader* r) {
  if (r->n < 4) {
    r->bad = 1;
    r->n = 0;
    return 0;
  }
  uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
               (uint32_t)r->p[3] << 24;
  r->p += 4;
  r->n -= 4;
  return v;
}

static inline int64_t goz_i64(goz_reader* r) {
  uint64_t lo = goz_u32(r);
  uint64_t hi = goz_u32(r);
  return (int64_t)(lo | hi << 32);
}

static inline const char* goz_bytes(goz_reader* r, size_t* len) {
  uint32_t n = goz_u32(r);
  if (r->bad || r->n < n) {
    r->bad = 1;
    r->n = 0;
    *len = 0;
    return NULL;
  }
  const char* s = (const char*)r->p;
  r->p += n;
  r->n -= n;
  *len = n;
  return s;
}

/* --- MQTT 5 properties -------------------------------------------------------------------- */

enum { GOZ_PROP_INT = 1, GOZ_PROP_BYTES = 2, GOZ_PROP_USER = 3 };

static inline int goz_prop_is_binary(int32_t id) {
  return ouzel_property_type(id) == OUZEL_PROPTYPE_BINARY;
}

/* Builds *out from an encoded list (NULL when len is 0). */
static inline int goz_props_build(const uint8_t* buf, size_t len, ouzel_properties** out,
                                  goz_err* e) {
  *out = NULL;
  if (len == 0) return OUZEL_OK;
  ouzel_properties* p = NULL;
  int rc = ouzel_properties_new(&p);
  if (rc < 0) return goz_fail(rc, e);
  goz_reader r = {buf, len, 0};
  while (r.n > 0 && !r.bad) {
    uint8_t kind = goz_u8(&r);
    int32_t id = goz_u8(&r);
    size_t n = 0, m = 0;
    const char *s, *v;
    switch (kind) {
      case GOZ_PROP_INT:
        rc = ouzel_properties_set_int(p, id, goz_u32(&r));
        break;
      case GOZ_PROP_BYTES:
        s = goz_bytes(&r, &n);
        rc = goz_prop_is_binary(id) ? ouzel_properties_set_binary(p, id, s, n)
                                    : ouzel_properties_set_string(p, id, s, n);
        break;
      case GOZ_PROP_USER:
        s = goz_bytes(&r, &n);
        v = goz_bytes(&r, &m);
        rc = ouzel_properties_add_user(p, s, n, v, m);
        break;
      default:
        r.bad = 1;
    }
    if (rc < 0) {
      goz_fail(rc, e);
      ouzel_properties_free(p);
      return rc;
    }
  }
  if (r.bad) {
    ouzel_properties_free(p);
    return goz_fail_text(OUZEL_EINVAL, e, "malformed property list from the Go binding");
  }
  *out = p;
  return OUZEL_OK;
}

/* Encoded size of a list: what goz_props_encode writes. */
static inline size_t goz_props_size(const ouzel_properties* p) {
  size_t count = ouzel_properties_count(p), total = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t v;
    const char *s, *t;
    size_t n, m;
    if (ouzel_properties_int_at(p, i, &v) == OUZEL_OK) {
      total += 2 + 4;
    } else if (ouzel_properties_bytes_at(p, i, &s, &n) == OUZEL_OK) {
      total += 2 + 4 + n;
    } else if (ouzel_properties_user_at(p, i, &s, &n, &t, &m) == OUZEL_OK) {
      total += 2 + 8 + n + m;
    }
  }
  return total;
}

static inline uint8_t* goz_put_u32(uint8_t* w, uint32_t v) {
  w[0] = (uint8_t)v;
  w[1] = (uint8_t)(v >> 8);
  w[2] = (uint8_t)(v >> 16);
  w[3] = (uint8_t)(v >> 24);
  return w + 4;
}

/* Writes the list into buf (cap bytes, at least goz_props_size); returns the bytes written. */
static inline size_t goz_props_encode(const ouzel_properties* p, uint8_t* buf, size_t cap) {
  size_t count = ouzel_properties_count(p);
  uint8_t* w = buf;
  uint8_t* end = buf + cap;
  for (size_t i = 0; i < count; ++i) {
    uint32_t v;
    const char *s, *t;
    size_t n, m;
    uint8_t id = (uint8_t)ouzel_properties_id_at(p, i);
    if (ouzel_properties_int_at(p, i, &v) == OUZEL_OK) {
      if ((size_t)(end - w) < 6) break;
      *w++ = GOZ_PROP_INT;
      *w++ = id;
      w = goz_put_u32(w, v);
    } else if (ouzel_properties_bytes_at(p, i, &s, &n) == OUZEL_OK) {
      if ((size_t)(end - w) < 6 + n) break;
      *w++ = GOZ_PROP_BYTES;
      *w++ = id;
      w = goz_put_u32(w, (uint32_t)n);
      if (n > 0) memcpy(w, s, n);
      w += n;
    } else if (ouzel_properties_user_at(p, i, &s, &n, &t, &m) == OUZEL_OK) {
      if ((size_t)(end - w) < 10 + n + m) break;
      *w++ = GOZ_PROP_USER;
      *w++ = id;
      w = goz_put_u32(w, (uint32_t)n);
      if (n > 0) memcpy(w, s, n);
      w += n;
      w = goz_put_u32(w, (uint32_t)m);
      if (m > 0) memcpy(w, t, m);
      w += m;
    }
  }
  return (size_t)(w - buf);
}

/* --- Options ------------------------------------------------------------------------------ */

enum {
  GOZ_OPT_INT = 1,
  GOZ_OPT_STRING = 2,
  GOZ_OPT_STRING_NULL = 3,
  GOZ_OPT_WILL = 4,
  GOZ_OPT_CONNECT_PROPS = 5
};

static inline int goz_options_apply(ouzel_options* o, goz_reader* r, goz_err* e) {
  for (int32_t index = 0; r->n > 0 && !r->bad; ++index) {
    uint8_t kind = goz_u8(r);
    int32_t id = (int32_t)goz_u32(r);
    int rc = OUZEL_OK;
    ouzel_properties* props = NULL;
    size_t n = 0, m = 0, k = 0;
    const char *s, *v, *pb;
    int32_t qos, retain;
    switch (kind) {
      case GOZ_OPT_INT:
        rc = ouzel_options_set_int(o, id, goz_i64(r));
        break;
      case GOZ_OPT_STRING:
        s = goz_bytes(r, &n);
        if (r->bad) break;
        /* A NULL pointer with length 0 would reset; an empty Go string means "" here. */
        rc = ouzel_options_set_string(o, id, s != NULL ? s : "", n);
        break;
      case GOZ_OPT_STRING_NULL:
        rc = ouzel_options_set_string(o, id, NULL, 0);
        break;
      case GOZ_OPT_WILL:
        s = goz_bytes(r, &n);
        v = goz_bytes(r, &m);
        qos = goz_u8(r);
        retain = goz_u8(r);
        pb = goz_bytes(r, &k);
        if (r->bad) break;
        rc = goz_props_build((const uint8_t*)pb, k, &props, e);
        if (rc < 0) {
          e->index = index;
          return rc;
        }
        rc = ouzel_options_set_will(o, s, n, v, m, qos, retain, props);
        break;
      case GOZ_OPT_CONNECT_PROPS:
        pb = goz_bytes(r, &k);
        if (r->bad) break;
        rc = goz_props_build((const uint8_t*)pb, k, &props, e);
        if (rc < 0) {
          e->index = index;
          return rc;
        }
        rc = ouzel_options_set_connect_properties(o, props);
        break;
      default:
        r->bad = 1;
    }
    if (rc < 0) {
      goz_fail(rc, e);
      ouzel_properties_free(props);
      e->index = index;
      return rc;
    }
    ouzel_properties_free(props);
  }
  if (r->bad) return goz_fail_text(OUZEL_EINVAL, e, "malformed option list from the Go binding");
  return OUZEL_OK;
}

static inline int goz_options_build(const uint8_t* buf, size_t len, ouzel_options** out,
                                    goz_err* e) {
  ouzel_options* o = NULL;
  int rc = ouzel_options_new(&o);
  if (rc < 0) return goz_fail(rc, e);
  goz_reader r = {buf, len, 0};
  rc = goz_options_apply(o, &r, e);
  if (rc < 0) {
    ouzel_options_free(o);
    return rc;
  }
  *out = o;
  return OUZEL_OK;
}

/* --- Client ------------------------------------------------------------------------------- */

/* Creates the client from encoded options and starts its loop thread. */
static inline int goz_client_new(ouzel_client** out, const uint8_t* opts, size_t len, goz_err* e) {
  *out = NULL;
  ouzel_options* o = NULL;
  int rc = goz_options_build(opts, len, &o, e);
  if (rc < 0) return rc;
  ouzel_client* c = NULL;
  rc = ouzel_client_new(&c, o);
  if (rc < 0) {
    goz_fail(rc, e);
    ouzel_options_free(o);
    return rc;
  }
  ouzel_options_free(o);
  rc = ouzel_client_loop_start(c);
  if (rc < 0) {
    goz_fail(rc, e);
    ouzel_client_free(c);
    return rc;
  }
  *out = c;
  return OUZEL_OK;
}

static inline int goz_client_set_options(ouzel_client* c, const uint8_t* opts, size_t len,
                                         uint32_t flags, goz_err* e) {
  ouzel_options* o = NULL;
  int rc = goz_options_build(opts, len, &o, e);
  if (rc < 0) return rc;
  rc = ouzel_client_set_options(c, o, flags);
  if (rc < 0) goz_fail(rc, e);
  ouzel_options_free(o);
  return rc;
}

static inline int goz_connect(ouzel_client* c, goz_err* e) {
  int rc = ouzel_client_connect(c);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_reconnect(ouzel_client* c, goz_err* e) {
  int rc = ouzel_client_reconnect(c);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_disconnect(ouzel_client* c, int32_t reason, const uint8_t* props,
                                 size_t props_len, goz_err* e) {
  ouzel_properties* p = NULL;
  int rc = goz_props_build(props, props_len, &p, e);
  if (rc < 0) return rc;
  rc = ouzel_client_disconnect(c, reason, p);
  if (rc < 0) goz_fail(rc, e);
  ouzel_properties_free(p);
  return rc;
}

static inline int goz_publish(ouzel_client* c, _GoString_ topic, const void* payload,
                              size_t payload_len, int32_t qos, int32_t retain, const uint8_t* props,
                              size_t props_len, uint64_t* token, int32_t* mid, goz_err* e) {
  ouzel_properties* p = NULL;
  int rc = goz_props_build(props, props_len, &p, e);
  if (rc < 0) return rc;
  rc = ouzel_client_publish(c, _GoStringPtr(topic), _GoStringLen(topic), payload, payload_len, qos,
                            retain, p, token, mid);
  if (rc < 0) goz_fail(rc, e);
  ouzel_properties_free(p);
  return rc;
}

enum { GOZ_STACK_FILTERS = 16 };

static inline int goz_subscribe(ouzel_client* c, const uint8_t* subs, size_t subs_len, size_t count,
                                const uint8_t* props, size_t props_len, int32_t* mid, goz_err* e) {
  ouzel_subscription stack[GOZ_STACK_FILTERS];
  ouzel_subscription* s = stack;
  if (count > GOZ_STACK_FILTERS) {
    s = (ouzel_subscription*)calloc(count, sizeof *s);
    if (s == NULL) return goz_fail_text(OUZEL_ENOMEM, e, "out of memory");
  }
  goz_reader r = {subs, subs_len, 0};
  for (size_t i = 0; i < count; ++i) {
    ouzel_subscription_init(&s[i], OUZEL_SUBSCRIPTION_VERSION);
    s[i].filter = goz_bytes(&r, &s[i].filter_len);
    s[i].qos = goz_u8(&r);
    s[i].no_local = goz_u8(&r);
    s[i].retain_as_published = goz_u8(&r);
    s[i].retain_handling = goz_u8(&r);
    if (s[i].filter == NULL) s[i].filter = "";
  }
  int rc;
  ouzel_properties* p = NULL;
  if (r.bad || r.n != 0) {
    rc = goz_fail_text(OUZEL_EINVAL, e, "malformed subscription list from the Go binding");
  } else if ((rc = goz_props_build(props, props_len, &p, e)) == OUZEL_OK) {
    rc = ouzel_client_subscribe(c, s, count, p, mid);
    if (rc < 0) goz_fail(rc, e);
    ouzel_properties_free(p);
  }
  if (s != stack) free(s);
  return rc;
}

static inline int goz_unsubscribe(ouzel_client* c, const uint8_t* filters, size_t filters_len,
                                  size_t count, const uint8_t* props, size_t props_len,
                                  int32_t* mid, goz_err* e) {
  const char* fstack[GOZ_STACK_FILTERS];
  size_t lstack[GOZ_STACK_FILTERS];
  const char** f = fstack;
  size_t* l = lstack;
  if (count > GOZ_STACK_FILTERS) {
    f = (const char**)calloc(count, sizeof *f);
    l = (size_t*)calloc(count, sizeof *l);
    if (f == NULL || l == NULL) {
      free((void*)f);
      free(l);
      return goz_fail_text(OUZEL_ENOMEM, e, "out of memory");
    }
  }
  goz_reader r = {filters, filters_len, 0};
  for (size_t i = 0; i < count; ++i) {
    f[i] = goz_bytes(&r, &l[i]);
    if (f[i] == NULL) f[i] = "";
  }
  int rc;
  ouzel_properties* p = NULL;
  if (r.bad || r.n != 0) {
    rc = goz_fail_text(OUZEL_EINVAL, e, "malformed filter list from the Go binding");
  } else if ((rc = goz_props_build(props, props_len, &p, e)) == OUZEL_OK) {
    rc = ouzel_client_unsubscribe(c, (const char* const*)f, l, count, p, mid);
    if (rc < 0) goz_fail(rc, e);
    ouzel_properties_free(p);
  }
  if (f != fstack) {
    free((void*)f);
    free(l);
  }
  return rc;
}

static inline int goz_ack(ouzel_client* c, int32_t mid, goz_err* e) {
  int rc = ouzel_client_ack(c, mid);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_delivery_status(ouzel_client* c, uint64_t token, ouzel_delivery_status* s,
                                      goz_err* e) {
  int rc = ouzel_delivery_status_init(s, OUZEL_DELIVERY_STATUS_VERSION);
  if (rc == OUZEL_OK) rc = ouzel_client_delivery_status(c, token, s);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_auth(ouzel_client* c, int32_t reauthenticate, const uint8_t* props,
                           size_t props_len, goz_err* e) {
  ouzel_properties* p = NULL;
  int rc = goz_props_build(props, props_len, &p, e);
  if (rc < 0) return rc;
  rc = reauthenticate ? ouzel_client_reauthenticate(c, p) : ouzel_client_auth_continue(c, p);
  if (rc < 0) goz_fail(rc, e);
  ouzel_properties_free(p);
  return rc;
}

/* Reads `n` counters (ids in stats[]) into out[] in one crossing. */
static inline int goz_stats(ouzel_client* c, const int32_t* stats, int64_t* out, size_t n,
                            goz_err* e) {
  for (size_t i = 0; i < n; ++i) {
    int rc = ouzel_client_stat(c, stats[i], &out[i]);
    if (rc < 0) return goz_fail(rc, e);
  }
  return OUZEL_OK;
}

/* Copies the summary (truncated to cap-1 bytes) since it is borrowed from the client. */
static inline int goz_persistence_report(ouzel_client* c, ouzel_persistence_report* rep,
                                         char* summary, size_t cap, goz_err* e) {
  int rc = ouzel_persistence_report_init(rep, OUZEL_PERSISTENCE_REPORT_VERSION);
  if (rc == OUZEL_OK) rc = ouzel_client_persistence_report(c, rep);
  if (rc < 0) return goz_fail(rc, e);
  size_t n = rep->summary != NULL ? strlen(rep->summary) : 0;
  if (n >= cap) n = cap - 1;
  if (n > 0) memcpy(summary, rep->summary, n);
  summary[n] = '\0';
  rep->summary = NULL;
  return OUZEL_OK;
}

/* --- Events ------------------------------------------------------------------------------- */

/* An event array for ouzel_client_poll_events, in C memory (the library writes pointers into
 * it and keeps the polled events' internals until they are released). NULL when out of memory.
 */
static inline ouzel_event* goz_events_new(size_t n) {
  ouzel_event* ev = (ouzel_event*)calloc(n, sizeof *ev);
  if (ev != NULL && ouzel_event_init(ev, OUZEL_EVENT_VERSION) != OUZEL_OK) {
    free(ev);
    return NULL;
  }
  return ev;
}

static inline void goz_events_free(ouzel_event* ev) { free(ev); }

/* A copy of the first n polled events in an array of exactly n (NULL when out of memory), so a
 * batch handed to the dispatcher costs what it holds, not the poll array's capacity. A copy
 * stands for the same events (ouzel_client_release_events identifies them by their internals),
 * and is released instead of the original. */
static inline ouzel_event* goz_events_clone(const ouzel_event* ev, size_t n) {
  ouzel_event* out = (ouzel_event*)malloc(n * sizeof *out);
  if (out != NULL) memcpy(out, ev, n * sizeof *out);
  return out;
}

/* Polls up to `max` events and, in the same crossing, encodes each event's properties into
 * `scratch` (Go memory): prop_off[i]/prop_len[i] locate them, prop_len[i] 0 when there are none.
 * An event whose properties do not fit gets prop_off[i] = SIZE_MAX and prop_len[i] = their
 * encoded size (the caller fetches them with goz_event_props). */
static inline int goz_poll(ouzel_client* c, ouzel_event* ev, size_t max, int32_t timeout_ms,
                           uint8_t* scratch, size_t scratch_cap, size_t* prop_off, size_t* prop_len,
                           goz_err* e) {
  ev[0].version = OUZEL_EVENT_VERSION;
  int n = ouzel_client_poll_events(c, ev, max, timeout_ms);
  if (n < 0) return goz_fail(n, e);
  size_t used = 0;
  for (int i = 0; i < n; ++i) {
    prop_off[i] = 0;
    prop_len[i] = 0;
    if (ev[i].properties == NULL || ouzel_properties_count(ev[i].properties) == 0) continue;
    size_t need = goz_props_size(ev[i].properties);
    if (need <= scratch_cap - used) {
      prop_off[i] = used;
      prop_len[i] = goz_props_encode(ev[i].properties, scratch + used, need);
      used += prop_len[i];
    } else {
      prop_off[i] = (size_t)-1;
      prop_len[i] = need;
    }
  }
  return n;
}

static inline size_t goz_event_props(const ouzel_event* ev, uint8_t* buf, size_t cap) {
  return goz_props_encode(ev->properties, buf, cap);
}

static inline int goz_release(ouzel_client* c, ouzel_event* ev, size_t count, goz_err* e) {
  int rc = ouzel_client_release_events(c, ev, count);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

/* --- Topics ------------------------------------------------------------------------------ */

static inline int goz_validate(int32_t filter, _GoString_ s, goz_err* e) {
  int rc = filter ? ouzel_topic_validate_filter(_GoStringPtr(s), _GoStringLen(s))
                  : ouzel_topic_validate_name(_GoStringPtr(s), _GoStringLen(s));
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_matches(_GoString_ filter, _GoString_ topic, goz_err* e) {
  int rc = ouzel_topic_matches(_GoStringPtr(filter), _GoStringLen(filter), _GoStringPtr(topic),
                               _GoStringLen(topic));
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_router_new(ouzel_topic_router** out, goz_err* e) {
  int rc = ouzel_topic_router_new(out);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_router_add(ouzel_topic_router* r, _GoString_ filter, uint64_t id,
                                 int32_t remove, goz_err* e) {
  int rc = remove ? ouzel_topic_router_remove(r, _GoStringPtr(filter), _GoStringLen(filter), id)
                  : ouzel_topic_router_add(r, _GoStringPtr(filter), _GoStringLen(filter), id);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

static inline int goz_router_match(const ouzel_topic_router* r, _GoString_ topic, uint64_t* ids,
                                   size_t max, size_t* total, goz_err* e) {
  int rc = ouzel_topic_router_match(r, _GoStringPtr(topic), _GoStringLen(topic), ids, max, total);
  return rc < 0 ? goz_fail(rc, e) : rc;
}

/* Routes every MESSAGE event of a polled batch in one crossing: counts[i] is the number of ids
 * event i matched (0 for other events), written one event after the other into `ids`; an event
 * whose ids do not fit in what is left gets counts[i] = SIZE_MAX and none written (the caller
 * matches it alone with goz_router_match). */
static inline void goz_route_batch(const ouzel_topic_router* r, const ouzel_event* ev, size_t n,
                                   uint64_t* ids, size_t cap, size_t* counts) {
  size_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    counts[i] = 0;
    if (ev[i].type != OUZEL_EVENT_MESSAGE) continue;
    size_t total = 0;
    if (ouzel_topic_router_match(r, ev[i].topic, ev[i].topic_len, ids + used, cap - used, &total) !=
        OUZEL_OK) {
      continue; /* the library delivered a topic it accepted; a router cannot refuse it */
    }
    if (total > cap - used) {
      counts[i] = (size_t)-1;
    } else {
      counts[i] = total;
      used += total;
    }
  }
}

#endif /* OUZEL_GO_SHIM_H */
