// Everything a client is configured with. Unset (null) values keep the engine's defaults, which
// ouzel/options.h lists; the builder (MqttClientOptionsBuilder) is the usual way to fill this.
using System;
using System.Collections.Generic;

namespace Ouzel.Mqtt
{
    /// <summary>What happens to a publish when the outgoing queue is full.</summary>
    public enum MqttQueueFullPolicy
    {
        /// <summary>PublishAsync throws <see cref="MqttQueueFullException"/>.</summary>
        RefuseNew = 0,
        /// <summary>The oldest queued QoS 0 message is dropped to make room.</summary>
        DropOldestQos0 = 1,
    }

    /// <summary>What happens to QoS 1/2 messages already sent when the server does not resume the session.</summary>
    public enum MqttLostSessionPolicy
    {
        /// <summary>They end as dropped (<see cref="MqttDropReason.SessionLost"/>).</summary>
        FailInflight = 0,
        /// <summary>They are sent again as new messages (may duplicate).</summary>
        ResendAsNew = 1,
    }

    /// <summary>When a received QoS 2 message is handed to the application.</summary>
    public enum MqttQos2Delivery
    {
        /// <summary>On PUBLISH (duplicates suppressed by packet id).</summary>
        OnPublish = 0,
        /// <summary>On PUBREL.</summary>
        OnPubrel = 1,
    }

    /// <summary>The options of one client. Build them with <see cref="MqttClientOptionsBuilder"/>.</summary>
    public sealed class MqttClientOptions
    {
        /// <summary>Creates options with every value unset (the engine's defaults).</summary>
        public MqttClientOptions()
        {
            ServerUris = new List<string>();
            TlsOptions = new MqttClientTlsOptions();
            WebSocketOptions = new MqttClientWebSocketOptions();
            ProxyOptions = new MqttClientProxyOptions();
            PersistenceOptions = new MqttClientPersistenceOptions();
        }

        /// <summary>Server URIs tried in order (mqtt://, mqtts://, ws://, wss://, unix://). With
        /// <see cref="MqttClientTlsOptions.UseTls"/>, mqtt:// and ws:// become mqtts:// and wss://.</summary>
        public List<string> ServerUris { get; private set; }
        /// <summary>The client identifier; "" lets an MQTT 5 server assign one.</summary>
        public string ClientId { get; set; }
        /// <summary>The user name, or null.</summary>
        public string UserName { get; set; }
        /// <summary>The password (binary allowed), or null.</summary>
        public byte[] Password { get; set; }
        /// <summary>The protocol (engine default: 3.1.1).</summary>
        public MqttProtocolVersion ProtocolVersion { get; set; }
        /// <summary>MQTT 3 Clean Session / MQTT 5 Clean Start of the first connection (default true).</summary>
        public bool? CleanSession { get; set; }
        /// <summary>Clean Start on reconnections: null resumes when the session is persistent.</summary>
        public bool? ReconnectCleanStart { get; set; }
        /// <summary>Keep-alive interval (whole seconds, 0 disables; engine default 60 s).</summary>
        public TimeSpan? KeepAlivePeriod { get; set; }
        /// <summary>Time for TCP, handshakes and CONNACK (engine default 30 s).</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>Time for each layer's handshake (proxy, TLS, WebSocket) within <see cref="Timeout"/>.</summary>
        public TimeSpan? HandshakeTimeout { get; set; }
        /// <summary>Time to wait for PINGRESP (default: the keep-alive interval).</summary>
        public TimeSpan? PingTimeout { get; set; }
        /// <summary>TCP_NODELAY (engine default true).</summary>
        public bool? NoDelay { get; set; }
        /// <summary>Local address to bind before connecting, or null.</summary>
        public string BindAddress { get; set; }
        /// <summary>Local port to bind before connecting, or null.</summary>
        public int? BindPort { get; set; }

        /// <summary>Reconnect automatically after a lost connection (engine default true).</summary>
        public bool? AutoReconnect { get; set; }
        /// <summary>First reconnection back-off delay (engine default 1 s).</summary>
        public TimeSpan? ReconnectMinDelay { get; set; }
        /// <summary>Back-off ceiling (engine default 120 s).</summary>
        public TimeSpan? ReconnectMaxDelay { get; set; }
        /// <summary>Follow an MQTT 5 Server Reference (engine default false).</summary>
        public bool? FollowServerReference { get; set; }

