// The benchmark harness keeps working: a few hundred messages through Ouzel.Mqtt.Bench.exe against
// a real broker (figures come from scripts/bench-csharp, never from a test).
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class BenchSmokeTests
    {
        [Test, Timeout(90000)]
        public void Bench_RunsEveryMeasurement()
        {
            using (var broker = new Mosquitto())
            {
                string output = Processes.Run(Path.Combine(Processes.Bin, "Ouzel.Mqtt.Bench.exe"), broker.Uri, "300", "300", "50", "64");
                string[] lines = output.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
                Assert.That(lines.Select(l => l.Split(' ')[1]), Is.EqualTo(new[] { "qos0", "qos1", "rtt" }));
                Assert.That(lines.All(l => l.Split(' ').Length == 6), Is.True, output);
            }
        }
    }
}
