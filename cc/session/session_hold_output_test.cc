// Session: SessionOptions::hold_output_until_released — after CONNACK, PUBLISH and PUBREL packets
// (the offline queue, resends of a resumed session) wait for ReleaseHeldOutput, so that what the
// application sends when it learns of the connection (a re-subscribe) goes first, as paho-mqtt
// orders it.
#include <string>
#include <vector>

#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options(bool hold) {
  SessionOptions o;
  o.version = ProtocolVersion::kV311;
  o.client_id = "c1";
  o.keep_alive_seconds = 0;  // no PINGREQs in the way
  o.clean_start = false;     // a persistent session, so reconnects resume it
  o.queue_qos0_while_offline = true;
  o.hold_output_until_released = hold;
  return o;
}

PublishRequest Req(std::string topic, uint8_t qos) {
  return PublishRequest{std::move(topic), "x", qos, false, {}};
}

void Publish(BrokerDouble& b, PublishRequest r) {
  absl::StatusOr<MessageToken> t = b.session().Publish(std::move(r), b.now());
  EXPECT_TRUE(t.ok()) << t.status();
}

void Subscribe(BrokerDouble& b, std::string filter) {
  SubscribeRequest r;
  Subscription s;
  s.filter = std::move(filter);
  s.qos = 1;
  r.subscriptions.push_back(std::move(s));
  absl::StatusOr<uint16_t> id = b.session().Subscribe(std::move(r), b.now());
  EXPECT_TRUE(id.ok()) << id.status();
}

TEST(SessionHoldOutput, OfflineQueueWaitsForReleaseAndWhatCameMeanwhileGoesFirst) {
  BrokerDouble b(Options(/*hold=*/true));
  Publish(b, Req("queued/1", 1));
  Publish(b, Req("queued/0", 0));
  b.Connect();
  EXPECT_EQ(b.Read(), Lines{}) << "nothing may follow the CONNACK before the release";

  // The application's on_connect: a subscription, and a new message (behind the queue).
  Subscribe(b, "t/#");
  Publish(b, Req("new", 1));
  EXPECT_EQ(b.Read(), (Lines{"SUBSCRIBE 2 t/# q1"}));

  b.session().ReleaseHeldOutput(b.now());
  EXPECT_EQ(b.Read(),
            (Lines{"PUBLISH queued/1 q1 id=1", "PUBLISH queued/0 q0", "PUBLISH new q1 id=3"}));
  b.session().ReleaseHeldOutput(b.now());  // a second release changes nothing
  EXPECT_EQ(b.Read(), Lines{});
}

TEST(SessionHoldOutput, ResendsOfAResumedSessionWaitToo) {
  BrokerDouble b(Options(/*hold=*/true));
  b.Connect();
  b.session().ReleaseHeldOutput(b.now());
  Publish(b, Req("a", 1));
  Publish(b, Req("b", 2));
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1", "PUBLISH b q2 id=2"}));
  PubrecPacket rec;
  rec.packet_id = 2;
  b.Send(rec);
  EXPECT_EQ(b.Read(), (Lines{"PUBREL 2"}));
  b.Down();

  b.Connect(/*session_present=*/true);
  Subscribe(b, "again");
  EXPECT_EQ(b.Read(), (Lines{"SUBSCRIBE 3 again q1"}));
  b.session().ReleaseHeldOutput(b.now());
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH a q1 id=1 dup", "PUBREL 2"}));
}

TEST(SessionHoldOutput, ALostConnectionEndsTheHoldAndTheNextConnackStartsAnother) {
  BrokerDouble b(Options(/*hold=*/true));
  Publish(b, Req("q", 1));
  b.Connect();
  b.Down();  // never released
  b.Connect(/*session_present=*/true);
  EXPECT_EQ(b.Read(), Lines{});
  b.session().ReleaseHeldOutput(b.now());
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH q q1 id=1"}));
}

TEST(SessionHoldOutput, WithoutTheOptionTheQueueFollowsTheConnack) {
  BrokerDouble b(Options(/*hold=*/false));
  Publish(b, Req("queued", 1));
  b.Connect();
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH queued q1 id=1"}));
}

}  // namespace
}  // namespace ouzel
