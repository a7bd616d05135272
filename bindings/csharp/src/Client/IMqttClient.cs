using System;
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt
{
    /// <summary>An MQTT client (MQTTnet's IMqttClient, on Ouzel's engine).</summary>
    public interface IMqttClient : IDisposable
    {
        /// <summary>A message arrived. Handlers are awaited one at a time, in arrival order.</summary>
        event Func<MqttApplicationMessageReceivedEventArgs, Task> ApplicationMessageReceivedAsync;
        /// <summary>A connection was accepted (also after an automatic reconnection).</summary>
        event Func<MqttClientConnectedEventArgs, Task> ConnectedAsync;
        /// <summary>A connection ended or an attempt failed.</summary>
        event Func<MqttClientDisconnectedEventArgs, Task> DisconnectedAsync;
        /// <summary>The server sent AUTH (MQTT 5 enhanced authentication).</summary>
        event Func<MqttEnhancedAuthenticationEventArgs, Task> EnhancedAuthenticationAsync;
        /// <summary>An engine log line at or above <see cref="MqttClientOptions.LogLevel"/>.</summary>
        event EventHandler<MqttClientLogEventArgs> LogMessageReceived;
        /// <summary>One of the handlers above threw (a message is acknowledged all the same unless its
        /// handler had turned AutoAcknowledge off).</summary>
        event EventHandler<MqttClientHandlerFailedEventArgs> HandlerFailed;

        /// <summary>True while a connection accepted by a CONNACK is up.</summary>
        bool IsConnected { get; }
        /// <summary>The options of the last connect (or of creation), or null.</summary>
        MqttClientOptions Options { get; }

        /// <summary>Connects and returns the CONNACK.</summary>
        Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options,
                                                   CancellationToken cancellationToken = default(CancellationToken));
        /// <summary>Sends DISCONNECT and closes; no automatic reconnection follows.</summary>
        Task DisconnectAsync(MqttClientDisconnectOptions options,
                             CancellationToken cancellationToken = default(CancellationToken));
        /// <summary>Publishes; completes when the message reaches its final delivery state.</summary>
        Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message,
                                                   CancellationToken cancellationToken = default(CancellationToken));
        /// <summary>Subscribes; completes with the SUBACK.</summary>
        Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options,
                                                       CancellationToken cancellationToken = default(CancellationToken));
        /// <summary>Unsubscribes; completes with the UNSUBACK.</summary>
        Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options,
                                                           CancellationToken cancellationToken = default(CancellationToken));
        /// <summary>Answers the server's AUTH (MQTT 5).</summary>
        Task SendEnhancedAuthenticationExchangeDataAsync(string method, byte[] data,
                                                         CancellationToken cancellationToken = default(CancellationToken));
    }
}
