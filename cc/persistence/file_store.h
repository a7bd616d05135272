// FileStore: a durable SessionStore, one append-only log file per session, so that a restarted
// process resumes its MQTT session (inflight QoS 1/2 messages, the offline queue, QoS 2 packet ids
// awaiting PUBREL, the client id and session expiry) without loss or QoS 2 duplicates.
//
//   FileStoreOptions o;
//   o.directory = "/var/lib/myapp/mqtt";
//   o.session_key = "sensor-7@mqtt://broker:1883";
//   o.sync_policy = SyncPolicy::kInterval;
//   o.sync_interval = absl::Milliseconds(50);
//   absl::StatusOr<std::unique_ptr<FileStore>> store = FileStore::Open(o);
//   if (!store.ok()) ...  // e.g. FailedPrecondition: in use by another process
//   if ((*store)->recovery_report().truncated()) log((*store)->recovery_report().ToString());
//   client_options.store = store->get();
//
// Records are appended to an in-memory batch by the SessionStore calls and written with one
// write() per Flush() (the client calls Flush before it sends the packets they protect), then
// synced according to the SyncPolicy. The file is locked for as long as the FileStore lives: a
// second FileStore for the same directory and key, in this or another process, fails to open.
// On-disk format, guarantees and recovery: docs/persistence.md.
//
// Thread-safe: every method may be called from any thread.
#ifndef OUZEL_CC_PERSISTENCE_FILE_STORE_H_
#define OUZEL_CC_PERSISTENCE_FILE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cc/session/session_store.h"

namespace ouzel {

// When the log is fdatasync()ed. Every policy write()s all records before the packets they
// protect are sent, so a killed process (SIGKILL, crash) loses nothing: the data is in the page
// cache. The policies differ in what an operating-system crash or power loss may lose.
enum class SyncPolicy : uint8_t {
  kEveryWrite,  // fdatasync in every Flush that wrote records, before the packets leave: nothing
                // acknowledged as sent is lost even by an OS crash. Slowest.
  kInterval,    // a background thread syncs at most every `sync_interval` while records are
                // unsynced: an OS crash loses at most about that window of changes.
  kNever,       // never fdatasync; the kernel writes back when it likes (Linux: ~30 s by default).
};

// What PutOutgoing does when a new message would exceed max_bytes or max_messages.
enum class StoreFullPolicy : uint8_t {
  // PutOutgoing fails with ResourceExhausted: the application's Publish fails and nothing already
  // stored is touched.
  kRefuseNew,
  // Make room by no longer keeping the oldest stored QoS 0 messages (queued while offline): they
  // stay queued in memory and are still sent if the process lives, but would not survive a restart
  // (at-most-once allows losing them). QoS 1/2 records are never evicted: when no QoS 0 record is
  // left, the new message is refused as with kRefuseNew. Updates of a stored message are never
  // refused.
  kDropOldestQos0,
};

struct FileStoreOptions {
  // Where the session's files live. Created with mode 0700 if missing (parents too); an existing
  // directory is used as it is.
  std::string directory;
  // Names the session: any non-empty bytes, e.g. client id + "@" + server URI. The file names are
  // derived from it (see FileStore::LogPathFor); the key is also recorded in the log's header and
  // checked when it is opened again.
  std::string session_key;

  SyncPolicy sync_policy = SyncPolicy::kEveryWrite;
  // For kInterval: the longest a written record stays unsynced. Must be positive.
  absl::Duration sync_interval = absl::Milliseconds(100);

  // Limits on the stored outgoing messages (QoS 1/2 inflight and queued, and QoS 0 queued while
  // offline). Bytes count each message's encoded record. 0 = unlimited.
  uint64_t max_bytes = 0;
  size_t max_messages = 0;
  StoreFullPolicy full_policy = StoreFullPolicy::kRefuseNew;

  // The log is rewritten with only the live state when it is larger than `compact_min_bytes` and
  // more than `compact_ratio` times the live state's size. Compact() forces it.
  uint64_t compact_min_bytes = 4u << 20;
  double compact_ratio = 2.0;

