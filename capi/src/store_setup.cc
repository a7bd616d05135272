// The persistence options, the application store's registration, building a client's store, and
// the recovery report (ouzel/persistence.h, ouzel/sys/store.h).
#include "capi/src/store_setup.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "capi/src/store_status.h"
#include "cc/base/busy_status.h"
#include "cc/persistence/file_store.h"
#include "ouzel/errors.h"
#include "ouzel/persistence.h"
#include "ouzel/sys/store.h"

namespace ouzel::capi {
namespace {

// FileStore::Open's errors as the application sees them.
int OpenError(const absl::Status& status, const std::string& directory) {
  const std::string detail =
      absl::StrCat("persistence directory \"", directory, "\": ", status.message());
  if (IsBusy(status) || (status.code() == absl::StatusCode::kFailedPrecondition &&
                         absl::StrContains(status.message(), "in use"))) {
    return Fail(OUZEL_EBUSY, detail);
  }
  if (status.code() == absl::StatusCode::kInvalidArgument) return Fail(OUZEL_EINVAL, detail);
  return Fail(OUZEL_ESTORE, detail);
}

}  // namespace

int SetPersistenceInt(PersistenceSettings* s, int32_t option, int64_t value) {
  // The bounds are the option table's (option_table.h), checked by ouzel_options_set_int.
  switch (option) {
    case OUZEL_OPT_PERSISTENCE_SYNC:
      s->sync = static_cast<int32_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS:
      s->sync_interval_ms = value;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_MAX_BYTES:
      s->max_bytes = value;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_MAX_MESSAGES:
      s->max_messages = value;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_FULL_POLICY:
      s->full_policy = static_cast<int32_t>(value);
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES:
      s->compact_min_bytes = value;
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("unknown integer option ", option));
  }
}

int GetPersistenceInt(const PersistenceSettings& s, int32_t option, int64_t* out) {
  switch (option) {
    case OUZEL_OPT_PERSISTENCE_SYNC:
      *out = s.sync;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS:
      *out = s.sync_interval_ms;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_MAX_BYTES:
      *out = s.max_bytes;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_MAX_MESSAGES:
      *out = s.max_messages;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_FULL_POLICY:
      *out = s.full_policy;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES:
      *out = s.compact_min_bytes;
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("unknown integer option ", option));
  }
}

int GetPersistenceString(const PersistenceSettings& s, int32_t option, std::string* out) {
  switch (option) {
    case OUZEL_OPT_PERSISTENCE_DIR:
      *out = s.directory;
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_KEY:
      *out = s.key;
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("unknown string option ", option));
  }
}

int SetPersistenceString(PersistenceSettings* s, int32_t option, absl::string_view value) {
  switch (option) {
    case OUZEL_OPT_PERSISTENCE_DIR:
      if (value.find('\0') != absl::string_view::npos) {
        return Fail(OUZEL_EINVAL, "the persistence directory contains a NUL byte");
      }
      s->directory = std::string(value);
      return OUZEL_OK;
    case OUZEL_OPT_PERSISTENCE_KEY:
      s->key = std::string(value);
      return OUZEL_OK;
    default:
      return Fail(OUZEL_EINVAL, absl::StrCat("unknown string option ", option));
  }
}

std::string SessionKeyFor(const PersistenceSettings& s, const ClientOptions& options) {
  if (!s.key.empty()) return s.key;
  return absl::StrCat(options.session.client_id, "@",
                      options.servers.empty() ? "" : options.servers.front());
}

