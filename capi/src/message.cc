// ouzel_message_*: read-only access to a received message, and owned copies of one.
#include "ouzel/message.h"

#include <memory>

#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "ouzel/errors.h"

extern "C" {

OUZEL_EXTERN const char* ouzel_message_topic(const ouzel_message* msg, size_t* len) {
  if (len != nullptr) *len = msg->get().topic.size();
  return msg->get().topic.data();
}

OUZEL_EXTERN const void* ouzel_message_payload(const ouzel_message* msg, size_t* len) {
  if (len != nullptr) *len = msg->get().payload.size();
  return msg->get().payload.data();
}

OUZEL_EXTERN int32_t ouzel_message_qos(const ouzel_message* msg) { return msg->get().qos; }

OUZEL_EXTERN int32_t ouzel_message_retain(const ouzel_message* msg) {
  return msg->get().retain ? 1 : 0;
}

OUZEL_EXTERN int32_t ouzel_message_dup(const ouzel_message* msg) { return msg->get().dup ? 1 : 0; }

OUZEL_EXTERN int32_t ouzel_message_mid(const ouzel_message* msg) { return msg->get().packet_id; }

OUZEL_EXTERN const ouzel_properties* ouzel_message_properties(const ouzel_message* msg) {
  return &msg->properties;
}

OUZEL_EXTERN int ouzel_message_fields_init(ouzel_message_fields* fields, uint32_t version) {
  if (fields == nullptr) return ouzel::capi::Fail(OUZEL_EINVAL, "fields must not be NULL");
  if (version != OUZEL_MESSAGE_FIELDS_VERSION) {
    return ouzel::capi::Fail(OUZEL_EVERSION, "unknown ouzel_message_fields version");
  }
  *fields = ouzel_message_fields{};
  fields->version = version;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_message_get_fields(const ouzel_message* msg, ouzel_message_fields* fields) {
  if (msg == nullptr || fields == nullptr) {
    return ouzel::capi::Fail(OUZEL_EINVAL, "NULL argument");
  }
  if (fields->version != OUZEL_MESSAGE_FIELDS_VERSION) {
    return ouzel::capi::Fail(OUZEL_EVERSION, "initialise fields with ouzel_message_fields_init");
  }
  const ouzel::Message& m = msg->get();
  fields->topic = m.topic.data();
  fields->topic_len = m.topic.size();
  fields->payload = m.payload.data();
  fields->payload_len = m.payload.size();
  fields->qos = m.qos;
  fields->retain = m.retain ? 1 : 0;
  fields->dup = m.dup ? 1 : 0;
  fields->mid = m.packet_id;
  fields->properties = &msg->properties;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_message_clone(ouzel_message** out, const ouzel_message* msg) {
  return ouzel::capi::Guarded([&] {
    if (out == nullptr || msg == nullptr) return ouzel::capi::Fail(OUZEL_EINVAL, "NULL argument");
    *out = new ouzel_message(std::make_unique<ouzel::Message>(msg->get()));
    return OUZEL_OK;
  });
}

OUZEL_EXTERN void ouzel_message_free(ouzel_message* msg) { delete msg; }

}  // extern "C"