  // Called instead of fdatasync(fd) (tests count syncs or inject failures). Returns 0 or an errno.
  std::function<int(int fd)> sync_function;
};

// What Open found in the log. A log that ends in a torn write (the process or the machine died
// during a write()) or holds a record whose checksum does not match is cut after the last good
// record; everything from there on is discarded (and reported here), since later records may
// depend on the lost one.
struct RecoveryReport {
  bool created = false;          // no log existed: a new, empty session
  uint64_t records = 0;          // good records read, the header included
  uint64_t valid_bytes = 0;      // where the log now ends (also where the discarded part began)
  uint64_t discarded_bytes = 0;  // bytes cut off after valid_bytes
  std::string reason;            // why reading stopped early; empty when the log ended cleanly

  bool truncated() const { return discarded_bytes > 0 || !reason.empty(); }
  // One line for a log: "recovered 12 records (4096 bytes); discarded 37 bytes at offset 4096:
  // checksum mismatch in record 13".
  std::string ToString() const;
};

struct FileStoreStats {
  uint64_t log_bytes = 0;       // size of the log, written and batched
  uint64_t live_bytes = 0;      // size the log would have after compaction
  size_t outgoing = 0;          // stored outgoing messages
  uint64_t outgoing_bytes = 0;  // what max_bytes counts
  size_t incoming = 0;          // stored incoming QoS 2 packet ids
  uint64_t writes = 0;          // write() calls that appended records
  uint64_t syncs = 0;           // successful fdatasync (or sync_function) calls
  uint64_t compactions = 0;
  uint64_t qos0_evicted = 0;  // QoS 0 records given up under kDropOldestQos0
  uint64_t refused = 0;       // PutOutgoing calls refused because the store was full
};

class FileStore final : public SessionStore {
 public:
  // Opens (or creates) the session's log, takes its lock and recovers its content.
  // Errors: InvalidArgument (empty directory or key, bad interval or ratio), FailedPrecondition
  // ("session <key> is in use by another process (pid N)", or the log belongs to another key or
  // has an unknown format version), and the errno-derived status of a failing system call
  // (PermissionDenied, NotFound, ...). A torn or corrupt tail is not an error: see
  // recovery_report().
  static absl::StatusOr<std::unique_ptr<FileStore>> Open(FileStoreOptions options);

  // Deletes a session's files. FailedPrecondition when a FileStore has it open; OK when it does
  // not exist.
  static absl::Status Destroy(absl::string_view directory, absl::string_view session_key);

  // The log's path for a key: <directory>/<escaped key>.ouzel-session; the lock file is the same
  // with ".lock" appended. Keys are escaped to [A-Za-z0-9._-] with %XX; long keys are shortened
  // and given a hash.
  static std::string LogPathFor(absl::string_view directory, absl::string_view session_key);

  // Writes what is batched, syncs per the policy (except kNever), releases the lock.
  ~FileStore() override;

  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  // SessionStore. After a write or sync failure the store is failed: every call returns that
  // error (the page cache can no longer be trusted to hold what we wrote), and the application
  // must open the store again to continue.
  absl::Status PutOutgoing(const StoredOutgoing& message) override;
  absl::Status RemoveOutgoing(uint64_t token) override;
  absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held) override;
  absl::Status RemoveIncoming(uint16_t packet_id) override;
  absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry) override;
  absl::Status Clear() override;
  absl::Status ReserveTokens(uint64_t end) override;
  absl::StatusOr<StoredSession> Load() override;
  absl::Status Flush() override;

  // Writes what is batched and fdatasyncs now, whatever the policy.
  absl::Status Sync();
  // Rewrites the log with only the live state (new file, fsync, atomic rename, fsync of the
  // directory). Also done automatically, see FileStoreOptions::compact_ratio.
  absl::Status Compact();

  const RecoveryReport& recovery_report() const { return recovery_; }
  FileStoreStats stats() const;
  const std::string& log_path() const { return log_path_; }

 private:
  class Impl;
  explicit FileStore(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  RecoveryReport recovery_;
  std::string log_path_;
};

}  // namespace ouzel

#endif  // OUZEL_CC_PERSISTENCE_FILE_STORE_H_
