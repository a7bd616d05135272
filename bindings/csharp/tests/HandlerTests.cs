// The dispatcher: handlers run one at a time, in arrival order, on the thread pool; a handler
// may publish and await; a handler that throws leaves its message unacknowledged; back-pressure
// instead of loss when handlers are slow; per-filter handlers.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class HandlerTests : WithBroker
    {

        [Test, Timeout(60000)]
        public async Task Handlers_RunOneAtATime_InArrivalOrder_OnThreadPoolThreads()
        {
            const int n = 200;
            string topic = TestClients.UniqueTopic("order");
            int running = 0, maxRunning = 0;
            var seen = new List<int>();
            bool offPool = false;
            var random = new Random(7);
            MqttClient sub = await TestClients.Connected(broker, beforeConnect: c => c.ApplicationMessageReceivedAsync += async e =>
            {
                int now = Interlocked.Increment(ref running);
                lock (seen)
                {
                    maxRunning = Math.Max(maxRunning, now);
                    if (!Thread.CurrentThread.IsThreadPoolThread) offPool = true;
                }
                int delay;
                lock (random) delay = random.Next(3);
                if (delay > 0) await Task.Delay(delay);
                lock (seen) seen.Add(int.Parse(e.ApplicationMessage.ConvertPayloadToString()));
                Interlocked.Decrement(ref running);
            });
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                await TestClients.Subscribe(sub, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                await Wait.For(Task.WhenAll(Enumerable.Range(0, n).Select(i => pub.PublishStringAsync(topic, i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce))),
                               "PUBACKs");
                await Wait.Until(() => { lock (seen) return seen.Count == n; }, n + " handled messages");
                lock (seen)
                {
                    Assert.That(seen, Is.EqualTo(Enumerable.Range(0, n)));
                    Assert.That(maxRunning, Is.EqualTo(1));
                    Assert.That(offPool, Is.False, "a handler ran off the thread pool (on the poller or the engine's thread)");
                }
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public async Task AHandlerThatPublishesAndAwaits_DoesNotDeadlock()
        {
            const int n = 50;
            string topic = TestClients.UniqueTopic("echo");
            MqttClient echo = null, watcher = null;
            echo = await TestClients.Connected(broker, MqttProtocolVersion.V500, beforeConnect: c => c.ApplicationMessageReceivedAsync += async e =>
            {
                // Awaiting our own PUBACK and PUBCOMP inside the handler: they are completed by the
                // poller, which never waits for handlers.
                MqttClientPublishResult r1 = await c.PublishStringAsync(topic + "/out", e.ApplicationMessage.ConvertPayloadToString(),
                                                                        MqttQualityOfServiceLevel.AtLeastOnce);
                MqttClientPublishResult r2 = await c.PublishStringAsync(topic + "/out2", "x", MqttQualityOfServiceLevel.ExactlyOnce);
                if (!r1.IsSuccess || !r2.IsSuccess) throw new InvalidOperationException("refused");
            });
            try
            {
                await TestClients.Subscribe(echo, topic + "/in", MqttQualityOfServiceLevel.AtLeastOnce);
                watcher = await TestClients.Connected(broker);
                var inbox = new Inbox(watcher);
                await TestClients.Subscribe(watcher, topic + "/out", MqttQualityOfServiceLevel.AtLeastOnce);
                for (int i = 0; i < n; ++i)
                    await Wait.For(watcher.PublishStringAsync(topic + "/in", "e" + i, MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                List<MqttApplicationMessage> got = await inbox.WaitFor(n);
                Assert.That(got.Select(m => m.ConvertPayloadToString()), Is.EqualTo(Enumerable.Range(0, n).Select(i => "e" + i)));
            }
            finally
            {
                await TestClients.Close(watcher);
                await TestClients.Close(echo);
            }
        }

        [Test, Timeout(60000)]
        public async Task AThrowingHandler_IsReported_AndTheFlowGoesOn()
        {
            string topic = TestClients.UniqueTopic("throws");
            var failures = new List<MqttClientHandlerFailedEventArgs>();
            var handled = new List<string>();
            // Receive Maximum 1: the broker sends the second message only once the first is acknowledged.
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500, b => b.WithReceiveMaximum(1), x =>
            {
                x.ApplicationMessageReceivedAsync += e =>
                {
                    lock (handled) handled.Add(e.ApplicationMessage.ConvertPayloadToString());
                    if (e.ApplicationMessage.ConvertPayloadToString() == "poison") throw new InvalidOperationException("handler bug");
                    return Task.FromResult(0);
                };
                x.HandlerFailed += (s, e) => { lock (failures) failures.Add(e); };
            });
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                await TestClients.Subscribe(c, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                await Wait.For(pub.PublishStringAsync(topic, "poison", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await Wait.For(pub.PublishStringAsync(topic, "next", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await Wait.Until(() => { lock (handled) return handled.Count == 2; }, "the message after the failing one");
                lock (failures)
                {
                    Assert.That(failures.Count, Is.EqualTo(1));
                    Assert.That(failures[0].EventName, Is.EqualTo("ApplicationMessageReceivedAsync"));
                    Assert.That(failures[0].Exception.Message, Is.EqualTo("handler bug"));
                    Assert.That(failures[0].ApplicationMessage.ConvertPayloadToString(), Is.EqualTo("poison"));
                }
            }
            finally
            {
                await TestClients.Close(c);
                await TestClients.Close(pub);
            }
        }

        [Test, Timeout(60000)]
        public async Task AWithheldAcknowledgement_IsRedeliveredWhenTheSessionResumes()
        {
            string topic = TestClients.UniqueTopic("withheld");
            string id = TestClients.UniqueId("withheld");
            Action<MqttClientOptionsBuilder> session = b => b.WithClientId(id).WithCleanSession(false);
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V311, session, x =>
                x.ApplicationMessageReceivedAsync += e =>
                {
                    e.AutoAcknowledge = false; // at-least-once processing: acknowledge only after the work
                    throw new InvalidOperationException("the work failed");
                });
            MqttClient pub = await TestClients.Connected(broker);
            MqttClient again = null;
            try
            {
                var first = new Inbox(c);
                await TestClients.Subscribe(c, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                await Wait.For(pub.PublishStringAsync(topic, "retry me", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await first.WaitFor(1);
                c.Dispose(); // no DISCONNECT, session kept by the broker
                var inbox = default(Inbox);
                again = await TestClients.Connected(broker, MqttProtocolVersion.V311, session, x => inbox = new Inbox(x));
                List<MqttApplicationMessage> got = await inbox.WaitFor(1);
                Assert.That(got[0].ConvertPayloadToString(), Is.EqualTo("retry me"));
                Assert.That(got[0].Dup, Is.True, "sent again by the broker");
            }
            finally
            {
                c.Dispose();
                await TestClients.Close(again);
                await TestClients.Close(pub);
            }
        }

        [Test, Timeout(60000)]
        public async Task ManualAcknowledgement_AfterTheHandler_IsSent()
        {
            string topic = TestClients.UniqueTopic("manual");
            var later = new TaskCompletionSource<MqttApplicationMessageReceivedEventArgs>();
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500, b => b.WithReceiveMaximum(1), x =>
                x.ApplicationMessageReceivedAsync += e =>
                {
                    e.AutoAcknowledge = false;
                    later.TrySetResult(e);
                    return Task.FromResult(0);
                });
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                await TestClients.Subscribe(c, topic, MqttQualityOfServiceLevel.AtLeastOnce);
                await Wait.For(pub.PublishStringAsync(topic, "one", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await Wait.For(pub.PublishStringAsync(topic, "two", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                MqttApplicationMessageReceivedEventArgs first = await Wait.For(later.Task, "the first message");
                // Receive Maximum 1: the broker holds "two" until "one" is acknowledged.
                await Task.Delay(300);
                Assert.That(c.GetStatistics().MessagesReceived, Is.EqualTo(1));
                await first.AcknowledgeAsync();
                await Wait.Until(() => c.GetStatistics().MessagesReceived == 2, "the second message after the acknowledgement");
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(90000)]
        public async Task SlowHandlers_WithASmallPendingLimit_LoseNothing()
        {
            const int n = 300;
            string topic = TestClients.UniqueTopic("backpressure");
            var seen = new List<string>();
            MqttClient sub = await TestClients.Connected(broker, MqttProtocolVersion.V311, b => b.WithPendingMessagesLimit(5), x =>
                x.ApplicationMessageReceivedAsync += async e =>
                {
                    if (seen.Count % 50 == 0) await Task.Delay(20);
                    lock (seen) seen.Add(e.ApplicationMessage.ConvertPayloadToString());
                });
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                await TestClients.Subscribe(sub, topic, MqttQualityOfServiceLevel.AtMostOnce);
                for (int i = 0; i < n; ++i) pub.PublishStringAsync(topic, "q0-" + i).Wait();
                await TestClients.Subscribe(sub, topic + "/1", MqttQualityOfServiceLevel.AtLeastOnce);
                await Wait.For(Task.WhenAll(Enumerable.Range(0, n).Select(i => pub.PublishStringAsync(topic + "/1", "q1-" + i, MqttQualityOfServiceLevel.AtLeastOnce))),
                               "PUBACKs");
                await Wait.Until(() => { lock (seen) return seen.Count == 2 * n; }, 2 * n + " messages", TimeSpan.FromSeconds(60));
                lock (seen)
                {
                    Assert.That(seen.Take(n), Is.EqualTo(Enumerable.Range(0, n).Select(i => "q0-" + i)));
                    Assert.That(seen.Skip(n), Is.EqualTo(Enumerable.Range(0, n).Select(i => "q1-" + i)));
                }
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public async Task FilterHandlers_GetTheMessagesTheirFilterMatches_MostSpecificFirst()
        {
            string root = TestClients.UniqueTopic("filters");
            var calls = new List<string>();
            MqttClient c = await TestClients.Connected(broker);
            try
            {
                using (c.AddApplicationMessageHandler(root + "/#", e => Record(calls, "hash:" + e.ApplicationMessage.Topic.Substring(root.Length))))
                using (c.AddApplicationMessageHandler(root + "/+/temp", e => Record(calls, "plus:" + e.ApplicationMessage.Topic.Substring(root.Length))))
                {
                    IDisposable exact = c.AddApplicationMessageHandler(root + "/7/temp", e => Record(calls, "exact"));
                    await TestClients.Subscribe(c, root + "/#");
                    await Wait.For(c.PublishStringAsync(root + "/7/temp", "a", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Wait.Until(() => { lock (calls) return calls.Count == 3; }, "three handlers");
                    exact.Dispose();
                    await Wait.For(c.PublishStringAsync(root + "/8/humidity", "b", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Wait.Until(() => { lock (calls) return calls.Count == 4; }, "one handler");
                    lock (calls)
                        Assert.That(calls, Is.EqualTo(new[] { "exact", "plus:/7/temp", "hash:/7/temp", "hash:/8/humidity" }));
                }
                Assert.Throws<OuzelArgumentException>(() => c.AddApplicationMessageHandler("a/#/b", e => Task.FromResult(0)));
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        static Task Record(List<string> calls, string what)
        {
            lock (calls) calls.Add(what);
            return Task.FromResult(0);
        }
    }
}
