// Throwaway certificates made with the openssl command when a test run starts: a CA, a server
// certificate for 127.0.0.1/localhost, one for another name only, a client certificate, and a CA
// that signed nothing the broker uses.
using System;
using System.Diagnostics;
using System.IO;

namespace Ouzel.Mqtt.Tests
{
    sealed class Certificates : IDisposable
    {
        public string Dir { get; private set; }
        public string Ca { get { return P("ca.crt"); } }
        public string OtherCa { get { return P("other-ca.crt"); } }
        public string ServerCert { get { return P("server.crt"); } }
        public string ServerKey { get { return P("server.key"); } }
        public string WrongNameCert { get { return P("wrong-name.crt"); } }
        public string WrongNameKey { get { return P("wrong-name.key"); } }
        public string ClientCert { get { return P("client.crt"); } }
        public string ClientKey { get { return P("client.key"); } }

        string P(string name)
        {
            return Path.Combine(Dir, name);
        }

        public Certificates()
        {
            Dir = TempDir.Create("ouzel-cs-certs-");
            foreach (string ca in new[] { "ca", "other-ca" })
                OpenSsl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + ca + ".key -out " +
                        ca + ".crt -days 2 -subj /CN=Ouzel-test-" + ca);
            Issue("server", "localhost", "DNS:localhost,IP:127.0.0.1");
            Issue("wrong-name", "elsewhere.example", "DNS:elsewhere.example");
            Issue("client", "ouzel-client", "DNS:ouzel-client");
            foreach (string f in Directory.GetFiles(Dir)) TempDir.Chmod(f, "644");
        }

        void Issue(string name, string cn, string san)
        {
            OpenSsl("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name +
                    ".csr -subj /CN=" + cn);
            File.WriteAllText(P(name + ".ext"), "subjectAltName=" + san + "\n");
            OpenSsl("x509 -req -in " + name + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -out " + name +
                    ".crt -days 2 -sha256 -extfile " + name + ".ext");
        }

        void OpenSsl(string args)
        {
            var info = new ProcessStartInfo("openssl", args)
            {
                UseShellExecute = false,
                WorkingDirectory = Dir,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using (Process p = Process.Start(info))
            {
                string err = p.StandardError.ReadToEnd();
                p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(60000)) throw new TimeoutException("openssl " + args);
                if (p.ExitCode != 0) throw new InvalidOperationException("openssl " + args + " failed: " + err);
            }
        }

        public void Dispose()
        {
            TempDir.Remove(Dir);
        }
    }
}
