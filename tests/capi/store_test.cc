// Application stores (ouzel/sys/store.h) and the persistence options, through ouzel.h only, with
// no broker: what a store receives, how a new client resumes from it, and every error path. The
// store is tests/capi/c_memory_store.c, written in C as an application would. The same store
// against a real broker: tests/integration/store_vtable_test.cc.
#include "ouzel/sys/store.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/capi/c_memory_store.h"

namespace {

struct OptionsDeleter {
  void operator()(ouzel_options* o) const { ouzel_options_free(o); }
};
using Options = std::unique_ptr<ouzel_options, OptionsDeleter>;

// A persistent-session client that never connects (nothing listens on port 1).
Options PersistentOptions(int version = OUZEL_MQTT_V311) {
  ouzel_options* o = nullptr;
  EXPECT_EQ(ouzel_options_new(&o), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, "mqtt://127.0.0.1:1", SIZE_MAX),
            OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "store-test", SIZE_MAX), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_PROTOCOL_VERSION, version), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0), OUZEL_OK);
  return Options(o);
}

// A store the test owns (destroy only counts).
c_memory_store* KeptStore() {
  c_memory_store* s = c_memory_store_new();
  c_memory_store_keep(s);
  return s;
}

int Publish(ouzel_client* c, const std::string& topic, const std::string& payload, int qos,
            uint64_t* token = nullptr) {
  return ouzel_client_publish(c, topic.data(), topic.size(), payload.data(), payload.size(), qos, 0,
                              nullptr, token, nullptr);
}

int64_t Stat(ouzel_client* c, int32_t stat) {
  int64_t v = -1;
  EXPECT_EQ(ouzel_client_stat(c, stat, &v), OUZEL_OK);
  return v;
}

std::string Key(const c_memory_store* s, size_t i) {
  size_t n = 0;
  const char* k = c_memory_store_key_at(s, i, &n);
  return std::string(k, n);
}

TEST(StoreVtable, UnknownVersion_Eversion_NothingChangesAndDestroyIsNotCalled) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  for (uint32_t version : {0u, OUZEL_STORE_VTABLE_VERSION + 1u, 0xffffffffu}) {
    ouzel_store_vtable v = *c_memory_store_vtable();
    v.version = version;
    EXPECT_EQ(ouzel_options_set_store(o.get(), &v, s), OUZEL_EVERSION) << version;
    EXPECT_NE(std::string(ouzel_last_error_message()).find("version"), std::string::npos);
  }
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  ouzel_persistence_report r;
  ASSERT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  ASSERT_EQ(ouzel_client_persistence_report(c, &r), OUZEL_OK);
  EXPECT_EQ(r.enabled, 0);  // no store was set
  EXPECT_STREQ(r.summary, "");
  ouzel_client_free(c);
  o.reset();
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 0);
  EXPECT_EQ(c_memory_store_get_counts(s).loads, 0);
  c_memory_store_free(s);
}

TEST(StoreVtable, MissingRequiredSlot_Einval) {
  Options o = PersistentOptions();
  for (int slot = 0; slot < 4; ++slot) {
    ouzel_store_vtable v = *c_memory_store_vtable();
    if (slot == 0) v.put = nullptr;
    if (slot == 1) v.remove = nullptr;
    if (slot == 2) v.clear = nullptr;
    if (slot == 3) v.load = nullptr;
    EXPECT_EQ(ouzel_options_set_store(o.get(), &v, nullptr), OUZEL_EINVAL) << slot;
  }
  EXPECT_EQ(ouzel_options_set_store(nullptr, c_memory_store_vtable(), nullptr), OUZEL_EINVAL);
}

TEST(StoreVtable, OptionalSlotsMayBeNull) {
  c_memory_store* s = KeptStore();
  ouzel_store_vtable v = *c_memory_store_vtable();
  v.flush = nullptr;
  v.destroy = nullptr;
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), &v, s), OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  EXPECT_EQ(Publish(c, "a/b", "x", 1), OUZEL_OK);
  EXPECT_EQ(c_memory_store_count_prefix(s, "out/"), 1u);
  ouzel_client_free(c);
  o.reset();
  EXPECT_EQ(c_memory_store_get_counts(s).flushes, 0);
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 0);
  c_memory_store_free(s);
}

