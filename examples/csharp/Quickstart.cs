// The C# quickstart: connect, subscribe, publish at QoS 0, 1 and 2, print what arrives, disconnect.
//
//   mono Quickstart.exe mqtt://127.0.0.1:1883
using System;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Mqtt;

static class Quickstart
{
    static int Main(string[] args)
    {
        string uri = args.Length > 0 ? args[0] : "mqtt://127.0.0.1:1883";
        try
        {
            return Run(uri).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("quickstart: " + e.Message);
            return 1;
        }
    }

    static async Task<int> Run(string uri)
    {
        var factory = new MqttClientFactory();
        using (IMqttClient client = factory.CreateMqttClient())
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var received = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            int count = 0;
            client.ApplicationMessageReceivedAsync += e =>
            {
                Console.WriteLine("received {0} (QoS {1}): {2}", e.ApplicationMessage.Topic,
                                  (int)e.ApplicationMessage.QualityOfServiceLevel, e.ApplicationMessage.ConvertPayloadToString());
                if (Interlocked.Increment(ref count) == 3) received.TrySetResult(true);
                return Task.FromResult(0);
            };

            MqttClientOptions options = factory.CreateClientOptionsBuilder()
                .WithConnectionUri(uri)
                .WithClientId("ouzel-csharp-quickstart")
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .Build();
            MqttClientConnectResult connected = await client.ConnectAsync(options, timeout.Token);
            Console.WriteLine("connected: {0}", connected.ResultCode);

            await client.SubscribeAsync("ouzel/quickstart/#", MqttQualityOfServiceLevel.ExactlyOnce, timeout.Token);
            for (int qos = 0; qos <= 2; ++qos)
            {
                MqttClientPublishResult r = await client.PublishStringAsync("ouzel/quickstart/qos" + qos, "hello at QoS " + qos,
                                                                            (MqttQualityOfServiceLevel)qos, false, timeout.Token);
                Console.WriteLine("published at QoS {0}: {1}", qos, r.ReasonCode);
            }
            using (timeout.Token.Register(() => received.TrySetCanceled()))
                await received.Task;
            await client.DisconnectAsync(MqttClientDisconnectReason.NormalDisconnection, null, timeout.Token);
            Console.WriteLine("disconnected");
            return 0;
        }
    }
}
