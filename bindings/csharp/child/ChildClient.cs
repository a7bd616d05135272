// A client in a process of its own, for tests that kill a client abruptly (SIGKILL): the durable
// session (queue messages offline, get killed, let a successor deliver them) and the Will. It
// prints "ready" on stdout when it is in the state the test wants, then waits to be killed.
// It finds libouzel by the binding's default resolution ($OUZEL_LIBRARY or the system loader).
//
//   mono ChildClient.exe queue URI CLIENT_ID PERSISTENCE_DIR TOPIC COUNT
//   mono ChildClient.exe will URI CLIENT_ID WILL_TOPIC
//   mono ChildClient.exe exit URI      (connects, publishes, returns from Main without Dispose)
using System;
using System.Threading;
using Ouzel.Mqtt;

static class ChildClient
{
    static int Main(string[] args)
    {
        try
        {
            switch (args[0])
            {
                case "queue": return Queue(args[1], args[2], args[3], args[4], int.Parse(args[5]));
                case "will": return Will(args[1], args[2], args[3]);
                case "exit": return ExitWithoutDispose(args[1]);
                default:
                    Console.Error.WriteLine("unknown mode " + args[0]);
                    return 2;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("child: " + e);
            return 1;
        }
    }

    // Publishes COUNT QoS 1 messages while the broker at URI is unreachable: each PublishAsync
    // returning means the message is in the session store.
    static int Queue(string uri, string clientId, string dir, string topic, int count)
    {
        MqttClientOptions o = new MqttClientOptionsBuilder().WithConnectionUri(uri).WithClientId(clientId)
            .WithCleanSession(false).WithPersistence(dir).Build();
        var client = new MqttClient(o);
        for (int i = 0; i < count; ++i) client.PublishStringAsync(topic, "durable-" + i, MqttQualityOfServiceLevel.AtLeastOnce);
        Console.WriteLine("ready");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    // A program that forgets Dispose: connected clients, a handler, a message in flight; the
    // process must still exit cleanly (no finalizer may free a client under its threads).
    static int ExitWithoutDispose(string uri)
    {
        for (int i = 0; i < 3; ++i)
        {
            var client = new MqttClient();
            client.ApplicationMessageReceivedAsync += e => System.Threading.Tasks.Task.FromResult(0);
            client.ConnectAsync(new MqttClientOptionsBuilder().WithConnectionUri(uri).Build()).GetAwaiter().GetResult();
            client.SubscribeAsync("child/exit/#", MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
            client.PublishStringAsync("child/exit/" + i, "bye", MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
            client.PublishStringAsync("child/exit/" + i, "in flight", MqttQualityOfServiceLevel.AtLeastOnce);
        }
        GC.Collect();
        Console.WriteLine("leaving");
        return 0;
    }

    static int Will(string uri, string clientId, string willTopic)
    {
        MqttClientOptions o = new MqttClientOptionsBuilder().WithConnectionUri(uri).WithClientId(clientId)
            .WithWillTopic(willTopic).WithWillPayload("child lost").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var client = new MqttClient();
        client.ConnectAsync(o).GetAwaiter().GetResult();
        Console.WriteLine("ready");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}
