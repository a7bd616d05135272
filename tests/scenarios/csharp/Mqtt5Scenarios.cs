// S12, S13, S14: MQTT 5 properties, request/response, topic aliases.
using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class Mqtt5Scenarios : Scenario
    {
        [Test]
        public async Task S12_UserProperties_OrderAndRepeats()
        {
            await Run("S12", async () =>
            {
                string topic = Unique("scen/s12");
                MqttClient c = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build());
                try
                {
                    var inbox = new Inbox(c);
                    await Within(c.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(c.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("p")
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithUserProperty("a", "1").WithUserProperty("b", "2").WithUserProperty("a", "3").WithUserProperty("c", "")
                        .Build()), "PUBACK");
                    await Until(() => inbox.Count == 1, "the message");
                    Assert.That(inbox.Snapshot()[0].Message.UserProperties.Select(p => p.Name + "=" + p.Value),
                                Is.EqualTo(new[] { "a=1", "b=2", "a=3", "c=" }));
                }
                finally
                {
                    await Close(c);
                }
            });
        }

        [Test]
        public async Task S13_RequestResponse()
        {
            await Run("S13", async () =>
            {
                string requests = Unique("scen/s13/req"), responses = Unique("scen/s13/resp");
                MqttClient responder = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build(), r =>
                    r.ApplicationMessageReceivedAsync += async e =>
                    {
                        await r.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(e.ApplicationMessage.ResponseTopic)
                            .WithPayload("re: " + e.ApplicationMessage.ConvertPayloadToString())
                            .WithCorrelationData(e.ApplicationMessage.CorrelationData)
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                    });
                MqttClient requester = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build());
                try
                {
                    await Within(responder.SubscribeAsync(requests, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    var inbox = new Inbox(requester);
                    await Within(requester.SubscribeAsync(responses, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    byte[] correlation = { 0, 1, 2, 0xFF, 0 };
                    await Within(requester.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(requests).WithPayload("ping")
                        .WithResponseTopic(responses).WithCorrelationData(correlation)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()), "PUBACK");
                    await Until(() => inbox.Count == 1, "the response");
                    MqttApplicationMessage answer = inbox.Snapshot()[0].Message;
                    Assert.That(answer.ConvertPayloadToString(), Is.EqualTo("re: ping"));
                    Assert.That(answer.CorrelationData, Is.EqualTo(correlation));
                }
                finally
                {
                    await Close(requester);
                    await Close(responder);
                }
            });
        }

        [Test]
        public async Task S14_AutomaticTopicAlias()
        {
            await Run("S14", async () =>
            {
                string topic = Unique("scen/s14/a-long-topic-name-worth-aliasing");
                MqttClient sub = await Connected(Options(Uri(), MqttProtocolVersion.V500).Build());
                MqttClient pub = await Connected(Options(Uri(), MqttProtocolVersion.V500).WithAutoTopicAlias().Build());
                try
                {
                    var inbox = new Inbox(sub);
                    await Within(sub.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    for (int i = 0; i < 100; ++i)
                        await Within(pub.PublishStringAsync(topic, "alias-" + i, MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox.Count >= 100, "100 messages");
                    Assert.That(inbox.Snapshot().All(r => r.Message.Topic == topic), Is.True);
                    Assert.That(inbox.Texts(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => "alias-" + i)));
                    // The wire was smaller than without aliases: fewer bytes than 100 full topics.
                    Assert.That(pub.GetStatistics().BytesSent, Is.LessThan(100 * (Encoding.UTF8.GetByteCount(topic) + 8)));
                }
                finally
                {
                    await Close(pub);
                    await Close(sub);
                }
            });
        }
    }
}
