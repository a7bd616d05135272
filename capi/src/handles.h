// The definitions behind the C API's opaque handles. Only capi/src sees them.
//
// Properties and messages handed to callbacks are views over the engine's own objects (no copy on
// the delivery path); ones the application creates or clones own their data.
#ifndef OUZEL_CAPI_SRC_HANDLES_H_
#define OUZEL_CAPI_SRC_HANDLES_H_

#include <memory>
#include <string>
#include <utility>

#include "capi/src/store_setup.h"
#include "cc/base/secret.h"
#include "cc/client/client.h"
#include "cc/client/client_options.h"
#include "cc/codec/properties.h"
#include "cc/session/session_events.h"

struct ouzel_properties {
  ouzel::Properties owned;
  // Set for a view (callback arguments, a message's properties): read-only, not to be freed.
  const ouzel::Properties* borrowed = nullptr;

  const ouzel::Properties& get() const { return borrowed != nullptr ? *borrowed : owned; }
  static ouzel_properties View(const ouzel::Properties& p) {
    ouzel_properties h;
    h.borrowed = &p;
    return h;
  }
};

struct ouzel_message {
  // A view of a message being delivered...
  explicit ouzel_message(const ouzel::Message& m) : borrowed_(&m) {
    properties.borrowed = &m.properties;
  }
  // ...or an owned copy (ouzel_message_clone).
  explicit ouzel_message(std::unique_ptr<ouzel::Message> m) : owned_(std::move(m)) {
    properties.borrowed = &owned_->properties;
  }
  ouzel_message(const ouzel_message&) = delete;
  ouzel_message& operator=(const ouzel_message&) = delete;

  const ouzel::Message& get() const { return owned_ != nullptr ? *owned_ : *borrowed_; }

  ouzel_properties properties;  // always a view of get().properties

 private:
  const ouzel::Message* borrowed_ = nullptr;
  std::unique_ptr<ouzel::Message> owned_;
};

struct ouzel_options {
  ouzel_options() = default;
  ouzel_options(const ouzel_options&) = delete;
  ouzel_options& operator=(const ouzel_options&) = delete;
  // The password, key password, PSK key and proxy password zero themselves (SecretString); a
  // server URI may carry a password too ("mqtt://user:pw@host").
  ~ouzel_options() {
    for (std::string& uri : options.servers) ouzel::WipeString(&uri);
  }

  ouzel::ClientOptions options;
  // OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL as set (options.event_queue.log_level is the engine's level,
  // which has no NOTICE), so it reads back as given.
  int32_t event_queue_log_level = 0;
  ouzel::capi::PersistenceSettings persistence;  // turned into options.shared_store by client_new
  // What ouzel_options_get_string last returned (borrowed by the caller until the next call).
  // It may be a password, so it is zeroed when replaced or freed, like the secrets in `options`.
  mutable ouzel::SecretString read_back;
};

struct ouzel_client {
  std::unique_ptr<ouzel::Client> client;
  // The client's store, or null. The client's internals hold it too (ClientOptions::shared_store)
  // and keep it as long as they need it; this reference serves the flush after a publish.
  std::shared_ptr<ouzel::capi::StoreFront> store;
  ouzel::capi::RecoverySummary recovery;
  // OUZEL_OPT_EVENT_QUEUE: events are polled (events.cc), not delivered to callbacks.
  bool event_queue = false;
};

#endif  // OUZEL_CAPI_SRC_HANDLES_H_
