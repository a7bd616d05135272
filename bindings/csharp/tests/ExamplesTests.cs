// Every C# example runs against a real broker and succeeds. They find libouzel through
// $OUZEL_LIBRARY, the binding's default resolution.
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public class ExamplesTests
    {
        Certificates certs;
        Mosquitto broker;

        [TestFixtureSetUp]
        public void Start()
        {
            certs = new Certificates();
            broker = new Mosquitto(tls: certs);
        }

        [TestFixtureTearDown]
        public void Stop()
        {
            broker.Dispose();
            certs.Dispose();
        }

        static string Run(string example, params string[] args)
        {
            string bin = Environment.GetEnvironmentVariable("OUZEL_CSHARP_BIN");
            Assume.That(bin, Is.Not.Null, "OUZEL_CSHARP_BIN not set");
            string exe = Path.Combine(bin, "examples", example + ".exe");
            Assert.That(File.Exists(exe), Is.True, exe);
            var info = new ProcessStartInfo("mono", exe + " " + string.Join(" ", args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.EnvironmentVariables["OUZEL_LIBRARY"] = LibrarySetup.LibraryPath;
            using (Process p = Process.Start(info))
            {
                Task<string> stdout = p.StandardOutput.ReadToEndAsync();
                Task<string> stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(60000))
                {
                    p.Kill();
                    Assert.Fail(example + " did not finish in 60 s");
                }
                Assert.That(p.ExitCode, Is.EqualTo(0), example + " failed: " + stderr.Result + stdout.Result);
                return stdout.Result;
            }
        }

        [Test, Timeout(90000)]
        public void Quickstart()
        {
            string output = Run("Quickstart", broker.Uri);
            Assert.That(output, Is.StringContaining("received ouzel/quickstart/qos2 (QoS 2): hello at QoS 2"));
        }

        [Test, Timeout(90000)]
        public void RequestResponse()
        {
            string output = Run("RequestResponse", broker.Uri);
            Assert.That(output, Is.StringContaining("1 2 3 -> sum=6"));
            Assert.That(output, Is.StringContaining("40 2 -> sum=42"));
        }

        [Test, Timeout(90000)]
        public void DurableSession()
        {
            string dir = TempDir.Create("ouzel-cs-example-");
            try
            {
                string output = Run("DurableSession", broker.Uri, dir);
                Assert.That(output, Is.StringContaining("all acknowledged"));
            }
            finally
            {
                TempDir.Remove(dir);
            }
        }

        [Test, Timeout(90000)]
        public void TlsClient()
        {
            string output = Run("TlsClient", "mqtts://127.0.0.1:" + broker.TlsPort, certs.Ca);
            Assert.That(output, Is.StringContaining("(verified)"));
            Assert.That(output, Is.StringContaining("published over TLS: Success"));
        }
    }
}
