// The protocol's enumerations, named as MQTTnet names them (values are the wire values).
namespace Ouzel.Mqtt
{
    /// <summary>MQTT quality of service.</summary>
    public enum MqttQualityOfServiceLevel
    {
        /// <summary>QoS 0.</summary>
        AtMostOnce = 0,
        /// <summary>QoS 1.</summary>
        AtLeastOnce = 1,
        /// <summary>QoS 2.</summary>
        ExactlyOnce = 2,
    }

    /// <summary>The protocol level sent in CONNECT.</summary>
    public enum MqttProtocolVersion
    {
        /// <summary>Not set.</summary>
        Unknown = 0,
        /// <summary>MQTT 3.1.</summary>
        V310 = 3,
        /// <summary>MQTT 3.1.1.</summary>
        V311 = 4,
        /// <summary>MQTT 5.0.</summary>
        V500 = 5,
    }

    /// <summary>Where an outgoing message is (OUZEL_DELIVERY_*).</summary>
    public enum MqttDeliveryState
    {
        /// <summary>Waiting to be sent (offline, or the inflight window is full).</summary>
        Queued = 0,
        /// <summary>Sent, its acknowledgement not yet received.</summary>
        Inflight = 1,
        /// <summary>Done: written (QoS 0), PUBACK (QoS 1) or PUBCOMP (QoS 2) received.</summary>
        Acknowledged = 2,
        /// <summary>Its Message Expiry Interval passed before it could be sent.</summary>
        Expired = 3,
        /// <summary>Given up; see <see cref="MqttDropReason"/>.</summary>
        Dropped = 4,
    }

    /// <summary>Why a message was dropped (OUZEL_DROP_*).</summary>
    public enum MqttDropReason
    {
        /// <summary>Not dropped.</summary>
        None = 0,
        /// <summary>The queue was full and the policy dropped it.</summary>
        QueueFull = 1,
        /// <summary>The server did not resume the session it was part of.</summary>
        SessionLost = 2,
        /// <summary>Over the server's Maximum Packet Size.</summary>
        TooLarge = 3,
        /// <summary>The server refused it (MQTT 5 PUBACK/PUBREC reason code >= 0x80).</summary>
        Rejected = 4,
        /// <summary>The connection ended and the session cannot carry it.</summary>
        ConnectionLost = 5,
        /// <summary>The client was closed first.</summary>
        Cancelled = 6,
    }

    /// <summary>The CONNACK reason code (MQTT 3 return codes are given as their MQTT 5 equivalents).</summary>
    public enum MqttClientConnectResultCode
    {
        /// <summary>0x00.</summary>
        Success = 0x00,
        /// <summary>0x80.</summary>
        UnspecifiedError = 0x80,
        /// <summary>0x81.</summary>
        MalformedPacket = 0x81,
        /// <summary>0x82.</summary>
        ProtocolError = 0x82,
        /// <summary>0x83.</summary>
        ImplementationSpecificError = 0x83,
        /// <summary>0x84 (MQTT 3: 1).</summary>
        UnsupportedProtocolVersion = 0x84,
        /// <summary>0x85 (MQTT 3: 2).</summary>
        ClientIdentifierNotValid = 0x85,
        /// <summary>0x86 (MQTT 3: 4).</summary>
        BadUserNameOrPassword = 0x86,
        /// <summary>0x87 (MQTT 3: 5).</summary>
        NotAuthorized = 0x87,
        /// <summary>0x88 (MQTT 3: 3).</summary>
        ServerUnavailable = 0x88,
        /// <summary>0x89.</summary>
        ServerBusy = 0x89,
        /// <summary>0x8A.</summary>
        Banned = 0x8A,
        /// <summary>0x8C.</summary>
        BadAuthenticationMethod = 0x8C,
        /// <summary>0x90.</summary>
        TopicNameInvalid = 0x90,
        /// <summary>0x95.</summary>
        PacketTooLarge = 0x95,
        /// <summary>0x97.</summary>
        QuotaExceeded = 0x97,
        /// <summary>0x99.</summary>
        PayloadFormatInvalid = 0x99,
        /// <summary>0x9A.</summary>
        RetainNotSupported = 0x9A,
        /// <summary>0x9B.</summary>
        QoSNotSupported = 0x9B,
        /// <summary>0x9C.</summary>
        UseAnotherServer = 0x9C,
        /// <summary>0x9D.</summary>
        ServerMoved = 0x9D,
        /// <summary>0x9F.</summary>
        ConnectionRateExceeded = 0x9F,
    }

