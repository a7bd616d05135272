// S09 TLS with a client certificate (and a wrong CA refused), S10 MQTT over WebSocket.
#include "gtest/gtest.h"
#include "scenario.h"

namespace scen {
namespace {

// Connects `opts`, subscribes, publishes one message to itself and checks it came back.
void RoundTrip(const Options& opts) {
  std::unique_ptr<TestClient> c = Client(opts.get());
  ASSERT_TRUE(c && ConnectAll({c.get()}));
  const std::string topic = Unique("scen/transport");
  ASSERT_TRUE(SubscribeAndWait(c.get(), topic, 1));
  const std::string secret("\0secret\xff", 8);
  ASSERT_EQ(PublishAndWait(c.get(), topic, secret, 1, 0), OUZEL_DELIVERY_ACKNOWLEDGED);
  ASSERT_TRUE(WaitFor([&] { return c->events().message_count() == 1; }));
  EXPECT_EQ(c->events().messages()[0].payload, secret);
}

Options TlsOptions(const std::string& ca) {
  Options o = BaseOptions(Port("TLS"), Unique("s09"), OUZEL_MQTT_V5);
  const std::string uri = Uri("mqtts", "TLS"), cert = Env("CLIENT_CERT"), key = Env("CLIENT_KEY");
  ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX), "uri");
  ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_CA_FILE, ca.c_str(), SIZE_MAX), "ca");
  ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_CERT_FILE, cert.c_str(), SIZE_MAX),
           "client certificate");
  ExpectOk(ouzel_options_set_string(o.get(), OUZEL_OPT_TLS_KEY_FILE, key.c_str(), SIZE_MAX),
           "client key");
  return o;
}

TEST(Transports, S09_TlsWithClientCertificateAndAWrongCaRefused) {
  RoundTrip(TlsOptions(Env("CA")));

  // Trusting a CA that did not sign the broker's certificate: the attempt fails with
  // OUZEL_ETLS, and the message says why.
  Options wrong = TlsOptions(Env("OTHER_CA"));
  ASSERT_EQ(ouzel_options_set_int(wrong.get(), OUZEL_OPT_RECONNECT, 0), OUZEL_OK);
  std::unique_ptr<TestClient> c = Client(wrong.get());
  ASSERT_TRUE(c);
  ASSERT_EQ(ouzel_client_connect(c->get()), OUZEL_OK);
  ASSERT_TRUE(WaitFor([&] { return c->events().connect_fail_count() == 1; }));
  const ouzel_it::ConnectFailRecord fail = c->events().connect_fails()[0];
  EXPECT_EQ(fail.error, OUZEL_ETLS) << ouzel_strerror(fail.error);
  EXPECT_NE(fail.message.find("certificate verification failed"), std::string::npos)
      << fail.message;
  EXPECT_NE(fail.message.find("not among the trusted CAs"), std::string::npos) << fail.message;
  EXPECT_EQ(c->events().connect_count(), 0);
}

TEST(Transports, S10_PublishAndSubscribeOverWebSocket) {
  Options o = BaseOptions(Port("WS"), Unique("s10"), OUZEL_MQTT_V5);
  const std::string uri = Uri("ws", "WS") + "/mqtt";
  ASSERT_EQ(ouzel_options_set_string(o.get(), OUZEL_OPT_SERVER_URI, uri.c_str(), SIZE_MAX),
            OUZEL_OK);
  RoundTrip(o);
}

}  // namespace
}  // namespace scen
