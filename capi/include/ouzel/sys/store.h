/* Ouzel C API, extension point: a session store written by the application.
 *
 * Instead of the built-in file store (OUZEL_OPT_PERSISTENCE_DIR, ouzel/persistence.h) a client can
 * keep its durable session state in a store of the application's own: a database table, a
 * key-value service, flash pages, or an in-memory map for tests. The store only keeps opaque
 * records under short keys; the library decides what they contain.
 *
 *   static const ouzel_store_vtable kMyStore = {
 *       OUZEL_STORE_VTABLE_VERSION, my_put, my_remove, my_clear, my_load, my_flush, my_destroy};
 *   ouzel_options_set_store(opts, &kMyStore, my_state);
 *
 * Records. Every change of the session's durable state (a QoS 1/2 message accepted, sent,
 * released or acknowledged; a QoS 2 packet id received or completed; the client id and session
 * expiry) becomes one put or remove of one record. Keys are short printable ASCII strings:
 *   "session"              the client id and session expiry interval;
 *   "next"                 the tokens already used (so a new process does not reuse one);
 *   "out/<16 hex digits>"  an outgoing QoS 1/2 message, by the token ouzel_client_publish gave;
 *                          sorting these keys as strings sorts the messages in publish order;
 *   "in/<4 hex digits>"    an incoming QoS 2 packet id awaiting PUBREL (with the message when it
 *                          is held until PUBREL, OUZEL_QOS2_DELIVERY_ON_PUBREL).
 * New kinds of keys may be added in later versions; a store must keep every key it is given.
 * Values are binary (they may contain NUL bytes) and their format is private to the library: keep
 * them byte for byte. A record is at most the size of one MQTT message plus a few bytes.
 *
 * When the client is created (ouzel_client_new), `load` hands every stored record back; the
 * client resumes from them. A record that does not decode, or a failing `load`, makes
 * ouzel_client_new fail (OUZEL_ESTORE) rather than start without part of the session.
 *
 * Durability. ouzel_client_publish returns OUZEL_OK for a QoS 1/2 message only after `put` (and
 * `flush`, when the vtable has one) returned OUZEL_OK for its record, and the client calls `flush`
 * before it writes to the network the packets that the records since the last flush protect. So
 * a store that is durable when `put`/`remove` return needs no `flush`; one that batches must make
 * the batch durable in `flush`.
 *
 * Calls. For one store the calls never overlap (the library serializes them), but they may come
 * from different threads: the one calling ouzel_client_publish or ouzel_client_ack and the
 * client's loop thread. A function must not call back into the Ouzel client. Each returns OUZEL_OK
 * or a negative OUZEL_E* code, and the code reaches the application: ouzel_client_publish returns
 * OUZEL_EQUEUEFULL when `put` did (a full store: the message is refused), OUZEL_ENOMEM for
 * OUZEL_ENOMEM, and OUZEL_ESTORE for any other failure; ouzel_client_new returns OUZEL_EBUSY when
 * `load` did (say, the data is locked by another process) and OUZEL_ESTORE for other failures.
 * Elsewhere (on the loop thread) a failure is logged through on_log and, for `flush`, keeps the
 * client from sending what the failed records protect.
 *
 * All pointers passed to the functions are borrowed for the duration of the call. Every argument
 * is a plain C type (no structs by value, no varargs), so bindings can implement a store in their
 * own language.
 */
#ifndef OUZEL_SYS_STORE_H
#define OUZEL_SYS_STORE_H

#include "ouzel/common.h"
#include "ouzel/options.h"

OUZEL_BEGIN_DECLS

/* Passed to `load`; hand each stored record to ouzel_store_loader_add. Valid only during `load`. */
typedef struct ouzel_store_loader ouzel_store_loader;

#define OUZEL_STORE_VTABLE_VERSION 1

typedef struct ouzel_store_vtable {
  /* OUZEL_STORE_VTABLE_VERSION of the header the store was written against. The library checks it
   * before using any slot and refuses versions it does not know (OUZEL_EVERSION). Slots are only
   * ever appended, with a new version number. */
  uint32_t version;

  /* Inserts the record `key` or replaces its value. Required. */
  int (*put)(const char* key, size_t key_len, const void* value, size_t value_len, void* user_data);
  /* Removes the record `key`. Removing a key that is not stored is OUZEL_OK. Required. */
  int (*remove)(const char* key, size_t key_len, void* user_data);
  /* Removes every record (a clean start, or a stored session that belongs to another client id).
   * Required. */
  int (*clear)(void* user_data);
  /* Calls ouzel_store_loader_add(loader, ...) once for every stored record, in any order, then
   * returns OUZEL_OK (or an error: the client is then not created). Required. */
  int (*load)(ouzel_store_loader* loader, void* user_data);
  /* Makes every put/remove so far durable. May be NULL (each put/remove is durable on return). */
  int (*flush)(void* user_data);
  /* Called exactly once, after the last call of any other slot, when neither an ouzel_options nor
   * a client uses the store any more. May be NULL. */
  void (*destroy)(void* user_data);
} ouzel_store_vtable;

/* Makes clients created from `opts` keep their session in the application's store: `vtable`
 * (copied; only the slots of its version are read) called with `user_data`. A store serves one
 * client at a time: ouzel_client_new returns OUZEL_EBUSY while another live client uses it. It
 * cannot be combined with OUZEL_OPT_PERSISTENCE_DIR (ouzel_client_new returns OUZEL_EINVAL).
 * `vtable` NULL removes the store (user_data is then ignored). A replaced or removed store is
 * destroyed (vtable->destroy) once no client created from these options uses it; so is the store
 * when the options are freed and no client uses it.
 * OUZEL_EINVAL (opts NULL, a required slot NULL), OUZEL_EVERSION (a vtable version this library
 * does not know); on error nothing changes and `destroy` is not called. Thread-compatible. */
OUZEL_EXTERN int ouzel_options_set_store(ouzel_options* opts, const ouzel_store_vtable* vtable,
                                         void* user_data);

/* Inside `load`: gives the library one stored record (key and value copied). OUZEL_EINVAL for a
 * NULL argument, a key this library does not know, or a value that does not decode (the detail
 * names the key); the load then fails as a whole even if `load` returns OUZEL_OK. Thread-compatible
 * (call it from the thread running `load`). */
OUZEL_EXTERN int ouzel_store_loader_add(ouzel_store_loader* loader, const char* key, size_t key_len,
                                        const void* value, size_t value_len);

OUZEL_END_DECLS

#endif /* OUZEL_SYS_STORE_H */
