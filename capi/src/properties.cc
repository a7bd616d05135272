// ouzel_properties_*: the C face of ouzel::Properties.
#include "ouzel/properties.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "capi/src/handles.h"
#include "capi/src/status_mapping.h"
#include "cc/codec/utf8.h"
#include "ouzel/errors.h"

namespace {

using ouzel::PropertyId;
using ouzel::PropertyInfo;
using ouzel::PropertyType;
using ouzel::capi::Fail;
using ouzel::capi::Guarded;

bool IsIntegerType(PropertyType t) {
  return t == PropertyType::kByte || t == PropertyType::kTwoByteInteger ||
         t == PropertyType::kFourByteInteger || t == PropertyType::kVariableByteInteger;
}

// The property's facts when `id` is known and of type `want` (as judged by `matches`).
template <typename Matches>
const PropertyInfo* Lookup(int32_t id, Matches matches, const char* what, int* error) {
  const PropertyInfo* info = (id > 0 && id < 256) ? ouzel::FindPropertyInfo(id) : nullptr;
  if (info == nullptr) {
    *error = Fail(OUZEL_EINVAL, absl::StrCat("unknown MQTT 5 property identifier ", id));
    return nullptr;
  }
  if (!matches(info->type)) {
    *error = Fail(OUZEL_EINVAL, absl::StrCat(info->name, " is not ", what));
    return nullptr;
  }
  return info;
}

int CheckLength(const PropertyInfo& info, size_t len) {
  if (len > 65535) {
    return Fail(OUZEL_EINVAL, absl::StrCat(info.name, " is ", len,
                                           " bytes; MQTT strings and binary data hold 65,535"));
  }
  return OUZEL_OK;
}

int CheckUtf8(absl::string_view what, absl::string_view s) {
  absl::Status st = ouzel::ValidateMqttUtf8(s);
  if (!st.ok()) return Fail(OUZEL_EINVAL, absl::StrCat(what, ": ", st.message()));
  return OUZEL_OK;
}

const ouzel::Property* At(const ouzel_properties* props, size_t index) {
  if (props == nullptr || index >= props->get().size()) return nullptr;
  return &props->get().items()[index];
}

// Writers accept only lists the application owns: views handed to callbacks are read-only.
int Writable(const ouzel_properties* props) {
  if (props == nullptr) return Fail(OUZEL_EINVAL, "props must not be NULL");
  if (props->borrowed != nullptr) {
    return Fail(OUZEL_EINVAL, "these properties are borrowed (read-only); clone them to modify");
  }
  return OUZEL_OK;
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_properties_new(ouzel_properties** out) {
  return Guarded([&] {
    if (out == nullptr) return Fail(OUZEL_EINVAL, "out must not be NULL");
    *out = new ouzel_properties();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN void ouzel_properties_free(ouzel_properties* props) { delete props; }

OUZEL_EXTERN int ouzel_properties_clone(ouzel_properties** out, const ouzel_properties* props) {
  return Guarded([&] {
    if (out == nullptr || props == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
    auto* copy = new ouzel_properties();
    copy->owned = props->get();
    *out = copy;
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_properties_set_int(ouzel_properties* props, int32_t id, uint32_t value) {
  return Guarded([&] {
    if (int rc = Writable(props); rc != OUZEL_OK) return rc;
    int error = OUZEL_OK;
    const PropertyInfo* info = Lookup(id, IsIntegerType, "an integer property", &error);
    if (info == nullptr) return error;
    if (info->id == PropertyId::kSubscriptionIdentifier) {
      props->owned.AddSubscriptionIdentifier(value);
    } else {
      props->owned.SetInt(info->id, value);
    }
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_properties_set_string(ouzel_properties* props, int32_t id, const char* value,
                                             size_t value_len) {
  return Guarded([&] {
    if (int rc = Writable(props); rc != OUZEL_OK) return rc;
    int error = OUZEL_OK;
    const PropertyInfo* info = Lookup(
        id, [](PropertyType t) { return t == PropertyType::kUtf8String; },
        "a UTF-8 string property", &error);
    if (info == nullptr) return error;
    absl::string_view v = ouzel::capi::StringArg(value, value_len);
    if (int rc = CheckLength(*info, v.size()); rc != OUZEL_OK) return rc;
    if (int rc = CheckUtf8(info->name, v); rc != OUZEL_OK) return rc;
    props->owned.SetString(info->id, v);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_properties_set_binary(ouzel_properties* props, int32_t id, const void* value,
                                             size_t value_len) {
  return Guarded([&] {
    if (int rc = Writable(props); rc != OUZEL_OK) return rc;
    if (value == nullptr && value_len != 0) return Fail(OUZEL_EINVAL, "NULL value");
    int error = OUZEL_OK;
    const PropertyInfo* info = Lookup(
        id, [](PropertyType t) { return t == PropertyType::kBinaryData; }, "a binary property",
        &error);
    if (info == nullptr) return error;
    if (int rc = CheckLength(*info, value_len); rc != OUZEL_OK) return rc;
    props->owned.SetString(info->id, absl::string_view(static_cast<const char*>(value), value_len));
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_properties_add_user(ouzel_properties* props, const char* name,
                                           size_t name_len, const char* value, size_t value_len) {
  return Guarded([&] {
    if (int rc = Writable(props); rc != OUZEL_OK) return rc;
    absl::string_view n = ouzel::capi::StringArg(name, name_len);
    absl::string_view v = ouzel::capi::StringArg(value, value_len);
    if (n.size() > 65535 || v.size() > 65535) {
      return Fail(OUZEL_EINVAL, "a User Property name or value is over 65,535 bytes");
    }
    if (int rc = CheckUtf8("User Property name", n); rc != OUZEL_OK) return rc;
    if (int rc = CheckUtf8("User Property value", v); rc != OUZEL_OK) return rc;
    props->owned.AddUserProperty(n, v);
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_properties_remove(ouzel_properties* props, int32_t id) {
  if (Writable(props) != OUZEL_OK || id <= 0 || id > 255) return 0;
  return static_cast<int>(props->owned.Remove(static_cast<PropertyId>(id)));
}

OUZEL_EXTERN size_t ouzel_properties_count(const ouzel_properties* props) {
  return props == nullptr ? 0 : props->get().size();
}

OUZEL_EXTERN int32_t ouzel_properties_id_at(const ouzel_properties* props, size_t index) {
  const ouzel::Property* p = At(props, index);
  return p == nullptr ? -1 : static_cast<int32_t>(p->id);
}

OUZEL_EXTERN int ouzel_properties_int_at(const ouzel_properties* props, size_t index,
                                         uint32_t* out) {
  const ouzel::Property* p = At(props, index);
  if (p == nullptr || out == nullptr) return Fail(OUZEL_EINVAL, "index out of range or NULL out");
  const PropertyInfo* info = ouzel::FindPropertyInfo(static_cast<uint8_t>(p->id));
  if (info == nullptr || !IsIntegerType(info->type)) {
    return Fail(OUZEL_EINVAL, "not an integer property");
  }
  *out = p->int_value;
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_properties_bytes_at(const ouzel_properties* props, size_t index,
                                           const char** out, size_t* out_len) {
  const ouzel::Property* p = At(props, index);
  if (p == nullptr || out == nullptr || out_len == nullptr) {
    return Fail(OUZEL_EINVAL, "index out of range or NULL out");
  }
  const PropertyInfo* info = ouzel::FindPropertyInfo(static_cast<uint8_t>(p->id));
  if (info == nullptr ||
      (info->type != PropertyType::kUtf8String && info->type != PropertyType::kBinaryData)) {
    return Fail(OUZEL_EINVAL, "not a string or binary property");
  }
  *out = p->value.data();
  *out_len = p->value.size();
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_properties_user_at(const ouzel_properties* props, size_t index,
                                          const char** name, size_t* name_len, const char** value,
                                          size_t* value_len) {
  const ouzel::Property* p = At(props, index);
  if (p == nullptr || name == nullptr || name_len == nullptr || value == nullptr ||
      value_len == nullptr) {
    return Fail(OUZEL_EINVAL, "index out of range or NULL out");
  }
  if (p->id != PropertyId::kUserProperty) return Fail(OUZEL_EINVAL, "not a User Property");
  *name = p->name.data();
  *name_len = p->name.size();
  *value = p->value.data();
  *value_len = p->value.size();
  return OUZEL_OK;
}

OUZEL_EXTERN int ouzel_properties_get_int(const ouzel_properties* props, int32_t id,
                                          uint32_t* out) {
  if (props == nullptr || out == nullptr) return Fail(OUZEL_EINVAL, "NULL argument");
  for (size_t i = 0; i < props->get().size(); ++i) {
    if (static_cast<int32_t>(props->get().items()[i].id) == id) {
      return ouzel_properties_int_at(props, i, out);
    }
  }
  return Fail(OUZEL_ENOTFOUND, absl::StrCat("no property with identifier ", id));
}

OUZEL_EXTERN int ouzel_properties_get_bytes(const ouzel_properties* props, int32_t id,
                                            const char** out, size_t* out_len) {
  if (props == nullptr || out == nullptr || out_len == nullptr) {
    return Fail(OUZEL_EINVAL, "NULL argument");
  }
  for (size_t i = 0; i < props->get().size(); ++i) {
    if (static_cast<int32_t>(props->get().items()[i].id) == id) {
      return ouzel_properties_bytes_at(props, i, out, out_len);
    }
  }
  return Fail(OUZEL_ENOTFOUND, absl::StrCat("no property with identifier ", id));
}

}  // extern "C"
