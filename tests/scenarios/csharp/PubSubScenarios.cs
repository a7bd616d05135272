// S03, S04, S06, S07, S19, S22: publishing and subscribing.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class PubSubScenarios : Scenario
    {
        static byte[] Payload(int i)
        {
            if (i == 0) return new byte[0];
            var b = new byte[1 + i % 40];
            for (int k = 0; k < b.Length; ++k) b[k] = (byte)(i * 7 + k * 13);
            b[b.Length / 2] = 0;
            return b;
        }

        [Test]
        public async Task S03_PublishSubscribe_EveryQos()
        {
            await Run("S03", async () =>
            {
                MqttClient sub = await Connected(Options(Uri()).Build());
                MqttClient pub = await Connected(Options(Uri()).Build());
                try
                {
                    var inbox = new Inbox(sub);
                    for (int qos = 0; qos <= 2; ++qos)
                    {
                        string topic = Unique("scen/s03/q" + qos);
                        await Within(sub.SubscribeAsync(topic, MqttQualityOfServiceLevel.ExactlyOnce), "SUBACK");
                        int before = inbox.Count;
                        var sent = new List<Task<MqttClientPublishResult>>();
                        for (int i = 0; i < 100; ++i) sent.Add(pub.PublishBinaryAsync(topic, Payload(i), (MqttQualityOfServiceLevel)qos));
                        await Within(Task.WhenAll(sent), "100 publishes at QoS " + qos);
                        await Until(() => inbox.Count >= before + 100, "100 messages at QoS " + qos);
                        List<Received> got = inbox.Snapshot().Skip(before).ToList();
                        Assert.That(got.Count, Is.EqualTo(100));
                        for (int i = 0; i < 100; ++i)
                        {
                            Assert.That(got[i].Message.PayloadToArray(), Is.EqualTo(Payload(i)), "QoS " + qos + " message " + i);
                            Assert.That((int)got[i].Message.QualityOfServiceLevel, Is.EqualTo(qos));
                        }
                    }
                }
                finally
                {
                    await Close(pub);
                    await Close(sub);
                }
            });
        }

        [Test]
        public async Task S04_Retained_LaterSubscriberGetsIt_EmptyClears()
        {
            await Run("S04", async () =>
            {
                string topic = Unique("scen/s04");
                MqttClient pub = await Connected(Options(Uri()).Build());
                MqttClient late = null, later = null;
                try
                {
                    await Within(pub.PublishStringAsync(topic, "kept", MqttQualityOfServiceLevel.AtLeastOnce, true), "PUBACK");
                    late = await Connected(Options(Uri()).Build());
                    var inbox = new Inbox(late);
                    await Within(late.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Until(() => inbox.Count == 1, "the retained message");
                    Assert.That(inbox.Snapshot()[0].Message.Retain, Is.True);
                    Assert.That(inbox.Snapshot()[0].Text, Is.EqualTo("kept"));
                    await Within(pub.PublishBinaryAsync(topic, null, MqttQualityOfServiceLevel.AtLeastOnce, true), "PUBACK");
                    later = await Connected(Options(Uri()).Build());
                    var inbox2 = new Inbox(later);
                    await Within(later.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(later.PublishStringAsync(topic, "live", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox2.Count >= 1, "the live message");
                    Assert.That(inbox2.Texts(), Is.EqualTo(new[] { "live" }), "the retained message was not cleared");
                }
                finally
                {
                    await Close(pub);
                    await Close(late);
                    await Close(later);
                }
            });
        }

        [Test]
        public async Task S06_Unsubscribe_NothingAfterUnsuback()
        {
            await Run("S06", async () =>
            {
                string topic = Unique("scen/s06"), marker = Unique("scen/s06-marker");
                MqttClient c = await Connected(Options(Uri()).Build());
                try
                {
                    var inbox = new Inbox(c);
                    await Within(c.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(c.SubscribeAsync(marker, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(c.PublishStringAsync(topic, "before", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox.Count == 1, "the message before UNSUBACK");
                    await Within(c.UnsubscribeAsync(topic), "UNSUBACK");
                    await Within(c.PublishStringAsync(topic, "after", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Within(c.PublishStringAsync(marker, "marker", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox.Count >= 2, "the marker");
                    Assert.That(inbox.Texts(), Is.EqualTo(new[] { "before", "marker" }));
                }
                finally
                {
                    await Close(c);
                }
            });
        }

        [Test]
        public async Task S07_PublishWhileOffline_ArrivesOnceConnected()
        {
            await Run("S07", async () =>
            {
                string topic = Unique("scen/s07");
                MqttClient sub = await Connected(Options(Uri()).Build());
                var pub = new MqttClient(Options(Uri()).Build()); // configured, not connected
                try
                {
                    var inbox = new Inbox(sub);
                    await Within(sub.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    var sent = Enumerable.Range(0, 20).Select(i => pub.PublishStringAsync(topic, "offline-" + i, MqttQualityOfServiceLevel.AtLeastOnce)).ToList();
                    Assert.That(sent.Any(t => t.IsCompleted), Is.False);
                    await Within(pub.ConnectAsync(), "CONNACK");
                    await Within(Task.WhenAll(sent), "the PUBACKs");
                    await Until(() => inbox.Count >= 20, "the 20 messages");
                    Assert.That(inbox.Texts(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => "offline-" + i)));
                }
                finally
                {
                    await Close(pub);
                    await Close(sub);
                }
            });
        }

        [Test]
        public async Task S19_ConcurrentPublishers()
        {
            await Run("S19", async () =>
            {
                string topic = Unique("scen/s19");
                MqttClient sub = await Connected(Options(Uri()).Build());
                MqttClient pub = await Connected(Options(Uri()).Build());
                try
                {
                    var inbox = new Inbox(sub);
                    await Within(sub.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    Task[] tasks = Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
                    {
                        var mine = new List<Task<MqttClientPublishResult>>();
                        for (int i = 0; i < 1000; ++i) mine.Add(pub.PublishStringAsync(topic, k + ":" + i, MqttQualityOfServiceLevel.AtLeastOnce));
                        foreach (MqttClientPublishResult r in await Task.WhenAll(mine))
                            if (!r.IsSuccess) throw new InvalidOperationException("refused: " + r.ReasonCode);
                    })).ToArray();
                    await Within(Task.WhenAll(tasks), "4,000 PUBACKs");
                    await Until(() => inbox.Count >= 4000, "4,000 messages (" + inbox.Count + ")");
                    Assert.That(new HashSet<string>(inbox.Texts()).Count, Is.EqualTo(4000));
                }
                finally
                {
                    await Close(pub);
                    await Close(sub);
                }
            });
        }

        [Test]
        public async Task S22_SharedSubscription_EachMessageToOne()
        {
            await Run("S22", async () =>
            {
                string topic = Unique("scen/s22"), group = Unique("g");
                MqttClient a = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build());
                MqttClient b = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build());
                MqttClient pub = await Connected(Options(Uri()).Build());
                try
                {
                    var inA = new Inbox(a);
                    var inB = new Inbox(b);
                    await Within(a.SubscribeAsync("$share/" + group + "/" + topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(b.SubscribeAsync("$share/" + group + "/" + topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    for (int i = 0; i < 100; ++i)
                        await Within(pub.PublishStringAsync(topic, "m" + i, MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inA.Count + inB.Count >= 100, "100 messages across the group");
                    await Task.Delay(200);
                    var all = inA.Texts().Concat(inB.Texts()).ToList();
                    Assert.That(all.Count, Is.EqualTo(100), "a message went to both or to none");
                    Assert.That(new HashSet<string>(all).SetEquals(Enumerable.Range(0, 100).Select(i => "m" + i)), Is.True);
                    Assert.That(inA.Count, Is.GreaterThan(0));
                    Assert.That(inB.Count, Is.GreaterThan(0));
                }
                finally
                {
                    await Close(pub);
                    await Close(a);
                    await Close(b);
                }
            });
        }
    }
}