TEST(StoreVtable, OfflinePublishes_BecomeRecords_AndANewClientResumesFromThem) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK);
  EXPECT_EQ(c_memory_store_get_counts(s).loads, 1);
  ouzel_persistence_report r;
  ASSERT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  ASSERT_EQ(ouzel_client_persistence_report(a, &r), OUZEL_OK);
  EXPECT_EQ(r.enabled, 1);
  EXPECT_EQ(r.created, 1);
  EXPECT_EQ(r.outgoing, 0u);

  uint64_t t1 = 0, t2 = 0;
  ASSERT_EQ(Publish(a, "t/1", "one", 1, &t1), OUZEL_OK);
  ASSERT_EQ(Publish(a, "t/2", std::string("tw\0o", 4), 2, &t2), OUZEL_OK);
  // QoS 0 is not queued offline by default, and never stored.
  EXPECT_EQ(Publish(a, "t/0", "zero", 0), OUZEL_ENOTCONN);
  // One record per message plus "next" (tokens used); each publish flushed.
  EXPECT_EQ(c_memory_store_count_prefix(s, "out/"), 2u);
  EXPECT_EQ(c_memory_store_count_prefix(s, "next"), 1u);
  EXPECT_GE(c_memory_store_get_counts(s).flushes, 2);
  ASSERT_EQ(c_memory_store_count(s), 3u);
  EXPECT_EQ(Key(s, 0), "next");
  char key[32];
  std::snprintf(key, sizeof(key), "out/%016llx", static_cast<unsigned long long>(t1));
  EXPECT_EQ(Key(s, 1), key);
  std::snprintf(key, sizeof(key), "out/%016llx", static_cast<unsigned long long>(t2));
  EXPECT_EQ(Key(s, 2), key);
  ouzel_client_free(a);
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 0);    // the options still hold it
  EXPECT_EQ(c_memory_store_count_prefix(s, "out/"), 2u);  // freeing a client loses nothing

  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK);
  ASSERT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  ASSERT_EQ(ouzel_client_persistence_report(b, &r), OUZEL_OK);
  EXPECT_EQ(r.enabled, 1);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.records, 3u);
  EXPECT_EQ(r.outgoing, 2u);
  EXPECT_EQ(r.incoming, 0u);
  EXPECT_NE(std::string(r.summary).find("restored 2 outgoing"), std::string::npos) << r.summary;
  EXPECT_EQ(Stat(b, OUZEL_STAT_QUEUED) + Stat(b, OUZEL_STAT_INFLIGHT), 2);
  // The restored messages keep their tokens, and new ones never reuse a token.
  ouzel_delivery_status st;
  ASSERT_EQ(ouzel_delivery_status_init(&st, OUZEL_DELIVERY_STATUS_VERSION), OUZEL_OK);
  EXPECT_EQ(ouzel_client_delivery_status(b, t1, &st), OUZEL_OK);
  EXPECT_EQ(ouzel_client_delivery_status(b, t2, &st), OUZEL_OK);
  uint64_t t3 = 0;
  ASSERT_EQ(Publish(b, "t/3", "three", 1, &t3), OUZEL_OK);
  EXPECT_GT(t3, t2);
  ouzel_client_free(b);
  o.reset();
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 1);
  c_memory_store_free(s);
}

TEST(StoreVtable, TokensAreNotReusedAfterEveryMessageIsRemoved) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK);
  uint64_t t1 = 0;
  ASSERT_EQ(Publish(a, "t/1", "one", 1, &t1), OUZEL_OK);
  ouzel_client_free(a);
  // As if the message had been acknowledged: its record is gone, "next" stays.
  std::vector<std::string> outs;
  for (size_t i = 0; i < c_memory_store_count(s); ++i) {
    if (Key(s, i).rfind("out/", 0) == 0) outs.push_back(Key(s, i));
  }
  ASSERT_EQ(outs.size(), 1u);
  ouzel_store_vtable v = *c_memory_store_vtable();
  ASSERT_EQ(v.remove(outs[0].data(), outs[0].size(), s), OUZEL_OK);
  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK);
  uint64_t t2 = 0;
  ASSERT_EQ(Publish(b, "t/2", "two", 1, &t2), OUZEL_OK);
  EXPECT_GT(t2, t1);
  ouzel_client_free(b);
  o.reset();
  c_memory_store_free(s);
}

TEST(StoreVtable, OneClientAtATime_SecondIsEbusyUntilTheFirstIsFreed) {
  Options o = PersistentOptions();
  c_memory_store* s = KeptStore();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* a = nullptr;
  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK);
  EXPECT_EQ(ouzel_client_new(&b, o.get()), OUZEL_EBUSY);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("in use"), std::string::npos)
      << ouzel_last_error_message();
  ouzel_client_free(a);
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK);
  ouzel_client_free(b);
  o.reset();
  c_memory_store_free(s);
}

