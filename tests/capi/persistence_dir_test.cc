// The file store through the C API (OUZEL_OPT_PERSISTENCE_DIR), without a broker: a session that
// outlives its client, the lock that keeps a second client (or process) off it, the recovery
// report for a torn log, limits, and errors for directories that cannot be used. The crash
// harnesses (tests/crash) cover the same store against a real broker and real kills.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"

namespace {

struct OptionsDeleter {
  void operator()(ouzel_options* o) const { ouzel_options_free(o); }
};
using Options = std::unique_ptr<ouzel_options, OptionsDeleter>;

class PersistenceDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string templ = std::string(tmp != nullptr ? tmp : "/tmp") + "/pdirXXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ + "/sessions";  // created by the store
  }

  Options PersistentOptions(const std::string& client_id = "pdir-client") {
    ouzel_options* o = nullptr;
    EXPECT_EQ(ouzel_options_new(&o), OUZEL_OK);
    EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, "mqtt://127.0.0.1:1", SIZE_MAX),
              OUZEL_OK);
    EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, client_id.c_str(), SIZE_MAX),
              OUZEL_OK);
    EXPECT_EQ(ouzel_options_set_int(o, OUZEL_OPT_CLEAN_START, 0), OUZEL_OK);
    EXPECT_EQ(ouzel_options_set_string(o, OUZEL_OPT_PERSISTENCE_DIR, dir_.c_str(), SIZE_MAX),
              OUZEL_OK);
    return Options(o);
  }

  ouzel_persistence_report Report(ouzel_client* c) {
    ouzel_persistence_report r;
    EXPECT_EQ(ouzel_persistence_report_init(&r, OUZEL_PERSISTENCE_REPORT_VERSION), OUZEL_OK);
    EXPECT_EQ(ouzel_client_persistence_report(c, &r), OUZEL_OK);
    return r;
  }

  // The session logs in the directory (lock files left out).
  std::vector<std::string> Logs() {
    std::vector<std::string> out;
    DIR* d = opendir(dir_.c_str());
    if (d == nullptr) return out;
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 14 && name.compare(name.size() - 14, 14, ".ouzel-session") == 0) {
        out.push_back(dir_ + "/" + name);
      }
    }
    closedir(d);
    return out;
  }

  std::string dir_;
};

int Publish(ouzel_client* c, int qos, const std::string& payload = "p") {
  return ouzel_client_publish(c, "t/x", SIZE_MAX, payload.data(), payload.size(), qos, 0, nullptr,
                              nullptr, nullptr);
}

int64_t Pending(ouzel_client* c) {
  int64_t q = 0, i = 0;
  ouzel_client_stat(c, OUZEL_STAT_QUEUED, &q);
  ouzel_client_stat(c, OUZEL_STAT_INFLIGHT, &i);
  return q + i;
}

TEST_F(PersistenceDirTest, SessionOutlivesTheClient_AndTheReportSaysWhatWasRestored) {
  Options o = PersistentOptions();
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
  ouzel_persistence_report r = Report(a);
  EXPECT_EQ(r.enabled, 1);
  EXPECT_EQ(r.created, 1) << r.summary;
  EXPECT_EQ(r.truncated, 0);
  EXPECT_NE(std::string(r.summary).find(dir_), std::string::npos) << r.summary;
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Publish(a, 1 + i % 2), OUZEL_OK);
  ouzel_client_free(a);
  ASSERT_EQ(Logs().size(), 1u);
  // The key names the session: client id and server URI appear in the file name.
  EXPECT_NE(Logs()[0].find("pdir-client"), std::string::npos) << Logs()[0];

  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK) << ouzel_last_error_message();
  r = Report(b);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.outgoing, 5u) << r.summary;
  EXPECT_GE(r.records, 6u);  // header + 5 messages
  EXPECT_EQ(Pending(b), 5);
  ouzel_client_free(b);
}

TEST_F(PersistenceDirTest, SecondClientOnTheSameSession_Ebusy_UntilTheFirstIsFreed) {
  Options o = PersistentOptions();
  ouzel_client* a = nullptr;
  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
  EXPECT_EQ(ouzel_client_new(&b, o.get()), OUZEL_EBUSY);
  const std::string why = ouzel_last_error_message();
  EXPECT_NE(why.find("in use"), std::string::npos) << why;
  EXPECT_NE(why.find(dir_), std::string::npos) << why;
  // Another client id is another session: no conflict.
  Options other = PersistentOptions("pdir-other");
  ASSERT_EQ(ouzel_client_new(&b, other.get()), OUZEL_OK) << ouzel_last_error_message();
  ouzel_client_free(b);
  ouzel_client_free(a);
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK) << ouzel_last_error_message();
  ouzel_client_free(b);
}

