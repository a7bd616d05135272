#include "cc/persistence/store_test_util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace ouzel {

std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ = absl::StrCat(base != nullptr ? base : "/tmp", "/store-XXXXXX");
  char* made = mkdtemp(templ.data());
  EXPECT_NE(made, nullptr) << "mkdtemp " << templ;
  return templ;
}

void RemoveTree(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    if (DIR* d = opendir(path.c_str())) {
      while (dirent* e = readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        RemoveTree(absl::StrCat(path, "/", name));
      }
      closedir(d);
    }
    rmdir(path.c_str());
  } else {
    unlink(path.c_str());
  }
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void WriteFileBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

PublishPacket TestMessage(absl::string_view topic, uint8_t qos, uint16_t id) {
  PublishPacket p;
  p.topic = std::string(topic);
  p.payload = absl::StrCat("payload of ", topic);
  p.qos = qos;
  p.packet_id = qos > 0 ? id : 0;
  return p;
}

StoredOutgoing TestOutgoing(uint64_t token, uint8_t qos, uint16_t id, StoredOutgoing::Stage stage) {
  StoredOutgoing m;
  m.token = token;
  m.stage = stage;
  m.publish = TestMessage(absl::StrCat("t", token), qos, id);
  return m;
}

namespace {

std::string DescribeMessage(const PublishPacket& p) {
  std::string s =
      absl::StrCat("q", p.qos, " id=", p.packet_id, p.dup ? " dup" : "", p.retain ? " retain" : "",
                   " '", absl::CEscape(p.topic), "' '", absl::CEscape(p.payload), "'");
  for (const Property& prop : p.properties.items()) {
    absl::StrAppend(&s, " p", static_cast<int>(prop.id), "=", prop.int_value, "/",
                    absl::CEscape(prop.name), "/", absl::CEscape(prop.value));
  }
  return s;
}

const char* StageName(StoredOutgoing::Stage s) {
  switch (s) {
    case StoredOutgoing::Stage::kQueued:
      return "queued";
    case StoredOutgoing::Stage::kPublishSent:
      return "sent";
    case StoredOutgoing::Stage::kPubrelSent:
      return "pubrel";
  }
  return "?";
}

}  // namespace

std::string Describe(const StoredSession& s) {
  std::string out = absl::StrCat("client=", s.client_id, " expiry=", s.session_expiry_interval,
                                 " next=", s.next_token, " out=[");
  for (const StoredOutgoing& m : s.outgoing) {
    absl::StrAppend(&out, "#", m.token, " ", StageName(m.stage), " ", DescribeMessage(m.publish),
                    "; ");
  }
  absl::StrAppend(&out, "] in=[");
  for (uint16_t id : s.incoming_awaiting_pubrel) absl::StrAppend(&out, id, " ");
  for (const PublishPacket& p : s.incoming_held) {
    absl::StrAppend(&out, p.packet_id, "(held ", DescribeMessage(p), ") ");
  }
  absl::StrAppend(&out, "]");
  return out;
}

}  // namespace ouzel
