#include "cc/persistence/file_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "cc/base/byte_buffer.h"
#include "cc/base/status_macros.h"
#include "cc/persistence/record_codec.h"
#include "cc/persistence/store_state.h"

namespace ouzel {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;
constexpr absl::string_view kLogSuffix = ".ouzel-session";
constexpr absl::string_view kLockSuffix = ".lock";
constexpr absl::string_view kCompactSuffix = ".compact";
constexpr size_t kMaxEscapedKey = 150;  // well under NAME_MAX (255) with the suffixes

absl::Status Errno(int err, absl::string_view what, absl::string_view path) {
  return absl::ErrnoToStatus(err, absl::StrCat(what, " ", path));
}

// Descriptor owner, so every error path closes what it opened.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

uint64_t Fnv1a64(absl::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string EscapeKey(absl::string_view key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || (c == '.' && i > 0);
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  if (out.size() > kMaxEscapedKey) {
    // Distinct long keys sharing a prefix still get distinct names; the header records the full
    // key, so a hash collision is detected at Open rather than mixing two sessions.
    out.resize(kMaxEscapedKey - 17);
    absl::StrAppendFormat(&out, "~%016x", Fnv1a64(key));
  }
  return out;
}

// mkdir -p, giving the directories it creates mode 0700 whatever the umask.
absl::Status MakeDirs(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(dir, " exists and is not a directory"));
    }
    return absl::OkStatus();
  }
  if (errno != ENOENT) return Errno(errno, "stat", dir);
  const size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    OUZEL_RETURN_IF_ERROR(MakeDirs(dir.substr(0, slash)));
  }
  if (mkdir(dir.c_str(), kDirMode) != 0) {
    if (errno == EEXIST) return absl::OkStatus();  // created meanwhile by someone else
    return Errno(errno, "mkdir", dir);
  }
  if (chmod(dir.c_str(), kDirMode) != 0) return Errno(errno, "chmod", dir);
  return absl::OkStatus();
}

