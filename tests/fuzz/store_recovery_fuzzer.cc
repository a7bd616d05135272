// The durable store's recovery (cc/persistence FileStore::Open) from a fuzzed log file; any
// mismatch aborts.
//
// Byte 0 picks how the log is made (modulo 3):
// - 0: the rest of the input is the file, byte for byte;
// - 1: a header (right key, another key, or an unknown format version), then frames with correct
//      lengths and checksums around fuzzed record types and payloads (so the payload decoders are
//      reached past the checksum);
// - 2: the same header, then well-formed records with fuzzed fields (messages of every stage and
//      QoS, stage changes and removals of tokens that may or may not exist, incoming packet ids,
//      identities, clears, next tokens), so the state rebuilt from them is reached too.
// Modes 1 and 2 then maybe cut the file short or flip one byte.
//
// Checked: Open either fails (never with an internal error) or recovers: Load works; the report
// adds up (what was kept plus what was cut off is the file's size); the file now ends where the
// report says; opening it again finds a clean log holding the same session; so does compacting
// it; and a few changes made after recovery survive another close and reopen.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cc/base/byte_buffer.h"
#include "cc/persistence/crc32c.h"
#include "cc/persistence/file_store.h"
#include "cc/persistence/record_codec.h"
#include "tests/fuzz/fuzz_input.h"

