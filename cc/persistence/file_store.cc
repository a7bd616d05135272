// PARTIAL: the public API is final; Open() returns Unimplemented until the implementation lands.
#include "cc/persistence/file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace ouzel {

class FileStore::Impl {};

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
  (void)options;
  return absl::UnimplementedError("FileStore::Open: not implemented yet");
}

absl::Status FileStore::Destroy(absl::string_view directory, absl::string_view session_key) {
  (void)directory;
  (void)session_key;
  return absl::UnimplementedError("FileStore::Destroy: not implemented yet");
}

std::string FileStore::LogPathFor(absl::string_view directory, absl::string_view session_key) {
  return absl::StrCat(directory, "/", session_key, ".ouzel-session");
}

FileStore::FileStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileStore::~FileStore() = default;

absl::Status FileStore::PutOutgoing(const StoredOutgoing&) { return absl::UnimplementedError(""); }
absl::Status FileStore::RemoveOutgoing(uint64_t) { return absl::UnimplementedError(""); }
absl::Status FileStore::PutIncoming(uint16_t, const PublishPacket*) {
  return absl::UnimplementedError("");
}
absl::Status FileStore::RemoveIncoming(uint16_t) { return absl::UnimplementedError(""); }
absl::Status FileStore::PutClientId(const std::string&, uint32_t) {
  return absl::UnimplementedError("");
}
absl::Status FileStore::Clear() { return absl::UnimplementedError(""); }
absl::StatusOr<StoredSession> FileStore::Load() { return absl::UnimplementedError(""); }
absl::Status FileStore::Flush() { return absl::UnimplementedError(""); }
absl::Status FileStore::Sync() { return absl::UnimplementedError(""); }
absl::Status FileStore::Compact() { return absl::UnimplementedError(""); }
FileStoreStats FileStore::stats() const { return {}; }

}  // namespace ouzel
