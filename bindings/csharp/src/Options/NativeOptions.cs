// MqttClientOptions -> ouzel_options, one setter per option that was set; unset ones keep the
// engine's defaults. An option the engine refuses throws OuzelArgumentException naming it.
using System;
using System.Collections.Generic;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    static unsafe class NativeOptions
    {
        // The options of a client that delivers its events through the queue (ouzel/events.h).
        internal static OptionsHandle Create(MqttClientOptions o)
        {
            OuzelLibrary.EnsureLoaded();
            IntPtr p;
            OuzelErrors.Check(Capi.ouzel_options_new(&p));
            var h = new OptionsHandle();
            h.Adopt(p);
            try
            {
                Apply(h.DangerousGetHandle(), o);
            }
            catch
            {
                h.Dispose();
                throw;
            }
            return h;
        }

        static void Int(IntPtr h, int option, long value, string name)
        {
            OuzelErrors.Check(Capi.ouzel_options_set_int(h, option, value), name);
        }

        static void Int(IntPtr h, int option, long? value, string name)
        {
            if (value.HasValue) Int(h, option, value.Value, name);
        }

        static void Bool(IntPtr h, int option, bool? value, string name)
        {
            if (value.HasValue) Int(h, option, value.Value ? 1 : 0, name);
        }

        static void Millis(IntPtr h, int option, TimeSpan? value, string name)
        {
            if (value.HasValue) Int(h, option, (long)Math.Ceiling(value.Value.TotalMilliseconds), name);
        }

        static void Bytes(IntPtr h, int option, byte[] value, string name)
        {
            if (value == null) return;
            fixed (byte* b = value)
                OuzelErrors.Check(Capi.ouzel_options_set_string(h, option, b, new UIntPtr((uint)value.Length)), name);
        }

        static void Text(IntPtr h, int option, string value, string name)
        {
            if (value != null) Bytes(h, option, Utf8.Encode(value), name);
        }

        static void Apply(IntPtr h, MqttClientOptions o)
        {
            Int(h, Capi.OUZEL_OPT_EVENT_QUEUE, 1, "eventQueue");
            ApplyServers(h, o);
            Text(h, Capi.OUZEL_OPT_CLIENT_ID, o.ClientId, "ClientId");
            Text(h, Capi.OUZEL_OPT_USERNAME, o.UserName, "UserName");
            Bytes(h, Capi.OUZEL_OPT_PASSWORD, o.Password, "Password");
            if (o.ProtocolVersion != MqttProtocolVersion.Unknown)
                Int(h, Capi.OUZEL_OPT_PROTOCOL_VERSION, (int)o.ProtocolVersion, "ProtocolVersion");
            Bool(h, Capi.OUZEL_OPT_CLEAN_START, o.CleanSession, "CleanSession");
            if (o.ReconnectCleanStart.HasValue)
                Int(h, Capi.OUZEL_OPT_RECONNECT_CLEAN_START, o.ReconnectCleanStart.Value ? 1 : 0, "ReconnectCleanStart");
            if (o.KeepAlivePeriod.HasValue)
                Int(h, Capi.OUZEL_OPT_KEEPALIVE_SECONDS, (long)o.KeepAlivePeriod.Value.TotalSeconds, "KeepAlivePeriod");
            Millis(h, Capi.OUZEL_OPT_CONNECT_TIMEOUT_MS, o.Timeout, "Timeout");
            Millis(h, Capi.OUZEL_OPT_HANDSHAKE_TIMEOUT_MS, o.HandshakeTimeout, "HandshakeTimeout");
            Millis(h, Capi.OUZEL_OPT_PING_TIMEOUT_MS, o.PingTimeout, "PingTimeout");
            Bool(h, Capi.OUZEL_OPT_TCP_NODELAY, o.NoDelay, "NoDelay");
            Text(h, Capi.OUZEL_OPT_BIND_ADDRESS, o.BindAddress, "BindAddress");
            Int(h, Capi.OUZEL_OPT_BIND_PORT, o.BindPort, "BindPort");
            Bool(h, Capi.OUZEL_OPT_RECONNECT, o.AutoReconnect, "AutoReconnect");
            Millis(h, Capi.OUZEL_OPT_RECONNECT_MIN_DELAY_MS, o.ReconnectMinDelay, "ReconnectMinDelay");
            Millis(h, Capi.OUZEL_OPT_RECONNECT_MAX_DELAY_MS, o.ReconnectMaxDelay, "ReconnectMaxDelay");
            Bool(h, Capi.OUZEL_OPT_FOLLOW_SERVER_REFERENCE, o.FollowServerReference, "FollowServerReference");
            Int(h, Capi.OUZEL_OPT_MAX_INFLIGHT, o.MaxInflight, "MaxInflight");
            Int(h, Capi.OUZEL_OPT_MAX_QUEUED_MESSAGES, o.MaxQueuedMessages, "MaxQueuedMessages");
            Int(h, Capi.OUZEL_OPT_MAX_QUEUED_BYTES, o.MaxQueuedBytes, "MaxQueuedBytes");
            if (o.QueueFullPolicy.HasValue)
                Int(h, Capi.OUZEL_OPT_QUEUE_FULL_POLICY, (int)o.QueueFullPolicy.Value, "QueueFullPolicy");
            Bool(h, Capi.OUZEL_OPT_QUEUE_QOS0_OFFLINE, o.QueueQos0WhileOffline, "QueueQos0WhileOffline");
            if (o.LostSessionPolicy.HasValue)
                Int(h, Capi.OUZEL_OPT_LOST_SESSION_POLICY, (int)o.LostSessionPolicy.Value, "LostSessionPolicy");
            Bool(h, Capi.OUZEL_OPT_AUTO_TOPIC_ALIAS, o.AutoTopicAlias, "AutoTopicAlias");
            if (o.Qos2Delivery.HasValue)
                Int(h, Capi.OUZEL_OPT_QOS2_DELIVERY, (int)o.Qos2Delivery.Value, "Qos2Delivery");
            Bool(h, Capi.OUZEL_OPT_NUMBER_QOS0_MESSAGES, o.NumberQos0Messages, "NumberQos0Messages");
            Int(h, Capi.OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, o.MaxPendingMessages, "MaxPendingMessages");
            Int(h, Capi.OUZEL_OPT_EVENT_QUEUE_MAX_BYTES, o.MaxPendingBytes, "MaxPendingBytes");
            if (o.LogLevel != MqttLogLevel.None)
                Int(h, Capi.OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, (int)o.LogLevel, "LogLevel");
            ApplyConnectProperties(h, o);
            ApplyWill(h, o);
            ApplyTls(h, o.TlsOptions);
            ApplyWebSocket(h, o.WebSocketOptions);
            ApplyProxy(h, o.ProxyOptions);
            ApplyPersistence(h, o.PersistenceOptions);
        }

        // With UseTls, plain schemes become their TLS twins (MQTTnet's WithTcpServer + UseTls).
        static void ApplyServers(IntPtr h, MqttClientOptions o)
        {
            bool first = true;
            foreach (string uri in o.ServerUris)
            {
                string u = uri;
                if (o.TlsOptions.UseTls)
                {
                    if (u.StartsWith("mqtt://", StringComparison.OrdinalIgnoreCase)) u = "mqtts://" + u.Substring(7);
                    else if (u.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)) u = "mqtts://" + u.Substring(6);
                    else if (u.StartsWith("ws://", StringComparison.OrdinalIgnoreCase)) u = "wss://" + u.Substring(5);
                }
                Text(h, first ? Capi.OUZEL_OPT_SERVER_URI : Capi.OUZEL_OPT_ADD_SERVER_URI, u, "ServerUris");
                first = false;
            }
        }

        static void ApplyConnectProperties(IntPtr h, MqttClientOptions o)
        {
            using (var w = new PropertyWriter())
            {
                w.Int(Capi.OUZEL_PROP_SESSION_EXPIRY_INTERVAL, o.SessionExpiryInterval, "SessionExpiryInterval");
                w.Int(Capi.OUZEL_PROP_RECEIVE_MAXIMUM, (uint?)o.ReceiveMaximum, "ReceiveMaximum");
                w.Int(Capi.OUZEL_PROP_MAXIMUM_PACKET_SIZE, o.MaximumPacketSize, "MaximumPacketSize");
                w.Int(Capi.OUZEL_PROP_TOPIC_ALIAS_MAXIMUM, (uint?)o.TopicAliasMaximum, "TopicAliasMaximum");
                if (o.RequestProblemInformation.HasValue)
                    w.Int(Capi.OUZEL_PROP_REQUEST_PROBLEM_INFORMATION, o.RequestProblemInformation.Value ? 1u : 0u,
                          "RequestProblemInformation");
                if (o.RequestResponseInformation.HasValue)
                    w.Int(Capi.OUZEL_PROP_REQUEST_RESPONSE_INFORMATION, o.RequestResponseInformation.Value ? 1u : 0u,
                          "RequestResponseInformation");
                w.Text(Capi.OUZEL_PROP_AUTHENTICATION_METHOD, o.AuthenticationMethod, "AuthenticationMethod");
                w.Binary(Capi.OUZEL_PROP_AUTHENTICATION_DATA, o.AuthenticationData, "AuthenticationData");
                w.Users(o.UserProperties);
                if (w.Handle != null)
                    OuzelErrors.Check(Capi.ouzel_options_set_connect_properties(h, w.Pointer), "connect properties");
            }
        }

        static void ApplyWill(IntPtr h, MqttClientOptions o)
        {
            if (o.WillTopic == null) return;
            using (var w = new PropertyWriter())
            {
                if (o.WillDelayInterval != 0)
                    w.Int(Capi.OUZEL_PROP_WILL_DELAY_INTERVAL, o.WillDelayInterval, "WillDelayInterval");
                if (o.WillMessageExpiryInterval != 0)
                    w.Int(Capi.OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL, o.WillMessageExpiryInterval, "WillMessageExpiryInterval");
                if (o.WillPayloadFormatIndicator != MqttPayloadFormatIndicator.Unspecified)
                    w.Int(Capi.OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR, (uint)o.WillPayloadFormatIndicator,
                          "WillPayloadFormatIndicator");
                w.Text(Capi.OUZEL_PROP_CONTENT_TYPE, o.WillContentType, "WillContentType");
                w.Text(Capi.OUZEL_PROP_RESPONSE_TOPIC, o.WillResponseTopic, "WillResponseTopic");
                w.Binary(Capi.OUZEL_PROP_CORRELATION_DATA, o.WillCorrelationData, "WillCorrelationData");
                w.Users(o.WillUserProperties);
                byte[] topic = Utf8.Encode(o.WillTopic);
                byte[] payload = o.WillPayload ?? Utf8.EmptyBytes;
                fixed (byte* t = topic)
                fixed (byte* pl = payload)
                    OuzelErrors.Check(Capi.ouzel_options_set_will(h, t, new UIntPtr((uint)topic.Length), pl,
                                                                  new UIntPtr((uint)payload.Length),
                                                                  (int)o.WillQualityOfServiceLevel, o.WillRetain ? 1 : 0,
                                                                  w.Pointer), "WillTopic");
            }
        }

        static void ApplyTls(IntPtr h, MqttClientTlsOptions t)
        {
            Text(h, Capi.OUZEL_OPT_TLS_CA_FILE, t.CaFile, "CaFile");
            Text(h, Capi.OUZEL_OPT_TLS_CA_PATH, t.CaPath, "CaPath");
            Bool(h, Capi.OUZEL_OPT_TLS_USE_SYSTEM_CAS, t.UseSystemCertificates, "UseSystemCertificates");
            Text(h, Capi.OUZEL_OPT_TLS_CERT_FILE, t.CertificateFile, "CertificateFile");
            Text(h, Capi.OUZEL_OPT_TLS_KEY_FILE, t.KeyFile, "KeyFile");
            Bytes(h, Capi.OUZEL_OPT_TLS_KEY_PASSWORD, t.KeyPassword, "KeyPassword");
            if (t.AllowUntrustedCertificates) Int(h, Capi.OUZEL_OPT_TLS_VERIFY_PEER, 0, "AllowUntrustedCertificates");
            Bool(h, Capi.OUZEL_OPT_TLS_VERIFY_HOSTNAME, t.VerifyHostname, "VerifyHostname");
            Text(h, Capi.OUZEL_OPT_TLS_SERVER_NAME, t.TargetHost, "TargetHost");
            if (t.MinimumVersion != MqttTlsVersion.Default)
                Int(h, Capi.OUZEL_OPT_TLS_MIN_VERSION, (int)t.MinimumVersion, "MinimumVersion");
            if (t.MaximumVersion != MqttTlsVersion.Default)
                Int(h, Capi.OUZEL_OPT_TLS_MAX_VERSION, (int)t.MaximumVersion, "MaximumVersion");
            foreach (string alpn in t.ApplicationProtocols) Text(h, Capi.OUZEL_OPT_TLS_ADD_ALPN, alpn, "ApplicationProtocols");
            Text(h, Capi.OUZEL_OPT_TLS_CIPHERS, t.CipherSuites, "CipherSuites");
            Text(h, Capi.OUZEL_OPT_TLS_PSK_IDENTITY, t.PreSharedKeyIdentity, "PreSharedKeyIdentity");
            Bytes(h, Capi.OUZEL_OPT_TLS_PSK_KEY, t.PreSharedKey, "PreSharedKey");
            Bool(h, Capi.OUZEL_OPT_TLS_SESSION_RESUMPTION, t.SessionResumption, "SessionResumption");
            if (t.CertificateValidationHandler != null) TlsVerifyCallback.Install(h, t.CertificateValidationHandler);
        }

        static void ApplyWebSocket(IntPtr h, MqttClientWebSocketOptions w)
        {
            foreach (KeyValuePair<string, string> header in w.RequestHeaders)
                Text(h, Capi.OUZEL_OPT_WS_ADD_HEADER, header.Key + ": " + header.Value, "RequestHeaders");
            Text(h, Capi.OUZEL_OPT_WS_SUBPROTOCOL, w.SubProtocol, "SubProtocol");
            Int(h, Capi.OUZEL_OPT_WS_MAX_FRAME_BYTES, w.MaxFrameSize, "MaxFrameSize");
            Int(h, Capi.OUZEL_OPT_WS_MAX_MESSAGE_BYTES, w.MaxMessageSize, "MaxMessageSize");
        }

        static void ApplyProxy(IntPtr h, MqttClientProxyOptions p)
        {
            if (p.Uri != null)
            {
                Text(h, Capi.OUZEL_OPT_PROXY_URI, p.Uri, "Proxy");
            }
            else if (p.Type != MqttProxyType.None)
            {
                Int(h, Capi.OUZEL_OPT_PROXY_TYPE, (int)p.Type, "ProxyType");
                Text(h, Capi.OUZEL_OPT_PROXY_HOST, p.Host, "ProxyHost");
                Int(h, Capi.OUZEL_OPT_PROXY_PORT, p.Port, "ProxyPort");
                Text(h, Capi.OUZEL_OPT_PROXY_USERNAME, p.UserName, "ProxyUserName");
                Text(h, Capi.OUZEL_OPT_PROXY_PASSWORD, p.Password, "ProxyPassword");
                Bool(h, Capi.OUZEL_OPT_PROXY_REMOTE_DNS, p.RemoteDns, "ProxyRemoteDns");
            }
            if (p.FromEnvironment) Int(h, Capi.OUZEL_OPT_PROXY_FROM_ENVIRONMENT, 1, "ProxyFromEnvironment");
        }

        static void ApplyPersistence(IntPtr h, MqttClientPersistenceOptions p)
        {
            if (string.IsNullOrEmpty(p.Directory)) return;
            Text(h, Capi.OUZEL_OPT_PERSISTENCE_DIR, p.Directory, "PersistenceDirectory");
            Text(h, Capi.OUZEL_OPT_PERSISTENCE_KEY, p.Key, "PersistenceKey");
            if (p.Sync.HasValue) Int(h, Capi.OUZEL_OPT_PERSISTENCE_SYNC, (int)p.Sync.Value, "PersistenceSync");
            Millis(h, Capi.OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, p.SyncInterval, "PersistenceSyncInterval");
            Int(h, Capi.OUZEL_OPT_PERSISTENCE_MAX_BYTES, p.MaxBytes, "PersistenceMaxBytes");
            Int(h, Capi.OUZEL_OPT_PERSISTENCE_MAX_MESSAGES, p.MaxMessages, "PersistenceMaxMessages");
            if (p.FullPolicy.HasValue)
                Int(h, Capi.OUZEL_OPT_PERSISTENCE_FULL_POLICY, (int)p.FullPolicy.Value, "PersistenceFullPolicy");
            Int(h, Capi.OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES, p.CompactMinBytes, "PersistenceCompactMinBytes");
        }
    }
}
