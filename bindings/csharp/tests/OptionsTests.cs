// The options builder against the engine's setters: every option it has reaches the engine, and
// what the engine refuses comes back as an OuzelArgumentException naming the option and saying why.
using System;
using System.IO;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class OptionsTests
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
                    })
                    .Build();
                using (OptionsHandle h = NativeOptions.Create(o)) Assert.That(h.IsInvalid, Is.False);
            }
            finally
            {
                TempDir.Remove(dir);
            }
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