    /// <summary>The PUBACK / PUBREC / PUBCOMP reason code (MQTT 5; Success for MQTT 3).</summary>
    public enum MqttClientPublishReasonCode
    {
        /// <summary>0x00.</summary>
        Success = 0x00,
        /// <summary>0x10.</summary>
        NoMatchingSubscribers = 0x10,
        /// <summary>0x80.</summary>
        UnspecifiedError = 0x80,
        /// <summary>0x83.</summary>
        ImplementationSpecificError = 0x83,
        /// <summary>0x87.</summary>
        NotAuthorized = 0x87,
        /// <summary>0x90.</summary>
        TopicNameInvalid = 0x90,
        /// <summary>0x91.</summary>
        PacketIdentifierInUse = 0x91,
        /// <summary>0x92.</summary>
        PacketIdentifierNotFound = 0x92,
        /// <summary>0x97.</summary>
        QuotaExceeded = 0x97,
        /// <summary>0x99.</summary>
        PayloadFormatInvalid = 0x99,
    }

    /// <summary>One SUBACK reason code (MQTT 3: granted QoS or 0x80).</summary>
    public enum MqttClientSubscribeResultCode
    {
        /// <summary>0x00.</summary>
        GrantedQoS0 = 0x00,
        /// <summary>0x01.</summary>
        GrantedQoS1 = 0x01,
        /// <summary>0x02.</summary>
        GrantedQoS2 = 0x02,
        /// <summary>0x80.</summary>
        UnspecifiedError = 0x80,
        /// <summary>0x83.</summary>
        ImplementationSpecificError = 0x83,
        /// <summary>0x87.</summary>
        NotAuthorized = 0x87,
        /// <summary>0x8F.</summary>
        TopicFilterInvalid = 0x8F,
        /// <summary>0x91.</summary>
        PacketIdentifierInUse = 0x91,
        /// <summary>0x97.</summary>
        QuotaExceeded = 0x97,
        /// <summary>0x9E.</summary>
        SharedSubscriptionsNotSupported = 0x9E,
        /// <summary>0xA1.</summary>
        SubscriptionIdentifiersNotSupported = 0xA1,
        /// <summary>0xA2.</summary>
        WildcardSubscriptionsNotSupported = 0xA2,
    }

    /// <summary>One UNSUBACK reason code (MQTT 5; Success for MQTT 3).</summary>
    public enum MqttClientUnsubscribeResultCode
    {
        /// <summary>0x00.</summary>
        Success = 0x00,
        /// <summary>0x11.</summary>
        NoSubscriptionExisted = 0x11,
        /// <summary>0x80.</summary>
        UnspecifiedError = 0x80,
        /// <summary>0x83.</summary>
        ImplementationSpecificError = 0x83,
        /// <summary>0x87.</summary>
        NotAuthorized = 0x87,
        /// <summary>0x8F.</summary>
        TopicFilterInvalid = 0x8F,
        /// <summary>0x91.</summary>
        PacketIdentifierInUse = 0x91,
    }

