// A real Mosquitto for the tests, started on free loopback ports with a generated configuration in
// a fresh temporary directory, and killed with its test. Every wait here is bounded.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Ouzel.Mqtt.Tests
{
    sealed class Mosquitto : IDisposable
    {
        static readonly string Binary = Environment.GetEnvironmentVariable("OUZEL_MOSQUITTO") ?? "/usr/sbin/mosquitto";

        readonly List<string> extra;
        readonly Dictionary<string, string> users;
        readonly bool persistence, websockets;
        readonly Certificates tls;
        readonly bool requireClientCertificate;
        Process process;

        public string Dir { get; private set; }
        public int Port { get; private set; }
        public int WsPort { get; private set; }
        public int TlsPort { get; private set; }
        public int WssPort { get; private set; }

        public string Uri
        {
            get { return "mqtt://127.0.0.1:" + Port; }
        }

        public Mosquitto(IEnumerable<string> extra = null, Dictionary<string, string> users = null,
                         bool persistence = false, bool websockets = false, Certificates tls = null,
                         bool requireClientCertificate = false)
        {
            this.extra = extra == null ? new List<string>() : new List<string>(extra);
            this.users = users ?? new Dictionary<string, string>();
            this.persistence = persistence;
            this.websockets = websockets;
            this.tls = tls;
            this.requireClientCertificate = requireClientCertificate;
            Dir = TempDir.Create("ouzel-cs-broker-");
            Start(true);
        }

        [DllImport("libc", EntryPoint = "geteuid")]
        static extern uint geteuid();
        [DllImport("libc", EntryPoint = "kill")]
        static extern int kill(int pid, int signal);

        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        string Config()
        {
            var lines = new List<string> { "listener " + Port + " 127.0.0.1", "socket_domain ipv4" };
            if (websockets) lines.AddRange(new[] { "listener " + WsPort + " 127.0.0.1", "protocol websockets", "socket_domain ipv4" });
            if (tls != null)
            {
                lines.AddRange(new[] { "listener " + TlsPort + " 127.0.0.1", "socket_domain ipv4",
                                       "cafile " + tls.Ca, "certfile " + tls.ServerCert, "keyfile " + tls.ServerKey });
                if (requireClientCertificate) lines.Add("require_certificate true");
                if (websockets)
                    lines.AddRange(new[] { "listener " + WssPort + " 127.0.0.1", "protocol websockets", "socket_domain ipv4",
                                           "cafile " + tls.Ca, "certfile " + tls.ServerCert, "keyfile " + tls.ServerKey });
            }
            if (users.Count > 0)
            {
                string pwfile = Path.Combine(Dir, "passwd");
                File.WriteAllText(pwfile, "");
                foreach (KeyValuePair<string, string> u in users)
                    Run("mosquitto_passwd", "-b " + pwfile + " " + u.Key + " " + u.Value);
                lines.Add("password_file " + pwfile);
                lines.Add("allow_anonymous false");
            }
            else
            {
                lines.Add("allow_anonymous true");
            }
            // Mosquitto drops QoS 1/2 messages beyond 1,000 queued for a slow subscriber by default;
            // the tests count every message, so the broker must not be the one losing them.
            lines.Add("max_queued_messages 0");
            if (persistence) lines.AddRange(new[] { "persistence true", "persistence_location " + Dir + "/", "autosave_interval 0" });
            if (geteuid() == 0) lines.Add("user root");
            lines.Add("log_dest file " + Path.Combine(Dir, "mosquitto.log"));
            lines.AddRange(new[] { "log_type error", "log_type warning", "log_type notice", "log_type information" });
            lines.AddRange(extra);
            return string.Join("\n", lines) + "\n";
        }

        static void Run(string file, string args)
        {
            using (Process p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false }))
            {
                if (!p.WaitForExit(10000)) throw new TimeoutException(file + " did not finish");
                if (p.ExitCode != 0) throw new InvalidOperationException(file + " failed: " + p.ExitCode);
            }
        }

        void Start(bool newPorts)
        {
            for (int attempt = 0; attempt < 5; ++attempt)
            {
                if (newPorts || attempt > 0)
                {
                    Port = FreePort();
                    WsPort = websockets ? FreePort() : 0;
                    TlsPort = tls != null ? FreePort() : 0;
                    WssPort = tls != null && websockets ? FreePort() : 0;
                }
                string conf = Path.Combine(Dir, "mosquitto.conf");
                File.WriteAllText(conf, Config());
                process = Process.Start(new ProcessStartInfo(Binary, "-c " + conf) { UseShellExecute = false });
                if (WaitReady()) return;
                KillProcess();
            }
            throw new InvalidOperationException("mosquitto did not start:\n" + Log());
        }

        bool WaitReady()
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            var ports = new List<int> { Port };
            foreach (int p in new[] { WsPort, TlsPort, WssPort })
                if (p != 0) ports.Add(p);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited) return false;
                bool all = true;
                foreach (int p in ports)
                {
                    try
                    {
                        using (var c = new TcpClient()) c.Connect(IPAddress.Loopback, p);
                    }
                    catch (SocketException)
                    {
                        all = false;
                        break;
                    }
                }
                if (all) return true;
                Thread.Sleep(50);
            }
            return false;
        }

        void KillProcess()
        {
            if (process == null) return;
            try
            {
                if (!process.HasExited) process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
            process = null;
        }

        // SIGTERM (mosquitto saves its persistence file), then SIGKILL if it lingers.
        public void Stop()
        {
            if (process == null) return;
            if (!process.HasExited) kill(process.Id, 15);
            if (!process.WaitForExit(5000)) process.Kill();
            process.WaitForExit(5000);
            process.Dispose();
            process = null;
        }

        // Stops and starts again on the same ports (retried while a port is still busy).
        public void Restart()
        {
            Stop();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                string conf = Path.Combine(Dir, "mosquitto.conf");
                process = Process.Start(new ProcessStartInfo(Binary, "-c " + conf) { UseShellExecute = false });
                if (WaitReady()) return;
                KillProcess();
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException("mosquitto did not restart:\n" + Log());
                Thread.Sleep(200);
            }
        }

        public string Log()
        {
            try
            {
                return File.ReadAllText(Path.Combine(Dir, "mosquitto.log"), Encoding.UTF8);
            }
            catch (IOException)
            {
                return "";
            }
        }

        public void Dispose()
        {
            KillProcess();
            TempDir.Remove(Dir);
        }
    }

    static class TempDir
    {
        // A fresh directory the broker (which may drop to the mosquitto user) can read.
        public static string Create(string prefix)
        {
            string dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(dir);
            Chmod(dir, "755");
            return dir;
        }

        public static void Chmod(string path, string mode)
        {
            using (Process p = Process.Start(new ProcessStartInfo("chmod", mode + " " + path) { UseShellExecute = false }))
                p.WaitForExit(5000);
        }

        public static void Remove(string dir)
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
