// Sessions that outlive a connection or a process: a broker restart mid-stream, a publisher
// process killed with messages only in its durable store, the Will of a killed process, and the
// broker's packet size limit.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class SessionTests
    {
        static Process StartChild(params string[] args)
        {
            return Processes.StartReady(Path.Combine(Processes.Bin, "ChildClient.exe"), args);
        }

        [Test, Timeout(120000)]
        public async Task BrokerRestartMidStream_EveryMessageAcknowledged_Qos2ExactlyOnce()
        {
            const int n = 300;
            using (var restartable = new Mosquitto(persistence: true))
            {
                string topic = TestClients.UniqueTopic("restart");
                string subId = TestClients.UniqueId("restart-sub"), pubId = TestClients.UniqueId("restart-pub");
                Action<MqttClientOptionsBuilder> keep = b => b.WithCleanSession(false);
                MqttClient sub = await TestClients.Connected(restartable.Uri, MqttProtocolVersion.V311, b => { keep(b); b.WithClientId(subId); });
                MqttClient pub = await TestClients.Connected(restartable.Uri, MqttProtocolVersion.V311, b => { keep(b); b.WithClientId(pubId); });
                int reconnects = 0;
                pub.ConnectedAsync += e =>
                {
                    Interlocked.Increment(ref reconnects);
                    return Task.FromResult(0);
                };
                try
                {
                    var inbox = new Inbox(sub);
                    await TestClients.Subscribe(sub, topic + "/#", MqttQualityOfServiceLevel.ExactlyOnce);
                    var sent = new List<Task<MqttClientPublishResult>>();
                    for (int i = 0; i < n; ++i)
                    {
                        sent.Add(pub.PublishStringAsync(topic + "/1", "a" + i, MqttQualityOfServiceLevel.AtLeastOnce));
                        sent.Add(pub.PublishStringAsync(topic + "/2", "b" + i, MqttQualityOfServiceLevel.ExactlyOnce));
                        if (i == n / 3) restartable.Restart();
                    }
                    MqttClientPublishResult[] results = await Wait.For(Task.WhenAll(sent), "every acknowledgement", TimeSpan.FromSeconds(60));
                    Assert.That(results.All(r => r.IsSuccess), Is.True);
                    Assert.That(Volatile.Read(ref reconnects), Is.GreaterThanOrEqualTo(1), "the publisher reconnected");
                    await Wait.Until(() => inbox.Snapshot().Select(m => m.ConvertPayloadToString()).Distinct().Count() == 2 * n,
                                     "every message at the subscriber", TimeSpan.FromSeconds(60));
                    List<MqttApplicationMessage> all = inbox.Snapshot();
                    List<string> got = all.Select(m => m.ConvertPayloadToString()).ToList();
                    // QoS 2 exactly once, except what Mosquitto 2.0.11 itself re-sends with DUP set
                    // after a restart for messages whose PUBREL it had sent (tests/scenarios/README.md,
                    // S08, which checks the packet ids against the broker's log).
                    var qos2 = all.Where(m => m.ConvertPayloadToString().StartsWith("b")).GroupBy(m => m.ConvertPayloadToString()).ToList();
                    Assert.That(qos2.Count, Is.EqualTo(n), "every QoS 2 message");
                    Assert.That(qos2.Where(g => g.Skip(1).Any(m => !m.Dup)).Select(g => g.Key), Is.Empty, "QoS 2 delivered twice");
                    Assert.That(new HashSet<string>(got.Where(s => s.StartsWith("a"))).Count, Is.EqualTo(n), "QoS 1 at least once");
                }
                finally
                {
                    await TestClients.Close(pub);
                    await TestClients.Close(sub);
                }
            }
        }

        [Test, Timeout(120000)]
        public async Task DurableSession_MessagesQueuedByAKilledProcess_AreDeliveredByItsSuccessor()
        {
            const int n = 50;
            using (var broker = new Mosquitto())
            {
                string dir = TempDir.Create("ouzel-cs-persist-");
                string id = TestClients.UniqueId("durable");
                string topic = TestClients.UniqueTopic("durable");
                MqttClient watcher = await TestClients.Connected(broker);
                MqttClient successor = null;
                try
                {
                    var inbox = new Inbox(watcher);
                    await TestClients.Subscribe(watcher, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                    Processes.Kill(StartChild("queue", broker.Uri, id, dir, topic, n.ToString()));

                    successor = new MqttClient(new MqttClientOptionsBuilder().WithConnectionUri(broker.Uri).WithClientId(id)
                                                   .WithCleanSession(false).WithPersistence(dir).Build());
                    MqttPersistenceReport report = successor.GetPersistenceReport();
                    Assert.That(report.Enabled, Is.True);
                    Assert.That(report.OutgoingMessages, Is.EqualTo(n), report.Summary);
                    await Wait.For(successor.ConnectAsync(), "CONNACK");
                    List<MqttApplicationMessage> got = await inbox.WaitFor(n);
                    Assert.That(got.Select(m => m.ConvertPayloadToString()), Is.EqualTo(Enumerable.Range(0, n).Select(i => "durable-" + i)));
                }
                finally
                {
                    await TestClients.Close(successor);
                    await TestClients.Close(watcher);
                    TempDir.Remove(dir);
                }
            }
        }

        [Test, Timeout(60000)]
        public void SessionStoreInUse_IsRefusedWithBusy()
        {
            string dir = TempDir.Create("ouzel-cs-persist-");
            try
            {
                MqttClientOptions o = new MqttClientOptionsBuilder().WithConnectionUri("mqtt://127.0.0.1:1").WithClientId("busy")
                    .WithCleanSession(false).WithPersistence(dir).Build();
                using (new MqttClient(o))
                {
                    var e = Assert.Throws<MqttClientBusyException>(() => new MqttClient(o));
                    Assert.That(e.Detail, Is.Not.Empty);
                }
            }
            finally
            {
                TempDir.Remove(dir);
            }
        }

        [Test, Timeout(60000)]
        public async Task AKilledProcess_LeavesItsWill()
        {
            using (var broker = new Mosquitto())
            {
                string will = TestClients.UniqueTopic("will");
                MqttClient watcher = await TestClients.Connected(broker);
                try
                {
                    var inbox = new Inbox(watcher);
                    await TestClients.Subscribe(watcher, will);
                    Processes.Kill(StartChild("will", broker.Uri, TestClients.UniqueId("will"), will));
                    List<MqttApplicationMessage> got = await inbox.WaitFor(1);
                    Assert.That(got[0].ConvertPayloadToString(), Is.EqualTo("child lost"));
                }
                finally
                {
                    await TestClients.Close(watcher);
                }
            }
        }

        [Test, Timeout(60000)]
        public async Task OverTheServersMaximumPacketSize_FailsBeforeSending()
        {
            using (var broker = new Mosquitto(new[] { "max_packet_size 1024" }))
            {
                MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500);
                try
                {
                    var e = Assert.Throws<MqttPacketTooLargeException>(() => c.PublishBinaryAsync("big", new byte[4096], MqttQualityOfServiceLevel.AtLeastOnce));
                    Assert.That(e.Error, Is.EqualTo(OuzelError.TooLarge));
                    Assert.That(c.IsConnected, Is.True);
                    await Wait.For(c.PublishBinaryAsync("small", new byte[100], MqttQualityOfServiceLevel.AtLeastOnce), "a small publish");
                }
                finally
                {
                    await TestClients.Close(c);
                }
            }
        }
    }
}
