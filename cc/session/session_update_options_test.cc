// Session::UpdateOptions and SessionOptions::reconnect_clean_start: what a CONNECT carries after
// the options of an existing session change (the paho-compatible binding reconfigures one
// session between connections instead of creating a new one).
#include <string>
#include <vector>

#include "cc/codec/packet_test_util.h"
#include "cc/session/broker_double.h"
#include "cc/session/session.h"
#include "gtest/gtest.h"

namespace ouzel {
namespace {

SessionOptions Options(ProtocolVersion v = ProtocolVersion::kV311) {
  SessionOptions o;
  o.version = v;
  o.client_id = "c1";
  return o;
}

TEST(SessionUpdateOptions, ReconnectCleanStartTrue_EveryConnectIsClean) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  o.reconnect_clean_start = true;
  BrokerDouble b(o);
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_TRUE(b.Connect().clean_start);
}

TEST(SessionUpdateOptions, ReconnectCleanStartFalse_OnlyTheFirstIsClean) {
  // paho's MQTT_CLEAN_START_FIRST_ONLY, even without a Session Expiry Interval.
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.reconnect_clean_start = false;
  BrokerDouble b(o);
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_FALSE(b.Connect().clean_start);
}

TEST(SessionUpdateOptions, WhileConnected_TakesEffectAtTheNextConnect) {
  BrokerDouble b(Options());
  ConnectPacket first = b.Connect();
  EXPECT_FALSE(first.username.has_value());
  SessionOptions o = Options();
  o.username = "alice";
  o.password = "secret";
  o.keep_alive_seconds = 7;
  o.will = Will{"w", "gone", 1, false, {}};
  ASSERT_TRUE(b.session().UpdateOptions(o, /*as_first_connection=*/false, b.now()).ok());
  b.Tick(absl::Seconds(8));  // the old keepalive (60 s) is still the one in force
  EXPECT_EQ(b.Read(), Lines{});
  b.Down();
  ConnectPacket second = b.Connect();
  EXPECT_EQ(second.username, "alice");
  EXPECT_EQ(second.password, "secret");
  EXPECT_EQ(second.keep_alive, 7);
  ASSERT_TRUE(second.will.has_value());
  EXPECT_EQ(second.will->topic, "w");
  b.Tick(absl::Seconds(8));
  EXPECT_EQ(b.Read(), Lines{"PINGREQ"});
}

TEST(SessionUpdateOptions, AsFirstConnection_UsesCleanStartAgain) {
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  BrokerDouble b(o);
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_FALSE(b.Connect(/*session_present=*/true).clean_start);  // resumed
  b.Down();
  ASSERT_TRUE(b.session().UpdateOptions(o, /*as_first_connection=*/true, b.now()).ok());
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  ASSERT_TRUE(b.session().UpdateOptions(o, /*as_first_connection=*/false, b.now()).ok());
  EXPECT_FALSE(b.Connect(/*session_present=*/true).clean_start);
}

TEST(SessionUpdateOptions, NewSessionExpiry_DecidesTheReconnectionsAfterIt) {
  BrokerDouble b(Options(ProtocolVersion::kV5));
  EXPECT_TRUE(b.Connect().clean_start);
  b.Down();
  EXPECT_TRUE(b.Connect().clean_start);  // no expiry: nothing to resume
  SessionOptions o = Options(ProtocolVersion::kV5);
  o.connect_properties.SetInt(PropertyId::kSessionExpiryInterval, 60);
  ASSERT_TRUE(b.session().UpdateOptions(o, false, b.now()).ok());
  b.Down();
  ConnectPacket c = b.Connect();
  EXPECT_TRUE(c.clean_start);  // the broker had no session for us when it was sent
  EXPECT_EQ(c.properties.GetInt(PropertyId::kSessionExpiryInterval), 60u);
  b.Down();
  EXPECT_FALSE(b.Connect(/*session_present=*/true).clean_start);
}

TEST(SessionUpdateOptions, WhatTheSessionIsBuiltOn_CannotChange) {
  BrokerDouble b(Options());
  SessionOptions o = Options();
  o.client_id = "other";
  EXPECT_EQ(b.session().UpdateOptions(o, false, b.now()).code(),
            absl::StatusCode::kInvalidArgument);
  o = Options(ProtocolVersion::kV5);
  EXPECT_EQ(b.session().UpdateOptions(o, false, b.now()).code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.manual_ack = true;
  EXPECT_EQ(b.session().UpdateOptions(o, false, b.now()).code(),
            absl::StatusCode::kInvalidArgument);
  o = Options();
  o.password = "p";  // a password without a user name is invalid before MQTT 5
  EXPECT_EQ(b.session().UpdateOptions(o, false, b.now()).code(),
            absl::StatusCode::kInvalidArgument);
  // Nothing changed.
  EXPECT_EQ(b.Connect().client_id, "c1");
}

TEST(SessionUpdateOptions, LargerInflightWindow_SendsWhatWaitedAtOnce) {
  SessionOptions o = Options();
  o.max_inflight = 1;
  BrokerDouble b(o);
  b.Connect();
  for (int i = 0; i < 3; ++i) {
    PublishRequest r;
    r.topic = "t";
    r.payload = std::to_string(i);
    r.qos = 1;
    ASSERT_TRUE(b.session().Publish(r, b.now()).ok());
  }
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=1"}));
  o.max_inflight = 3;
  ASSERT_TRUE(b.session().UpdateOptions(o, false, b.now()).ok());
  EXPECT_EQ(b.Read(), (Lines{"PUBLISH t q1 id=2", "PUBLISH t q1 id=3"}));
}

}  // namespace
}  // namespace ouzel