int BuildStore(const PersistenceSettings& s, const ClientOptions& options,
               std::shared_ptr<StoreFront>* out, RecoverySummary* report) {
  out->reset();
  *report = RecoverySummary();
  if (!s.directory.empty() && s.custom != nullptr) {
    return Fail(OUZEL_EINVAL,
                "both OUZEL_OPT_PERSISTENCE_DIR and an application store "
                "(ouzel_options_set_store) are set; choose one");
  }
  std::unique_ptr<SessionStore> inner;
  const VtableStore* vtable_store = nullptr;
  const FileStore* file_store = nullptr;
  if (s.custom != nullptr) {
    absl::StatusOr<std::unique_ptr<VtableStore>> v = VtableStore::Open(s.custom);
    if (!v.ok()) return FromStatus(v.status());
    vtable_store = v->get();
    inner = *std::move(v);
  } else if (!s.directory.empty()) {
    FileStoreOptions fo;
    fo.directory = s.directory;
    fo.session_key = SessionKeyFor(s, options);
    fo.sync_policy = s.sync == OUZEL_SYNC_INTERVAL ? SyncPolicy::kInterval
                     : s.sync == OUZEL_SYNC_NEVER  ? SyncPolicy::kNever
                                                   : SyncPolicy::kEveryWrite;
    fo.sync_interval = absl::Milliseconds(s.sync_interval_ms);
    fo.max_bytes = static_cast<uint64_t>(s.max_bytes);
    fo.max_messages = static_cast<size_t>(s.max_messages);
    fo.full_policy = s.full_policy == OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0
                         ? StoreFullPolicy::kDropOldestQos0
                         : StoreFullPolicy::kRefuseNew;
    fo.compact_min_bytes = static_cast<uint64_t>(s.compact_min_bytes);
    absl::StatusOr<std::unique_ptr<FileStore>> fs = FileStore::Open(std::move(fo));
    if (!fs.ok()) return OpenError(fs.status(), s.directory);
    const RecoveryReport& r = (*fs)->recovery_report();
    report->created = r.created;
    report->truncated = r.truncated();
    report->records = r.records;
    report->discarded_bytes = r.discarded_bytes;
    report->summary = absl::StrCat((*fs)->log_path(), ": ", r.ToString());
    file_store = fs->get();
    inner = *std::move(fs);
  } else {
    return OUZEL_OK;
  }
  auto front = std::make_shared<StoreFront>(std::move(inner), file_store);
  if (absl::Status loaded = front->Preload(); !loaded.ok()) return FromStatus(loaded);
  report->enabled = true;
  report->outgoing = front->restored_outgoing();
  report->incoming = front->restored_incoming();
  if (vtable_store != nullptr) {
    report->records = vtable_store->loaded_records();
    report->created = report->records == 0;
    report->summary = absl::StrCat("application store: loaded ", report->records, " records");
  }
  absl::StrAppend(&report->summary, "; restored ", report->outgoing, " outgoing messages and ",
                  report->incoming, " incoming QoS 2 packet ids");
  *out = std::move(front);
  return OUZEL_OK;
}

}  // namespace ouzel::capi

extern "C" {

OUZEL_EXTERN int ouzel_options_set_store(ouzel_options* opts, const ouzel_store_vtable* vtable,
                                         void* user_data) {
  return ouzel::capi::Guarded([&] {
    if (opts == nullptr) return ouzel::capi::Fail(OUZEL_EINVAL, "opts must not be NULL");
    std::shared_ptr<ouzel::capi::CStore> store;
    if (vtable != nullptr) {
      if (int rc = ouzel::capi::CStore::Create(vtable, user_data, &store); rc != OUZEL_OK) {
        return rc;
      }
    }
    // The old store (if any) is destroyed here unless a client still uses it.
    opts->persistence.custom = std::move(store);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_store_loader_add(ouzel_store_loader* loader, const char* key, size_t key_len,
                                        const void* value, size_t value_len) {
  return ouzel::capi::Guarded([&] {
    if (loader == nullptr || key == nullptr || (value == nullptr && value_len != 0)) {
      return ouzel::capi::Fail(OUZEL_EINVAL, "NULL argument");
    }
    absl::string_view k = ouzel::capi::StringArg(key, key_len);
    absl::string_view v(static_cast<const char*>(value), value_len);
    absl::Status s = loader->records.Add(k, v);
    if (!s.ok()) {
      if (loader->error.ok()) loader->error = s;
      return ouzel::capi::FromStatus(s);
    }
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_persistence_report_init(ouzel_persistence_report* report, uint32_t version) {
  if (report == nullptr) return ouzel::capi::Fail(OUZEL_EINVAL, "report must not be NULL");
  if (version != OUZEL_PERSISTENCE_REPORT_VERSION) {
    return ouzel::capi::Fail(OUZEL_EVERSION,
                             absl::StrCat("unknown ouzel_persistence_report version ", version));
  }
  *report = ouzel_persistence_report{};
  report->version = version;
  report->summary = "";
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_client_persistence_report(const ouzel_client* client,
                                                 ouzel_persistence_report* report) {
  if (client == nullptr || report == nullptr) {
    return ouzel::capi::Fail(OUZEL_EINVAL, "NULL argument");
  }
  if (report->version != OUZEL_PERSISTENCE_REPORT_VERSION) {
    return ouzel::capi::Fail(OUZEL_EVERSION,
                             "initialise the report with ouzel_persistence_report_init");
  }
  const ouzel::capi::RecoverySummary& r = client->recovery;
  report->enabled = r.enabled ? 1 : 0;
  report->created = r.created ? 1 : 0;
  report->truncated = r.truncated ? 1 : 0;
  report->records = r.records;
  report->discarded_bytes = r.discarded_bytes;
  report->outgoing = r.outgoing;
  report->incoming = r.incoming;
  report->summary = r.summary.c_str();
  return OUZEL_OK;
}

}  // extern "C"