absl::StatusOr<Fd> OpenFile(const std::string& path, int flags) {
  int fd;
  do {
    fd = open(path.c_str(), flags | O_CLOEXEC, kFileMode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return Errno(errno, "open", path);
  Fd owned(fd);
  // The mode given to open() is filtered by the umask and ignored for an existing file; the
  // session holds message contents, so it is private to its owner in every case.
  if (fchmod(fd, kFileMode) != 0) return Errno(errno, "fchmod", path);
  return owned;
}

absl::Status WriteAll(int fd, const uint8_t* data, size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t w = write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, "write", path);
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>> ReadAll(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Errno(errno, "fstat", path);
  std::vector<uint8_t> data(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t r = pread(fd, data.data() + got, data.size() - got, static_cast<off_t>(got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, "read", path);
    }
    if (r == 0) break;  // shrank meanwhile: we hold the lock, so only another tool did this
    got += static_cast<size_t>(r);
  }
  data.resize(got);
  return data;
}

absl::Status SyncDir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno(errno, "open", dir);
  Fd owned(fd);
  if (fsync(fd) != 0) return Errno(errno, "fsync", dir);
  return absl::OkStatus();
}

std::string DirectoryOf(absl::string_view directory) {
  std::string dir(directory);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// Takes the session's lock file. A second opener, in this process or another, is refused with
// the holder's pid (written into the lock file by the holder).
absl::StatusOr<Fd> LockSession(const std::string& lock_path, absl::string_view key) {
  OUZEL_ASSIGN_OR_RETURN(Fd fd, OpenFile(lock_path, O_RDWR | O_CREAT));
  // flock (not fcntl) locks: they belong to the open file description, so a second FileStore in
  // the same process conflicts too, and the kernel releases them when the holder dies.
  int r;
  do {
    r = flock(fd.get(), LOCK_EX | LOCK_NB);
  } while (r != 0 && errno == EINTR);
  if (r != 0) {
    if (errno != EWOULDBLOCK) return Errno(errno, "flock", lock_path);
    char buf[32] = {};
    const ssize_t n = pread(fd.get(), buf, sizeof(buf) - 1, 0);
    int64_t pid = 0;
    const bool known =
        n > 0 && absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::string_view(buf)), &pid);
    std::string holder = known ? absl::StrCat("pid ", pid) : "pid unknown";
    const char* who =
        known && pid == getpid() ? "another FileStore in this process" : "another process";
    return absl::FailedPreconditionError(absl::StrCat(
        "session \"", key, "\" is in use by ", who, " (", holder, "; lock file ", lock_path, ")"));
  }
  const std::string pid = absl::StrCat(getpid(), "\n");
  if (ftruncate(fd.get(), 0) != 0 ||
      pwrite(fd.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return Errno(errno, "write", lock_path);
  }
  return fd;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

class FileStore::Impl {
 public:
  explicit Impl(FileStoreOptions options) : options_(std::move(options)) {}
  ~Impl();

  absl::Status Open(RecoveryReport* report);
  const std::string& log_path() const { return log_path_; }

  absl::Status PutOutgoing(const StoredOutgoing& m);
  absl::Status RemoveOutgoing(uint64_t token);
  absl::Status PutIncoming(uint16_t packet_id, const PublishPacket* held);
  absl::Status RemoveIncoming(uint16_t packet_id);
  absl::Status PutClientId(const std::string& client_id, uint32_t session_expiry);
  absl::Status Clear();
  absl::Status ReserveTokens(uint64_t end);
  absl::StatusOr<StoredSession> Load();
  absl::Status Flush();
  absl::Status Sync();
  absl::Status Compact();
  FileStoreStats Stats();

 private:
  using Lock = std::unique_lock<std::mutex>;

  absl::Status Recover(std::vector<uint8_t> data, RecoveryReport* report);
  absl::Status Apply(Record record, size_t size);
  void SetOutgoing(StoredOutgoing m, size_t size);
  void EraseOutgoing(uint64_t token);
  void SetIncoming(uint16_t id, std::optional<PublishPacket> held, size_t size);
  void ClearState();
  uint64_t LiveBytes() const;
  // What to evict (kDropOldestQos0) so that a new message of `size` bytes fits, or why it cannot.
  absl::StatusOr<std::vector<uint64_t>> PlanRoom(uint64_t token, size_t size);

  absl::Status WriteBatch(Lock& lock);
  absl::Status SyncNow(Lock& lock);
  absl::Status CompactLocked(Lock& lock);
  void MaybeCompact(Lock& lock);
  absl::Status Fail(absl::Status s);
  void SyncerLoop();
  int CallSync(int fd) const;

  const FileStoreOptions options_;
  std::string dir_, log_path_, lock_path_, compact_path_;
  Fd lock_fd_;
  // The log's descriptor. Shared with syncs running outside the lock: a compaction replaces it at
  // once, under the lock, and the old one closes when the last such sync drops it.
  std::shared_ptr<Fd> fd_;

  std::mutex mu_;
  std::condition_variable cv_;
  StoreState state_;
  // Record sizes of what is live, for max_bytes and for the size compaction would leave.
  absl::flat_hash_map<uint64_t, size_t> out_sizes_;
  absl::flat_hash_map<uint16_t, size_t> in_sizes_;
  std::set<uint64_t> qos0_tokens_;  // stored QoS 0 messages, oldest first (eviction order)
  uint64_t outgoing_bytes_ = 0;
  uint64_t incoming_bytes_ = 0;
  size_t header_size_ = 0;
  size_t identity_size_ = 0;

  ByteBuffer batch_;            // records not yet written
  uint64_t file_size_ = 0;      // bytes written to the log
  uint64_t compact_floor_ = 0;  // after a failed compaction, wait until the log is this large
  absl::Status failed_;         // sticky: the first write or sync failure
  bool unsynced_ = false;       // written since the last sync
  bool stop_ = false;
  std::chrono::steady_clock::time_point last_sync_;
  std::thread syncer_;
  FileStoreStats stats_;
};

FileStore::Impl::~Impl() {
  {
    Lock lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  Lock lock(mu_);
  if (fd_ == nullptr || !failed_.ok()) return;
  // Close cleanly: whatever is batched reaches the file, and is synced unless the policy is
  // kNever. Errors cannot be returned from here; what was not written is recovered as a torn
  // tail at the next Open, like a crash.
  if (WriteBatch(lock).ok() && options_.sync_policy != SyncPolicy::kNever && unsynced_) {
    SyncNow(lock).IgnoreError();
  }
}

absl::Status FileStore::Impl::Open(RecoveryReport* report) {
  const FileStoreOptions& o = options_;
  if (o.directory.empty()) return absl::InvalidArgumentError("FileStore: directory is empty");
  if (o.session_key.empty()) return absl::InvalidArgumentError("FileStore: session_key is empty");
  if (o.sync_policy == SyncPolicy::kInterval && o.sync_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("FileStore: sync_interval must be positive");
  }
  if (!(o.compact_ratio >= 1.0)) {
    return absl::InvalidArgumentError("FileStore: compact_ratio must be at least 1");
  }
  dir_ = DirectoryOf(o.directory);
  log_path_ = FileStore::LogPathFor(dir_, o.session_key);
  lock_path_ = absl::StrCat(log_path_, kLockSuffix);
  compact_path_ = absl::StrCat(log_path_, kCompactSuffix);

  OUZEL_RETURN_IF_ERROR(MakeDirs(dir_));
  OUZEL_ASSIGN_OR_RETURN(lock_fd_, LockSession(lock_path_, o.session_key));
  // A compaction interrupted before its rename left this behind; the log itself is complete.
  unlink(compact_path_.c_str());

  OUZEL_ASSIGN_OR_RETURN(Fd log_fd, OpenFile(log_path_, O_RDWR | O_CREAT | O_APPEND));
  fd_ = std::make_shared<Fd>(std::move(log_fd));
  OUZEL_ASSIGN_OR_RETURN(std::vector<uint8_t> data, ReadAll(fd_->get(), log_path_));
  const bool empty = data.empty();
  OUZEL_RETURN_IF_ERROR(Recover(std::move(data), report));
  report->created = empty;
  Lock lock(mu_);
  if (file_size_ == 0) {
    // New (or wholly unreadable) log: it starts with its header, made durable with its directory
    // entry so the file itself survives a crash.
    header_size_ = AppendHeaderRecord(HeaderRecord{kLogFormatVersion, o.session_key}, &batch_);
    OUZEL_RETURN_IF_ERROR(WriteBatch(lock));
    if (o.sync_policy != SyncPolicy::kNever) {
      OUZEL_RETURN_IF_ERROR(SyncNow(lock));
      OUZEL_RETURN_IF_ERROR(SyncDir(dir_));
    }
  }
  last_sync_ = std::chrono::steady_clock::now();
  if (o.sync_policy == SyncPolicy::kInterval) syncer_ = std::thread([this] { SyncerLoop(); });
  return absl::OkStatus();
}

absl::Status FileStore::Impl::Recover(std::vector<uint8_t> data, RecoveryReport* report) {
  RecordReader reader(data);
  std::string stop_reason;
  uint64_t records = 0;
  // Where the last record used ends. A frame that checks out but does not decode (or a second
  // header) has already been read past: the log is cut before it, not after, or the next open
  // would stop at it again and lose every record appended behind it.
  size_t good_end = 0;
  while (true) {
    RecordReader::Result r = reader.Next();
    if (r.outcome == RecordReader::Outcome::kEnd) break;
    if (r.outcome != RecordReader::Outcome::kRecord) {
      stop_reason = absl::StrCat("record ", records + 1, " at offset ", r.offset, ": ", r.reason);
      break;
    }
    absl::StatusOr<Record> rec = DecodeRecord(r.type, r.payload);
    if (!rec.ok()) {
      stop_reason = absl::StrCat("record ", records + 1, " at offset ", r.offset, ": ",
                                 rec.status().message());
      break;
    }
    if (records == 0) {
      const auto* h = std::get_if<HeaderRecord>(&*rec);
      if (h == nullptr) {
        stop_reason = absl::StrCat("the log does not start with a header record (found ",
                                   RecordTypeName(r.type), ")");
        break;
      }
      // A readable header that is not ours is not damage: refuse rather than truncate.
      if (h->format_version > kLogFormatVersion) {
        return absl::FailedPreconditionError(
            absl::StrCat(log_path_, " has format version ", h->format_version,
                         "; this library reads up to ", kLogFormatVersion));
      }
      if (h->session_key != options_.session_key) {
        return absl::FailedPreconditionError(absl::StrCat(log_path_, " belongs to session \"",
                                                          h->session_key, "\", not \"",
                                                          options_.session_key, "\""));
      }
      header_size_ = r.size;
    } else if (std::holds_alternative<HeaderRecord>(*rec)) {
      stop_reason =
          absl::StrCat("record ", records + 1, " at offset ", r.offset, ": a second header record");
      break;
    } else {
      OUZEL_RETURN_IF_ERROR(Apply(*std::move(rec), r.size));
    }
    ++records;
    good_end = reader.offset();
  }
  report->records = records;
  report->valid_bytes = good_end;
  report->discarded_bytes = data.size() - good_end;
  report->reason = std::move(stop_reason);
  if (!report->reason.empty()) {
    // Cut the damage off now, durably, so new records follow the last good one.
    if (ftruncate(fd_->get(), static_cast<off_t>(good_end)) != 0) {
      return Errno(errno, "ftruncate", log_path_);
    }
    if (const int err = CallSync(fd_->get()); err != 0) return Errno(err, "fdatasync", log_path_);
  }
  file_size_ = good_end;
  if (records == 0) ClearState();  // nothing usable, not even the header
  return absl::OkStatus();
}

absl::Status FileStore::Impl::Apply(Record record, size_t size) {
  struct Visitor {
    Impl* self;
    size_t size;
    void operator()(HeaderRecord&) {}
    void operator()(StoredOutgoing& m) { self->SetOutgoing(std::move(m), size); }
    void operator()(OutgoingStageRecord& s) {
      auto& out = self->state_.mutable_outgoing();
      auto it = out.find(s.token);
      if (it == out.end()) return;  // removed or evicted: nothing to update
      it->second.stage = s.stage;
      it->second.publish.packet_id = s.packet_id;
      it->second.publish.dup = s.dup;
    }
    void operator()(RemoveOutgoingRecord& s) { self->EraseOutgoing(s.token); }
    void operator()(PutIncomingRecord& s) {
      self->SetIncoming(s.packet_id, std::move(s.held), size);
    }
    void operator()(RemoveIncomingRecord& s) {
      if (self->state_.RemoveIncoming(s.packet_id)) {
        self->incoming_bytes_ -= self->in_sizes_[s.packet_id];
        self->in_sizes_.erase(s.packet_id);
      }
    }
    void operator()(IdentityRecord& s) {
      self->state_.PutClientId(std::move(s.client_id), s.session_expiry);
      self->identity_size_ = size;
    }
    void operator()(ClearRecord&) { self->ClearState(); }
    void operator()(NextTokenRecord& s) { self->state_.SetNextToken(s.next_token); }
  };
  std::visit(Visitor{this, size}, record);
  return absl::OkStatus();
}

void FileStore::Impl::SetOutgoing(StoredOutgoing m, size_t size) {
  const uint64_t token = m.token;
  auto [it, inserted] = out_sizes_.try_emplace(token, size);
  if (!inserted) {
    outgoing_bytes_ -= it->second;
    it->second = size;
  }
  outgoing_bytes_ += size;
  if (m.publish.qos == 0) {
    qos0_tokens_.insert(token);
  } else {
    qos0_tokens_.erase(token);
  }
  state_.PutOutgoing(std::move(m));
}

void FileStore::Impl::EraseOutgoing(uint64_t token) {
  if (!state_.RemoveOutgoing(token)) return;
  auto it = out_sizes_.find(token);
  outgoing_bytes_ -= it->second;
  out_sizes_.erase(it);
  qos0_tokens_.erase(token);
}

void FileStore::Impl::SetIncoming(uint16_t id, std::optional<PublishPacket> held, size_t size) {
  auto [it, inserted] = in_sizes_.try_emplace(id, size);
  if (!inserted) {
    incoming_bytes_ -= it->second;
    it->second = size;
  }
  incoming_bytes_ += size;
  state_.PutIncoming(id, std::move(held));
}

void FileStore::Impl::ClearState() {
  state_.Clear();
  out_sizes_.clear();
  in_sizes_.clear();
  qos0_tokens_.clear();
  outgoing_bytes_ = 0;
  incoming_bytes_ = 0;
}

uint64_t FileStore::Impl::LiveBytes() const {
  constexpr size_t kNextTokenRecordSize = kRecordFrameSize + 8;
  return header_size_ + identity_size_ + kNextTokenRecordSize + outgoing_bytes_ + incoming_bytes_;
}

absl::Status FileStore::Impl::Fail(absl::Status s) {
  if (failed_.ok()) {
    failed_ = absl::Status(s.code(),
                           absl::StrCat("session store failed, no longer usable: ", s.message()));
  }
  return failed_;
}

// ---------------------------------------------------------------------------------------------
// SessionStore calls: each appends records to the batch and updates the live state.

absl::StatusOr<std::vector<uint64_t>> FileStore::Impl::PlanRoom(uint64_t token, size_t size) {
  const auto fits = [&](size_t count, uint64_t bytes) {
    return (options_.max_messages == 0 || count <= options_.max_messages) &&
           (options_.max_bytes == 0 || bytes <= options_.max_bytes);
  };
  size_t count = out_sizes_.size() + 1;
  uint64_t bytes = outgoing_bytes_ + size;
  std::vector<uint64_t> victims;
  if (fits(count, bytes)) return victims;
  const auto full = [&](absl::string_view why) {
    ++stats_.refused;
    return absl::ResourceExhaustedError(absl::StrCat(
        "session store full: message #", token, " (", size, " bytes) refused; ", out_sizes_.size(),
        " messages, ", outgoing_bytes_, " bytes stored (max_messages ", options_.max_messages,
        ", max_bytes ", options_.max_bytes, ")", why));
  };
  if (options_.max_bytes != 0 && size > options_.max_bytes) {
    return full("; the message alone exceeds max_bytes");
  }
  if (options_.full_policy == StoreFullPolicy::kRefuseNew) return full("");
  for (uint64_t victim : qos0_tokens_) {
    victims.push_back(victim);
    --count;
    bytes -= out_sizes_[victim];
    if (fits(count, bytes)) return victims;
  }
  return full("; no stored QoS 0 message left to give up");
}

absl::Status FileStore::Impl::PutOutgoing(const StoredOutgoing& m) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  auto existing = state_.outgoing().find(m.token);
  if (existing != state_.outgoing().end()) {
    const PublishPacket& a = existing->second.publish;
    const PublishPacket& b = m.publish;
    if (a.qos == b.qos && a.retain == b.retain && a.topic == b.topic && a.payload == b.payload &&
        a.properties == b.properties) {
      // The usual update (sent, PUBREC received, new packet id): a 20-byte record, not the
      // whole message again.
      AppendOutgoingStageRecord({m.token, m.stage, b.packet_id, b.dup}, &batch_);
      StoredOutgoing& s = state_.mutable_outgoing()[m.token];
      s.stage = m.stage;
      s.publish.packet_id = b.packet_id;
      s.publish.dup = b.dup;
      return absl::OkStatus();
    }
    // Changed content replaces the message; updates are never refused by the limits.
    OUZEL_ASSIGN_OR_RETURN(size_t size, AppendPutOutgoingRecord(m, &batch_));
    SetOutgoing(m, size);
    return absl::OkStatus();
  }
  const size_t size = PutOutgoingRecordSize(m);
  OUZEL_ASSIGN_OR_RETURN(std::vector<uint64_t> victims, PlanRoom(m.token, size));
  OUZEL_RETURN_IF_ERROR(AppendPutOutgoingRecord(m, &batch_).status());
  for (uint64_t victim : victims) {
    AppendRemoveOutgoingRecord(victim, &batch_);
    EraseOutgoing(victim);
    ++stats_.qos0_evicted;
  }
  SetOutgoing(m, size);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::RemoveOutgoing(uint64_t token) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  if (out_sizes_.find(token) == out_sizes_.end()) return absl::OkStatus();  // e.g. evicted
  AppendRemoveOutgoingRecord(token, &batch_);
  EraseOutgoing(token);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  OUZEL_ASSIGN_OR_RETURN(size_t size, AppendPutIncomingRecord(packet_id, held, &batch_));
  SetIncoming(packet_id, held == nullptr ? std::nullopt : std::optional<PublishPacket>(*held),
              size);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::RemoveIncoming(uint16_t packet_id) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  if (!state_.RemoveIncoming(packet_id)) return absl::OkStatus();
  AppendRemoveIncomingRecord(packet_id, &batch_);
  incoming_bytes_ -= in_sizes_[packet_id];
  in_sizes_.erase(packet_id);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::PutClientId(const std::string& client_id, uint32_t session_expiry) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  if (state_.has_identity() && state_.client_id() == client_id &&
      state_.session_expiry() == session_expiry) {
    return absl::OkStatus();
  }
  identity_size_ = AppendIdentityRecord({client_id, session_expiry}, &batch_);
  state_.PutClientId(client_id, session_expiry);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::Clear() {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  AppendClearRecord(&batch_);
  ClearState();
  return absl::OkStatus();
}

absl::Status FileStore::Impl::ReserveTokens(uint64_t end) {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  if (end <= state_.next_token()) return absl::OkStatus();
  AppendNextTokenRecord(end, &batch_);
  state_.SetNextToken(end);
  return absl::OkStatus();
}

absl::StatusOr<StoredSession> FileStore::Impl::Load() {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  return state_.ToStoredSession();
}

// ---------------------------------------------------------------------------------------------
// Writing, syncing, compacting

int FileStore::Impl::CallSync(int fd) const {
  if (options_.sync_function) return options_.sync_function(fd);
  return fdatasync(fd) == 0 ? 0 : errno;
}

absl::Status FileStore::Impl::WriteBatch(Lock&) {
  if (batch_.empty()) return absl::OkStatus();
  absl::Status s = WriteAll(fd_->get(), batch_.data(), batch_.size(), log_path_);
  // Whatever happened, these bytes are no longer ours to retry: after a failed or short write
  // the file's tail is unknown, which recovery handles at the next Open.
  const size_t n = batch_.size();
  batch_.Clear();
  if (!s.ok()) return Fail(s);
  file_size_ += n;
  ++stats_.writes;
  unsynced_ = true;
  return absl::OkStatus();
}

absl::Status FileStore::Impl::SyncNow(Lock& lock) {
  // fdatasync without the lock: Put calls from other threads keep filling the batch meanwhile,
  // and the next Flush writes them together (group commit). The only state this touches after
  // unlocking is its own copy of the descriptor: a compaction that happens meanwhile replaces
  // fd_ (its image, fsynced, already holds everything this sync was making durable) and the old
  // descriptor stays open until this sync lets go of it.
  unsynced_ = false;
  const std::shared_ptr<Fd> fd = fd_;
  lock.unlock();
  const int err = CallSync(fd->get());
  lock.lock();
  if (err != 0) return Fail(Errno(err, "fdatasync", log_path_));
  last_sync_ = std::chrono::steady_clock::now();
  ++stats_.syncs;
  return absl::OkStatus();
}

absl::Status FileStore::Impl::Flush() {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  if (batch_.empty()) return absl::OkStatus();
  OUZEL_RETURN_IF_ERROR(WriteBatch(lock));
  switch (options_.sync_policy) {
    case SyncPolicy::kEveryWrite:
      OUZEL_RETURN_IF_ERROR(SyncNow(lock));
      break;
    case SyncPolicy::kInterval:
      cv_.notify_all();  // the syncer
      break;
    case SyncPolicy::kNever:
      break;
  }
  MaybeCompact(lock);
  return absl::OkStatus();
}

absl::Status FileStore::Impl::Sync() {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  OUZEL_RETURN_IF_ERROR(WriteBatch(lock));
  return SyncNow(lock);
}

void FileStore::Impl::SyncerLoop() {
  const auto interval = absl::ToChronoNanoseconds(options_.sync_interval);
  Lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || (unsynced_ && failed_.ok()); });
    if (stop_) return;
    // At most one sync per interval: records written meanwhile share it (group commit).
    cv_.wait_until(lock, last_sync_ + interval, [&] { return stop_; });
    if (stop_) return;
    if (!unsynced_ || !failed_.ok()) continue;
    SyncNow(lock).IgnoreError();  // a failure fails the store; the next call reports it
  }
}

