// WebSocket, proxy and persistence settings: the smaller option groups.
using System;
using System.Collections.Generic;

namespace Ouzel.Mqtt
{
    /// <summary>WebSocket settings for ws:// and wss:// URIs.</summary>
    public sealed class MqttClientWebSocketOptions
    {
        /// <summary>Creates empty settings.</summary>
        public MqttClientWebSocketOptions()
        {
            RequestHeaders = new List<KeyValuePair<string, string>>();
        }

        /// <summary>Extra headers of the upgrade request, in order (a Host header replaces the computed one).</summary>
        public List<KeyValuePair<string, string>> RequestHeaders { get; private set; }
        /// <summary>Sec-WebSocket-Protocol offered and required; null = "mqtt", "" = none.</summary>
        public string SubProtocol { get; set; }
        /// <summary>Largest frame sent (engine default 65,536).</summary>
        public int? MaxFrameSize { get; set; }
        /// <summary>Largest message accepted; 0 = no limit (default).</summary>
        public int? MaxMessageSize { get; set; }
    }

    /// <summary>The kind of proxy.</summary>
    public enum MqttProxyType
    {
        /// <summary>No proxy.</summary>
        None = 0,
        /// <summary>HTTP CONNECT (Basic authentication with a user name).</summary>
        Http = 1,
        /// <summary>SOCKS5.</summary>
        Socks5 = 2,
    }

    /// <summary>A proxy between the client and the broker.</summary>
    public sealed class MqttClientProxyOptions
    {
        /// <summary>http://[user[:password]@]host[:port], socks5://... or socks5h://...; sets
        /// everything below at once. Null when given piece by piece.</summary>
        public string Uri { get; set; }
        /// <summary>The proxy kind.</summary>
        public MqttProxyType Type { get; set; }
        /// <summary>Its host.</summary>
        public string Host { get; set; }
        /// <summary>Its port; null = 8080 (HTTP) or 1080 (SOCKS5).</summary>
        public int? Port { get; set; }
        /// <summary>User name for the proxy, or null.</summary>
        public string UserName { get; set; }
        /// <summary>Password for the proxy, or null.</summary>
        public string Password { get; set; }
        /// <summary>SOCKS5: let the proxy resolve the broker's name (engine default true).</summary>
        public bool? RemoteDns { get; set; }
        /// <summary>Use mqtt_proxy / MQTT_PROXY from the environment when no proxy is set.</summary>
        public bool FromEnvironment { get; set; }
    }

    /// <summary>When the session log is synced to disk.</summary>
    public enum MqttPersistenceSync
    {
        /// <summary>fdatasync before the packets a write protects leave (safest, slowest; default).</summary>
        EveryWrite = 0,
        /// <summary>A background sync at most every <see cref="MqttClientPersistenceOptions.SyncInterval"/>.</summary>
        Interval = 1,
        /// <summary>Never (the kernel writes back when it likes).</summary>
        Never = 2,
    }

    /// <summary>What a publish does when the session store is full.</summary>
    public enum MqttPersistenceFullPolicy
    {
        /// <summary>Refuse the new message (<see cref="MqttQueueFullException"/>).</summary>
        RefuseNew = 0,
        /// <summary>Stop storing the oldest QoS 0 messages (QoS 1/2 are never evicted).</summary>
        DropOldestQos0 = 1,
    }

    /// <summary>The durable session store: with a directory, QoS 1/2 messages not yet acknowledged
    /// and QoS 2 packet ids survive a killed process (use with a persistent session).</summary>
    public sealed class MqttClientPersistenceOptions
    {
        /// <summary>The directory of the session files (created 0700), or null for none.</summary>
        public string Directory { get; set; }
        /// <summary>The session's name in the directory (default: client id "@" first URI).</summary>
        public string Key { get; set; }
        /// <summary>When the log is synced.</summary>
        public MqttPersistenceSync? Sync { get; set; }
        /// <summary>The interval for <see cref="MqttPersistenceSync.Interval"/> (engine default 100 ms).</summary>
        public TimeSpan? SyncInterval { get; set; }
        /// <summary>Stored bytes limit; 0 = unlimited.</summary>
        public long? MaxBytes { get; set; }
        /// <summary>Stored messages limit; 0 = unlimited.</summary>
        public long? MaxMessages { get; set; }
        /// <summary>What happens when full.</summary>
        public MqttPersistenceFullPolicy? FullPolicy { get; set; }
        /// <summary>Rewrite the log with only the live session once it is larger than this and
        /// more than twice the live session (engine default 4 MiB).</summary>
        public long? CompactMinBytes { get; set; }
    }
}
