// The options builder against the engine's setters: every option it has reaches the engine, and
// what the engine refuses comes back as an OuzelArgumentException naming the option and saying why.
using System;
using System.IO;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public unsafe class OptionsTests
    {
        static MqttClientOptionsBuilder Base()
        {
            return new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", 1883);
        }

        [Test]
        public void EveryOption_IsAcceptedByTheEngine()
        {
            string dir = TempDir.Create("ouzel-cs-opts-");
            try
            {
                MqttClientOptions o = Base()
                    .WithAdditionalServer("mqtt://127.0.0.1:1884")
                    .WithClientId("every-option").WithCredentials("user", "secret")
                    .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanStart(false).WithReconnectCleanStart(true)
                    .WithSessionExpiryInterval(300).WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                    .WithTimeout(TimeSpan.FromSeconds(5)).WithHandshakeTimeout(TimeSpan.FromSeconds(4))
                    .WithPingTimeout(TimeSpan.FromSeconds(3)).WithNoDelay(false).WithLocalEndpoint("127.0.0.1", 0)
                    .WithAutoReconnect(true, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))
                    .WithFollowServerReference().WithMaxInflight(10)
                    .WithOutgoingQueueLimit(1000, 1 << 20, MqttQueueFullPolicy.DropOldestQos0)
                    .WithQueueQos0WhileOffline().WithLostSessionPolicy(MqttLostSessionPolicy.ResendAsNew)
                    .WithAutoTopicAlias().WithQos2Delivery(MqttQos2Delivery.OnPubrel).WithNumberedQos0Messages()
                    .WithPendingMessagesLimit(500, 1 << 20).WithLogLevel(MqttLogLevel.Warning)
                    .WithReceiveMaximum(100).WithMaximumPacketSize(1 << 20).WithTopicAliasMaximum(10)
                    .WithRequestProblemInformation().WithRequestResponseInformation()
                    .WithUserProperty("app", "tests").WithUserProperty("app", "again")
                    .WithWillTopic("wills/every").WithWillPayload("gone").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithWillRetain().WithWillDelayInterval(5).WithWillMessageExpiryInterval(60).WithWillContentType("text/plain")
                    .WithWillResponseTopic("wills/answer").WithWillCorrelationData(new byte[] { 1, 0, 2 })
                    .WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData).WithWillUserProperty("k", "v")
                    .WithWebSocketServer(w => w.WithRequestHeader("X-Test", "1").WithSubProtocol("mqtt").WithSizeLimits(4096, 1 << 20))
                    .WithConnectionUri("mqtt://127.0.0.1:1883")
                    .WithTlsOptions(t => t.WithSystemCertificates(false).WithHostnameVerification(true).WithTargetHost("localhost")
                                          .WithTlsVersions(MqttTlsVersion.Tls12, MqttTlsVersion.Tls13)
                                          .WithApplicationProtocols(new[] { "mqtt" }).WithCipherSuites("HIGH")
                                          .WithSessionResumption(false).WithCertificateValidationHandler(e => e.Preverified))
                    .WithProxy(MqttProxyType.Socks5, "127.0.0.1", 1080, "puser", "ppass", true).WithProxyFromEnvironment()
                    .WithPersistence(dir, p =>
                    {
                        p.Key = "every-option";
                        p.Sync = MqttPersistenceSync.Interval;
                        p.SyncInterval = TimeSpan.FromMilliseconds(50);
                        p.MaxBytes = 1 << 24;
                        p.MaxMessages = 10000;
                        p.FullPolicy = MqttPersistenceFullPolicy.DropOldestQos0;
                        p.CompactMinBytes = 1 << 20;
                    })
                    .Build();
                using (OptionsHandle h = NativeOptions.Create(o))
                {
                    // Read back from the engine: the values arrived where they belong.
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_EVENT_QUEUE), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PROTOCOL_VERSION), Is.EqualTo(Capi.OUZEL_MQTT_V5));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_CLEAN_START), Is.EqualTo(0));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_RECONNECT_CLEAN_START), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_KEEPALIVE_SECONDS), Is.EqualTo(30));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_CONNECT_TIMEOUT_MS), Is.EqualTo(5000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_HANDSHAKE_TIMEOUT_MS), Is.EqualTo(4000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PING_TIMEOUT_MS), Is.EqualTo(3000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_TCP_NODELAY), Is.EqualTo(0));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_RECONNECT_MIN_DELAY_MS), Is.EqualTo(200));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_RECONNECT_MAX_DELAY_MS), Is.EqualTo(2000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_FOLLOW_SERVER_REFERENCE), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_MAX_INFLIGHT), Is.EqualTo(10));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_MAX_QUEUED_MESSAGES), Is.EqualTo(1000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_MAX_QUEUED_BYTES), Is.EqualTo(1 << 20));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_QUEUE_FULL_POLICY), Is.EqualTo(Capi.OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_QUEUE_QOS0_OFFLINE), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_LOST_SESSION_POLICY), Is.EqualTo(Capi.OUZEL_LOST_SESSION_RESEND_AS_NEW));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_AUTO_TOPIC_ALIAS), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_QOS2_DELIVERY), Is.EqualTo(Capi.OUZEL_QOS2_DELIVERY_ON_PUBREL));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_NUMBER_QOS0_MESSAGES), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES), Is.EqualTo(500));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_EVENT_QUEUE_MAX_BYTES), Is.EqualTo(1 << 20));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL), Is.EqualTo(Capi.OUZEL_LOG_WARNING));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_TLS_USE_SYSTEM_CAS), Is.EqualTo(0));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_TLS_MIN_VERSION), Is.EqualTo(Capi.OUZEL_TLS_V1_2));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_TLS_MAX_VERSION), Is.EqualTo(Capi.OUZEL_TLS_V1_3));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_TLS_SESSION_RESUMPTION), Is.EqualTo(0));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_WS_MAX_FRAME_BYTES), Is.EqualTo(4096));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_WS_MAX_MESSAGE_BYTES), Is.EqualTo(1 << 20));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PROXY_TYPE), Is.EqualTo(Capi.OUZEL_PROXY_SOCKS5));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PROXY_PORT), Is.EqualTo(1080));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PROXY_FROM_ENVIRONMENT), Is.EqualTo(1));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PERSISTENCE_SYNC), Is.EqualTo(Capi.OUZEL_SYNC_INTERVAL));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS), Is.EqualTo(50));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PERSISTENCE_MAX_MESSAGES), Is.EqualTo(10000));
                    Assert.That(ReadInt(h, Capi.OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES), Is.EqualTo(1 << 20));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_SERVER_URI), Is.EqualTo("mqtt://127.0.0.1:1883"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_CLIENT_ID), Is.EqualTo("every-option"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_USERNAME), Is.EqualTo("user"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_TLS_SERVER_NAME), Is.EqualTo("localhost"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_TLS_ALPN), Is.EqualTo("mqtt"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_TLS_CIPHERS), Is.EqualTo("HIGH"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_WS_ADD_HEADER), Is.EqualTo("X-Test: 1"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_WS_SUBPROTOCOL), Is.EqualTo("mqtt"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_PROXY_HOST), Is.EqualTo("127.0.0.1"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_PROXY_USERNAME), Is.EqualTo("puser"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_BIND_ADDRESS), Is.EqualTo("127.0.0.1"));
                    Assert.That(ReadString(h, Capi.OUZEL_OPT_PERSISTENCE_KEY), Is.EqualTo("every-option"));
                }
            }
            finally
            {
                TempDir.Remove(dir);
            }
        }

        static unsafe long ReadInt(OptionsHandle h, int option)
        {
            long v;
            Assert.That(Capi.ouzel_options_get_int(h.DangerousGetHandle(), option, &v), Is.EqualTo(0), "option " + option);
            return v;
        }

        static unsafe string ReadString(OptionsHandle h, int option)
        {
            byte* p;
            UIntPtr n;
            Assert.That(Capi.ouzel_options_get_string(h.DangerousGetHandle(), option, &p, &n), Is.EqualTo(0), "option " + option);
            return Utf8.Decode(p, n);
        }

        [Test]
        public void OutOfRangeKeepAlive_IsRefused_NamingTheOption()
        {
            MqttClientOptions o = Base().WithKeepAlivePeriod(TimeSpan.FromSeconds(70000)).Build();
            var e = Assert.Throws<OuzelArgumentException>(() => NativeOptions.Create(o).Dispose());
            Assert.That(e.ParamName, Is.EqualTo("KeepAlivePeriod"));
            Assert.That(e.Error, Is.EqualTo(OuzelError.InvalidArgument));
        }

        [Test]
        public void WillTopicWithWildcard_IsRefused_WithTheEnginesReason()
        {
            MqttClientOptions o = Base().WithWillTopic("wills/+/x").Build();
            var e = Assert.Throws<OuzelArgumentException>(() => NativeOptions.Create(o).Dispose());
            Assert.That(e.Detail, Is.StringContaining("+"));
        }

        [Test]
        public void MissingCaFile_IsRefused_NamingTheFile()
        {
            MqttClientOptions o = Base().WithTlsOptions(t => t.WithCaFile("/nonexistent/ca.pem")).Build();
            var e = Assert.Throws<OuzelArgumentException>(() => NativeOptions.Create(o).Dispose());
            Assert.That(e.Detail, Is.StringContaining("/nonexistent/ca.pem"));
            Assert.That(e.ParamName, Is.EqualTo("CaFile"));
        }

        [Test]
        public void UseTls_TurnsPlainSchemesIntoTlsOnes()
        {
            // The engine keeps the URI; a TLS-only option check shows the scheme took effect:
            // building succeeds either way, so look at the list the builder produced instead.
            MqttClientOptions o = Base().WithTlsOptions(t => t.UseTls()).Build();
            Assert.That(o.ServerUris, Is.EqualTo(new[] { "mqtt://127.0.0.1:1883" }));
            using (OptionsHandle h = NativeOptions.Create(o)) Assert.That(h.IsInvalid, Is.False);
        }

        [Test]
        public void Build_WithoutServer_Throws()
        {
            Assert.Throws<InvalidOperationException>(() => new MqttClientOptionsBuilder().WithClientId("x").Build());
        }

        [Test]
        public void TcpServer_IPv6Literal_IsBracketed()
        {
            Assert.That(new MqttClientOptionsBuilder().WithTcpServer("::1", 1883).Build().ServerUris[0],
                        Is.EqualTo("mqtt://[::1]:1883"));
        }

        [Test]
        public void WebSocketServer_WithoutScheme_IsWs()
        {
            Assert.That(new MqttClientOptionsBuilder().WithWebSocketServer("localhost:8080/mqtt").Build().ServerUris[0],
                        Is.EqualTo("ws://localhost:8080/mqtt"));
        }
    }
}
