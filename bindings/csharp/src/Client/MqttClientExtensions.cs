// MQTTnet's convenience overloads.
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt
{
    /// <summary>Shorthands for the common calls.</summary>
    public static class MqttClientExtensions
    {
        /// <summary>Subscribes to one filter.</summary>
        public static Task<MqttClientSubscribeResult> SubscribeAsync(this IMqttClient client, string topic,
                                                                     MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce,
                                                                     CancellationToken cancellationToken = default(CancellationToken))
        {
            return client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, qos).Build(),
                                         cancellationToken);
        }

        /// <summary>Unsubscribes from one filter.</summary>
        public static Task<MqttClientUnsubscribeResult> UnsubscribeAsync(this IMqttClient client, string topic,
                                                                         CancellationToken cancellationToken = default(CancellationToken))
        {
            return client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(topic).Build(),
                                           cancellationToken);
        }

        /// <summary>Publishes a UTF-8 string.</summary>
        public static Task<MqttClientPublishResult> PublishStringAsync(this IMqttClient client, string topic,
                                                                       string payload = null,
                                                                       MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce,
                                                                       bool retain = false,
                                                                       CancellationToken cancellationToken = default(CancellationToken))
        {
            return client.PublishBinaryAsync(topic, payload == null ? null : System.Text.Encoding.UTF8.GetBytes(payload), qos,
                                             retain, cancellationToken);
        }

        /// <summary>Publishes bytes.</summary>
        public static Task<MqttClientPublishResult> PublishBinaryAsync(this IMqttClient client, string topic,
                                                                       byte[] payload = null,
                                                                       MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce,
                                                                       bool retain = false,
                                                                       CancellationToken cancellationToken = default(CancellationToken))
        {
            return client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                                           .WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build(),
                                       cancellationToken);
        }

        /// <summary>Disconnects normally.</summary>
        public static Task DisconnectAsync(this IMqttClient client,
                                           MqttClientDisconnectReason reason = MqttClientDisconnectReason.NormalDisconnection,
                                           string reasonString = null,
                                           CancellationToken cancellationToken = default(CancellationToken))
        {
            return client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = reason, ReasonString = reasonString },
                                          cancellationToken);
        }
    }
}
