// Every C# example runs against a real broker and succeeds. They find libouzel through
// $OUZEL_LIBRARY, the binding's default resolution.
using System;
using System.IO;
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
            return Processes.Run(Path.Combine(Processes.Bin, "examples", example + ".exe"), args);
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
