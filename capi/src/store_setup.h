// The persistence part of ouzel_options and ouzel_client: the OUZEL_OPT_PERSISTENCE_* settings,
// an application store (ouzel_options_set_store), and building a client's store from them.
//
//   // ouzel_options_set_int, for option ids 60..79:
//   return SetPersistenceInt(&opts->persistence, option, value);
//   // ouzel_client_new:
//   std::shared_ptr<StoreFront> store;
//   RecoverySummary recovery;
//   if (int rc = BuildStore(opts->persistence, options, &store, &recovery); rc != OUZEL_OK) ...
#ifndef OUZEL_CAPI_SRC_STORE_SETUP_H_
#define OUZEL_CAPI_SRC_STORE_SETUP_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "capi/src/store_front.h"
#include "capi/src/vtable_store.h"
#include "cc/client/client_options.h"

namespace ouzel::capi {

struct PersistenceSettings {
  std::string directory;  // empty: no file store
  std::string key;        // empty: client id + "@" + first server URI
  int32_t sync = 0;       // OUZEL_SYNC_*
  int64_t sync_interval_ms = 100;
  int64_t max_bytes = 0;
  int64_t max_messages = 0;
  int32_t full_policy = 0;  // OUZEL_PERSISTENCE_FULL_*
  int64_t compact_min_bytes = 4 << 20;
  std::shared_ptr<CStore> custom;  // ouzel_options_set_store
};

// What ouzel_client_persistence_report returns.
struct RecoverySummary {
  bool enabled = false;
  bool created = false;
  bool truncated = false;
  uint64_t records = 0;
  uint64_t discarded_bytes = 0;
  uint64_t outgoing = 0;
  uint64_t incoming = 0;
  std::string summary;
};

// Option ids 60..79 and 140..149, values already within the option table's bounds. OUZEL_OK or
// an OUZEL_E* code (via Fail); on error `s` is unchanged.
int SetPersistenceInt(PersistenceSettings* s, int32_t option, int64_t value);
int SetPersistenceString(PersistenceSettings* s, int32_t option, absl::string_view value);
// Read back (ouzel_options_get_int / _get_string); OUZEL_EINVAL for another option.
int GetPersistenceInt(const PersistenceSettings& s, int32_t option, int64_t* out);
int GetPersistenceString(const PersistenceSettings& s, int32_t option, std::string* out);

// The session key the file store uses for these client options.
std::string SessionKeyFor(const PersistenceSettings& s, const ClientOptions& options);

// Opens the store the settings ask for (none: *out stays null) and loads it. OUZEL_EINVAL (both a
// directory and an application store), OUZEL_EBUSY (the session is open in another process or
// client), OUZEL_ESTORE (it cannot be opened or read), via Fail().
int BuildStore(const PersistenceSettings& s, const ClientOptions& options,
               std::shared_ptr<StoreFront>* out, RecoverySummary* report);

}  // namespace ouzel::capi

#endif  // OUZEL_CAPI_SRC_STORE_SETUP_H_
