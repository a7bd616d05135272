// The options of SubscribeAsync, UnsubscribeAsync and DisconnectAsync, and their builders.
using System;
using System.Collections.Generic;

namespace Ouzel.Mqtt
{
    /// <summary>One topic filter of a SUBSCRIBE with its options.</summary>
    public sealed class MqttTopicFilter
    {
        /// <summary>The filter (may hold + and #, or be $share/group/...).</summary>
        public string Topic { get; set; }
        /// <summary>The maximum QoS.</summary>
        public MqttQualityOfServiceLevel QualityOfServiceLevel { get; set; }
        /// <summary>MQTT 5 No Local.</summary>
        public bool NoLocal { get; set; }
        /// <summary>MQTT 5 Retain As Published.</summary>
        public bool RetainAsPublished { get; set; }
        /// <summary>MQTT 5 Retain Handling.</summary>
        public MqttRetainHandling RetainHandling { get; set; }
    }

    /// <summary>What SubscribeAsync sends.</summary>
    public sealed class MqttClientSubscribeOptions
    {
        /// <summary>Creates empty options.</summary>
        public MqttClientSubscribeOptions()
        {
            TopicFilters = new List<MqttTopicFilter>();
        }

        /// <summary>The filters, in order.</summary>
        public List<MqttTopicFilter> TopicFilters { get; private set; }
        /// <summary>MQTT 5 Subscription Identifier (0: none).</summary>
        public uint SubscriptionIdentifier { get; set; }
        /// <summary>MQTT 5 User Properties, or null.</summary>
        public List<MqttUserProperty> UserProperties { get; set; }
    }

    /// <summary>Builds <see cref="MqttClientSubscribeOptions"/>.</summary>
    public sealed class MqttClientSubscribeOptionsBuilder
    {
        readonly MqttClientSubscribeOptions options = new MqttClientSubscribeOptions();

        /// <summary>Adds a filter.</summary>
        public MqttClientSubscribeOptionsBuilder WithTopicFilter(string topic,
                                                                 MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce,
                                                                 bool noLocal = false, bool retainAsPublished = false,
                                                                 MqttRetainHandling retainHandling = MqttRetainHandling.SendAtSubscribe)
        {
            options.TopicFilters.Add(new MqttTopicFilter
            {
                Topic = topic,
                QualityOfServiceLevel = qos,
                NoLocal = noLocal,
                RetainAsPublished = retainAsPublished,
                RetainHandling = retainHandling,
            });
            return this;
        }

        /// <summary>Adds a filter.</summary>
        public MqttClientSubscribeOptionsBuilder WithTopicFilter(MqttTopicFilter filter)
        {
            if (filter == null) throw new ArgumentNullException("filter");
            options.TopicFilters.Add(filter);
            return this;
        }

        /// <summary>MQTT 5 Subscription Identifier.</summary>
        public MqttClientSubscribeOptionsBuilder WithSubscriptionIdentifier(uint identifier)
        {
            options.SubscriptionIdentifier = identifier;
            return this;
        }

        /// <summary>Appends an MQTT 5 User Property.</summary>
        public MqttClientSubscribeOptionsBuilder WithUserProperty(string name, string value)
        {
            if (options.UserProperties == null) options.UserProperties = new List<MqttUserProperty>();
            options.UserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        /// <summary>The options.</summary>
        public MqttClientSubscribeOptions Build()
        {
            return options;
        }
    }

    /// <summary>What UnsubscribeAsync sends.</summary>
    public sealed class MqttClientUnsubscribeOptions
    {
        /// <summary>Creates empty options.</summary>
        public MqttClientUnsubscribeOptions()
        {
            TopicFilters = new List<string>();
        }

        /// <summary>The filters, in order.</summary>
        public List<string> TopicFilters { get; private set; }
        /// <summary>MQTT 5 User Properties, or null.</summary>
        public List<MqttUserProperty> UserProperties { get; set; }
    }

    /// <summary>Builds <see cref="MqttClientUnsubscribeOptions"/>.</summary>
    public sealed class MqttClientUnsubscribeOptionsBuilder
    {
        readonly MqttClientUnsubscribeOptions options = new MqttClientUnsubscribeOptions();

        /// <summary>Adds a filter.</summary>
        public MqttClientUnsubscribeOptionsBuilder WithTopicFilter(string topic)
        {
            options.TopicFilters.Add(topic);
            return this;
        }

        /// <summary>Appends an MQTT 5 User Property.</summary>
        public MqttClientUnsubscribeOptionsBuilder WithUserProperty(string name, string value)
        {
            if (options.UserProperties == null) options.UserProperties = new List<MqttUserProperty>();
            options.UserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        /// <summary>The options.</summary>
        public MqttClientUnsubscribeOptions Build()
        {
            return options;
        }
    }

    /// <summary>What DisconnectAsync sends (the reason and properties are MQTT 5 only).</summary>
    public sealed class MqttClientDisconnectOptions
    {
        /// <summary>The DISCONNECT reason code.</summary>
        public MqttClientDisconnectReason Reason { get; set; }
        /// <summary>Reason String, or null.</summary>
        public string ReasonString { get; set; }
        /// <summary>Session Expiry Interval to set on the way out, or null.</summary>
        public uint? SessionExpiryInterval { get; set; }
        /// <summary>User Properties, or null.</summary>
        public List<MqttUserProperty> UserProperties { get; set; }
    }

    /// <summary>Builds <see cref="MqttClientDisconnectOptions"/>.</summary>
    public sealed class MqttClientDisconnectOptionsBuilder
    {
        readonly MqttClientDisconnectOptions options = new MqttClientDisconnectOptions();

        /// <summary>The reason code.</summary>
        public MqttClientDisconnectOptionsBuilder WithReason(MqttClientDisconnectReason reason)
        {
            options.Reason = reason;
            return this;
        }

        /// <summary>The Reason String.</summary>
        public MqttClientDisconnectOptionsBuilder WithReasonString(string reasonString)
        {
            options.ReasonString = reasonString;
            return this;
        }

        /// <summary>The Session Expiry Interval.</summary>
        public MqttClientDisconnectOptionsBuilder WithSessionExpiryInterval(uint seconds)
        {
            options.SessionExpiryInterval = seconds;
            return this;
        }

        /// <summary>Appends a User Property.</summary>
        public MqttClientDisconnectOptionsBuilder WithUserProperty(string name, string value)
        {
            if (options.UserProperties == null) options.UserProperties = new List<MqttUserProperty>();
            options.UserProperties.Add(new MqttUserProperty(name, value));
            return this;
        }

        /// <summary>The options.</summary>
        public MqttClientDisconnectOptions Build()
        {
            return options;
        }
    }
}