    /// <summary>A DISCONNECT reason code (MQTT 5), the client's or the server's.</summary>
    public enum MqttClientDisconnectReason
    {
        /// <summary>0x00.</summary>
        NormalDisconnection = 0x00,
        /// <summary>0x04.</summary>
        DisconnectWithWillMessage = 0x04,
        /// <summary>0x80.</summary>
        UnspecifiedError = 0x80,
        /// <summary>0x81.</summary>
        MalformedPacket = 0x81,
        /// <summary>0x82.</summary>
        ProtocolError = 0x82,
        /// <summary>0x83.</summary>
        ImplementationSpecificError = 0x83,
        /// <summary>0x87.</summary>
        NotAuthorized = 0x87,
        /// <summary>0x89.</summary>
        ServerBusy = 0x89,
        /// <summary>0x8B.</summary>
        ServerShuttingDown = 0x8B,
        /// <summary>0x8D.</summary>
        KeepAliveTimeout = 0x8D,
        /// <summary>0x8E.</summary>
        SessionTakenOver = 0x8E,
        /// <summary>0x8F.</summary>
        TopicFilterInvalid = 0x8F,
        /// <summary>0x90.</summary>
        TopicNameInvalid = 0x90,
        /// <summary>0x93.</summary>
        ReceiveMaximumExceeded = 0x93,
        /// <summary>0x94.</summary>
        TopicAliasInvalid = 0x94,
        /// <summary>0x95.</summary>
        PacketTooLarge = 0x95,
        /// <summary>0x96.</summary>
        MessageRateTooHigh = 0x96,
        /// <summary>0x97.</summary>
        QuotaExceeded = 0x97,
        /// <summary>0x98.</summary>
        AdministrativeAction = 0x98,
        /// <summary>0x99.</summary>
        PayloadFormatInvalid = 0x99,
        /// <summary>0x9A.</summary>
        RetainNotSupported = 0x9A,
        /// <summary>0x9B.</summary>
        QoSNotSupported = 0x9B,
        /// <summary>0x9C.</summary>
        UseAnotherServer = 0x9C,
        /// <summary>0x9D.</summary>
        ServerMoved = 0x9D,
        /// <summary>0x9E.</summary>
        SharedSubscriptionsNotSupported = 0x9E,
        /// <summary>0x9F.</summary>
        ConnectionRateExceeded = 0x9F,
        /// <summary>0xA0.</summary>
        MaximumConnectTime = 0xA0,
        /// <summary>0xA1.</summary>
        SubscriptionIdentifiersNotSupported = 0xA1,
        /// <summary>0xA2.</summary>
        WildcardSubscriptionsNotSupported = 0xA2,
    }

    /// <summary>MQTT 5 Retain Handling subscription option.</summary>
    public enum MqttRetainHandling
    {
        /// <summary>Send retained messages at subscribe time.</summary>
        SendAtSubscribe = 0,
        /// <summary>Only when the subscription is new.</summary>
        SendAtSubscribeIfNewSubscriptionOnly = 1,
        /// <summary>Never.</summary>
        DoNotSendOnSubscribe = 2,
    }

    /// <summary>MQTT 5 Payload Format Indicator.</summary>
    public enum MqttPayloadFormatIndicator
    {
        /// <summary>Unspecified bytes.</summary>
        Unspecified = 0,
        /// <summary>UTF-8 character data.</summary>
        CharacterData = 1,
    }

    /// <summary>Where a client's connection stands (ouzel_client_state).</summary>
    public enum MqttClientConnectionState
    {
        /// <summary>No connection and none wanted: never connected, or after DisconnectAsync (or Dispose).</summary>
        Disconnected = 0,
        /// <summary>A connection is wanted; the next attempt waits for its back-off delay.</summary>
        ConnectPending = 1,
        /// <summary>An attempt is under way (TCP, handshakes, CONNECT sent, no CONNACK yet).</summary>
        Connecting = 2,
        /// <summary>A CONNACK accepted the connection.</summary>
        Connected = 3,
        /// <summary>The connection is closing.</summary>
        Disconnecting = 4,
        /// <summary>The connection ended or the attempts failed with automatic reconnection off.</summary>
        ConnectionLost = 5,
    }

    /// <summary>Severity of the engine's log lines (OUZEL_LOG_*).</summary>
    public enum MqttLogLevel
    {
        /// <summary>No log events.</summary>
        None = 0,
        /// <summary>OUZEL_LOG_ERR.</summary>
        Error = 8,
        /// <summary>OUZEL_LOG_WARNING.</summary>
        Warning = 4,
        /// <summary>OUZEL_LOG_NOTICE.</summary>
        Notice = 2,
        /// <summary>OUZEL_LOG_INFO.</summary>
        Info = 1,
        /// <summary>OUZEL_LOG_DEBUG.</summary>
        Debug = 16,
    }
}
