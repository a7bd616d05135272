// S01, S02, S15, S16, S17, S18: connecting, refusals and errors.
using System;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class ConnectScenarios : Scenario
    {
        [Test]
        public async Task S01_Connect311_CleanDisconnect()
        {
            await Run("S01", async () =>
            {
                string topic = Unique("scen/s01");
                int calls = 0;
                MqttClient c = await Connected(Options(Uri(), MqttProtocolVersion.V311).Build(), x =>
                    x.ApplicationMessageReceivedAsync += e =>
                    {
                        System.Threading.Interlocked.Increment(ref calls);
                        return Task.FromResult(0);
                    });
                Assert.That(c.IsConnected, Is.True);
                await Within(c.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce), "SUBACK");
                await Within(c.DisconnectAsync(), "the disconnect");
                Assert.That(c.IsConnected, Is.False);
                c.Dispose();
                MqttClient other = await Connected(Options(Uri()).Build());
                await Within(other.PublishStringAsync(topic, "after close", MqttQualityOfServiceLevel.AtLeastOnce), "PUBACK");
                await Close(other);
                await Task.Delay(300);
                Assert.That(calls, Is.EqualTo(0), "a handler ran after the client was closed");
            });
        }

        [Test]
        public async Task S02_ConnectV5_EmptyClientId_AssignedIdVisible()
        {
            await Run("S02", async () =>
            {
                var c = new MqttClient();
                try
                {
                    MqttClientConnectResult r = await Within(c.ConnectAsync(Options(Uri(), MqttProtocolVersion.V500, "").Build()), "CONNACK");
                    Assert.That(r.AssignedClientIdentifier, Is.Not.Null.And.Not.Empty);
                }
                finally
                {
                    await Close(c);
                }
            });
        }

        [Test]
        public async Task S15_InvalidTopic_ArgumentException_NothingSent()
        {
            await Run("S15", async () =>
            {
                MqttClient c = await Connected(Options(Uri()).Build());
                try
                {
                    long sent = c.GetStatistics().MessagesSent;
                    ArgumentException e = Assert.Throws<OuzelArgumentException>(() => c.PublishStringAsync("a/+/b", "x"));
                    Assert.That(e.Message, Is.StringContaining("+"));
                    Assert.That(c.GetStatistics().MessagesSent, Is.EqualTo(sent));
                    Assert.That(c.IsConnected, Is.True);
                }
                finally
                {
                    await Close(c);
                }
            });
        }

        [Test]
        public async Task S16_MessageTooLarge_FailsBeforeSending()
        {
            await Run("S16", async () =>
            {
                int max = int.Parse(Env("MAX_PACKET_SIZE"));
                MqttClient c = await Connected(Options(Uri("LIMIT"), MqttProtocolVersion.V500).Build());
                try
                {
                    long sent = c.GetStatistics().MessagesSent;
                    var e = Assert.Throws<MqttPacketTooLargeException>(() =>
                        c.PublishBinaryAsync(Unique("scen/s16"), new byte[max + 1], MqttQualityOfServiceLevel.AtLeastOnce));
                    Assert.That(e.Error, Is.EqualTo(OuzelError.TooLarge));
                    Assert.That(c.GetStatistics().MessagesSent, Is.EqualTo(sent));
                }
                finally
                {
                    await Close(c);
                }
            });
        }

        [Test]
        public async Task S17_UseAfterClose_ClearError()
        {
            await Run("S17", async () =>
            {
                MqttClient c = await Connected(Options(Uri()).Build());
                await Within(c.DisconnectAsync(), "the disconnect");
                c.Dispose();
                var e = Assert.Throws<ObjectDisposedException>(() => c.PublishStringAsync("scen/s17", "x"));
                Assert.That(e.Message, Is.StringContaining("disposed"));
            });
        }

        [Test]
        public async Task S18_BadCredentials_ReasonCodeVisible()
        {
            await Run("S18", async () =>
            {
                foreach (MqttProtocolVersion v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
                {
                    var c = new MqttClient();
                    try
                    {
                        MqttClientOptions o = Options(Uri("AUTH"), v).WithCredentials(Env("AUTH_USER"), Env("AUTH_PASSWORD") + "-wrong").Build();
                        MqttConnectingFailedException e = null;
                        try
                        {
                            await Within(c.ConnectAsync(o), "the refusal");
                        }
                        catch (MqttConnectingFailedException refused)
                        {
                            e = refused;
                        }
                        Assert.That(e, Is.Not.Null, "connected with a wrong password (" + v + ")");
                        // 3.1.1 return code 5 and MQTT 5's 0x87 are both "not authorized";
                        // Mosquitto uses it for a wrong password.
                        Assert.That(e.ResultCode, Is.EqualTo(MqttClientConnectResultCode.NotAuthorized).Or.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
                        Assert.That(e.Message, Is.StringContaining("reason code 0x8"));
                    }
                    finally
                    {
                        c.Dispose();
                    }
                }
                MqttClient ok = await Connected(Options(Uri("AUTH")).WithCredentials(Env("AUTH_USER"), Env("AUTH_PASSWORD")).Build());
                await Close(ok);
            });
        }
    }
}
