// What the client's events carry. Handlers run on the client's dispatcher, one at a time, in the
// order the engine produced the events, never on the network thread.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt
{
    /// <summary>A connection was accepted (the first one or a reconnection).</summary>
    public sealed class MqttClientConnectedEventArgs : EventArgs
    {
        internal MqttClientConnectedEventArgs(MqttClientConnectResult result)
        {
            ConnectResult = result;
        }

        /// <summary>The CONNACK.</summary>
        public MqttClientConnectResult ConnectResult { get; private set; }
    }

    /// <summary>A connection ended, or an attempt failed (<see cref="ClientWasConnected"/> false).</summary>
    public sealed class MqttClientDisconnectedEventArgs : EventArgs
    {
        internal MqttClientDisconnectedEventArgs(bool wasConnected, OuzelError error, int reasonCode, bool byServer,
                                                 string detail, Exception exception, PropertyBag props,
                                                 MqttClientConnectResult connectResult)
        {
            ClientWasConnected = wasConnected;
            Error = error;
            ReasonCode = reasonCode;
            ByServer = byServer;
            Detail = detail;
            Exception = exception;
            ReasonString = props.ReasonString;
            UserProperties = props.UserPropertiesOrEmpty;
            ConnectResult = connectResult;
        }

        /// <summary>True when an established connection ended; false when an attempt failed.</summary>
        public bool ClientWasConnected { get; private set; }
        /// <summary>Ok after DisconnectAsync, Closed after Reconnect, else why.</summary>
        public OuzelError Error { get; private set; }
        /// <summary>The DISCONNECT reason code (ours or the server's), the refusing CONNACK code,
        /// or -1 when the server sent none.</summary>
        public int ReasonCode { get; private set; }
        /// <summary>The DISCONNECT reason as an enum (meaningful when <see cref="ReasonCode"/> >= 0).</summary>
        public MqttClientDisconnectReason Reason
        {
            get { return (MqttClientDisconnectReason)Math.Max(ReasonCode, 0); }
        }
        /// <summary>Whether the server sent the DISCONNECT.</summary>
        public bool ByServer { get; private set; }
        /// <summary>The engine's explanation ("connection reset by peer"; "" for a requested disconnect).</summary>
        public string Detail { get; private set; }
        /// <summary>The failure as an exception, or null for a requested disconnect.</summary>
        public Exception Exception { get; private set; }
        /// <summary>MQTT 5 Reason String of the server's DISCONNECT, or null.</summary>
        public string ReasonString { get; private set; }
        /// <summary>MQTT 5 User Properties of the server's DISCONNECT.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; private set; }
        /// <summary>For a refused attempt, the refusing CONNACK; else null.</summary>
        public MqttClientConnectResult ConnectResult { get; private set; }
    }

    /// <summary>A message arrived. The client acknowledges a QoS 1/2 message (PUBACK / PUBREC) when
    /// the handlers have finished, also when one threw (that is reported through
    /// <see cref="IMqttClient.HandlerFailed"/>). A handler that sets <see cref="AutoAcknowledge"/>
    /// to false takes that over: the message is acknowledged when it calls
    /// <see cref="AcknowledgeAsync"/> (inside the handler or later), and when it never does the
    /// server sends it again once a kept session resumes. Acknowledgements leave in arrival order,
    /// so the ones of later messages wait behind a withheld one: the server's send window fills and
    /// no further QoS 1/2 message arrives until it is acknowledged or the connection ends.</summary>
    public sealed class MqttApplicationMessageReceivedEventArgs : EventArgs
    {
        readonly MqttClient client;
        readonly object gate = new object();
        bool released;     // the event went back to the engine (acknowledged or withheld)
        bool acknowledged; // asked for with AcknowledgeAsync

        internal MqttApplicationMessageReceivedEventArgs(MqttClient client, MqttApplicationMessage message,
                                                         ushort packetIdentifier)
        {
            this.client = client;
            ApplicationMessage = message;
            PacketIdentifier = packetIdentifier;
            AutoAcknowledge = true;
        }

        /// <summary>The message.</summary>
        public MqttApplicationMessage ApplicationMessage { get; private set; }
        /// <summary>The packet identifier it arrived with (0 for QoS 0).</summary>
        public ushort PacketIdentifier { get; private set; }
        /// <summary>The receiving client's id as configured.</summary>
        public string ClientId
        {
            get { return client.Options == null ? null : client.Options.ClientId; }
        }
        /// <summary>Acknowledge when the handlers return (default true).</summary>
        public bool AutoAcknowledge { get; set; }
        /// <summary>For the application's own bookkeeping between handlers.</summary>
        public bool IsHandled { get; set; }

        /// <summary>Acknowledges a QoS 1/2 message (a no-op for QoS 0 or when already done). Inside
        /// the handler it makes the acknowledgement leave when the handlers return; afterwards it
        /// sends it at once. Acknowledgements always leave in arrival order.</summary>
        public Task AcknowledgeAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool sendNow;
            lock (gate)
            {
                if (acknowledged) return CompletedTask.Instance;
                acknowledged = true;
                sendNow = released;
            }
            if (sendNow && ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
                client.Acknowledge(PacketIdentifier);
            return CompletedTask.Instance;
        }

        // Called by the dispatcher when the handlers are done: whether to acknowledge on release.
        internal bool Release()
        {
            lock (gate)
            {
                released = true;
                if (acknowledged) return true;
                if (!AutoAcknowledge) return false;
                acknowledged = true;
                return true;
            }
        }
    }

    /// <summary>The server sent AUTH (MQTT 5 enhanced authentication).</summary>
    public sealed class MqttEnhancedAuthenticationEventArgs : EventArgs
    {
        internal MqttEnhancedAuthenticationEventArgs(int reasonCode, PropertyBag p)
        {
            ReasonCode = reasonCode;
            AuthenticationMethod = p.AuthenticationMethod;
            AuthenticationData = p.AuthenticationData;
            ReasonString = p.ReasonString;
            UserProperties = p.UserPropertiesOrEmpty;
        }

        /// <summary>0x18 Continue authentication, 0x00 re-authentication succeeded.</summary>
        public int ReasonCode { get; private set; }
        /// <summary>Authentication Method.</summary>
        public string AuthenticationMethod { get; private set; }
        /// <summary>Authentication Data.</summary>
        public byte[] AuthenticationData { get; private set; }
        /// <summary>Reason String.</summary>
        public string ReasonString { get; private set; }
        /// <summary>User Properties.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; private set; }
    }

    /// <summary>A line of the engine's log.</summary>
    public sealed class MqttClientLogEventArgs : EventArgs
    {
        internal MqttClientLogEventArgs(MqttLogLevel level, string message)
        {
            Level = level;
            Message = message;
        }

        /// <summary>Its level.</summary>
        public MqttLogLevel Level { get; private set; }
        /// <summary>The line.</summary>
        public string Message { get; private set; }
    }

    /// <summary>An event handler threw. For a message, it is still acknowledged unless the handler
    /// had turned <see cref="MqttApplicationMessageReceivedEventArgs.AutoAcknowledge"/> off.</summary>
    public sealed class MqttClientHandlerFailedEventArgs : EventArgs
    {
        internal MqttClientHandlerFailedEventArgs(string eventName, Exception exception, MqttApplicationMessage message)
        {
            EventName = eventName;
            Exception = exception;
            ApplicationMessage = message;
        }

        /// <summary>"ApplicationMessageReceivedAsync", "ConnectedAsync", ...</summary>
        public string EventName { get; private set; }
        /// <summary>What the handler threw.</summary>
        public Exception Exception { get; private set; }
        /// <summary>The message being handled, or null.</summary>
        public MqttApplicationMessage ApplicationMessage { get; private set; }
    }

    static class CompletedTask
    {
        internal static readonly Task Instance = Task.FromResult(true);
    }
}
