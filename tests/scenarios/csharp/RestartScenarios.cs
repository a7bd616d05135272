// S08: a broker restart in the middle of a QoS 1 / QoS 2 stream loses nothing.
//
// Both clients keep their session and reconnect on their own. The broker (persistence on) is
// stopped through broker-ctl while the subscriber is behind (its handler stalls at message 300, so
// the broker holds the rest of the stream for it, some of it in flight) and while the publisher
// still has messages to send; the second half is published while the broker is down; then the
// broker starts again. Mosquitto 2.0.11 itself re-sends, after a restart, QoS 2 messages whose
// PUBREL it had already sent (tests/scenarios/README.md, S08): such a second delivery is excused
// only when it came with DUP set, the packet id of the first delivery, and that id is among the
// ones `broker-ctl replayed` names; any other duplicate fails.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Scenarios
{
    [TestFixture]
    public class RestartScenarios : Scenario
    {
        const int PerQos = 1000;
        const int StallAt = 300;

        [Test]
        public async Task S08_BrokerRestartMidStream()
        {
            await Run("S08", async () =>
            {
                string topic = Unique("scen/s08"), subId = Unique("s08-sub");
                var stalled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var resume = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var received = new List<Received>();
                MqttClient sub = await Connected(Options(Uri("RESTART"), MqttProtocolVersion.V311, subId).WithCleanSession(false).Build(),
                    c => c.ApplicationMessageReceivedAsync += async e =>
                    {
                        int n;
                        lock (received)
                        {
                            received.Add(new Received { Message = e.ApplicationMessage, PacketIdentifier = e.PacketIdentifier });
                            n = received.Count;
                        }
                        if (n == StallAt)
                        {
                            stalled.TrySetResult(true);
                            await Task.WhenAny(resume.Task, Task.Delay(Timeout));
                        }
                    });
                MqttClient pub = await Connected(Options(Uri("RESTART"), MqttProtocolVersion.V311, Unique("s08-pub")).WithCleanSession(false).Build());
                int subConnects = 0, pubConnects = 0;
                sub.ConnectedAsync += e => { Interlocked.Increment(ref subConnects); return Task.FromResult(0); };
                pub.ConnectedAsync += e => { Interlocked.Increment(ref pubConnects); return Task.FromResult(0); };
                try
                {
                    await Within(sub.SubscribeAsync(topic, MqttQualityOfServiceLevel.ExactlyOnce), "SUBACK");
                    Func<int, Task<MqttClientPublishResult>> publish = i =>
                        pub.PublishStringAsync(topic, (1 + i % 2) + ":" + i, (MqttQualityOfServiceLevel)(1 + i % 2));
                    var sent = Enumerable.Range(0, PerQos).Select(publish).ToList();
                    await Within(stalled.Task, "the stream to get going (" + received.Count + " received)");
                    await Task.Run(() => BrokerCtl("stop"));
                    sent.AddRange(Enumerable.Range(PerQos, PerQos).Select(publish)); // queued while the broker is down
                    resume.TrySetResult(true);
                    await Task.Run(() => BrokerCtl("start"));

                    MqttClientPublishResult[] results = await Within(Task.WhenAll(sent), "every acknowledgement");
                    Assert.That(results.All(r => r.IsSuccess), Is.True);
                    Func<int> distinct = () => { lock (received) return received.Select(r => r.Text).Distinct().Count(); };
                    await Until(() => distinct() >= 2 * PerQos, "all " + 2 * PerQos + " messages (" + distinct() + ")");
                    await Task.Delay(300); // a late duplicate would arrive now
                    List<Received> got;
                    lock (received) got = new List<Received>(received);
                    Assert.That(got.All(r => (int)r.Message.QualityOfServiceLevel == r.Text[0] - '0'), Is.True, "a message changed QoS");
                    var replayed = new HashSet<int>(BrokerCtl("replayed", subId).Select(int.Parse));
                    var notExcused = got.Where(r => r.Text.StartsWith("2:")).GroupBy(r => r.Text)
                        .Where(g => g.Skip(1).Any(d => !(d.Message.Dup && d.PacketIdentifier == g.First().PacketIdentifier &&
                                                         replayed.Contains(d.PacketIdentifier))))
                        .Select(g => g.Key).ToList();
                    Assert.That(notExcused, Is.Empty, "QoS 2 messages delivered twice");
                    Assert.That(subConnects, Is.GreaterThanOrEqualTo(1), "the subscriber reconnected");
                    Assert.That(pubConnects, Is.GreaterThanOrEqualTo(1), "the publisher reconnected");
                }
                finally
                {
                    resume.TrySetResult(true);
                    await Close(pub);
                    await Close(sub);
                }
            });
        }
    }
}
