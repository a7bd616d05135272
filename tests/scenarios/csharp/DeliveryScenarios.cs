// S05, S11, S20, S21: abrupt loss, manual acknowledgement, re-entrant handlers, durable sessions.
using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class DeliveryScenarios : Scenario
    {
        [Test]
        public async Task S05_WillOnAbruptLoss()
        {
            await Run("S05", async () =>
            {
                string will = Unique("scen/s05");
                MqttClient watcher = await Connected(Options(Uri()).Build());
                try
                {
                    var inbox = new Inbox(watcher);
                    await Within(watcher.SubscribeAsync(will, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    Kill(StartChild("will", Uri(), Unique("s05-child"), will));
                    await Until(() => inbox.Count == 1, "the Will");
                    Assert.That(inbox.Texts(), Is.EqualTo(new[] { "child lost" }));
                }
                finally
                {
                    await Close(watcher);
                }
            });
        }

        [Test]
        public async Task S11_ManualAck_UnacknowledgedRedelivered()
        {
            await Run("S11", async () =>
            {
                string topic = Unique("scen/s11"), id = Unique("s11");
                Func<MqttClientOptions> session = () => Options(Uri(), MqttProtocolVersion.V311, id).WithCleanSession(false).Build();
                MqttClient first = await Connected(session(), c => c.ApplicationMessageReceivedAsync += e =>
                {
                    e.AutoAcknowledge = false; // and never AcknowledgeAsync: no PUBACK leaves
                    return Task.FromResult(0);
                });
                MqttClient pub = await Connected(Options(Uri()).Build());
                MqttClient second = null;
                try
                {
                    var firstInbox = new Inbox(first);
                    await Within(first.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(pub.PublishStringAsync(topic, "ack me", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => firstInbox.Count == 1, "the first delivery");
                    first.Dispose(); // the connection ends with the message unacknowledged
                    Inbox again = null;
                    second = await Connected(session(), c => again = new Inbox(c));
                    await Until(() => again.Count == 1, "the second delivery");
                    Assert.That(again.Texts(), Is.EqualTo(new[] { "ack me" }));
                    Assert.That(again.Snapshot()[0].Message.Dup, Is.True);
                }
                finally
                {
                    first.Dispose();
                    await Close(second);
                    await Close(pub);
                }
            });
        }

        [Test]
        public async Task S20_ReentrantHandler_Echo()
        {
            await Run("S20", async () =>
            {
                string topic = Unique("scen/s20");
                MqttClient echo = await Connected(Options(Uri()).Build(), c => c.ApplicationMessageReceivedAsync += async e =>
                {
                    if (e.ApplicationMessage.Topic == topic + "/in")
                        await c.PublishStringAsync(topic + "/out", "echo: " + e.ApplicationMessage.ConvertPayloadToString(),
                                                   MqttQualityOfServiceLevel.AtLeastOnce);
                });
                try
                {
                    var inbox = new Inbox(echo);
                    await Within(echo.SubscribeAsync(topic + "/#", MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    for (int i = 0; i < 10; ++i)
                        await Within(echo.PublishStringAsync(topic + "/in", "m" + i, MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox.Snapshot().Count(r => r.Message.Topic.EndsWith("/out")) == 10, "10 echoes");
                    Assert.That(inbox.Snapshot().Where(r => r.Message.Topic.EndsWith("/out")).Select(r => r.Text),
                                Is.EqualTo(Enumerable.Range(0, 10).Select(i => "echo: m" + i)));
                }
                finally
                {
                    await Close(echo);
                }
            });
        }

        [Test]
        public async Task S21_DurableSession_SuccessorDelivers()
        {
            await Run("S21", async () =>
            {
                string topic = Unique("scen/s21"), id = Unique("s21");
                string dir = Path.Combine(Env("WORK"), Unique("s21-store"));
                MqttClient watcher = await Connected(Options(Uri()).Build());
                MqttClient successor = null;
                try
                {
                    var inbox = new Inbox(watcher);
                    await Within(watcher.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    Kill(StartChild("queue", Uri(), id, dir, topic, "20"));
                    successor = new MqttClient(new MqttClientOptionsBuilder().WithConnectionUri(Uri()).WithClientId(id)
                                                   .WithCleanSession(false).WithPersistence(dir).Build());
                    Assert.That(successor.GetPersistenceReport().OutgoingMessages, Is.EqualTo(20));
                    await Within(successor.ConnectAsync(), "CONNACK");
                    await Until(() => inbox.Count >= 20, "the 20 stored messages");
                    Assert.That(inbox.Texts(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => "durable-" + i)));
                }
                finally
                {
                    await Close(successor);
                    await Close(watcher);
                }
            });
        }
    }
}