TEST(StoreVtable, DestroyRunsOnceAfterTheLastHolder_OptionsFreedFirst) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  o.reset();
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 0);  // the client still uses it
  ASSERT_EQ(Publish(c, "a", "b", 1), OUZEL_OK);
  ouzel_client_free(c);
  EXPECT_EQ(c_memory_store_get_counts(s).destroys, 1);
  c_memory_store_free(s);
}

TEST(StoreVtable, ReplacingOrRemovingTheStore_DestroysTheOldOne) {
  c_memory_store* s1 = KeptStore();
  c_memory_store* s2 = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s1), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s2), OUZEL_OK);
  EXPECT_EQ(c_memory_store_get_counts(s1).destroys, 1);
  ASSERT_EQ(ouzel_options_set_store(o.get(), nullptr, nullptr), OUZEL_OK);
  EXPECT_EQ(c_memory_store_get_counts(s2).destroys, 1);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);  // no store now
  EXPECT_EQ(Publish(c, "a", "b", 1), OUZEL_OK);
  EXPECT_EQ(c_memory_store_get_counts(s2).puts, 0);
  ouzel_client_free(c);
  c_memory_store_free(s1);
  c_memory_store_free(s2);
}

TEST(StoreVtable, StoreThatFreesItselfInDestroy_NoLeak) {
  // The usual ownership: destroy frees the store (ASan/LSan would report a leak or a double free).
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), c_memory_store_new()),
            OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  EXPECT_EQ(Publish(c, "a", "b", 2), OUZEL_OK);
  ouzel_client_free(c);
}

TEST(StoreVtable, PutFailures_ReachPublishWithTheirCode_AndNothingIsQueued) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  ASSERT_EQ(Publish(c, "a", "first", 1), OUZEL_OK);  // "next" is written now, not below
  const struct {
    int store_rc;
    int publish_rc;
  } cases[] = {
      {OUZEL_EQUEUEFULL, OUZEL_EQUEUEFULL}, {OUZEL_ENOMEM, OUZEL_ENOMEM}, {OUZEL_EIO, OUZEL_ESTORE},
      {OUZEL_EBUSY, OUZEL_ESTORE},          {-1000, OUZEL_ESTORE},        {7, OUZEL_ESTORE}};
  for (const auto& k : cases) {
    c_memory_store_fail_put(s, k.store_rc, 1);
    EXPECT_EQ(Publish(c, "a", "refused", 1), k.publish_rc) << k.store_rc;
    EXPECT_NE(std::string(ouzel_last_error_message()).find("application store: put"),
              std::string::npos)
        << ouzel_last_error_message();
    EXPECT_EQ(Stat(c, OUZEL_STAT_QUEUED), 1) << "a refused message must not stay queued";
  }
  EXPECT_EQ(c_memory_store_count_prefix(s, "out/"), 1u);
  EXPECT_EQ(Publish(c, "a", "second", 2), OUZEL_OK);
  EXPECT_EQ(Stat(c, OUZEL_STAT_QUEUED), 2);
  ouzel_client_free(c);
  o.reset();
  c_memory_store_free(s);
}

TEST(StoreVtable, FlushFailure_PublishIsEstore_WithTheTokenOfTheAcceptedMessage) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o.get()), OUZEL_OK);
  c_memory_store_fail_flush(s, OUZEL_EIO, 1);
  uint64_t token = 0;
  EXPECT_EQ(Publish(c, "a", "x", 1, &token), OUZEL_ESTORE);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("flush"), std::string::npos);
  EXPECT_NE(token, 0u);
  ouzel_delivery_status st;
  ASSERT_EQ(ouzel_delivery_status_init(&st, OUZEL_DELIVERY_STATUS_VERSION), OUZEL_OK);
  EXPECT_EQ(ouzel_client_delivery_status(c, token, &st), OUZEL_OK);
  EXPECT_EQ(st.state, OUZEL_DELIVERY_QUEUED);
  ouzel_client_free(c);
  o.reset();
  c_memory_store_free(s);
}

