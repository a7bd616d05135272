// Publishing and subscribing through a real Mosquitto: every QoS in both protocol versions,
// payload fidelity, MQTT 5 properties, retained messages, unsubscribe, invalid input, offline
// publishing and cancellation.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class PublishSubscribeTests : WithBroker
    {

        static byte[] Payload(int i)
        {
            if (i % 10 == 0) return new byte[0];                // empty
            var b = new byte[1 + i % 50];                        // binary, with zero bytes
            for (int k = 0; k < b.Length; ++k) b[k] = (byte)((i * 31 + k * 7) % 256);
            b[0] = 0;
            return b;
        }

        [TestCase(MqttProtocolVersion.V311, 0), TestCase(MqttProtocolVersion.V311, 1), TestCase(MqttProtocolVersion.V311, 2)]
        [TestCase(MqttProtocolVersion.V500, 0), TestCase(MqttProtocolVersion.V500, 1), TestCase(MqttProtocolVersion.V500, 2)]
        [Timeout(60000)]
        public async Task HundredMessages_ArriveInOrder_ByteIdentical_AtTheQosSent(MqttProtocolVersion version, int qos)
        {
            const int n = 100;
            string topic = TestClients.UniqueTopic("qos" + qos);
            MqttClient sub = null, pub = null;
            try
            {
                sub = await TestClients.Connected(broker, version);
                var inbox = new Inbox(sub);
                await TestClients.Subscribe(sub, topic);
                pub = await TestClients.Connected(broker, version);
                var sent = new List<Task<MqttClientPublishResult>>();
                for (int i = 0; i < n; ++i)
                    sent.Add(pub.PublishBinaryAsync(topic, Payload(i), (MqttQualityOfServiceLevel)qos));
                MqttClientPublishResult[] results = await Wait.For(Task.WhenAll(sent), "every publish to complete");
                Assert.That(results.All(r => r.IsSuccess), Is.True);
                if (qos > 0) Assert.That(results.All(r => r.PacketIdentifier > 0), Is.True);
                List<MqttApplicationMessage> got = await inbox.WaitFor(n);
                Assert.That(got.Count, Is.EqualTo(n));
                for (int i = 0; i < n; ++i)
                {
                    Assert.That(got[i].Topic, Is.EqualTo(topic));
                    Assert.That(got[i].PayloadToArray(), Is.EqualTo(Payload(i)), "message " + i);
                    Assert.That((int)got[i].QualityOfServiceLevel, Is.EqualTo(qos));
                }
                Assert.That(pub.PendingCount, Is.EqualTo(0), "no wait left behind");
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public async Task V5Properties_RoundTrip_UserPropertiesInOrderWithRepeats()
        {
            string topic = TestClients.UniqueTopic("props");
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500);
            try
            {
                var inbox = new Inbox(c);
                await TestClients.Subscribe(c, topic);
                MqttApplicationMessage m = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithContentType("application/json").WithResponseTopic("replies/here")
                    .WithCorrelationData(new byte[] { 0, 1, 2, 0 }).WithMessageExpiryInterval(600)
                    .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                    .WithUserProperty("k", "1").WithUserProperty("other", "x").WithUserProperty("k", "2").Build();
                await Wait.For(c.PublishAsync(m), "PUBACK");
                MqttApplicationMessage got = (await inbox.WaitFor(1))[0];
                Assert.That(got.ContentType, Is.EqualTo("application/json"));
                Assert.That(got.ResponseTopic, Is.EqualTo("replies/here"));
                Assert.That(got.CorrelationData, Is.EqualTo(new byte[] { 0, 1, 2, 0 }));
                Assert.That(got.PayloadFormatIndicator, Is.EqualTo(MqttPayloadFormatIndicator.CharacterData));
                Assert.That(got.MessageExpiryInterval, Is.GreaterThan(0).And.LessThanOrEqualTo(600));
                Assert.That(got.UserProperties.Select(p => p.Name + "=" + p.Value), Is.EqualTo(new[] { "k=1", "other=x", "k=2" }));
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task Retained_ReachesALaterSubscriber_AndAnEmptyOneClearsIt()
        {
            string topic = TestClients.UniqueTopic("retained");
            MqttClient pub = await TestClients.Connected(broker);
            MqttClient late = null, later = null;
            try
            {
                await Wait.For(pub.PublishStringAsync(topic, "kept", MqttQualityOfServiceLevel.AtLeastOnce, true), "PUBACK");
                late = await TestClients.Connected(broker);
                var inbox = new Inbox(late);
                await TestClients.Subscribe(late, topic);
                MqttApplicationMessage got = (await inbox.WaitFor(1))[0];
                Assert.That(got.Retain, Is.True);
                Assert.That(got.ConvertPayloadToString(), Is.EqualTo("kept"));

                await Wait.For(pub.PublishBinaryAsync(topic, null, MqttQualityOfServiceLevel.AtLeastOnce, true), "PUBACK");
                later = await TestClients.Connected(broker);
                var inbox2 = new Inbox(later);
                await TestClients.Subscribe(later, topic);
                await Wait.For(later.PublishStringAsync(topic + "/probe", "x", MqttQualityOfServiceLevel.AtLeastOnce), "probe");
                await Task.Delay(300);
                Assert.That(inbox2.Count, Is.EqualTo(0), "the retained message was cleared");
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(late);
                await TestClients.Close(later);
            }
        }

        [Test, Timeout(60000)]
        public async Task AfterUnsuback_NothingArrives()
        {
            string topic = TestClients.UniqueTopic("unsub");
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500);
            try
            {
                var inbox = new Inbox(c);
                await TestClients.Subscribe(c, topic);
                await Wait.For(c.PublishStringAsync(topic, "before", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await inbox.WaitFor(1);
                MqttClientUnsubscribeResult r = await Wait.For(c.UnsubscribeAsync(topic), "UNSUBACK");
                Assert.That(r.Items.Single().ResultCode, Is.EqualTo(MqttClientUnsubscribeResultCode.Success));
                await Wait.For(c.PublishStringAsync(topic, "after", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                // A message on a topic still subscribed marks the point after which "after" would have arrived.
                string marker = TestClients.UniqueTopic("marker");
                await TestClients.Subscribe(c, marker);
                await Wait.For(c.PublishStringAsync(marker, "m", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                List<MqttApplicationMessage> got = await inbox.WaitFor(2);
                Assert.That(got.Select(m => m.ConvertPayloadToString()), Is.EqualTo(new[] { "before", "m" }));
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task InvalidTopic_ThrowsArgumentException_AndSendsNothing()
        {
            MqttClient c = await TestClients.Connected(broker);
            try
            {
                long before = c.GetStatistics().MessagesSent;
                var e = Assert.Throws<OuzelArgumentException>(() => c.PublishStringAsync("a/+/b", "x"));
                Assert.That(e, Is.InstanceOf<ArgumentException>());
                Assert.That(e.Detail, Is.StringContaining("+"));
                Assert.Throws<OuzelArgumentException>(() => c.SubscribeAsync("a/#/b"));
                Assert.That(c.GetStatistics().MessagesSent, Is.EqualTo(before));
                Assert.That(c.IsConnected, Is.True);
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task SubscribeResult_HasOneCodePerFilter()
        {
            MqttClient c = await TestClients.Connected(broker, MqttProtocolVersion.V500);
            try
            {
                MqttClientSubscribeOptions o = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter("a/" + Guid.NewGuid().ToString("N"), MqttQualityOfServiceLevel.AtMostOnce)
                    .WithTopicFilter("b/+/c", MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter("d/#", MqttQualityOfServiceLevel.ExactlyOnce, noLocal: true)
                    .WithSubscriptionIdentifier(12).WithUserProperty("why", "test").Build();
                MqttClientSubscribeResult r = await Wait.For(c.SubscribeAsync(o), "SUBACK");
                Assert.That(r.Items.Select(i => i.ResultCode), Is.EqualTo(new[]
                {
                    MqttClientSubscribeResultCode.GrantedQoS0, MqttClientSubscribeResultCode.GrantedQoS1,
                    MqttClientSubscribeResultCode.GrantedQoS2,
                }));
                Assert.That(r.Items[1].TopicFilter, Is.EqualTo("b/+/c"));
            }
            finally
            {
                await TestClients.Close(c);
            }
        }

        [Test, Timeout(60000)]
        public async Task PublishedBeforeConnecting_ArrivesOnceConnected()
        {
            string topic = TestClients.UniqueTopic("offline");
            MqttClient sub = await TestClients.Connected(broker);
            var pub = new MqttClient(TestClients.Options(broker.Uri).Build());
            try
            {
                var inbox = new Inbox(sub);
                await TestClients.Subscribe(sub, topic);
                var sent = Enumerable.Range(0, 10).Select(i => pub.PublishStringAsync(topic, "m" + i, MqttQualityOfServiceLevel.AtLeastOnce)).ToList();
                await Task.Delay(100);
                Assert.That(sent.Any(t => t.IsCompleted), Is.False, "nothing completes while offline");
                await Wait.For(pub.ConnectAsync(), "CONNACK");
                await Wait.For(Task.WhenAll(sent), "the queued publishes");
                List<MqttApplicationMessage> got = await inbox.WaitFor(10);
                Assert.That(got.Select(m => m.ConvertPayloadToString()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => "m" + i)));
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public void QoS0WhileOffline_IsRefused_UnlessQueuedByOption()
        {
            using (var c = new MqttClient(TestClients.Options(broker.Uri).Build()))
            {
                Assert.Throws<MqttClientNotConnectedException>(() => c.PublishStringAsync("t/x", "x"));
            }
            using (var c = new MqttClient(TestClients.Options(broker.Uri).WithQueueQos0WhileOffline().Build()))
            {
                Task t = c.PublishStringAsync("t/x", "x");
                Assert.That(t.IsFaulted, Is.False);
            }
        }

        [Test, Timeout(60000)]
        public void NeverConfigured_PublishThrowsNotConnected()
        {
            using (var c = new MqttClient())
                Assert.Throws<MqttClientNotConnectedException>(() => c.PublishStringAsync("t", "x"));
        }

        [Test, Timeout(60000)]
        public async Task CancellingAPublish_AbandonsTheWait_TheMessageStillGoes()
        {
            string topic = TestClients.UniqueTopic("cancel");
            MqttClient sub = await TestClients.Connected(broker);
            var pub = new MqttClient(TestClients.Options(broker.Uri).Build());
            try
            {
                var inbox = new Inbox(sub);
                await TestClients.Subscribe(sub, topic);
                using (var cts = new CancellationTokenSource())
                {
                    Task<MqttClientPublishResult> t = pub.PublishStringAsync(topic, "still sent", MqttQualityOfServiceLevel.AtLeastOnce,
                                                                             false, cts.Token);
                    cts.Cancel();
                    Exception e = await ConnectTests.CatchAsync(t);
                    Assert.That(e, Is.InstanceOf<OperationCanceledException>());
                }
                await Wait.For(pub.ConnectAsync(), "CONNACK");
                List<MqttApplicationMessage> got = await inbox.WaitFor(1);
                Assert.That(got[0].ConvertPayloadToString(), Is.EqualTo("still sent"));
                await Wait.Until(() => pub.PendingCount == 0, "the abandoned wait to be forgotten");
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }

        [Test, Timeout(60000)]
        public async Task ConcurrentPublishers_FourTasksTimesAThousand_AllAcknowledgedAndReceived()
        {
            const int tasks = 4, each = 1000;
            string topic = TestClients.UniqueTopic("concurrent");
            MqttClient sub = await TestClients.Connected(broker);
            MqttClient pub = await TestClients.Connected(broker);
            try
            {
                var inbox = new Inbox(sub);
                await TestClients.Subscribe(sub, topic + "/#", MqttQualityOfServiceLevel.AtLeastOnce);
                Task[] publishers = Enumerable.Range(0, tasks).Select(k => Task.Run(async () =>
                {
                    var mine = new List<Task<MqttClientPublishResult>>(each);
                    for (int i = 0; i < each; ++i)
                        mine.Add(pub.PublishStringAsync(topic + "/" + k, k + ":" + i, MqttQualityOfServiceLevel.AtLeastOnce));
                    MqttClientPublishResult[] r = await Task.WhenAll(mine);
                    if (!r.All(x => x.IsSuccess)) throw new InvalidOperationException("a publish was refused");
                })).ToArray();
                await Wait.For(Task.WhenAll(publishers), "4000 PUBACKs", TimeSpan.FromSeconds(40));
                List<MqttApplicationMessage> got = await inbox.WaitFor(tasks * each, TimeSpan.FromSeconds(40));
                Assert.That(got.Count, Is.EqualTo(tasks * each));
                // Per publisher, in order.
                for (int k = 0; k < tasks; ++k)
                {
                    string prefix = k + ":";
                    Assert.That(got.Select(m => m.ConvertPayloadToString()).Where(s => s.StartsWith(prefix)),
                                Is.EqualTo(Enumerable.Range(0, each).Select(i => prefix + i)));
                }
            }
            finally
            {
                await TestClients.Close(pub);
                await TestClients.Close(sub);
            }
        }
    }
}
