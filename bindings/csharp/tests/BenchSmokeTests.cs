// The benchmark harness keeps working: a few hundred messages through Ouzel.Mqtt.Bench.exe against
// a real broker (figures come from scripts/bench-csharp, never from a test).
using System;
using System.Diagnostics;
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
            string bin = Environment.GetEnvironmentVariable("OUZEL_CSHARP_BIN");
            Assume.That(bin, Is.Not.Null, "OUZEL_CSHARP_BIN not set");
            string exe = Path.Combine(bin, "Ouzel.Mqtt.Bench.exe");
            Assert.That(File.Exists(exe), Is.True, exe);
            using (var broker = new Mosquitto())
            {
                var info = new ProcessStartInfo("mono", exe + " " + broker.Uri + " 300 300 50 64")
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                info.EnvironmentVariables["OUZEL_LIBRARY"] = LibrarySetup.LibraryPath;
                using (Process p = Process.Start(info))
                {
                    var stdout = p.StandardOutput.ReadToEndAsync();
                    var stderr = p.StandardError.ReadToEndAsync();
                    if (!p.WaitForExit(60000))
                    {
                        p.Kill();
                        Assert.Fail("the benchmark did not finish in 60 s");
                    }
                    Assert.That(p.ExitCode, Is.EqualTo(0), stderr.Result);
                    string[] lines = stdout.Result.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
                    Assert.That(lines.Select(l => l.Split(' ')[1]), Is.EqualTo(new[] { "qos0", "qos1", "rtt" }));
                    Assert.That(lines.All(l => l.Split(' ').Length == 6), Is.True, stdout.Result);
                }
            }
        }
    }
}