void FileStore::Impl::MaybeCompact(Lock& lock) {
  if (file_size_ < options_.compact_min_bytes || file_size_ < compact_floor_) return;
  if (static_cast<double>(file_size_) <=
      options_.compact_ratio * static_cast<double>(LiveBytes())) {
    return;
  }
  if (!CompactLocked(lock).ok()) {
    // The old log is intact; try again once it has doubled rather than on every Flush.
    compact_floor_ = 2 * file_size_;
  }
}

absl::Status FileStore::Impl::Compact() {
  Lock lock(mu_);
  if (!failed_.ok()) return failed_;
  OUZEL_RETURN_IF_ERROR(WriteBatch(lock));
  return CompactLocked(lock);
}

absl::Status FileStore::Impl::CompactLocked(Lock&) {
  // Runs start to end under the lock and never releases it: the log on disk, the descriptor in
  // use, file_size_ and the batch change together, so no other call can see (or write into) a
  // half-replaced log, and two compactions can never overlap (issue 10: an earlier version waited
  // on cv_ here, and a second compaction or a Flush ran meanwhile against a log already renamed
  // over).
  if (!failed_.ok()) return failed_;
  // The live state, as records, in an order that replays to the same state: header, identity,
  // next token, outgoing in token (publish) order, incoming. It already includes the effect of
  // every record still in the batch (Put and Remove update the state and the batch together).
  ByteBuffer image;
  const size_t header = AppendHeaderRecord({kLogFormatVersion, options_.session_key}, &image);
  if (state_.has_identity()) {
    AppendIdentityRecord({state_.client_id(), state_.session_expiry()}, &image);
  }
  AppendNextTokenRecord(state_.next_token(), &image);
  for (const auto& [token, m] : state_.outgoing()) {
    OUZEL_RETURN_IF_ERROR(AppendPutOutgoingRecord(m, &image).status());
  }
  for (const auto& [id, held] : state_.incoming()) {
    OUZEL_RETURN_IF_ERROR(
        AppendPutIncomingRecord(id, held.has_value() ? &*held : nullptr, &image).status());
  }
  // New file, durable, then atomically in place of the old one; a crash at any point leaves
  // either the old log or the new one complete.
  OUZEL_ASSIGN_OR_RETURN(Fd fd, OpenFile(compact_path_, O_RDWR | O_CREAT | O_TRUNC | O_APPEND));
  absl::Status s = WriteAll(fd.get(), image.data(), image.size(), compact_path_);
  if (s.ok() && fsync(fd.get()) != 0) s = Errno(errno, "fsync", compact_path_);
  if (s.ok() && rename(compact_path_.c_str(), log_path_.c_str()) != 0) {
    s = Errno(errno, "rename", compact_path_);
  }
  if (!s.ok()) {
    unlink(compact_path_.c_str());
    return s;
  }
  // A sync running outside the lock keeps the old descriptor alive until it ends.
  fd_ = std::make_shared<Fd>(std::move(fd));
  header_size_ = header;
  file_size_ = image.size();
  batch_.Clear();  // subsumed by the image
  unsynced_ = false;
  ++stats_.compactions;
  // The rename must be durable too, or a crash could bring the old (still complete) log back;
  // that is harmless, so a failure here is not the store's failure.
  return SyncDir(dir_);
}

