// The C API's on_message, like the C++ one, runs before the automatic PUBACK leaves: checked
// against the ScriptedFakeBroker test double, which records when each packet reaches it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/codec/packets.h"
#include "gtest/gtest.h"
#include "ouzel.h"
#include "tests/fixtures/fake_broker.h"

namespace {

using ouzel::fixtures::ScriptedFakeBroker;

// Were the PUBACK written before the callback, the fake's reader thread would record it within
// this bound; the test passes by waiting it out (no speed is asserted).
constexpr absl::Duration kAckWouldHaveArrived = absl::Milliseconds(300);

int PubacksFor(const ScriptedFakeBroker& fake, uint16_t id) {
  int n = 0;
  for (const ouzel::Packet& p : fake.packets(0)) {
    if (const auto* ack = std::get_if<ouzel::PubackPacket>(&p); ack && ack->packet_id == id) ++n;
  }
  return n;
}

struct State {
  ScriptedFakeBroker* fake;
  std::atomic<int> delivered{0};
  std::atomic<bool> puback_during_callback{false};
};

void OnMessage(ouzel_client*, const ouzel_message* msg, void* user_data) {
  State* s = static_cast<State*>(user_data);
  const uint16_t id = static_cast<uint16_t>(ouzel_message_mid(msg));
  absl::Time deadline = absl::Now() + kAckWouldHaveArrived;
  while (absl::Now() < deadline) {
    if (PubacksFor(*s->fake, id) > 0) {
      s->puback_during_callback = true;
      break;
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
  ++s->delivered;
}

TEST(CapiAckOrderTest, PubackLeavesOnlyAfterOnMessageReturns) {
  absl::StatusOr<std::unique_ptr<ScriptedFakeBroker>> fake = ScriptedFakeBroker::Create();
  ASSERT_TRUE(fake.ok()) << fake.status();
  ouzel::PublishPacket publish;
  publish.topic = "t";
  publish.payload = "one";
  publish.qos = 1;
  publish.packet_id = 7;
  (*fake)
      ->ExpectPacket(ouzel::PacketType::kConnect)
      .Send(ouzel::ConnackPacket{})
      .Send(publish)
      .ExpectPacket(
          ouzel::PacketType::kPuback,
          [](const ouzel::Packet& p) { return std::get<ouzel::PubackPacket>(p).packet_id == 7; })
      .ExpectPacket(ouzel::PacketType::kDisconnect)
      .WaitForClose();
  ASSERT_TRUE((*fake)->Start().ok());

  ouzel_options* o = nullptr;
  ASSERT_EQ(ouzel_options_new(&o), OUZEL_OK);
  std::string uri = absl::StrCat("mqtt://127.0.0.1:", (*fake)->port());
  ASSERT_EQ(ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, "capi-ack-order", SIZE_MAX), OUZEL_OK);
  ASSERT_EQ(ouzel_options_set_int(o, OUZEL_OPT_RECONNECT, 0), OUZEL_OK);
  ouzel_client* c = nullptr;
  ASSERT_EQ(ouzel_client_new(&c, o), OUZEL_OK);
  ouzel_options_free(o);
  State state;
  state.fake = fake->get();
  ASSERT_EQ(ouzel_client_set_on_message(c, OnMessage, &state, nullptr), OUZEL_OK);
  ASSERT_EQ(ouzel_client_connect(c), OUZEL_OK);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (PubacksFor(**fake, 7) == 0 && absl::Now() < deadline) ouzel_client_loop(c, 20);
  EXPECT_EQ(state.delivered.load(), 1) << (*fake)->Transcript();
  EXPECT_FALSE(state.puback_during_callback.load()) << "PUBACK before on_message returned";
  EXPECT_EQ(PubacksFor(**fake, 7), 1) << (*fake)->Transcript();
  // Automatic mode: the application may not ack.
  EXPECT_NE(ouzel_client_ack(c, 7), OUZEL_OK);
  ASSERT_EQ(ouzel_client_disconnect(c, 0, nullptr), OUZEL_OK);
  for (int i = 0; i < 100 && (*fake)->WaitForScript(absl::ZeroDuration()).code() ==
                                 absl::StatusCode::kDeadlineExceeded;
       ++i) {
    ouzel_client_loop(c, 20);
  }
  ouzel_client_free(c);
  EXPECT_TRUE((*fake)->Finish().ok()) << (*fake)->Transcript();
}

}  // namespace
