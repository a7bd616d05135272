// The client's end of life and the collector: Dispose from inside a handler, Dispose with work in
// flight, use after Dispose, and GC.Collect() while messages and TLS handshakes flow.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class LifetimeTests : WithBroker
    {

        [Test, Timeout(60000)]
        public async Task DisposeInsideAHandler_ReturnsAtOnce_AndNoHandlerRunsAfterIt()
        {
            string topic = TestClients.UniqueTopic("dispose-in-handler");
            int handled = 0;
            long disposeMs = -1;
            MqttClient sub = null;
            sub = await TestClients.Connected(broker, beforeConnect: c => c.ApplicationMessageReceivedAsync += e =>
            {
                if (Interlocked.Increment(ref handled) == 1)
                {
                    var sw = Stopwatch.StartNew();
                    c.Dispose();
                    c.Dispose();
                    disposeMs = sw.ElapsedMilliseconds;
                }
                return Task.FromResult(0);
            });
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                await TestClients.Subscribe(sub, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                for (int i = 0; i < 20; ++i)
                    await Wait.For(pub.PublishStringAsync(topic, "m" + i, MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await Wait.Until(() => sub.Poller.HasEnded, "the poller thread to end after Dispose");
                await Task.Delay(200);
                Assert.That(Volatile.Read(ref handled), Is.EqualTo(1));
                Assert.That(disposeMs, Is.InRange(0, 500), "Dispose inside a handler must not wait");
                Assert.Throws<ObjectDisposedException>(() => sub.PublishStringAsync(topic, "after"));
                Assert.That(sub.IsConnected, Is.False);
            }
            finally
            {
                sub.Dispose();
                await TestClients.Close(pub);
            }
        }

        [Test, Timeout(60000)]
        public async Task Dispose_FailsPendingWork_WithObjectDisposed()
        {
            var c = new MqttClient(TestClients.Options(broker.Uri).Build());
            Task<MqttClientPublishResult> queued = c.PublishStringAsync("t/" + Guid.NewGuid().ToString("N"), "x", MqttQualityOfServiceLevel.AtLeastOnce);
            c.Dispose();
            Exception e = await ConnectTests.CatchAsync(queued);
            Assert.That(e, Is.InstanceOf<ObjectDisposedException>());
            Assert.Throws<ObjectDisposedException>(() => c.PublishStringAsync("t", "x"));
            Assert.Throws<ObjectDisposedException>(() => c.SubscribeAsync("t"));
            Exception connect = await ConnectTests.CatchAsync(c.ConnectAsync());
            Assert.That(connect, Is.InstanceOf<ObjectDisposedException>());
            await Wait.Until(() => c.Poller.HasEnded, "the poller to end");
        }

        [Test, Timeout(60000)]
        public async Task DisposeWithoutDisconnect_PublishesTheWill()
        {
            string will = TestClients.UniqueTopic("will");
            MqttClient watcher = await TestClients.Connected(broker);
            try
            {
                var inbox = new Inbox(watcher);
                await TestClients.Subscribe(watcher, will);
                MqttClient dying = await TestClients.Connected(broker, MqttProtocolVersion.V311,
                                                               b => b.WithWillTopic(will).WithWillPayload("gone").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
                dying.Dispose();
                List<MqttApplicationMessage> got = await inbox.WaitFor(1);
                Assert.That(got[0].ConvertPayloadToString(), Is.EqualTo("gone"));
            }
            finally
            {
                await TestClients.Close(watcher);
            }
        }

        [Test, Timeout(90000)]
        public void AProcessThatNeverDisposes_ExitsCleanly()
        {
            string output = Processes.Run(System.IO.Path.Combine(Processes.Bin, "ChildClient.exe"), "exit", broker.Uri);
            Assert.That(output, Is.StringContaining("leaving"));
        }

        [Test, Timeout(90000)]
        public async Task GcCollect_WhileMessagesFlow_LosesNothing()
        {
            const int n = 2000;
            string topic = TestClients.UniqueTopic("gc");
            MqttClient sub = await TestClients.Connected(broker, MqttProtocolVersion.V500);
            MqttClient pub = await TestClients.Connected(broker, MqttProtocolVersion.V500);
            var stop = new CancellationTokenSource();
            int collections = 0;
            Task collector = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref collections);
                    Thread.Sleep(1);
                }
            });
            try
            {
                var inbox = new Inbox(sub);
                await TestClients.Subscribe(sub, topic, MqttQualityOfServiceLevel.ExactlyOnce);
                var sent = new List<Task<MqttClientPublishResult>>();
                for (int i = 0; i < n; ++i)
                {
                    // Fresh garbage per message: builders, payloads, properties.
                    sent.Add(pub.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("gc-" + i)
                                                  .WithUserProperty("i", i.ToString())
                                                  .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)(1 + i % 2)).Build()));
                }
                await Wait.For(Task.WhenAll(sent), "every publish", TimeSpan.FromSeconds(60));
                List<MqttApplicationMessage> got = await inbox.WaitFor(n, TimeSpan.FromSeconds(60));
                // Every message once. Not their order: with QoS 1 and 2 mixed at this rate Mosquitto
                // 2.0.11 forwards some out of order even though they reach it in order (checked with
                // its log: packet ids arrive monotonic), so order is asserted by the unmixed tests.
                Assert.That(got.Select(m => m.ConvertPayloadToString()).OrderBy(s => s),
                            Is.EqualTo(Enumerable.Range(0, n).Select(i => "gc-" + i).OrderBy(s => s)));
                Assert.That(got.All(m => m.ConvertPayloadToString() == "gc-" + m.UserProperties.Single().Value), Is.True);
                Assert.That(Volatile.Read(ref collections), Is.GreaterThan(10), "the collector ran while messages flowed");
            }
            finally
            {
                stop.Cancel();
                await collector;
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public async Task ClientsLeftToTheCollector_WithoutDispose_KeepWorking()
        {
            // A client the application stopped referencing is still connected: its poller thread
            // holds it, as a socket left open would be. What must not happen is a crash in a
            // collection while the engine has work for it.
            string topic = TestClients.UniqueTopic("orphan");
            MqttClient watcher = await TestClients.Connected(broker);
            try
            {
                var inbox = new Inbox(watcher);
                await TestClients.Subscribe(watcher, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                Task<MqttClientPublishResult> t = await PublishFromAnOrphan(broker.Uri, topic);
                for (int i = 0; i < 5; ++i)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                await Wait.For(t, "the orphan's PUBACK");
                await inbox.WaitFor(1);
            }
            finally
            {
                await TestClients.Close(watcher);
            }
        }

        static async Task<Task<MqttClientPublishResult>> PublishFromAnOrphan(string uri, string topic)
        {
            MqttClient c = await TestClients.Connected(uri);
            return c.PublishStringAsync(topic, "orphan", MqttQualityOfServiceLevel.AtLeastOnce);
        }
    }
}
