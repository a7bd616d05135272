// TLS (certificates generated for the run) and WebSockets against Mosquitto's own listeners.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class TransportTests
    {
        Certificates certs;
        Mosquitto broker;     // TLS without client certificates, WebSocket, wss
        Mosquitto mtls;       // TLS requiring a client certificate

        [TestFixtureSetUp]
        public void Start()
        {
            certs = new Certificates();
            broker = new Mosquitto(websockets: true, tls: certs);
            mtls = new Mosquitto(tls: certs, requireClientCertificate: true);
        }

        [TestFixtureTearDown]
        public void Stop()
        {
            broker.Dispose();
            mtls.Dispose();
            certs.Dispose();
        }

        async Task RoundTrip(MqttClient c)
        {
            string topic = TestClients.UniqueTopic("transport");
            var inbox = new Inbox(c);
            await TestClients.Subscribe(c, topic);
            for (int qos = 0; qos <= 2; ++qos)
                await Wait.For(c.PublishStringAsync(topic, "q" + qos, (MqttQualityOfServiceLevel)qos), "publish at QoS " + qos);
            List<MqttApplicationMessage> got = await inbox.WaitFor(3);
            Assert.That(got.ConvertAll(m => m.ConvertPayloadToString()), Is.EqualTo(new[] { "q0", "q1", "q2" }));
        }

        [TestCase(MqttProtocolVersion.V311), TestCase(MqttProtocolVersion.V500), Timeout(60000)]
        public async Task Tls_WithTheCa_Connects(MqttProtocolVersion version)
        {
            MqttClient c = await TestClients.Connected("mqtts://127.0.0.1:" + broker.TlsPort, version,
                                                       b => b.WithTlsOptions(t => t.WithCaFile(certs.Ca)));
            try
            {
                await RoundTrip(c);
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task Tls_UseTlsOnATcpServer_ChangesTheScheme()
        {
            MqttClient c = await TestClients.Connected("mqtt://127.0.0.1:" + broker.TlsPort, MqttProtocolVersion.V311,
                                                       b => b.WithTlsOptions(t => t.UseTls().WithCaFile(certs.Ca)));
            await TestClients.Close(c);
        }

        [Test, Timeout(60000)]
        public async Task Tls_WrongCa_IsRefused_NamingTheCause()
        {
            var c = new MqttClient();
            try
            {
                MqttClientOptions o = TestClients.Options("mqtts://127.0.0.1:" + broker.TlsPort)
                    .WithTlsOptions(t => t.WithCaFile(certs.OtherCa)).Build();
                Exception e = await ConnectTests.CatchAsync(c.ConnectAsync(o));
                Assert.That(e, Is.InstanceOf<MqttTlsException>(), e.ToString());
                Assert.That(((MqttTlsException)e).Detail, Is.StringContaining("certificate").IgnoreCase);
            }
            finally
            {
                c.Dispose();
            }
        }

        [Test, Timeout(60000)]
        public async Task Tls_WrongHostName_IsRefused_UnlessNameChecksAreOff()
        {
            var c = new MqttClient();
            try
            {
                MqttClientOptions o = TestClients.Options("mqtts://127.0.0.1:" + broker.TlsPort)
                    .WithTlsOptions(t => t.WithCaFile(certs.Ca).WithTargetHost("elsewhere.example")).Build();
                Exception e = await ConnectTests.CatchAsync(c.ConnectAsync(o));
                Assert.That(e, Is.InstanceOf<MqttTlsException>(), e.ToString());
            }
            finally
            {
                c.Dispose();
            }
            MqttClient ok = await TestClients.Connected("mqtts://127.0.0.1:" + broker.TlsPort, MqttProtocolVersion.V311,
                                                        b => b.WithTlsOptions(t => t.WithCaFile(certs.Ca).WithTargetHost("elsewhere.example")
                                                                                   .WithHostnameVerification(false)));
            await TestClients.Close(ok);
        }

        [Test, Timeout(60000)]
        public async Task MutualTls_ClientCertificate_IsAccepted_AndItsAbsenceRefused()
        {
            MqttClient c = await TestClients.Connected("mqtts://127.0.0.1:" + mtls.TlsPort, MqttProtocolVersion.V500,
                                                       b => b.WithTlsOptions(t => t.WithCaFile(certs.Ca)
                                                                                  .WithClientCertificateFile(certs.ClientCert, certs.ClientKey)));
            try
            {
                await RoundTrip(c);
            }
            finally
            {
                await TestClients.Close(c);
            }
            var without = new MqttClient();
            try
            {
                Exception e = await ConnectTests.CatchAsync(without.ConnectAsync(
                    TestClients.Options("mqtts://127.0.0.1:" + mtls.TlsPort).WithTlsOptions(t => t.WithCaFile(certs.Ca)).Build()));
                Assert.That(e, Is.InstanceOf<MqttCommunicationException>(), e.ToString());
            }
            finally
            {
                without.Dispose();
            }
        }

        [Test, Timeout(90000)]
        public async Task CertificateValidationHandler_SeesTheChain_DecidesAndSurvivesCollections()
        {
            int calls = 0;
            var chains = new List<int>();
            Func<MqttClientCertificateValidationEventArgs, bool> pin = e =>
            {
                Interlocked.Increment(ref calls);
                lock (chains) chains.Add(e.Chain.Count);
                // The engine refuses (the only trusted CA is the wrong one); the handler accepts
                // this broker's certificate by its subject anyway.
                return !e.Preverified && e.Certificate != null && e.Certificate.Subject.Contains("localhost");
            };
            var c = new MqttClient();
            try
            {
                MqttClientOptions o = TestClients.Options("mqtts://127.0.0.1:" + broker.TlsPort)
                    .WithTlsOptions(t => t.WithCaFile(certs.OtherCa).WithCertificateValidationHandler(pin)
                                          .WithSessionResumption(false)).Build(); // a resumed session verifies nothing
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Wait.For(c.ConnectAsync(o), "CONNACK through the handler");
                // Reconnect a few times with collections in between: the engine calls the handler on
                // each handshake, long after the options object went out of the test's hands.
                for (int i = 0; i < 3; ++i)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var up = new TaskCompletionSource<bool>();
                    Func<MqttClientConnectedEventArgs, Task> h = e =>
                    {
                        up.TrySetResult(true);
                        return Task.FromResult(0);
                    };
                    c.ConnectedAsync += h;
                    c.Reconnect();
                    await Wait.For(up.Task, "reconnection " + i);
                    c.ConnectedAsync -= h;
                }
                Assert.That(Volatile.Read(ref calls), Is.GreaterThanOrEqualTo(4));
                lock (chains) Assert.That(chains, Has.All.GreaterThanOrEqualTo(1));
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task CertificateValidationHandler_ThatThrows_RejectsTheServer()
        {
            var c = new MqttClient();
            try
            {
                MqttClientOptions o = TestClients.Options("mqtts://127.0.0.1:" + broker.TlsPort)
                    .WithTlsOptions(t => t.WithCaFile(certs.Ca).WithCertificateValidationHandler(args => { throw new InvalidOperationException("no"); }))
                    .Build();
                Exception e = await ConnectTests.CatchAsync(c.ConnectAsync(o));
                Assert.That(e, Is.InstanceOf<MqttTlsException>(), e.ToString());
            }
            finally
            {
                c.Dispose();
            }
        }

        [TestCase(MqttProxyType.Http), TestCase(MqttProxyType.Socks5), Timeout(60000)]
        public async Task ThroughAProxy_PublishSubscribe(MqttProxyType kind)
        {
            Assume.That(Proxy.Available(kind), Is.True, kind + " proxy not installed (scripts/setup installs it)");
            // The proxy is really in the path: with none listening where it is said to be, no connection.
            var direct = new MqttClient();
            try
            {
                string dead = (kind == MqttProxyType.Http ? "http" : "socks5") + "://127.0.0.1:" + Mosquitto.FreePort();
                Exception e = await ConnectTests.CatchAsync(direct.ConnectAsync(TestClients.Options(broker.Uri).WithProxy(dead).Build()));
                Assert.That(e, Is.InstanceOf<MqttCommunicationException>(), e.ToString());
            }
            finally
            {
                direct.Dispose();
            }
            using (var proxy = new Proxy(kind))
            {
                string scheme = kind == MqttProxyType.Http ? "http" : "socks5h";
                MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500,
                                                           b => b.WithProxy(scheme + "://127.0.0.1:" + proxy.Port));
                try
                {
                    await RoundTrip(c);
                }
                finally
                {
                    await TestClients.Close(c);
                }
                // The same through the piece-by-piece form, over TLS.
                MqttClient tls = await TestClients.Connected("mqtts://localhost:" + broker.TlsPort, MqttProtocolVersion.V311,
                                                             b => b.WithProxy(kind, "127.0.0.1", proxy.Port)
                                                                   .WithTlsOptions(t => t.WithCaFile(certs.Ca)));
                try
                {
                    await RoundTrip(tls);
                }
                finally
                {
                    await TestClients.Close(tls);
                }
            }
        }

        [TestCase(MqttProtocolVersion.V311), TestCase(MqttProtocolVersion.V500), Timeout(60000)]
        public async Task WebSocket_PublishSubscribe(MqttProtocolVersion version)
        {
            MqttClient c = await TestClients.Connected("ws://127.0.0.1:" + broker.WsPort + "/mqtt", version);
            try
            {
                await RoundTrip(c);
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task SecureWebSocket_PublishSubscribe()
        {
            MqttClient c = await TestClients.Connected("wss://127.0.0.1:" + broker.WssPort + "/mqtt", MqttProtocolVersion.V500,
                                                       b => b.WithTlsOptions(t => t.WithCaFile(certs.Ca))
                                                             .WithWebSocketServer(w => w.WithRequestHeader("X-Ouzel", "test")));
            try
            {
                await RoundTrip(c);
            }
            finally
            {
                await TestClients.Close(c);
            }
        }
    }
}