namespace ouzel {
namespace {

constexpr char kKey[] = "fuzz-session";

const std::string& Directory() {
  static const std::string dir = [] {
    // tmpfs when there is one: the store's fsync calls then cost nothing.
    const char* base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::getenv("TEST_TMPDIR");
    std::string pattern = absl::StrCat(base != nullptr ? base : "/tmp", "/ouzel-store-fuzz-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }();
  return dir;
}

FileStoreOptions Options() {
  FileStoreOptions o;
  o.directory = Directory();
  o.session_key = kKey;
  o.sync_policy = SyncPolicy::kNever;
  o.sync_function = [](int) { return 0; };
  o.compact_min_bytes = 1 << 30;  // compaction only when asked, so each reopen reads this log
  return o;
}

bool Same(const StoredSession& a, const StoredSession& b);

// Prints why before aborting, so a crash explains itself.
[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "store_recovery_fuzzer: %s\n", why.c_str());
  std::abort();
}

std::string Summary(const StoredSession& s) {
  std::string out = absl::StrCat("client_id '", s.client_id, "' expiry ", s.session_expiry_interval,
                                 " next_token ", s.next_token, " outgoing [");
  for (const StoredOutgoing& m : s.outgoing) {
    absl::StrAppend(&out, " ", m.token, ":", static_cast<int>(m.stage), ":", m.publish.packet_id);
  }
  absl::StrAppend(&out, " ] incoming [");
  for (uint16_t id : s.incoming_awaiting_pubrel) absl::StrAppend(&out, " ", id);
  absl::StrAppend(&out, " ] held ", s.incoming_held.size());
  return out;
}

// A reopened store must be clean and hold `expected`.
void ExpectReopened(const FileStore& store, const StoredSession& expected, const StoredSession& got,
                    const char* when) {
  if (store.recovery_report().truncated()) {
    Fail(
        absl::StrCat(when, ": the reopened log was damaged: ", store.recovery_report().ToString()));
  }
  if (!Same(expected, got)) {
    Fail(absl::StrCat(when, ": reopened as ", Summary(got), "; expected ", Summary(expected)));
  }
}

bool Same(const StoredSession& a, const StoredSession& b) {
  if (a.client_id != b.client_id || a.session_expiry_interval != b.session_expiry_interval ||
      a.next_token != b.next_token || a.incoming_awaiting_pubrel != b.incoming_awaiting_pubrel ||
      a.incoming_held != b.incoming_held || a.outgoing.size() != b.outgoing.size()) {
    return false;
  }
  for (size_t i = 0; i < a.outgoing.size(); ++i) {
    const StoredOutgoing& x = a.outgoing[i];
    const StoredOutgoing& y = b.outgoing[i];
    if (x.token != y.token || x.stage != y.stage || !(x.publish == y.publish)) return false;
  }
  return true;
}

// A frame around any type byte and payload, with the right length and checksum.
void AppendFrame(uint8_t type, absl::string_view payload, ByteBuffer* out) {
  const size_t start = out->size();
  uint8_t* f = out->AppendUninitialized(kRecordFrameSize);
  const uint32_t len = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) f[4 + i] = static_cast<uint8_t>(len >> (8 * i));
  f[8] = type;
  out->Append(payload);
  uint8_t* p = out->data() + start;
  const uint32_t crc = Crc32c(p + 4, out->size() - start - 4);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(crc >> (8 * i));
}

PublishPacket FuzzPublish(FuzzInput& in) {
  PublishPacket p;
  p.topic = in.String(8);
  if (p.topic.empty()) p.topic = "t";
  p.payload = in.String(16);
  p.qos = static_cast<uint8_t>(in.Below(3));
  p.retain = in.Bool();
  p.dup = in.Bool();
  p.packet_id = p.qos == 0 ? 0 : static_cast<uint16_t>(1 + in.Below(4));
  return p;
}

StoredOutgoing::Stage FuzzStage(FuzzInput& in) {
  switch (in.Below(3)) {
    case 0:
      return StoredOutgoing::Stage::kQueued;
    case 1:
      return StoredOutgoing::Stage::kPublishSent;
    default:
      return StoredOutgoing::Stage::kPubrelSent;
  }
}

// A well-formed record with fuzzed fields (tokens and packet ids from small ranges, so that
// updates and removals meet the records they refer to).
void AppendFuzzRecord(FuzzInput& in, ByteBuffer* out) {
  switch (in.Below(8)) {
    case 0: {
      StoredOutgoing m;
      m.token = 1 + in.Below(6);
      m.publish = FuzzPublish(in);
      m.stage = FuzzStage(in);
      AppendPutOutgoingRecord(m, out).IgnoreError();
      break;
    }
    case 1: {
      OutgoingStageRecord r;
      r.token = 1 + in.Below(6);
      r.stage = FuzzStage(in);
      r.packet_id = static_cast<uint16_t>(in.Below(5));
      r.dup = in.Bool();
      AppendOutgoingStageRecord(r, out);
      break;
    }
    case 2:
      AppendRemoveOutgoingRecord(1 + in.Below(6), out);
      break;
    case 3: {
      const uint16_t id = static_cast<uint16_t>(in.Below(5));
      if (in.Bool()) {
        PublishPacket held = FuzzPublish(in);
        AppendPutIncomingRecord(id, &held, out).IgnoreError();
      } else {
        AppendPutIncomingRecord(id, nullptr, out).IgnoreError();
      }
      break;
    }
    case 4:
      AppendRemoveIncomingRecord(static_cast<uint16_t>(in.Below(5)), out);
      break;
    case 5: {
      IdentityRecord r;
      r.client_id = in.String(8);
      r.session_expiry = in.U32();
      AppendIdentityRecord(r, out);
      break;
    }
    case 6:
      AppendClearRecord(out);
      break;
    default:
      AppendNextTokenRecord(in.Below(20), out);
      break;
  }
}

std::string MakeLog(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const uint8_t mode = in.U8() % 3;
  if (mode == 0) return std::string(reinterpret_cast<const char*>(in.rest()), in.rest_size());
  ByteBuffer log;
  HeaderRecord header;
  header.session_key = kKey;
  switch (in.Below(8)) {
    case 0:
      header.session_key = "another-session";
      break;
    case 1:
      header.format_version = kLogFormatVersion + 1;
      break;
    default:
      break;
  }
  AppendHeaderRecord(header, &log);
  for (int n = 0; n < 64 && in.rest_size() > 2; ++n) {
    if (in.Below(16) == 0) break;  // leave input for the damage below
    if (mode == 1) {
      const uint8_t type = in.U8();
      AppendFrame(type, in.String(255), &log);
    } else {
      AppendFuzzRecord(in, &log);
    }
  }
  std::string image(log.view());
  if (!image.empty()) {
    switch (in.Below(4)) {
      case 0:
        image.resize(in.Below(static_cast<uint32_t>(image.size())));
        break;
      case 1:
        image[in.Below(static_cast<uint32_t>(image.size()))] ^=
            static_cast<char>(1 + in.Below(255));
        break;
      default:
        break;
    }
  }
  return image;
}

off_t FileSize(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) std::abort();
  return st.st_size;
}

// Opens the store, which must work, and returns it with what it loads.
std::unique_ptr<FileStore> Reopen(StoredSession* loaded) {
  absl::StatusOr<std::unique_ptr<FileStore>> s = FileStore::Open(Options());
  if (!s.ok()) std::abort();
  absl::StatusOr<StoredSession> l = (*s)->Load();
  if (!l.ok()) std::abort();
  *loaded = *std::move(l);
  return *std::move(s);
}

void Check(const std::string& image) {
  const std::string path = FileStore::LogPathFor(Directory(), kKey);
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (!image.empty() && std::fwrite(image.data(), 1, image.size(), f) != image.size()) {
      std::abort();
    }
    std::fclose(f);
  }
  absl::StatusOr<std::unique_ptr<FileStore>> opened = FileStore::Open(Options());
  if (!opened.ok()) {
    const absl::StatusCode code = opened.status().code();
    if (code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown) std::abort();
    return;
  }
  std::unique_ptr<FileStore> store = *std::move(opened);
  const RecoveryReport report = store->recovery_report();
  if (std::getenv("OUZEL_FUZZ_VERBOSE") != nullptr) {
    std::fprintf(stderr, "log of %zu bytes; first open: %s\n", image.size(),
                 report.ToString().c_str());
  }
  if (!report.created && report.valid_bytes + report.discarded_bytes != image.size()) {
    std::abort();
  }
  if (static_cast<uint64_t>(FileSize(path)) < report.valid_bytes) std::abort();
  absl::StatusOr<StoredSession> recovered = store->Load();
  if (!recovered.ok()) std::abort();
  store.reset();

