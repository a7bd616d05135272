// Real proxies for the proxy tests: Debian's tinyproxy (HTTP CONNECT) and danted (SOCKS5, no
// authentication) on free loopback ports, killed with their test.
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Ouzel.Mqtt.Tests
{
    sealed class Proxy : IDisposable
    {
        readonly Process process;
        readonly string dir;

        public int Port { get; private set; }

        public Proxy(MqttProxyType kind)
        {
            dir = TempDir.Create("ouzel-cs-proxy-");
            Port = Mosquitto.FreePort();
            string conf = Path.Combine(dir, "proxy.conf");
            string user = Environment.UserName;
            ProcessStartInfo info;
            if (kind == MqttProxyType.Http)
            {
                File.WriteAllText(conf, "Port " + Port + "\nListen 127.0.0.1\nTimeout 600\nLogLevel Info\nMaxClients 64\nAllow 127.0.0.1\n");
                info = new ProcessStartInfo("/usr/bin/tinyproxy", "-d -c " + conf);
            }
            else
            {
                File.WriteAllText(conf, "logoutput: stderr\ninternal: 127.0.0.1 port = " + Port + "\nexternal: 127.0.0.1\n" +
                                        "socksmethod: none\nclientmethod: none\nuser.privileged: " + user +
                                        "\nuser.unprivileged: " + user + "\ntimeout.negotiate: 10\n" +
                                        "client pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }\n" +
                                        "socks pass { from: 127.0.0.1/32 to: 0.0.0.0/0 log: error }\n");
                info = new ProcessStartInfo("/usr/sbin/danted", "-f " + conf + " -N 1");
            }
            info.UseShellExecute = false;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            process = Process.Start(info);
            process.OutputDataReceived += (s, e) => { };
            process.ErrorDataReceived += (s, e) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using (var c = new TcpClient()) c.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    if (process.HasExited || DateTime.UtcNow > deadline)
                    {
                        Dispose();
                        throw new InvalidOperationException(kind + " proxy did not start");
                    }
                    Thread.Sleep(50);
                }
            }
        }

        public static bool Available(MqttProxyType kind)
        {
            return File.Exists(kind == MqttProxyType.Http ? "/usr/bin/tinyproxy" : "/usr/sbin/danted");
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
            TempDir.Remove(dir);
        }
    }
}