        /// <summary>QoS 1/2 messages in flight at once; 0 = the server's limit (engine default 20).</summary>
        public int? MaxInflight { get; set; }
        /// <summary>Messages queued while offline or over the window; 0 = unbounded (default).</summary>
        public long? MaxQueuedMessages { get; set; }
        /// <summary>Bytes queued; 0 = unbounded (default).</summary>
        public long? MaxQueuedBytes { get; set; }
        /// <summary>What a publish does when the queue is full.</summary>
        public MqttQueueFullPolicy? QueueFullPolicy { get; set; }
        /// <summary>Queue QoS 0 messages while offline (default false: they fail with NotConnected).</summary>
        public bool? QueueQos0WhileOffline { get; set; }
        /// <summary>What happens to sent QoS 1/2 messages when the session is not resumed.</summary>
        public MqttLostSessionPolicy? LostSessionPolicy { get; set; }
        /// <summary>Assign outgoing MQTT 5 topic aliases automatically (default false).</summary>
        public bool? AutoTopicAlias { get; set; }
        /// <summary>When a received QoS 2 message is delivered.</summary>
        public MqttQos2Delivery? Qos2Delivery { get; set; }
        /// <summary>QoS 0 messages get a packet id (as paho does; default false).</summary>
        public bool? NumberQos0Messages { get; set; }

        /// <summary>Received messages held (queued or in a handler) before the client stops
        /// reading from the connection (engine default 10,000). Nothing is dropped at the bound:
        /// the server holds the rest.</summary>
        public int? MaxPendingMessages { get; set; }
        /// <summary>Their topic + payload bytes before reading pauses (engine default 64 MiB).</summary>
        public long? MaxPendingBytes { get; set; }
        /// <summary>Lowest engine log level raised through <see cref="IMqttClient.LogMessageReceived"/>.</summary>
        public MqttLogLevel LogLevel { get; set; }

        /// <summary>MQTT 5 Session Expiry Interval (seconds), or null.</summary>
        public uint? SessionExpiryInterval { get; set; }
        /// <summary>MQTT 5 Receive Maximum, or null.</summary>
        public ushort? ReceiveMaximum { get; set; }
        /// <summary>MQTT 5 Maximum Packet Size, or null.</summary>
        public uint? MaximumPacketSize { get; set; }
        /// <summary>MQTT 5 Topic Alias Maximum (aliases the server may use towards us), or null.</summary>
        public ushort? TopicAliasMaximum { get; set; }
        /// <summary>MQTT 5 Request Problem Information, or null.</summary>
        public bool? RequestProblemInformation { get; set; }
        /// <summary>MQTT 5 Request Response Information, or null.</summary>
        public bool? RequestResponseInformation { get; set; }
        /// <summary>MQTT 5 Authentication Method, or null.</summary>
        public string AuthenticationMethod { get; set; }
        /// <summary>MQTT 5 Authentication Data, or null.</summary>
        public byte[] AuthenticationData { get; set; }
        /// <summary>MQTT 5 CONNECT User Properties, or null.</summary>
        public List<MqttUserProperty> UserProperties { get; set; }

        /// <summary>The Will topic; null for no Will.</summary>
        public string WillTopic { get; set; }
        /// <summary>The Will payload.</summary>
        public byte[] WillPayload { get; set; }
        /// <summary>The Will QoS.</summary>
        public MqttQualityOfServiceLevel WillQualityOfServiceLevel { get; set; }
        /// <summary>The Will retain flag.</summary>
        public bool WillRetain { get; set; }
        /// <summary>MQTT 5 Will Delay Interval (seconds).</summary>
        public uint WillDelayInterval { get; set; }
        /// <summary>MQTT 5 Will Message Expiry Interval (seconds).</summary>
        public uint WillMessageExpiryInterval { get; set; }
        /// <summary>MQTT 5 Will Content Type.</summary>
        public string WillContentType { get; set; }
        /// <summary>MQTT 5 Will Response Topic.</summary>
        public string WillResponseTopic { get; set; }
        /// <summary>MQTT 5 Will Correlation Data.</summary>
        public byte[] WillCorrelationData { get; set; }
        /// <summary>MQTT 5 Will Payload Format Indicator.</summary>
        public MqttPayloadFormatIndicator WillPayloadFormatIndicator { get; set; }
        /// <summary>MQTT 5 Will User Properties.</summary>
        public List<MqttUserProperty> WillUserProperties { get; set; }

        /// <summary>TLS (mqtts://, wss://).</summary>
        public MqttClientTlsOptions TlsOptions { get; private set; }
        /// <summary>WebSocket (ws://, wss://).</summary>
        public MqttClientWebSocketOptions WebSocketOptions { get; private set; }
        /// <summary>HTTP CONNECT or SOCKS5 proxy.</summary>
        public MqttClientProxyOptions ProxyOptions { get; private set; }
        /// <summary>The durable session store.</summary>
        public MqttClientPersistenceOptions PersistenceOptions { get; private set; }
    }
}
