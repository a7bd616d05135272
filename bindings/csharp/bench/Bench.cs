// The C# binding's side of scripts/bench-csharp: the same three measurements as capi_bench.c, on
// the same broker, so the binding's cost per message shows next to the C API's.
//
//   mono Ouzel.Mqtt.Bench.exe URI QOS0_COUNT QOS1_COUNT RTT_COUNT PAYLOAD_BYTES
//
// Prints one line per measurement: "csharp <name> <messages> <seconds> <cpu_seconds> <extra>".
//  - qos0 / qos1: publish N messages from one thread as fast as PublishAsync takes them; the run
//    ends when every task has completed (written for QoS 0, PUBACK for QoS 1).
//  - rtt: N times, await PublishAsync at QoS 1 (publish -> PUBACK -> task completed -> continuation);
//    extra is the median and 99th percentile in microseconds.
// CPU is the process's user + system time over the measured part (every thread: the caller, the
// poller, the engine's network thread, the thread pool).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Ouzel.Mqtt;

static class Bench
{
    static int Main(string[] args)
    {
        if (args.Length < 5)
        {
            Console.Error.WriteLine("usage: Ouzel.Mqtt.Bench.exe URI QOS0_COUNT QOS1_COUNT RTT_COUNT PAYLOAD_BYTES");
            return 2;
        }
        string uri = args[0];
        int qos0 = int.Parse(args[1]), qos1 = int.Parse(args[2]), rtt = int.Parse(args[3]), size = int.Parse(args[4]);
        try
        {
            Run(uri, qos0, qos1, rtt, size).GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("bench: " + e);
            return 1;
        }
    }

    static async Task Run(string uri, int qos0, int qos1, int rtt, int size)
    {
        var payload = new byte[size];
        for (int i = 0; i < size; ++i) payload[i] = (byte)i;
        if (qos0 > 0) await Throughput(uri, "qos0", MqttQualityOfServiceLevel.AtMostOnce, qos0, payload);
        if (qos1 > 0) await Throughput(uri, "qos1", MqttQualityOfServiceLevel.AtLeastOnce, qos1, payload);
        if (rtt > 0) await RoundTrip(uri, rtt, payload);
    }

    static async Task<MqttClient> Connect(string uri)
    {
        var c = new MqttClient();
        await c.ConnectAsync(new MqttClientOptionsBuilder().WithConnectionUri(uri)
                                 .WithClientId("ouzel-cs-bench-" + Process.GetCurrentProcess().Id).Build());
        return c;
    }

    static TimeSpan Cpu()
    {
        using (Process p = Process.GetCurrentProcess()) return p.TotalProcessorTime;
    }

    static async Task Throughput(string uri, string name, MqttQualityOfServiceLevel qos, int n, byte[] payload)
    {
        MqttClient c = await Connect(uri);
        try
        {
            var message = new MqttApplicationMessageBuilder().WithTopic("ouzel/bench/cs").WithPayload(payload)
                .WithQualityOfServiceLevel(qos).Build();
            // Warm-up: JIT and the first allocations out of the measurement.
            var warm = new Task[Math.Min(n, 2000)];
            for (int i = 0; i < warm.Length; ++i) warm[i] = c.PublishAsync(message);
            await Task.WhenAll(warm);

            var tasks = new Task[n];
            TimeSpan cpu0 = Cpu();
            Stopwatch sw = Stopwatch.StartNew();
            for (int i = 0; i < n; ++i) tasks[i] = c.PublishAsync(message);
            await Task.WhenAll(tasks);
            sw.Stop();
            TimeSpan cpu = Cpu() - cpu0;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "csharp {0} {1} {2:F6} {3:F6} -", name, n,
                                            sw.Elapsed.TotalSeconds, cpu.TotalSeconds));
            await c.DisconnectAsync();
        }
        finally
        {
            c.Dispose();
        }
    }

    static async Task RoundTrip(string uri, int n, byte[] payload)
    {
        MqttClient c = await Connect(uri);
        try
        {
            var message = new MqttApplicationMessageBuilder().WithTopic("ouzel/bench/cs-rtt").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            for (int i = 0; i < Math.Min(n, 200); ++i) await c.PublishAsync(message);
            var samples = new double[n];
            TimeSpan cpu0 = Cpu();
            Stopwatch total = Stopwatch.StartNew();
            for (int i = 0; i < n; ++i)
            {
                long t0 = Stopwatch.GetTimestamp();
                await c.PublishAsync(message);
                samples[i] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency;
            }
            total.Stop();
            TimeSpan cpu = Cpu() - cpu0;
            Array.Sort(samples);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "csharp rtt {0} {1:F6} {2:F6} {3:F1}/{4:F1}", n,
                                            total.Elapsed.TotalSeconds, cpu.TotalSeconds, samples[n / 2],
                                            samples[Math.Min(n - 1, (int)(n * 0.99))]));
            await c.DisconnectAsync();
        }
        finally
        {
            c.Dispose();
        }
    }
}
