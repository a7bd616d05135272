// ouzel_topic_*: the engine's topic validation and matching (cc/topic) and its TopicRouter as a
// handle.
#include "ouzel/topic.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/src/status_mapping.h"
#include "cc/topic/topic.h"
#include "cc/topic/topic_router.h"
#include "ouzel/errors.h"

struct ouzel_topic_router {
  ouzel::TopicRouter router;
};

namespace {

using ouzel::capi::Fail;
using ouzel::capi::Guarded;
using ouzel::capi::StringArg;

// NULL is only the empty string when the length says so; NULL with SIZE_MAX has no end to find.
bool MissingString(const char* s, size_t len) { return s == nullptr && len != 0; }

// The engine's messages already say "topic name ..." or "topic filter ...", the rule and offset.
int Check(const absl::Status& status) {
  if (status.ok()) return OUZEL_OK;
  return Fail(OUZEL_EINVAL, status.message());
}

}  // namespace

extern "C" {

OUZEL_EXTERN int ouzel_topic_validate_name(const char* topic, size_t topic_len) {
  return Guarded([&] {
    if (MissingString(topic, topic_len)) return Fail(OUZEL_EINVAL, "topic is NULL");
    return Check(ouzel::ValidateTopicName(StringArg(topic, topic_len)));
  });
}

OUZEL_EXTERN int ouzel_topic_validate_filter(const char* filter, size_t filter_len) {
  return Guarded([&] {
    if (MissingString(filter, filter_len)) return Fail(OUZEL_EINVAL, "filter is NULL");
    return Check(ouzel::ValidateTopicFilter(StringArg(filter, filter_len)));
  });
}

OUZEL_EXTERN int ouzel_topic_matches(const char* filter, size_t filter_len, const char* topic,
                                     size_t topic_len) {
  return Guarded([&] {
    if (MissingString(filter, filter_len)) return Fail(OUZEL_EINVAL, "filter is NULL");
    if (MissingString(topic, topic_len)) return Fail(OUZEL_EINVAL, "topic is NULL");
    const absl::string_view f = StringArg(filter, filter_len);
    const absl::string_view t = StringArg(topic, topic_len);
    if (int rc = Check(ouzel::ValidateTopicFilter(f)); rc != OUZEL_OK) return rc;
    if (int rc = Check(ouzel::ValidateTopicName(t)); rc != OUZEL_OK) return rc;
    return ouzel::TopicMatchesFilter(f, t) ? 1 : 0;
  });
}

OUZEL_EXTERN int ouzel_topic_router_new(ouzel_topic_router** out) {
  return Guarded([&] {
    if (out == nullptr) return Fail(OUZEL_EINVAL, "out must not be NULL");
    *out = new ouzel_topic_router();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN void ouzel_topic_router_free(ouzel_topic_router* router) { delete router; }

OUZEL_EXTERN int ouzel_topic_router_add(ouzel_topic_router* router, const char* filter,
                                        size_t filter_len, uint64_t id) {
  return Guarded([&] {
    if (router == nullptr) return Fail(OUZEL_EINVAL, "router must not be NULL");
    if (MissingString(filter, filter_len)) return Fail(OUZEL_EINVAL, "filter is NULL");
    return Check(router->router.Add(StringArg(filter, filter_len), id));
  });
}

OUZEL_EXTERN int ouzel_topic_router_remove(ouzel_topic_router* router, const char* filter,
                                           size_t filter_len, uint64_t id) {
  return Guarded([&] {
    if (router == nullptr) return Fail(OUZEL_EINVAL, "router must not be NULL");
    if (MissingString(filter, filter_len)) return Fail(OUZEL_EINVAL, "filter is NULL");
    const absl::string_view f = StringArg(filter, filter_len);
    if (!router->router.Remove(f, id)) {
      return Fail(OUZEL_ENOTFOUND,
                  absl::StrCat("the router holds no filter '", f, "' with id ", id));
    }
    return OUZEL_OK;
  });
}

OUZEL_EXTERN int ouzel_topic_router_match(const ouzel_topic_router* router, const char* topic,
                                          size_t topic_len, uint64_t* ids, size_t max,
                                          size_t* out_total) {
  return Guarded([&] {
    if (out_total != nullptr) *out_total = 0;
    if (router == nullptr || out_total == nullptr) {
      return Fail(OUZEL_EINVAL, "router and out_total must not be NULL");
    }
    if (ids == nullptr && max > 0) return Fail(OUZEL_EINVAL, "ids is NULL but max is not 0");
    if (MissingString(topic, topic_len)) return Fail(OUZEL_EINVAL, "topic is NULL");
    const absl::string_view t = StringArg(topic, topic_len);
    if (int rc = Check(ouzel::ValidateTopicName(t)); rc != OUZEL_OK) return rc;
    // One buffer per thread: matches may run concurrently, and a router lookup per incoming
    // message should not allocate once the buffer has grown.
    thread_local std::vector<uint64_t> found;
    router->router.Match(t, &found);
    const size_t n = found.size() < max ? found.size() : max;
    for (size_t i = 0; i < n; ++i) ids[i] = found[i];
    *out_total = found.size();
    return OUZEL_OK;
  });
}

OUZEL_EXTERN size_t ouzel_topic_router_count(const ouzel_topic_router* router) {
  return router == nullptr ? 0 : router->router.size();
}

}  // extern "C"
