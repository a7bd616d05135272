// What every C# scenario uses: the brokers the driver started (tests/scenarios/README.md), the
// result line each scenario writes from its real outcome, unique names and bounded waits.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Scenarios
{
    [SetUpFixture]
    public class LoadLibrary
    {
        // The library under test, by path: the same OuzelLibrary.Load an application would call.
        [SetUp]
        public void Load()
        {
            string lib = Environment.GetEnvironmentVariable("OUZEL_SCEN_LIB");
            if (!string.IsNullOrEmpty(lib)) OuzelLibrary.Load(lib);
        }
    }

    public abstract class Scenario
    {
        static readonly object ResultsGate = new object();

        protected static string Env(string name)
        {
            string v = Environment.GetEnvironmentVariable("OUZEL_SCEN_" + name);
            if (string.IsNullOrEmpty(v))
                throw new InvalidOperationException("OUZEL_SCEN_" + name + " is not set: run me through scripts/test-scenarios --lang csharp");
            return v;
        }

        protected static string Host
        {
            get { return Env("HOST"); }
        }

        protected static TimeSpan Timeout
        {
            get { return TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("OUZEL_SCEN_TIMEOUT") ?? "20",
                                                           CultureInfo.InvariantCulture)); }
        }

        // mqtt://HOST:PORT of a listener ("" is the main one, else AUTH, LIMIT, RESTART, TLS, WS).
        protected static string Uri(string listener = "", string scheme = "mqtt")
        {
            return scheme + "://" + Host + ":" + Env(listener.Length == 0 ? "PORT" : listener + "_PORT");
        }

        protected static string Unique(string prefix)
        {
            return prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 10);
        }

        protected static MqttClientOptionsBuilder Options(string uri, MqttProtocolVersion version = MqttProtocolVersion.V311,
                                                          string clientId = null)
        {
            return new MqttClientOptionsBuilder().WithConnectionUri(uri).WithProtocolVersion(version)
                .WithClientId(clientId ?? Unique("cs-scen"))
                .WithAutoReconnect(true, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        }

        protected static async Task<MqttClient> Connected(MqttClientOptions options, Action<MqttClient> beforeConnect = null)
        {
            var c = new MqttClient();
            try
            {
                if (beforeConnect != null) beforeConnect(c);
                await Within(c.ConnectAsync(options), "CONNACK from " + options.ServerUris[0]);
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
        }

        protected static async Task Close(MqttClient c)
        {
            if (c == null) return;
            try
            {
                if (c.IsConnected) await Within(c.DisconnectAsync(), "DISCONNECT");
            }
            finally
            {
                c.Dispose();
            }
        }

        protected static async Task<T> Within<T>(Task<T> task, string what)
        {
            if (await Task.WhenAny(task, Task.Delay(Timeout)) != task) throw new TimeoutException("no " + what + " within " + Timeout);
            return await task;
        }

        protected static async Task Within(Task task, string what)
        {
            if (await Task.WhenAny(task, Task.Delay(Timeout)) != task) throw new TimeoutException("no " + what + " within " + Timeout);
            await task;
        }

        protected static async Task Until(Func<bool> condition, string what)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > Timeout) throw new TimeoutException("not " + what + " within " + Timeout);
                await Task.Delay(5);
            }
        }

        // Runs one scenario and writes its result line, from what actually happened, before
        // NUnit hears of it: pass, fail (the exception's message) or skip (Assert.Ignore's reason).
        protected static async Task Run(string id, Func<Task> body)
        {
            string only = Environment.GetEnvironmentVariable("OUZEL_SCEN_ONLY");
            if (!string.IsNullOrEmpty(only) && Array.IndexOf(only.Split(','), id) < 0) return; // "not run"
            var sw = Stopwatch.StartNew();
            string result = "pass", detail = "";
            try
            {
                await body();
            }
            catch (IgnoreException e)
            {
                result = "skip";
                detail = e.Message;
                throw;
            }
            catch (Exception e)
            {
                result = "fail";
                detail = e.GetType().Name + ": " + e.Message;
                throw;
            }
            finally
            {
                Write(id, result, sw.ElapsedMilliseconds, detail);
            }
        }

        static void Write(string id, string result, long ms, string detail)
        {
            string path = Environment.GetEnvironmentVariable("OUZEL_SCEN_RESULTS");
            if (string.IsNullOrEmpty(path)) return;
            string lang = Environment.GetEnvironmentVariable("OUZEL_SCEN_LANG") ?? "csharp";
            if (detail.Length > 2000) detail = detail.Substring(0, 2000);
            string line = "{\"lang\": " + Json(lang) + ", \"id\": " + Json(id) + ", \"result\": " + Json(result) +
                          ", \"ms\": " + ms.ToString(CultureInfo.InvariantCulture) + ", \"detail\": " + Json(detail) + "}\n";
            lock (ResultsGate) File.AppendAllText(path, line, new UTF8Encoding(false));
        }

        static string Json(string s)
        {
            var b = new StringBuilder("\"");
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') b.Append('\\').Append(c);
                else if (c == '\n') b.Append("\\n");
                else if (c == '\r') b.Append("\\r");
                else if (c == '\t') b.Append("\\t");
                else if (c < 0x20) b.AppendFormat(CultureInfo.InvariantCulture, "\\u{0:x4}", (int)c);
                else b.Append(c);
            }
            return b.Append('"').ToString();
        }

        // ChildClient.exe in a process of its own, started and waited for ("ready").
        protected static Process StartChild(params string[] args)
        {
            string exe = Path.Combine(Env("CSHARP_BIN"), "ChildClient.exe");
            var info = new ProcessStartInfo("mono", exe + " " + string.Join(" ", args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.EnvironmentVariables["OUZEL_LIBRARY"] = Env("LIB");
            Process p = Process.Start(info);
            Task<string> line = p.StandardOutput.ReadLineAsync();
            if (!line.Wait(Timeout) || line.Result != "ready")
            {
                try { p.Kill(); } catch (InvalidOperationException) { }
                throw new InvalidOperationException("the child process did not get ready: " + p.StandardError.ReadToEnd());
            }
            return p;
        }

        protected static void Kill(Process p)
        {
            p.Kill(); // SIGKILL on Mono
            p.WaitForExit((int)Timeout.TotalMilliseconds);
            p.Dispose();
        }

        // broker-ctl restart|stop|start|replayed CLIENT_ID; returns its output lines.
        protected static string[] BrokerCtl(params string[] args)
        {
            var info = new ProcessStartInfo(Env("BROKER_CTL"), string.Join(" ", args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (Process p = Process.Start(info))
            {
                Task<string> output = p.StandardOutput.ReadToEndAsync();
                if (!p.WaitForExit(60000)) throw new TimeoutException("broker-ctl " + string.Join(" ", args));
                if (p.ExitCode != 0) throw new InvalidOperationException("broker-ctl failed: " + p.StandardError.ReadToEnd());
                return output.Result.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}
