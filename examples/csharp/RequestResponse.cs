// MQTT 5 request/response: a responder answers each request on its Response Topic with the same
// Correlation Data; the requester awaits the matching answer.
//
//   mono RequestResponse.exe mqtt://127.0.0.1:1883
using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Mqtt;

static class RequestResponse
{
    static int Main(string[] args)
    {
        try
        {
            return Run(args.Length > 0 ? args[0] : "mqtt://127.0.0.1:1883").GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("request-response: " + e.Message);
            return 1;
        }
    }

    static MqttClientOptions Options(string uri, string id)
    {
        return new MqttClientOptionsBuilder().WithConnectionUri(uri).WithClientId(id)
            .WithProtocolVersion(MqttProtocolVersion.V500).Build();
    }

    static async Task<int> Run(string uri)
    {
        using (var responder = new MqttClient())
        using (var requester = new MqttClient())
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            // The responder: handlers may publish and await (they run on the client's dispatcher).
            responder.ApplicationMessageReceivedAsync += async e =>
            {
                MqttApplicationMessage request = e.ApplicationMessage;
                string answer = "sum=" + Sum(request.ConvertPayloadToString());
                await responder.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(request.ResponseTopic).WithPayload(answer)
                    .WithCorrelationData(request.CorrelationData)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            };
            await responder.ConnectAsync(Options(uri, "example-responder"), timeout.Token);
            await responder.SubscribeAsync("example/requests", MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);

            // The requester: one pending answer per correlation id.
            var pending = new ConcurrentDictionary<string, TaskCompletionSource<string>>();
            requester.ApplicationMessageReceivedAsync += e =>
            {
                TaskCompletionSource<string> t;
                string id = Encoding.UTF8.GetString(e.ApplicationMessage.CorrelationData ?? new byte[0]);
                if (pending.TryRemove(id, out t)) t.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
                return Task.FromResult(0);
            };
            await requester.ConnectAsync(Options(uri, "example-requester"), timeout.Token);
            await requester.SubscribeAsync("example/responses/requester", MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);

            foreach (string numbers in new[] { "1 2 3", "40 2" })
            {
                string id = Guid.NewGuid().ToString("N");
                var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending[id] = answer;
                await requester.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("example/requests")
                    .WithPayload(numbers).WithResponseTopic("example/responses/requester")
                    .WithCorrelationData(Encoding.UTF8.GetBytes(id))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
                using (timeout.Token.Register(() => answer.TrySetCanceled()))
                    Console.WriteLine("{0} -> {1}", numbers, await answer.Task);
            }
            await requester.DisconnectAsync();
            await responder.DisconnectAsync();
            return 0;
        }
    }

    static int Sum(string numbers)
    {
        int sum = 0;
        foreach (string n in numbers.Split(' ')) sum += int.Parse(n);
        return sum;
    }
}
