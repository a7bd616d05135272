namespace Ouzel.Mqtt
{
    /// <summary>Creates clients and builders (MQTTnet's MqttClientFactory / MqttFactory).</summary>
    public sealed class MqttClientFactory
    {
        /// <summary>A client that is configured by its first <see cref="IMqttClient.ConnectAsync"/>.</summary>
        public MqttClient CreateMqttClient()
        {
            return new MqttClient(null);
        }

        /// <summary>A client configured now: it can publish before it connects (QoS 1/2 messages
        /// are queued and sent once connected) and <see cref="MqttClient.ConnectAsync(System.Threading.CancellationToken)"/>
        /// needs no options.</summary>
        public MqttClient CreateMqttClient(MqttClientOptions options)
        {
            return new MqttClient(options);
        }

        /// <summary>A new options builder.</summary>
        public MqttClientOptionsBuilder CreateClientOptionsBuilder()
        {
            return new MqttClientOptionsBuilder();
        }

        /// <summary>A new message builder.</summary>
        public MqttApplicationMessageBuilder CreateApplicationMessageBuilder()
        {
            return new MqttApplicationMessageBuilder();
        }

        /// <summary>A new subscribe options builder.</summary>
        public MqttClientSubscribeOptionsBuilder CreateSubscribeOptionsBuilder()
        {
            return new MqttClientSubscribeOptionsBuilder();
        }

        /// <summary>A new unsubscribe options builder.</summary>
        public MqttClientUnsubscribeOptionsBuilder CreateUnsubscribeOptionsBuilder()
        {
            return new MqttClientUnsubscribeOptionsBuilder();
        }
    }
}
