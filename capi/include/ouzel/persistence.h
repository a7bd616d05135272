/* Ouzel C API: durable sessions.
 *
 * With a persistence directory, a client keeps its session state in a file (an append-only log,
 * one per session) so that a process that crashes or is killed and starts again resumes where it
 * stopped: QoS 1/2 messages not yet acknowledged are sent again (with their packet identifiers,
 * so the broker drops QoS 2 duplicates), queued ones are sent, and QoS 2 messages received but not
 * yet released are not delivered twice. Use it with a persistent session (OUZEL_OPT_CLEAN_START 0;
 * MQTT 5 also a Session Expiry Interval > 0), or the broker forgets its half of the session.
 *
 *   ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "sensor-7", SIZE_MAX);
 *   ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0);
 *   ouzel_options_set_string(o, OUZEL_OPT_PERSISTENCE_DIR, "/var/lib/myapp/mqtt", SIZE_MAX);
 *   ouzel_options_set_int(o, OUZEL_OPT_PERSISTENCE_SYNC, OUZEL_SYNC_INTERVAL);
 *   if (ouzel_client_new(&c, o) == OUZEL_EBUSY) ... another process has this session open ...
 *
 * The guarantee: when ouzel_client_publish returns OUZEL_OK for a QoS 1/2 message, the message is
 * in the file (written; synced to disk per OUZEL_OPT_PERSISTENCE_SYNC), and every record is
 * written before the packet it protects goes to the network. A killed process loses nothing
 * under every sync policy (written data is in the kernel's page cache); the policies differ in
 * what an operating-system crash or power loss may lose. docs/persistence.md has the file format
 * and the recovery rules. An application-provided store plugs in through ouzel/sys/store.h.
 *
 * Failures. ouzel_client_new returns OUZEL_EBUSY when another process (or client) has the session
 * open (the message names the lock file and holder) and OUZEL_ESTORE when the directory or log
 * cannot be opened or read; a log whose tail was torn by a crash is not an error: it is cut after
 * the last good record and ouzel_client_persistence_report says so. ouzel_client_publish returns
 * OUZEL_EQUEUEFULL when the store is full (OUZEL_OPT_PERSISTENCE_MAX_*) and OUZEL_ESTORE when it
 * cannot write. A failure on the loop thread is logged through on_log (OUZEL_LOG_ERR, "session
 * store: ...") and closes the connection, since sending what could not be recorded would break
 * the guarantee; after a write or sync error the file store stays failed, so free the client and
 * create it again.
 *
 * The options are ouzel_options_set_int / ouzel_options_set_string options (ouzel/options.h);
 * they take effect when the client is created.
 */
#ifndef OUZEL_PERSISTENCE_H
#define OUZEL_PERSISTENCE_H

#include "ouzel/client.h"
#include "ouzel/common.h"
#include "ouzel/options.h"

OUZEL_BEGIN_DECLS

/* Integer options (ids 60..79). Defaults in brackets. */
/* When the log is synced to disk: OUZEL_SYNC_* [EVERY_WRITE]. */
#define OUZEL_OPT_PERSISTENCE_SYNC 60
/* OUZEL_SYNC_INTERVAL: the longest a written record stays unsynced, 1..2^31-1 ms [100]. */
#define OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS 61
/* Limits on the stored outgoing messages; 0 = unlimited [0]. Bytes count each stored record. */
#define OUZEL_OPT_PERSISTENCE_MAX_BYTES 62
#define OUZEL_OPT_PERSISTENCE_MAX_MESSAGES 63
/* What a publish does when the store is full: OUZEL_PERSISTENCE_FULL_* [REFUSE_NEW]. */
#define OUZEL_OPT_PERSISTENCE_FULL_POLICY 64
/* The file store rewrites its log with only the live session (compaction) once the log is larger
 * than this many bytes and more than twice the live session; 4096..2^62 [4194304]. Smaller bounds
 * the disk a session takes at the cost of more rewrites. */
#define OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES 65

/* String options (ids 140..149). */
/* The directory of the session files (created 0700 if missing). Setting it enables the file
 * store; NULL or "" disables it [disabled]. */
#define OUZEL_OPT_PERSISTENCE_DIR 140
/* Names the session within the directory [the client id, "@", and the first server URI]. Set it
 * when the client id is assigned by the server (MQTT 5) or the URI may change between runs.
 * NULL or "" restores the default. */
#define OUZEL_OPT_PERSISTENCE_KEY 141

/* Values of OUZEL_OPT_PERSISTENCE_SYNC. */
/* fdatasync before the packets a write protects leave: even an OS crash loses nothing that was
 * acknowledged to the application. Slowest. */
#define OUZEL_SYNC_EVERY_WRITE 0
/* A background thread syncs at most every OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS: an OS crash
 * loses at most about that window. */
#define OUZEL_SYNC_INTERVAL 1
/* Never sync; the kernel writes back when it likes. */
#define OUZEL_SYNC_NEVER 2

/* Values of OUZEL_OPT_PERSISTENCE_FULL_POLICY. */
/* ouzel_client_publish returns OUZEL_EQUEUEFULL; nothing stored is touched. */
#define OUZEL_PERSISTENCE_FULL_REFUSE_NEW 0
/* Stop keeping the oldest stored QoS 0 messages (queued while offline, they stay queued in
 * memory but would not survive a restart); QoS 1/2 are never evicted, and when no QoS 0 message
 * is left the new one is refused as with REFUSE_NEW. */
#define OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0 1

/* What the client found in its store when it was created. */
typedef struct ouzel_persistence_report {
  uint32_t version;         /* OUZEL_PERSISTENCE_REPORT_VERSION */
  int32_t enabled;          /* 1 when the client has a store (file or ouzel/sys/store.h), else 0 */
  int32_t created;          /* 1 when nothing was stored: a new session */
  int32_t truncated;        /* 1 when a damaged tail of the log was cut off (see the summary) */
  uint64_t records;         /* good records read */
  uint64_t discarded_bytes; /* bytes cut off the end of the log (torn write, bad checksum) */
  uint64_t outgoing;        /* QoS 1/2 messages restored (queued or in flight) */
  uint64_t incoming;        /* QoS 2 packet ids restored (awaiting PUBREL) */
  /* One line for a log ("recovered 12 records (4096 bytes); discarded 37 bytes at offset 4096:
   * checksum mismatch in record 13"). NUL-terminated, borrowed from the client, valid until it is
   * freed. Never NULL ("" without a store). */
  const char* summary;
} ouzel_persistence_report;
#define OUZEL_PERSISTENCE_REPORT_VERSION 1

/* Fills `report` with zeros and "" for `version`. OUZEL_EINVAL (NULL), OUZEL_EVERSION (a version
 * this library does not know). Thread-safe. */
OUZEL_EXTERN int ouzel_persistence_report_init(ouzel_persistence_report* report, uint32_t version);

/* The recovery report of the client's store, as found by ouzel_client_new. `report` must have been
 * initialised with ouzel_persistence_report_init. OUZEL_EINVAL (NULL), OUZEL_EVERSION. A client
 * without a store reports enabled 0. Thread-safe. */
OUZEL_EXTERN int ouzel_client_persistence_report(const ouzel_client* client,
                                                 ouzel_persistence_report* report);

OUZEL_END_DECLS

#endif /* OUZEL_PERSISTENCE_H */
