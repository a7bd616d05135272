// TLS: trust a CA file, check the server's name, and look at the certificate the engine verified.
//
//   mono TlsClient.exe mqtts://127.0.0.1:8883 ca.crt
using System;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Mqtt;

static class TlsClient
{
    static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: TlsClient.exe mqtts://HOST:PORT CA_FILE");
            return 2;
        }
        try
        {
            return Run(args[0], args[1]).GetAwaiter().GetResult();
        }
        catch (MqttTlsException e)
        {
            Console.Error.WriteLine("tls-client: the TLS handshake failed: " + e.Detail);
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("tls-client: " + e.Message);
            return 1;
        }
    }

    static async Task<int> Run(string uri, string caFile)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithConnectionUri(uri)
            .WithClientId("example-tls")
            .WithTlsOptions(t => t
                .WithCaFile(caFile)
                .WithTlsVersions(MqttTlsVersion.Tls12)
                // Runs during the handshake on the engine's thread: decide quickly.
                .WithCertificateValidationHandler(e =>
                {
                    Console.WriteLine("server certificate for {0}: {1} ({2})", e.Host,
                                      e.Certificate == null ? "none" : e.Certificate.Subject,
                                      e.Preverified ? "verified" : "refused: " + e.Error);
                    return e.Preverified;
                }))
            .Build();
        using (var client = new MqttClient())
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await client.ConnectAsync(options, timeout.Token);
            MqttClientPublishResult r = await client.PublishStringAsync("example/tls", "over TLS",
                                                                        MqttQualityOfServiceLevel.AtLeastOnce, false, timeout.Token);
            Console.WriteLine("published over TLS: {0}", r.ReasonCode);
            await client.DisconnectAsync();
            return 0;
        }
    }
}