FileStoreStats FileStore::Impl::Stats() {
  Lock lock(mu_);
  FileStoreStats s = stats_;
  s.log_bytes = file_size_ + batch_.size();
  s.live_bytes = LiveBytes();
  s.outgoing = out_sizes_.size();
  s.outgoing_bytes = outgoing_bytes_;
  s.incoming = in_sizes_.size();
  return s;
}

// ---------------------------------------------------------------------------------------------

std::string RecoveryReport::ToString() const {
  std::string s = created
                      ? "created a new session log"
                      : absl::StrCat("recovered ", records, " records (", valid_bytes, " bytes)");
  if (truncated()) {
    absl::StrAppend(&s, "; discarded ", discarded_bytes, " bytes at offset ", valid_bytes, ": ",
                    reason);
  }
  return s;
}

absl::StatusOr<std::unique_ptr<FileStore>> FileStore::Open(FileStoreOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  RecoveryReport report;
  OUZEL_RETURN_IF_ERROR(impl->Open(&report));
  std::unique_ptr<FileStore> store(new FileStore(std::move(impl)));
  store->recovery_ = std::move(report);
  store->log_path_ = store->impl_->log_path();
  return store;
}

absl::Status FileStore::Destroy(absl::string_view directory, absl::string_view session_key) {
  const std::string log = LogPathFor(DirectoryOf(directory), session_key);
  const std::string lock_path = absl::StrCat(log, kLockSuffix);
  struct stat st;
  if (stat(lock_path.c_str(), &st) != 0 && errno == ENOENT && stat(log.c_str(), &st) != 0 &&
      errno == ENOENT) {
    return absl::OkStatus();
  }
  // Holding the lock while deleting keeps an opener from recreating the log half-way. The lock
  // file itself stays: removing it would let two openers lock different inodes.
  OUZEL_ASSIGN_OR_RETURN(Fd lock, LockSession(lock_path, session_key));
  for (const std::string& path : {log, absl::StrCat(log, kCompactSuffix)}) {
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno(errno, "unlink", path);
  }
  return SyncDir(DirectoryOf(directory));
}

