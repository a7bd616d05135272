// What ConnectAsync, PublishAsync, SubscribeAsync and UnsubscribeAsync return: the server's
// acknowledgement with its reason code(s) and MQTT 5 properties.
using System.Collections.Generic;

namespace Ouzel.Mqtt
{
    /// <summary>The CONNACK.</summary>
    public sealed class MqttClientConnectResult
    {
        /// <summary>The reason code (Success when accepted).</summary>
        public MqttClientConnectResultCode ResultCode { get; internal set; }
        /// <summary>Whether the server resumed a session.</summary>
        public bool IsSessionPresent { get; internal set; }
        /// <summary>MQTT 5: the client id the server assigned (when the client sent an empty one), else null.</summary>
        public string AssignedClientIdentifier { get; internal set; }
        /// <summary>MQTT 5 Reason String, or null.</summary>
        public string ReasonString { get; internal set; }
        /// <summary>MQTT 5 Response Information, or null.</summary>
        public string ResponseInformation { get; internal set; }
        /// <summary>MQTT 5 Server Reference, or null.</summary>
        public string ServerReference { get; internal set; }
        /// <summary>MQTT 5 Authentication Method, or null.</summary>
        public string AuthenticationMethod { get; internal set; }
        /// <summary>MQTT 5 Authentication Data, or null.</summary>
        public byte[] AuthenticationData { get; internal set; }
        /// <summary>MQTT 5 Session Expiry Interval the server set, or null.</summary>
        public uint? SessionExpiryInterval { get; internal set; }
        /// <summary>MQTT 5 Server Keep Alive, or null.</summary>
        public uint? ServerKeepAlive { get; internal set; }
        /// <summary>MQTT 5 Receive Maximum, or null (65,535).</summary>
        public uint? ReceiveMaximum { get; internal set; }
        /// <summary>MQTT 5 Maximum Packet Size, or null (no limit).</summary>
        public uint? MaximumPacketSize { get; internal set; }
        /// <summary>MQTT 5 Topic Alias Maximum, or null (0).</summary>
        public uint? TopicAliasMaximum { get; internal set; }
        /// <summary>MQTT 5 Maximum QoS (ExactlyOnce when absent).</summary>
        public MqttQualityOfServiceLevel MaximumQoS { get; internal set; }
        /// <summary>MQTT 5 Retain Available (true when absent).</summary>
        public bool RetainAvailable { get; internal set; }
        /// <summary>MQTT 5 Wildcard Subscription Available (true when absent).</summary>
        public bool WildcardSubscriptionAvailable { get; internal set; }
        /// <summary>MQTT 5 Subscription Identifiers Available (true when absent).</summary>
        public bool SubscriptionIdentifiersAvailable { get; internal set; }
        /// <summary>MQTT 5 Shared Subscription Available (true when absent).</summary>
        public bool SharedSubscriptionAvailable { get; internal set; }
        /// <summary>MQTT 5 User Properties.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; internal set; }

        internal static MqttClientConnectResult From(int reasonCode, bool sessionPresent, PropertyBag p)
        {
            return new MqttClientConnectResult
            {
                ResultCode = (MqttClientConnectResultCode)reasonCode,
                IsSessionPresent = sessionPresent,
                AssignedClientIdentifier = p.AssignedClientIdentifier,
                ReasonString = p.ReasonString,
                ResponseInformation = p.ResponseInformation,
                ServerReference = p.ServerReference,
                AuthenticationMethod = p.AuthenticationMethod,
                AuthenticationData = p.AuthenticationData,
                SessionExpiryInterval = p.SessionExpiryInterval,
                ServerKeepAlive = p.ServerKeepAlive,
                ReceiveMaximum = p.ReceiveMaximum,
                MaximumPacketSize = p.MaximumPacketSize,
                TopicAliasMaximum = p.TopicAliasMaximum,
                MaximumQoS = (MqttQualityOfServiceLevel)(p.MaximumQos ?? 2),
                RetainAvailable = (p.RetainAvailable ?? 1) != 0,
                WildcardSubscriptionAvailable = (p.WildcardSubscriptionAvailable ?? 1) != 0,
                SubscriptionIdentifiersAvailable = (p.SubscriptionIdentifiersAvailable ?? 1) != 0,
                SharedSubscriptionAvailable = (p.SharedSubscriptionAvailable ?? 1) != 0,
                UserProperties = p.UserPropertiesOrEmpty,
            };
        }

