// Runs dlopen_pubsub (a C99 program that dlopen()s libouzel.so and uses only the ouzel_get_api
// table) as a child process against a real Mosquitto this test starts, once per protocol version.
//
// Why a C++ wrapper rather than an sh_test around tests/fixtures:run_broker: the fixture already
// guarantees what a script would have to re-implement (free ports with retry, readiness of every
// listener, a broker that cannot outlive the test, the broker log on failure), the child runs
// under fixtures::RunCommand with a hard timeout and its output captured, and GoogleTest gives
// one named, separately reported case per protocol version.
//
// Usage (from BUILD.bazel): dlopen_pubsub_test <dlopen_pubsub binary> <libouzel.so>
#include <climits>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/fixture_util.h"
#include "tests/fixtures/mosquitto_fixture.h"

namespace {

using ouzel::fixtures::CommandOptions;
using ouzel::fixtures::CommandResult;
using ouzel::fixtures::MosquittoBroker;
using ouzel::fixtures::RunCommand;

std::string g_program;  // absolute paths, from argv
std::string g_library;

std::string Absolute(const char* path) {
  char buf[PATH_MAX];
  return realpath(path, buf) != nullptr ? std::string(buf) : std::string(path);
}

class DlopenPubSubTest : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    auto b = MosquittoBroker::Start({});
    ASSERT_TRUE(b.ok()) << b.status();
    broker_ = b->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }
  static MosquittoBroker* broker_;
};
MosquittoBroker* DlopenPubSubTest::broker_ = nullptr;

TEST_P(DlopenPubSubTest, PluginHost_PublishSubscribeQos1ThroughGetApiTable) {
  ASSERT_NE(broker_, nullptr);
  ASSERT_FALSE(g_program.empty());
  CommandOptions options;
  options.timeout = absl::Seconds(30);
  auto result = RunCommand(
      {g_program, g_library, std::to_string(broker_->port()), std::to_string(GetParam())}, options);
  ASSERT_TRUE(result.ok()) << result.status() << "\n" << broker_->Log();
  EXPECT_EQ(result->exit_code, 0) << result->output << "\n--- broker log ---\n" << broker_->Log();
  EXPECT_NE(result->output.find("ok: v" + std::to_string(GetParam())), std::string::npos)
      << result->output;
}

INSTANTIATE_TEST_SUITE_P(Versions, DlopenPubSubTest,
                         ::testing::Values(OUZEL_MQTT_V31, OUZEL_MQTT_V311, OUZEL_MQTT_V5),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "Level" + std::to_string(info.param);
                         });

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 3) {
    fprintf(stderr, "usage: %s <dlopen_pubsub> <libouzel.so>\n", argv[0]);
    return 2;
  }
  g_program = Absolute(argv[1]);
  g_library = Absolute(argv[2]);
  return RUN_ALL_TESTS();
}
