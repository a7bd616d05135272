// A durable session: messages published while the broker is away are kept in a session store on
// disk, so a process that is killed and started again still delivers them.
//
//   mono DurableSession.exe mqtt://127.0.0.1:1883 /tmp/session-dir
using System;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Mqtt;

static class DurableSession
{
    static int Main(string[] args)
    {
        try
        {
            return Run(args.Length > 0 ? args[0] : "mqtt://127.0.0.1:1883",
                       args.Length > 1 ? args[1] : "/tmp/ouzel-example-session").GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("durable-session: " + e.Message);
            return 1;
        }
    }

    static async Task<int> Run(string uri, string directory)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithConnectionUri(uri)
            .WithClientId("example-durable")
            .WithCleanSession(false)                       // the broker keeps its half of the session
            .WithPersistence(directory, p => p.Sync = MqttPersistenceSync.Interval)
            .Build();
        // Created with its options, the client can publish before it connects: each QoS 1 message
        // is in the store when PublishAsync returns its task.
        using (var client = new MqttClientFactory().CreateMqttClient(options))
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            MqttPersistenceReport report = client.GetPersistenceReport();
            Console.WriteLine("store: {0}", report.Summary);
            var sent = new Task[3];
            for (int i = 0; i < sent.Length; ++i)
                sent[i] = client.PublishStringAsync("example/durable", "reading " + i, MqttQualityOfServiceLevel.AtLeastOnce);
            Console.WriteLine("queued {0} messages; connecting", sent.Length);
            await client.ConnectAsync(timeout.Token);
            await Task.WhenAll(sent);
            Console.WriteLine("all acknowledged");
            await client.DisconnectAsync();
            return 0;
        }
    }
}
