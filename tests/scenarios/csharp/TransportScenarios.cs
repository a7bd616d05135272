// S09, S10: TLS with a client certificate, WebSocket.
using System;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class TransportScenarios : Scenario
    {
        [Test]
        public async Task S09_TlsWithClientCertificate()
        {
            await Run("S09", async () =>
            {
                string topic = Unique("scen/s09");
                MqttClient c = await Connected(Options(Uri("TLS", "mqtts")).WithTlsOptions(t => t.WithCaFile(Env("CA"))
                    .WithClientCertificateFile(Env("CLIENT_CERT"), Env("CLIENT_KEY"))).Build());
                try
                {
                    var inbox = new Inbox(c);
                    await Within(c.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                    await Within(c.PublishStringAsync(topic, "over TLS", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                    await Until(() => inbox.Count == 1, "the message");
                }
                finally
                {
                    await Close(c);
                }
                var wrong = new MqttClient();
                try
                {
                    MqttTlsException e = null;
                    try
                    {
                        await Within(wrong.ConnectAsync(Options(Uri("TLS", "mqtts")).WithTlsOptions(t => t.WithCaFile(Env("OTHER_CA"))
                            .WithClientCertificateFile(Env("CLIENT_CERT"), Env("CLIENT_KEY"))).Build()), "the refusal");
                    }
                    catch (MqttTlsException tls)
                    {
                        e = tls;
                    }
                    Assert.That(e, Is.Not.Null, "connected although only the wrong CA is trusted");
                    Assert.That(e.Detail, Is.StringContaining("certificate").IgnoreCase, "the error names the cause");
                }
                finally
                {
                    wrong.Dispose();
                }
            });
        }

        [Test]
        public async Task S10_WebSocket()
        {
            await Run("S10", async () =>
            {
                string topic = Unique("scen/s10");
                MqttClient c = await Connected(Options("ws://" + Host + ":" + Env("WS_PORT") + "/mqtt").Build());
                try
                {
                    var inbox = new Inbox(c);
                    await Within(c.SubscribeAsync(topic, MqttQualityOfServiceLevel.ExactlyOnce), "SUBACK");
                    for (int qos = 0; qos <= 2; ++qos)
                        await Within(c.PublishStringAsync(topic, "ws" + qos, (MqttQualityOfServiceLevel)qos), "publish");
                    await Until(() => inbox.Count == 3, "3 messages");
                    Assert.That(inbox.Texts(), Is.EqualTo(new[] { "ws0", "ws1", "ws2" }));
                }
                finally
                {
                    await Close(c);
                }
            });
        }
    }
}