  // Recovery left a clean log with the same session.
  StoredSession again;
  store = Reopen(&again);
  ExpectReopened(*store, *recovered, again, "after recovery");
  if (!store->Compact().ok()) Fail("Compact failed");
  store.reset();
  store = Reopen(&again);
  ExpectReopened(*store, *recovered, again, "after compaction");

  // Changes after recovery are kept like any others.
  StoredOutgoing m;
  m.token = std::max<uint64_t>(again.next_token, 1);
  m.publish.topic = "after";
  m.publish.qos = 1;
  m.publish.packet_id = 1;
  m.stage = StoredOutgoing::Stage::kPublishSent;
  if (!store->PutOutgoing(m).ok()) std::abort();
  if (!again.incoming_awaiting_pubrel.empty() &&
      !store->RemoveIncoming(again.incoming_awaiting_pubrel.front()).ok()) {
    std::abort();
  }
  if (!store->PutClientId("after-recovery", 7).ok() || !store->Flush().ok()) std::abort();
  absl::StatusOr<StoredSession> changed = store->Load();
  if (!changed.ok()) std::abort();
  store.reset();
  store = Reopen(&again);
  ExpectReopened(*store, *changed, again, "after changes");
}

}  // namespace
}  // namespace ouzel

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ouzel::Check(ouzel::MakeLog(data, size));
  const absl::Status destroyed = ouzel::FileStore::Destroy(ouzel::Directory(), ouzel::kKey);
  if (!destroyed.ok()) ouzel::Fail(absl::StrCat("Destroy: ", destroyed.ToString()));
  return 0;
}