TEST(StoreVtable, LoadFailures_ClientIsNotCreated) {
  struct Case {
    const char* what;
    int load_rc;
    const char* key;
    std::string value;
    int new_rc;
    const char* detail;
  };
  const Case cases[] = {
      {"load returns EIO", OUZEL_EIO, nullptr, "", OUZEL_ESTORE, "load returned"},
      {"load returns EBUSY", OUZEL_EBUSY, nullptr, "", OUZEL_EBUSY, "load returned"},
      {"unknown key", OUZEL_OK, "foo/1", std::string("\x01", 1), OUZEL_ESTORE, "foo/1"},
      {"bad format byte", OUZEL_OK, "out/0000000000000001", std::string("\x09\x00", 2),
       OUZEL_ESTORE, "unknown record format"},
      {"truncated message", OUZEL_OK, "out/0000000000000001", std::string("\x01\x00\x32\x05", 4),
       OUZEL_ESTORE, "out/0000000000000001"},
      {"bad hex", OUZEL_OK, "out/00000000000000zz", std::string("\x01\x00", 2), OUZEL_ESTORE,
       "unknown store record key"},
      {"short session", OUZEL_OK, "session", std::string("\x01\x00", 2), OUZEL_ESTORE, "session"},
  };
  for (const Case& k : cases) {
    c_memory_store* s = KeptStore();
    c_memory_store_fail_load(s, k.load_rc);
    if (k.key != nullptr) {
      ASSERT_EQ(c_memory_store_set(s, k.key, std::strlen(k.key), k.value.data(), k.value.size()),
                OUZEL_OK);
    }
    Options o = PersistentOptions();
    ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
    ouzel_client* c = nullptr;
    EXPECT_EQ(ouzel_client_new(&c, o.get()), k.new_rc) << k.what;
    EXPECT_EQ(c, nullptr) << k.what;
    EXPECT_NE(std::string(ouzel_last_error_message()).find(k.detail), std::string::npos)
        << k.what << ": " << ouzel_last_error_message();
    o.reset();
    EXPECT_EQ(c_memory_store_get_counts(s).destroys, 1) << k.what;
    EXPECT_EQ(c_memory_store_get_counts(s).puts, 0) << k.what << ": nothing written";
    c_memory_store_free(s);
  }
}

TEST(StoreVtable, LoaderAdd_RejectsNullArguments) {
  EXPECT_EQ(ouzel_store_loader_add(nullptr, "session", 7, "x", 1), OUZEL_EINVAL);
}

TEST(StoreVtable, SessionRecordOfAnotherClientId_IsClearedNotResumed) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  // "session" for client id "someone-else", expiry 0, and one of its messages.
  const std::string session = std::string("\x01\x00\x00\x00\x00", 5) + "someone-else";
  ASSERT_EQ(c_memory_store_set(s, "session", 7, session.data(), session.size()), OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK);
  EXPECT_EQ(c_memory_store_get_counts(s).clears, 1);
  EXPECT_EQ(Stat(a, OUZEL_STAT_QUEUED), 0);
  ouzel_client_free(a);
  o.reset();
  c_memory_store_free(s);
}

TEST(PersistenceOptions, ValuesOutOfRange_Einval_AndUnknownIdsInTheRange) {
  Options o = PersistentOptions();
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC, OUZEL_SYNC_INTERVAL),
            OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC, 3), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, 0),
            OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, 5), OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_MAX_BYTES, -1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_MAX_MESSAGES, -1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_FULL_POLICY, 2), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_FULL_POLICY,
                                  OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0),
            OUZEL_OK);
  EXPECT_EQ(ouzel_options_set_int(o.get(), 79, 0), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_string(o.get(), 149, "x", SIZE_MAX), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_DIR, 1), OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_SYNC, "1", SIZE_MAX),
            OUZEL_EINVAL);
  EXPECT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_DIR, "a\0b", 3), OUZEL_EINVAL);
}

TEST(PersistenceOptions, DirectoryAndApplicationStoreTogether_Einval) {
  c_memory_store* s = KeptStore();
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_store(o.get(), c_memory_store_vtable(), s), OUZEL_OK);
  ASSERT_EQ(
      ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_DIR, "/nonexistent/x", SIZE_MAX),
      OUZEL_OK);
  ouzel_client* c = nullptr;
  EXPECT_EQ(ouzel_client_new(&c, o.get()), OUZEL_EINVAL);
  EXPECT_NE(std::string(ouzel_last_error_message()).find("choose one"), std::string::npos);
  EXPECT_EQ(c_memory_store_get_counts(s).loads, 0);
  o.reset();
  c_memory_store_free(s);
}

TEST(PersistenceReport, InitChecksVersionAndArguments) {
  ouzel_persistence_report r;
  EXPECT_EQ(ouzel_persistence_report_init(&r, 2), OUZEL_EVERSION);
  EXPECT_EQ(ouzel_persistence_report_init(nullptr, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_EINVAL);
  ASSERT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
  EXPECT_EQ(ouzel_client_persistence_report(nullptr, &r), OUZEL_EINVAL);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, nullptr), OUZEL_OK);
  r.version = 9;
  EXPECT_EQ(ouzel_client_persistence_report(c, &r), OUZEL_EVERSION);
  ouzel_client_free(c);
}

}  // namespace
