using System;
using System.Collections.Generic;
using System.Text;

namespace Ouzel.Mqtt
{
    /// <summary>An application message: what is published and what arrives.</summary>
    public sealed class MqttApplicationMessage
    {
        /// <summary>Creates an empty message (QoS 0, no payload); set at least <see cref="Topic"/>.</summary>
        public MqttApplicationMessage()
        {
            PayloadSegment = new ArraySegment<byte>(Interop.Utf8.EmptyBytes);
        }

        /// <summary>The topic name (UTF-8 on the wire; no wildcards when publishing).</summary>
        public string Topic { get; set; }

        /// <summary>The payload bytes (may contain zero bytes; may be empty).</summary>
        public ArraySegment<byte> PayloadSegment { get; set; }

        /// <summary>The quality of service.</summary>
        public MqttQualityOfServiceLevel QualityOfServiceLevel { get; set; }

        /// <summary>The retain flag.</summary>
        public bool Retain { get; set; }

        /// <summary>Received messages: the DUP flag (a redelivery).</summary>
        public bool Dup { get; set; }

        /// <summary>MQTT 5 Content Type, or null.</summary>
        public string ContentType { get; set; }

        /// <summary>MQTT 5 Response Topic, or null.</summary>
        public string ResponseTopic { get; set; }

        /// <summary>MQTT 5 Correlation Data, or null.</summary>
        public byte[] CorrelationData { get; set; }

        /// <summary>MQTT 5 Message Expiry Interval in seconds; 0 = none.</summary>
        public uint MessageExpiryInterval { get; set; }

        /// <summary>MQTT 5 Payload Format Indicator.</summary>
        public MqttPayloadFormatIndicator PayloadFormatIndicator { get; set; }

        /// <summary>MQTT 5 Topic Alias as received (aliases are resolved: <see cref="Topic"/> is
        /// always the full name); when publishing, leave 0 and turn on automatic aliases with
        /// <see cref="MqttClientOptionsBuilder.WithAutoTopicAlias"/>.</summary>
        public ushort TopicAlias { get; set; }

        /// <summary>MQTT 5 Subscription Identifiers of the subscriptions that matched (received only), or null.</summary>
        public List<uint> SubscriptionIdentifiers { get; set; }

        /// <summary>MQTT 5 User Properties in wire order, or null.</summary>
        public List<MqttUserProperty> UserProperties { get; set; }

        /// <summary>The payload as a new array.</summary>
        public byte[] PayloadToArray()
        {
            ArraySegment<byte> s = PayloadSegment;
            if (s.Array == null || s.Count == 0) return Interop.Utf8.EmptyBytes;
            var copy = new byte[s.Count];
            Buffer.BlockCopy(s.Array, s.Offset, copy, 0, s.Count);
            return copy;
        }

        /// <summary>The payload decoded as UTF-8 (ill-formed bytes become U+FFFD).</summary>
        public string ConvertPayloadToString()
        {
            ArraySegment<byte> s = PayloadSegment;
            if (s.Array == null) return "";
            return Encoding.UTF8.GetString(s.Array, s.Offset, s.Count);
        }
    }

    /// <summary>Builds an <see cref="MqttApplicationMessage"/> fluently.</summary>
    public sealed class MqttApplicationMessageBuilder
    {
        readonly MqttApplicationMessage message = new MqttApplicationMessage();

        /// <summary>Sets the topic.</summary>
        public MqttApplicationMessageBuilder WithTopic(string topic)
        {
            message.Topic = topic;
            return this;
        }

        /// <summary>Sets the payload (the array is not copied until the message is published).</summary>
        public MqttApplicationMessageBuilder WithPayload(byte[] payload)
        {
            message.PayloadSegment = new ArraySegment<byte>(payload ?? Interop.Utf8.EmptyBytes);
            return this;
        }

        /// <summary>Sets the payload to a segment of an array.</summary>
        public MqttApplicationMessageBuilder WithPayload(ArraySegment<byte> payload)
        {
            message.PayloadSegment = payload.Array == null ? new ArraySegment<byte>(Interop.Utf8.EmptyBytes) : payload;
            return this;
        }

        /// <summary>Sets the payload to the UTF-8 bytes of a string.</summary>
        public MqttApplicationMessageBuilder WithPayload(string payload)
        {
            return WithPayload(payload == null ? null : Encoding.UTF8.GetBytes(payload));
        }

        /// <summary>Sets the QoS.</summary>
        public MqttApplicationMessageBuilder WithQualityOfServiceLevel(MqttQualityOfServiceLevel qos)
        {
            message.QualityOfServiceLevel = qos;
            return this;
        }

        /// <summary>Sets the retain flag.</summary>
        public MqttApplicationMessageBuilder WithRetainFlag(bool retain = true)
        {
            message.Retain = retain;
            return this;
        }

        /// <summary>Sets the MQTT 5 Content Type.</summary>
        public MqttApplicationMessageBuilder WithContentType(string contentType)
        {
            message.ContentType = contentType;
            return this;
        }

        /// <summary>Sets the MQTT 5 Response Topic.</summary>
        public MqttApplicationMessageBuilder WithResponseTopic(string responseTopic)
        {
            message.ResponseTopic = responseTopic;
            return this;
        }

        /// <summary>Sets the MQTT 5 Correlation Data.</summary>
        public MqttApplicationMessageBuilder WithCorrelationData(byte[] correlationData)
        {
            message.CorrelationData = correlationData;
            return this;
        }

        /// <summary>Sets the MQTT 5 Message Expiry Interval (seconds).</summary>
        public MqttApplicationMessageBuilder WithMessageExpiryInterval(uint seconds)
        {
            message.MessageExpiryInterval = seconds;
            return this;
        }

        /// <summary>Sets the MQTT 5 Payload Format Indicator.</summary>
        public MqttApplicationMessageBuilder WithPayloadFormatIndicator(MqttPayloadFormatIndicator indicator)
        {
            message.PayloadFormatIndicator = indicator;
            return this;
        }

        /// <summary>Appends an MQTT 5 User Property.</summary>
        public MqttApplicationMessageBuilder WithUserProperty(string name, string value)
        {
            if (message.UserProperties == null) message.UserProperties = new List<MqttUserProperty>();
            message.UserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        /// <summary>The message.</summary>
        public MqttApplicationMessage Build()
        {
            if (string.IsNullOrEmpty(message.Topic)) throw new InvalidOperationException("the topic is not set");
            return message;
        }
    }
}