std::string FileStore::LogPathFor(absl::string_view directory, absl::string_view session_key) {
  return absl::StrCat(DirectoryOf(directory), "/", EscapeKey(session_key), kLogSuffix);
}

FileStore::FileStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileStore::~FileStore() = default;

absl::Status FileStore::PutOutgoing(const StoredOutgoing& m) { return impl_->PutOutgoing(m); }
absl::Status FileStore::RemoveOutgoing(uint64_t token) { return impl_->RemoveOutgoing(token); }
absl::Status FileStore::PutIncoming(uint16_t packet_id, const PublishPacket* held) {
  return impl_->PutIncoming(packet_id, held);
}
absl::Status FileStore::RemoveIncoming(uint16_t packet_id) {
  return impl_->RemoveIncoming(packet_id);
}
absl::Status FileStore::PutClientId(const std::string& client_id, uint32_t session_expiry) {
  return impl_->PutClientId(client_id, session_expiry);
}
absl::Status FileStore::Clear() { return impl_->Clear(); }
absl::Status FileStore::ReserveTokens(uint64_t end) { return impl_->ReserveTokens(end); }
absl::StatusOr<StoredSession> FileStore::Load() { return impl_->Load(); }
absl::Status FileStore::Flush() { return impl_->Flush(); }
absl::Status FileStore::Sync() { return impl_->Sync(); }
absl::Status FileStore::Compact() { return impl_->Compact(); }
FileStoreStats FileStore::stats() const { return impl_->Stats(); }

}  // namespace ouzel