TEST_F(PersistenceDirTest, ExplicitKey_NamesTheSession) {
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_KEY, "my-key", SIZE_MAX),
            OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
  ouzel_client_free(a);
  ASSERT_EQ(Logs().size(), 1u);
  EXPECT_NE(Logs()[0].find("my-key"), std::string::npos) << Logs()[0];
}

TEST_F(PersistenceDirTest, TornTail_IsCutAndReported_ClientStillStarts) {
  Options o = PersistentOptions();
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
  ASSERT_EQ(Publish(a, 1, "first"), OUZEL_OK);
  ASSERT_EQ(Publish(a, 2, "second"), OUZEL_OK);
  ouzel_client_free(a);
  ASSERT_EQ(Logs().size(), 1u);
  // A write the process did not finish: a frame header promising more than there is.
  const int fd = open(Logs()[0].c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  const char torn[] = {0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00, 0x02, 'x'};
  ASSERT_EQ(write(fd, torn, sizeof(torn)), static_cast<ssize_t>(sizeof(torn)));
  close(fd);

  ouzel_client* b = nullptr;
  ASSERT_EQ(ouzel_client_new(&b, o.get()), OUZEL_OK) << ouzel_last_error_message();
  ouzel_persistence_report r = Report(b);
  EXPECT_EQ(r.truncated, 1) << r.summary;
  EXPECT_EQ(r.discarded_bytes, sizeof(torn)) << r.summary;
  EXPECT_NE(std::string(r.summary).find("discarded"), std::string::npos) << r.summary;
  EXPECT_EQ(r.outgoing, 2u) << "the good records before the torn one are kept";
  ouzel_client_free(b);
}

TEST_F(PersistenceDirTest, MaxMessages_PublishRefusedWithEqueuefull) {
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_MAX_MESSAGES, 3), OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Publish(a, 1), OUZEL_OK) << i;
  EXPECT_EQ(Publish(a, 1), OUZEL_EQUEUEFULL);
  EXPECT_NE(std::string(ouzel_last_error_message()).size(), 0u);
  EXPECT_EQ(Pending(a), 3) << "the refused message is not queued";
  ouzel_client_free(a);
}

TEST_F(PersistenceDirTest, UnusableDirectory_Estore) {
  // A regular file where the directory should be.
  const std::string file = dir_ + "-file";
  FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_DIR, file.c_str(), SIZE_MAX),
            OUZEL_OK);
  ouzel_client* a = nullptr;
  EXPECT_EQ(ouzel_client_new(&a, o.get()), OUZEL_ESTORE);
  EXPECT_EQ(a, nullptr);
  EXPECT_NE(std::string(ouzel_last_error_message()).find(file), std::string::npos)
      << ouzel_last_error_message();
}

TEST_F(PersistenceDirTest, EverySyncPolicy_Works) {
  for (int sync : {OUZEL_SYNC_EVERY_WRITE, OUZEL_SYNC_INTERVAL, OUZEL_SYNC_NEVER}) {
    Options o = PersistentOptions("pdir-sync-" + std::to_string(sync));
    ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC, sync), OUZEL_OK);
    ASSERT_EQ(ouzel_options_set_int(o.get(), OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, 5), OUZEL_OK);
    ouzel_client* a = nullptr;
    ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
    ASSERT_EQ(Publish(a, 2), OUZEL_OK);
    ouzel_client_free(a);
    ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK) << ouzel_last_error_message();
    EXPECT_EQ(Report(a).outgoing, 1u) << sync;
    ouzel_client_free(a);
  }
}

TEST_F(PersistenceDirTest, DisablingTheDirectory_NoStore) {
  Options o = PersistentOptions();
  ASSERT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_PERSISTENCE_DIR, nullptr, 0), OUZEL_OK);
  ouzel_client* a = nullptr;
  ASSERT_EQ(ouzel_client_new(&a, o.get()), OUZEL_OK);
  EXPECT_EQ(Report(a).enabled, 0);
  ouzel_client_free(a);
  EXPECT_TRUE(Logs().empty());
}

}  // namespace
