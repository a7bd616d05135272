// MQTTnet's MqttClientOptionsBuilder, over every option the engine has.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Ouzel.Mqtt
{
    /// <summary>Builds <see cref="MqttClientOptions"/> fluently.</summary>
    public sealed class MqttClientOptionsBuilder
    {
        readonly MqttClientOptions o = new MqttClientOptions();

        // --- Where -----------------------------------------------------------------------------

        /// <summary>One TCP server (mqtt://host:port; mqtts:// with TLS). Replaces the server list.</summary>
        public MqttClientOptionsBuilder WithTcpServer(string host, int? port = null)
        {
            if (string.IsNullOrEmpty(host)) throw new ArgumentException("the host is empty", "host");
            string h = host.IndexOf(':') >= 0 && !host.StartsWith("[", StringComparison.Ordinal) ? "[" + host + "]" : host;
            string uri = "mqtt://" + h + (port.HasValue ? ":" + port.Value.ToString(CultureInfo.InvariantCulture) : "");
            o.ServerUris.Clear();
            o.ServerUris.Add(uri);
            return this;
        }

        /// <summary>One server by URI (mqtt://, mqtts://, ws://, wss://, unix://). Replaces the server list.</summary>
        public MqttClientOptionsBuilder WithConnectionUri(string uri)
        {
            if (string.IsNullOrEmpty(uri)) throw new ArgumentException("the URI is empty", "uri");
            o.ServerUris.Clear();
            o.ServerUris.Add(uri);
            return this;
        }

        /// <summary>One server by URI. Replaces the server list.</summary>
        public MqttClientOptionsBuilder WithConnectionUri(Uri uri)
        {
            if (uri == null) throw new ArgumentNullException("uri");
            return WithConnectionUri(uri.OriginalString);
        }

        /// <summary>Appends a server tried after the others (on every connection attempt, in order).</summary>
        public MqttClientOptionsBuilder WithAdditionalServer(string uri)
        {
            if (string.IsNullOrEmpty(uri)) throw new ArgumentException("the URI is empty", "uri");
            o.ServerUris.Add(uri);
            return this;
        }

        /// <summary>A WebSocket server: "ws://host:port/mqtt" (or without a scheme, as MQTTnet
        /// writes it: "host:port/mqtt"); wss:// with TLS. Replaces the server list.</summary>
        public MqttClientOptionsBuilder WithWebSocketServer(string uri)
        {
            if (string.IsNullOrEmpty(uri)) throw new ArgumentException("the URI is empty", "uri");
            return WithConnectionUri(uri.Contains("://") ? uri : "ws://" + uri);
        }

        /// <summary>A WebSocket server and its settings.</summary>
        public MqttClientOptionsBuilder WithWebSocketServer(Action<MqttClientWebSocketOptionsBuilder> configure)
        {
            var b = new MqttClientWebSocketOptionsBuilder(o.WebSocketOptions);
            configure(b);
            if (b.Uri != null) WithWebSocketServer(b.Uri);
            return this;
        }

        // --- Who -------------------------------------------------------------------------------

        /// <summary>The client identifier ("" lets an MQTT 5 server assign one).</summary>
        public MqttClientOptionsBuilder WithClientId(string clientId)
        {
            o.ClientId = clientId;
            return this;
        }

        /// <summary>User name and password.</summary>
        public MqttClientOptionsBuilder WithCredentials(string userName, string password = null)
        {
            return WithCredentials(userName, password == null ? null : Encoding.UTF8.GetBytes(password));
        }

        /// <summary>User name and a binary password.</summary>
        public MqttClientOptionsBuilder WithCredentials(string userName, byte[] password)
        {
            o.UserName = userName;
            o.Password = password;
            return this;
        }

        /// <summary>The protocol level.</summary>
        public MqttClientOptionsBuilder WithProtocolVersion(MqttProtocolVersion version)
        {
            o.ProtocolVersion = version;
            return this;
        }

        // --- Session ---------------------------------------------------------------------------

        /// <summary>MQTT 3 Clean Session of the first connection.</summary>
        public MqttClientOptionsBuilder WithCleanSession(bool value = true)
        {
            o.CleanSession = value;
            return this;
        }

        /// <summary>MQTT 5 Clean Start of the first connection (the same flag).</summary>
        public MqttClientOptionsBuilder WithCleanStart(bool value = true)
        {
            return WithCleanSession(value);
        }

        /// <summary>Clean Start on reconnections: null (default) resumes a persistent session.</summary>
        public MqttClientOptionsBuilder WithReconnectCleanStart(bool? value)
        {
            o.ReconnectCleanStart = value;
            return this;
        }

        /// <summary>MQTT 5 Session Expiry Interval (seconds).</summary>
        public MqttClientOptionsBuilder WithSessionExpiryInterval(uint seconds)
        {
            o.SessionExpiryInterval = seconds;
            return this;
        }

        /// <summary>The keep-alive interval (whole seconds).</summary>
        public MqttClientOptionsBuilder WithKeepAlivePeriod(TimeSpan period)
        {
            o.KeepAlivePeriod = period;
            return this;
        }

        /// <summary>No keep-alive.</summary>
        public MqttClientOptionsBuilder WithNoKeepAlive()
        {
            return WithKeepAlivePeriod(TimeSpan.Zero);
        }

        /// <summary>Time allowed for a connection attempt (TCP, handshakes, CONNACK).</summary>
        public MqttClientOptionsBuilder WithTimeout(TimeSpan timeout)
        {
            o.Timeout = timeout;
            return this;
        }

        /// <summary>Time allowed for each layer's handshake (proxy, TLS, WebSocket).</summary>
        public MqttClientOptionsBuilder WithHandshakeTimeout(TimeSpan timeout)
        {
            o.HandshakeTimeout = timeout;
            return this;
        }

        /// <summary>Time to wait for PINGRESP.</summary>
        public MqttClientOptionsBuilder WithPingTimeout(TimeSpan timeout)
        {
            o.PingTimeout = timeout;
            return this;
        }

        /// <summary>TCP_NODELAY.</summary>
        public MqttClientOptionsBuilder WithNoDelay(bool noDelay = true)
        {
            o.NoDelay = noDelay;
            return this;
        }

        /// <summary>Binds a local address and/or port before connecting.</summary>
        public MqttClientOptionsBuilder WithLocalEndpoint(string address, int port = 0)
        {
            o.BindAddress = address;
            o.BindPort = port;
            return this;
        }

        /// <summary>Automatic reconnection with exponential back-off (on by default).</summary>
        public MqttClientOptionsBuilder WithAutoReconnect(bool enabled = true, TimeSpan? minDelay = null,
                                                          TimeSpan? maxDelay = null)
        {
            o.AutoReconnect = enabled;
            if (minDelay.HasValue) o.ReconnectMinDelay = minDelay;
            if (maxDelay.HasValue) o.ReconnectMaxDelay = maxDelay;
            return this;
        }

        /// <summary>Follow an MQTT 5 Server Reference.</summary>
        public MqttClientOptionsBuilder WithFollowServerReference(bool follow = true)
        {
            o.FollowServerReference = follow;
            return this;
        }

        // --- Flow ------------------------------------------------------------------------------

        /// <summary>QoS 1/2 messages in flight at once (0: the server's Receive Maximum only).</summary>
        public MqttClientOptionsBuilder WithMaxInflight(int messages)
        {
            o.MaxInflight = messages;
            return this;
        }

        /// <summary>Bounds the outgoing queue (0 = unbounded) and says what a publish does when it is full.</summary>
        public MqttClientOptionsBuilder WithOutgoingQueueLimit(long maxMessages, long maxBytes = 0,
                                                              MqttQueueFullPolicy policy = MqttQueueFullPolicy.RefuseNew)
        {
            o.MaxQueuedMessages = maxMessages;
            o.MaxQueuedBytes = maxBytes;
            o.QueueFullPolicy = policy;
            return this;
        }

        /// <summary>Queue QoS 0 publishes while offline instead of refusing them.</summary>
        public MqttClientOptionsBuilder WithQueueQos0WhileOffline(bool queue = true)
        {
            o.QueueQos0WhileOffline = queue;
            return this;
        }

        /// <summary>What happens to sent QoS 1/2 messages when the server does not resume the session.</summary>
        public MqttClientOptionsBuilder WithLostSessionPolicy(MqttLostSessionPolicy policy)
        {
            o.LostSessionPolicy = policy;
            return this;
        }

        /// <summary>Assign MQTT 5 topic aliases to outgoing messages automatically.</summary>
        public MqttClientOptionsBuilder WithAutoTopicAlias(bool enabled = true)
        {
            o.AutoTopicAlias = enabled;
            return this;
        }

        /// <summary>When a received QoS 2 message is delivered (on PUBLISH or on PUBREL).</summary>
        public MqttClientOptionsBuilder WithQos2Delivery(MqttQos2Delivery delivery)
        {
            o.Qos2Delivery = delivery;
            return this;
        }

        /// <summary>Give QoS 0 messages packet ids, as paho does.</summary>
        public MqttClientOptionsBuilder WithNumberedQos0Messages(bool number = true)
        {
            o.NumberQos0Messages = number;
            return this;
        }

        /// <summary>How many received messages (and their bytes) may wait for or be in a handler
        /// before the client stops reading from the connection. Nothing is dropped at the bound.</summary>
        public MqttClientOptionsBuilder WithPendingMessagesLimit(int maxMessages, long maxBytes = 0)
        {
            o.MaxPendingMessages = maxMessages;
            if (maxBytes > 0) o.MaxPendingBytes = maxBytes;
            return this;
        }

        /// <summary>Raise engine log lines at or above this level through
        /// <see cref="IMqttClient.LogMessageReceived"/>.</summary>
        public MqttClientOptionsBuilder WithLogLevel(MqttLogLevel level)
        {
            o.LogLevel = level;
            return this;
        }

        // --- MQTT 5 CONNECT properties ---------------------------------------------------------

        /// <summary>MQTT 5 Receive Maximum.</summary>
        public MqttClientOptionsBuilder WithReceiveMaximum(ushort value)
        {
            o.ReceiveMaximum = value;
            return this;
        }

        /// <summary>MQTT 5 Maximum Packet Size.</summary>
        public MqttClientOptionsBuilder WithMaximumPacketSize(uint value)
        {
            o.MaximumPacketSize = value;
            return this;
        }

        /// <summary>MQTT 5 Topic Alias Maximum.</summary>
        public MqttClientOptionsBuilder WithTopicAliasMaximum(ushort value)
        {
            o.TopicAliasMaximum = value;
            return this;
        }

        /// <summary>MQTT 5 Request Problem Information.</summary>
        public MqttClientOptionsBuilder WithRequestProblemInformation(bool value = true)
        {
            o.RequestProblemInformation = value;
            return this;
        }

        /// <summary>MQTT 5 Request Response Information.</summary>
        public MqttClientOptionsBuilder WithRequestResponseInformation(bool value = true)
        {
            o.RequestResponseInformation = value;
            return this;
        }

        /// <summary>MQTT 5 Authentication Method and Data (enhanced authentication).</summary>
        public MqttClientOptionsBuilder WithAuthentication(string method, byte[] data = null)
        {
            o.AuthenticationMethod = method;
            o.AuthenticationData = data;
            return this;
        }

        /// <summary>Appends an MQTT 5 CONNECT User Property.</summary>
        public MqttClientOptionsBuilder WithUserProperty(string name, string value)
        {
            if (o.UserProperties == null) o.UserProperties = new List<MqttUserProperty>();
            o.UserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        // --- Will ------------------------------------------------------------------------------

        /// <summary>The Will's topic (a Will is sent when this is set).</summary>
        public MqttClientOptionsBuilder WithWillTopic(string topic)
        {
            o.WillTopic = topic;
            return this;
        }

        /// <summary>The Will's payload.</summary>
        public MqttClientOptionsBuilder WithWillPayload(byte[] payload)
        {
            o.WillPayload = payload;
            return this;
        }

        /// <summary>The Will's payload as UTF-8.</summary>
        public MqttClientOptionsBuilder WithWillPayload(string payload)
        {
            return WithWillPayload(payload == null ? null : Encoding.UTF8.GetBytes(payload));
        }

        /// <summary>The Will's QoS.</summary>
        public MqttClientOptionsBuilder WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel qos)
        {
            o.WillQualityOfServiceLevel = qos;
            return this;
        }

        /// <summary>The Will's retain flag.</summary>
        public MqttClientOptionsBuilder WithWillRetain(bool retain = true)
        {
            o.WillRetain = retain;
            return this;
        }

        /// <summary>MQTT 5 Will Delay Interval (seconds).</summary>
        public MqttClientOptionsBuilder WithWillDelayInterval(uint seconds)
        {
            o.WillDelayInterval = seconds;
            return this;
        }

        /// <summary>MQTT 5 Will Message Expiry Interval (seconds).</summary>
        public MqttClientOptionsBuilder WithWillMessageExpiryInterval(uint seconds)
        {
            o.WillMessageExpiryInterval = seconds;
            return this;
        }

        /// <summary>MQTT 5 Will Content Type.</summary>
        public MqttClientOptionsBuilder WithWillContentType(string contentType)
        {
            o.WillContentType = contentType;
            return this;
        }

        /// <summary>MQTT 5 Will Response Topic.</summary>
        public MqttClientOptionsBuilder WithWillResponseTopic(string topic)
        {
            o.WillResponseTopic = topic;
            return this;
        }

        /// <summary>MQTT 5 Will Correlation Data.</summary>
        public MqttClientOptionsBuilder WithWillCorrelationData(byte[] data)
        {
            o.WillCorrelationData = data;
            return this;
        }

        /// <summary>MQTT 5 Will Payload Format Indicator.</summary>
        public MqttClientOptionsBuilder WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator indicator)
        {
            o.WillPayloadFormatIndicator = indicator;
            return this;
        }

        /// <summary>Appends an MQTT 5 Will User Property.</summary>
        public MqttClientOptionsBuilder WithWillUserProperty(string name, string value)
        {
            if (o.WillUserProperties == null) o.WillUserProperties = new List<MqttUserProperty>();
            o.WillUserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        // --- Transports ------------------------------------------------------------------------

        /// <summary>TLS settings.</summary>
        public MqttClientOptionsBuilder WithTlsOptions(Action<MqttClientTlsOptionsBuilder> configure)
        {
            configure(new MqttClientTlsOptionsBuilder(o.TlsOptions));
            return this;
        }

        /// <summary>A proxy given as a URI (http://, socks5://, socks5h://, with optional user:password@).</summary>
        public MqttClientOptionsBuilder WithProxy(string uri)
        {
            o.ProxyOptions.Uri = uri;
            return this;
        }

        /// <summary>A proxy given piece by piece.</summary>
        public MqttClientOptionsBuilder WithProxy(MqttProxyType type, string host, int? port = null,
                                                  string userName = null, string password = null,
                                                  bool? remoteDns = null)
        {
            MqttClientProxyOptions p = o.ProxyOptions;
            p.Uri = null;
            p.Type = type;
            p.Host = host;
            p.Port = port;
            p.UserName = userName;
            p.Password = password;
            p.RemoteDns = remoteDns;
            return this;
        }

        /// <summary>Use the proxy named by mqtt_proxy / MQTT_PROXY (honouring no_proxy) when none is set.</summary>
        public MqttClientOptionsBuilder WithProxyFromEnvironment(bool use = true)
        {
            o.ProxyOptions.FromEnvironment = use;
            return this;
        }

        /// <summary>A durable session store in <paramref name="directory"/> (use with a persistent
        /// session: WithCleanSession(false), and for MQTT 5 a Session Expiry Interval).</summary>
        public MqttClientOptionsBuilder WithPersistence(string directory, Action<MqttClientPersistenceOptions> configure = null)
        {
            o.PersistenceOptions.Directory = directory;
            if (configure != null) configure(o.PersistenceOptions);
            return this;
        }

        /// <summary>The options.</summary>
        public MqttClientOptions Build()
        {
            if (o.ServerUris.Count == 0)
                throw new InvalidOperationException("no server: call WithTcpServer, WithConnectionUri or WithWebSocketServer");
            return o;
        }
    }

    /// <summary>Builds the WebSocket settings (MQTTnet's MqttClientWebSocketOptionsBuilder).</summary>
    public sealed class MqttClientWebSocketOptionsBuilder
    {
        readonly MqttClientWebSocketOptions options;

        internal MqttClientWebSocketOptionsBuilder(MqttClientWebSocketOptions options)
        {
            this.options = options;
        }

        internal string Uri { get; private set; }

        /// <summary>The server ("ws://host:port/path", or "host:port/path").</summary>
        public MqttClientWebSocketOptionsBuilder WithUri(string uri)
        {
            Uri = uri;
            return this;
        }

        /// <summary>Adds a header to the upgrade request.</summary>
        public MqttClientWebSocketOptionsBuilder WithRequestHeader(string name, string value)
        {
            options.RequestHeaders.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        /// <summary>The subprotocol offered ("" for none; default "mqtt").</summary>
        public MqttClientWebSocketOptionsBuilder WithSubProtocol(string subProtocol)
        {
            options.SubProtocol = subProtocol;
            return this;
        }

        /// <summary>Largest frame sent and largest message accepted (0: no limit).</summary>
        public MqttClientWebSocketOptionsBuilder WithSizeLimits(int maxFrameSize, int maxMessageSize = 0)
        {
            options.MaxFrameSize = maxFrameSize;
            options.MaxMessageSize = maxMessageSize;
            return this;
        }
    }
}
