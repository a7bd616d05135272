// Short ways to get a connected client in a test, and unique topics so tests sharing a broker
// never see each other's messages.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt.Tests
{
    static class TestClients
    {
        static int counter;

        public static string UniqueTopic(string prefix)
        {
            return "test/" + prefix + "/" + Guid.NewGuid().ToString("N").Substring(0, 10);
        }

        public static string UniqueId(string prefix)
        {
            return prefix + "-" + Interlocked.Increment(ref counter) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
        }

        public static MqttClientOptionsBuilder Options(string uri, MqttProtocolVersion version = MqttProtocolVersion.V311,
                                                       string clientId = null)
        {
            return new MqttClientOptionsBuilder()
                .WithConnectionUri(uri)
                .WithProtocolVersion(version)
                .WithClientId(clientId ?? UniqueId("cs"))
                .WithAutoReconnect(true, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        }

        public static async Task<MqttClient> Connected(string uri, MqttProtocolVersion version = MqttProtocolVersion.V311,
                                                       Action<MqttClientOptionsBuilder> configure = null,
                                                       Action<MqttClient> beforeConnect = null)
        {
            MqttClientOptionsBuilder b = Options(uri, version);
            if (configure != null) configure(b);
            var client = new MqttClient();
            try
            {
                if (beforeConnect != null) beforeConnect(client);
                await Wait.For(client.ConnectAsync(b.Build()), "CONNACK from " + uri).ConfigureAwait(false);
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        public static Task<MqttClient> Connected(Mosquitto broker, MqttProtocolVersion version = MqttProtocolVersion.V311,
                                                 Action<MqttClientOptionsBuilder> configure = null,
                                                 Action<MqttClient> beforeConnect = null)
        {
            return Connected(broker.Uri, version, configure, beforeConnect);
        }

        public static async Task Subscribe(IMqttClient client, string filter,
                                           MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.ExactlyOnce)
        {
            MqttClientSubscribeResult r = await Wait.For(client.SubscribeAsync(filter, qos), "SUBACK for " + filter)
                .ConfigureAwait(false);
            if ((int)r.Items[0].ResultCode >= 0x80) throw new InvalidOperationException("subscription refused: " + r.Items[0].ResultCode);
        }

        public static async Task Close(MqttClient client)
        {
            if (client == null) return;
            try
            {
                if (client.IsConnected) await Wait.For(client.DisconnectAsync(), "DISCONNECT").ConfigureAwait(false);
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
