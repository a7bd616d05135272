// Connecting and disconnecting against a real Mosquitto: both protocol versions, refusals, a
// missing broker, cancellation, and the events each produces.
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class ConnectTests
    {
        Mosquitto broker;
        Mosquitto authBroker;

        [TestFixtureSetUp]
        public void StartBrokers()
        {
            broker = new Mosquitto();
            authBroker = new Mosquitto(users: new Dictionary<string, string> { { "alice", "right" } });
        }

        [TestFixtureTearDown]
        public void StopBrokers()
        {
            broker.Dispose();
            authBroker.Dispose();
        }

        [TestCase(MqttProtocolVersion.V311), TestCase(MqttProtocolVersion.V500), Timeout(60000)]
        public async Task Connect_ThenDisconnect_RaisesEventsInOrder(MqttProtocolVersion version)
        {
            var events = new List<string>();
            var disconnected = new TaskCompletionSource<MqttClientDisconnectedEventArgs>();
            var client = new MqttClient();
            client.ConnectedAsync += e =>
            {
                lock (events) events.Add("connected:" + e.ConnectResult.ResultCode);
                return Task.FromResult(0);
            };
            client.DisconnectedAsync += e =>
            {
                lock (events) events.Add("disconnected:" + e.Error);
                disconnected.TrySetResult(e);
                return Task.FromResult(0);
            };
            try
            {
                MqttClientConnectResult r = await Wait.For(client.ConnectAsync(TestClients.Options(broker.Uri, version).Build()), "CONNACK");
                Assert.That(r.ResultCode, Is.EqualTo(MqttClientConnectResultCode.Success));
                Assert.That(r.IsSessionPresent, Is.False);
                Assert.That(client.IsConnected, Is.True);
                Assert.That(client.ConnectionState, Is.EqualTo(MqttClientConnectionState.Connected));
                await Wait.For(client.DisconnectAsync(), "disconnect");
                Assert.That(client.IsConnected, Is.False);
                Assert.That(client.ConnectionState, Is.EqualTo(MqttClientConnectionState.Disconnected));
                MqttClientDisconnectedEventArgs d = await Wait.For(disconnected.Task, "DisconnectedAsync");
                Assert.That(d.ClientWasConnected, Is.True);
                Assert.That(d.Exception, Is.Null);
                lock (events) Assert.That(events, Is.EqualTo(new[] { "connected:Success", "disconnected:Ok" }));
            }
            finally
            {
                client.Dispose();
            }
        }

        [Test, Timeout(60000)]
        public async Task ConnectV5_WithEmptyClientId_SeesTheAssignedOne()
        {
            var client = new MqttClient();
            try
            {
                MqttClientOptions o = TestClients.Options(broker.Uri, MqttProtocolVersion.V500, "").Build();
                MqttClientConnectResult r = await Wait.For(client.ConnectAsync(o), "CONNACK");
                Assert.That(r.AssignedClientIdentifier, Is.Not.Null.And.Not.Empty);
            }
            finally
            {
                await TestClients.Close(client);
            }
        }

        [Test, Timeout(60000)]
        public async Task WrongPassword_IsRefused_WithTheBrokersReasonCode()
        {
            var client = new MqttClient();
            var failed = new TaskCompletionSource<MqttClientDisconnectedEventArgs>();
            client.DisconnectedAsync += e =>
            {
                failed.TrySetResult(e);
                return Task.FromResult(0);
            };
            try
            {
                MqttClientOptions o = TestClients.Options(authBroker.Uri, MqttProtocolVersion.V500).WithCredentials("alice", "wrong").Build();
                Exception e = await CatchAsync(client.ConnectAsync(o));
                Assert.That(e, Is.InstanceOf<MqttConnectingFailedException>(), e.ToString());
                var refused = (MqttConnectingFailedException)e;
                // Mosquitto 2.0 answers a wrong password with 0x87 Not authorized.
                Assert.That(refused.ResultCode, Is.EqualTo(MqttClientConnectResultCode.NotAuthorized));
                Assert.That(refused.Error, Is.EqualTo(OuzelError.Refused));
                Assert.That(refused.Message, Is.StringContaining("0x87 Not authorized"));
                MqttClientDisconnectedEventArgs d = await Wait.For(failed.Task, "DisconnectedAsync for the refusal");
                Assert.That(d.ClientWasConnected, Is.False);
                Assert.That(d.ConnectResult.ResultCode, Is.EqualTo(MqttClientConnectResultCode.NotAuthorized));
                Assert.That(client.IsConnected, Is.False);
            }
            finally
            {
                client.Dispose();
            }
        }

        [Test, Timeout(60000)]
        public async Task RightPassword_V311_Connects()
        {
            MqttClient client = await TestClients.Connected(authBroker, MqttProtocolVersion.V311, b => b.WithCredentials("alice", "right"));
            await TestClients.Close(client);
        }

        [Test, Timeout(60000)]
        public async Task NoBroker_FailsWithACommunicationError_AndStopsTrying()
        {
            int port = Mosquitto.FreePort();
            var client = new MqttClient();
            int attempts = 0;
            client.DisconnectedAsync += e =>
            {
                Interlocked.Increment(ref attempts);
                return Task.FromResult(0);
            };
            try
            {
                Exception e = await CatchAsync(client.ConnectAsync(TestClients.Options("mqtt://127.0.0.1:" + port).Build()));
                Assert.That(e, Is.InstanceOf<MqttCommunicationException>(), e.ToString());
                Assert.That(((IOuzelException)e).Error, Is.EqualTo(OuzelError.Io));
                // Reconnection (100 ms back-off in these options) must not go on behind the failed ConnectAsync.
                await Task.Delay(1000);
                Assert.That(Volatile.Read(ref attempts), Is.EqualTo(1));
                Assert.That(client.ConnectionState, Is.EqualTo(MqttClientConnectionState.Disconnected));
            }
            finally
            {
                client.Dispose();
            }
        }

        [Test, Timeout(60000)]
        public async Task CancelledConnect_StopsTheAttempt()
        {
            // A listener that accepts and never answers CONNECT.
            var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            int port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var client = new MqttClient();
            try
            {
                using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
                {
                    Task<MqttClientConnectResult> t = client.ConnectAsync(TestClients.Options("mqtt://127.0.0.1:" + port).Build(), cts.Token);
                    Exception e = await CatchAsync(t);
                    Assert.That(e, Is.InstanceOf<OperationCanceledException>(), e.ToString());
                }
                using (TcpClient accepted = await Wait.For(silent.AcceptTcpClientAsync(), "the client's TCP connection"))
                {
                    accepted.ReceiveTimeout = 10000;
                    var buffer = new byte[4096];
                    // Read the CONNECT, then expect the client to close the connection (read returns 0).
                    NetworkStream s = accepted.GetStream();
                    int total = 0, n;
                    do
                    {
                        n = s.Read(buffer, 0, buffer.Length);
                        total += n;
                    } while (n > 0);
                    Assert.That(total, Is.GreaterThan(0), "CONNECT was sent");
                }
                Assert.That(client.IsConnected, Is.False);
            }
            finally
            {
                silent.Stop();
                client.Dispose();
            }
        }

        [Test, Timeout(60000)]
        public async Task ConnectTwice_WhileConnected_IsRefused()
        {
            MqttClient client = await TestClients.Connected(broker);
            try
            {
                Exception e = await CatchAsync(client.ConnectAsync(client.Options));
                Assert.That(e, Is.InstanceOf<InvalidOperationException>());
                Assert.That(client.IsConnected, Is.True);
            }
            finally
            {
                await TestClients.Close(client);
            }
        }

        [Test, Timeout(60000)]
        public async Task DisconnectWithoutConnection_CompletesAtOnce()
        {
            using (var client = new MqttClient())
                await Wait.For(client.DisconnectAsync(), "DisconnectAsync on a new client");
        }

        [Test, Timeout(60000)]
        public async Task EngineLog_ReachesLogMessageReceived_AtTheChosenLevel()
        {
            var lines = new List<MqttClientLogEventArgs>();
            MqttClient client = await TestClients.Connected(broker, MqttProtocolVersion.V311, b => b.WithLogLevel(MqttLogLevel.Debug),
                                                            c => c.LogMessageReceived += (s, e) => { lock (lines) lines.Add(e); });
            try
            {
                await Wait.Until(() => { lock (lines) return lines.Count > 0; }, "a log line");
                lock (lines) Assert.That(lines.TrueForAll(l => !string.IsNullOrEmpty(l.Message)), Is.True);
            }
            finally
            {
                await TestClients.Close(client);
            }
        }

        internal static async Task<Exception> CatchAsync(Task t)
        {
            try
            {
                await Wait.For(t, "the operation to fail");
            }
            catch (TimeoutException)
            {
                throw;
            }
            catch (Exception e)
            {
                return e;
            }
            Assert.Fail("expected an exception");
            return null;
        }
    }
}