        // A refusal whose properties are not known (an error code without its event).
        internal static MqttClientConnectResult Refused(int? reasonCode)
        {
            return From(reasonCode ?? (int)MqttClientConnectResultCode.UnspecifiedError, false, PropertyBag.Empty);
        }

        // MQTT 3 CONNACK return codes 1..5 as their MQTT 5 equivalents (MQTT 5 codes pass through).
        internal static int NormalizeReasonCode(int code)
        {
            switch (code)
            {
                case 1: return (int)MqttClientConnectResultCode.UnsupportedProtocolVersion;
                case 2: return (int)MqttClientConnectResultCode.ClientIdentifierNotValid;
                case 3: return (int)MqttClientConnectResultCode.ServerUnavailable;
                case 4: return (int)MqttClientConnectResultCode.BadUserNameOrPassword;
                case 5: return (int)MqttClientConnectResultCode.NotAuthorized;
                default: return code;
            }
        }
    }

    /// <summary>A publish that reached its final state: acknowledged (or, at QoS 0, written), or
    /// refused by the server with an MQTT 5 reason code.</summary>
    public sealed class MqttClientPublishResult
    {
        /// <summary>The packet identifier it was last sent with (0 for QoS 0).</summary>
        public ushort? PacketIdentifier { get; internal set; }
        /// <summary>The PUBACK/PUBREC/PUBCOMP reason code (Success for MQTT 3 and QoS 0).</summary>
        public MqttClientPublishReasonCode ReasonCode { get; internal set; }
        /// <summary>True unless the server refused the message.</summary>
        public bool IsSuccess
        {
            get { return (int)ReasonCode < 0x80; }
        }
        /// <summary>MQTT 5 Reason String, or null.</summary>
        public string ReasonString { get; internal set; }
        /// <summary>MQTT 5 User Properties of the acknowledgement.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; internal set; }
    }

    /// <summary>One filter's SUBACK code.</summary>
    public sealed class MqttClientSubscribeResultItem
    {
        internal MqttClientSubscribeResultItem(string topicFilter, MqttClientSubscribeResultCode code)
        {
            TopicFilter = topicFilter;
            ResultCode = code;
        }

        /// <summary>The filter as subscribed.</summary>
        public string TopicFilter { get; private set; }
        /// <summary>The granted QoS, or the reason it was refused.</summary>
        public MqttClientSubscribeResultCode ResultCode { get; private set; }
    }

    /// <summary>The SUBACK.</summary>
    public sealed class MqttClientSubscribeResult
    {
        /// <summary>The SUBSCRIBE's packet identifier.</summary>
        public ushort PacketIdentifier { get; internal set; }
        /// <summary>One item per filter, in the order subscribed.</summary>
        public IReadOnlyList<MqttClientSubscribeResultItem> Items { get; internal set; }
        /// <summary>MQTT 5 Reason String, or null.</summary>
        public string ReasonString { get; internal set; }
        /// <summary>MQTT 5 User Properties.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; internal set; }
    }

    /// <summary>One filter's UNSUBACK code.</summary>
    public sealed class MqttClientUnsubscribeResultItem
    {
        internal MqttClientUnsubscribeResultItem(string topicFilter, MqttClientUnsubscribeResultCode code)
        {
            TopicFilter = topicFilter;
            ResultCode = code;
        }

        /// <summary>The filter as unsubscribed.</summary>
        public string TopicFilter { get; private set; }
        /// <summary>The reason code (Success for MQTT 3, which has none).</summary>
        public MqttClientUnsubscribeResultCode ResultCode { get; private set; }
    }

    /// <summary>The UNSUBACK.</summary>
    public sealed class MqttClientUnsubscribeResult
    {
        /// <summary>The UNSUBSCRIBE's packet identifier.</summary>
        public ushort PacketIdentifier { get; internal set; }
        /// <summary>One item per filter, in the order unsubscribed.</summary>
        public IReadOnlyList<MqttClientUnsubscribeResultItem> Items { get; internal set; }
        /// <summary>MQTT 5 Reason String, or null.</summary>
        public string ReasonString { get; internal set; }
        /// <summary>MQTT 5 User Properties.</summary>
        public IReadOnlyList<MqttUserProperty> UserProperties { get; internal set; }
    }
}
