// Between .NET values and ouzel_properties: building a list to send (one call per property) and
// reading a received list into a PropertyBag (one call per property; none for an empty list).
using System;
using System.Collections.Generic;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    // What a received packet's properties hold, by name. Absent properties are null.
    sealed class PropertyBag
    {
        internal static readonly PropertyBag Empty = new PropertyBag();

        internal uint? PayloadFormatIndicator, MessageExpiryInterval, SessionExpiryInterval, ServerKeepAlive,
            ReceiveMaximum, TopicAliasMaximum, TopicAlias, MaximumQos, RetainAvailable, MaximumPacketSize,
            WildcardSubscriptionAvailable, SubscriptionIdentifiersAvailable, SharedSubscriptionAvailable,
            RequestProblemInformation, RequestResponseInformation, WillDelayInterval;
        internal string ContentType, ResponseTopic, AssignedClientIdentifier, AuthenticationMethod,
            ResponseInformation, ServerReference, ReasonString;
        internal byte[] CorrelationData, AuthenticationData;
        internal List<uint> SubscriptionIdentifiers;
        internal List<MqttUserProperty> UserProperties;

        internal IReadOnlyList<MqttUserProperty> UserPropertiesOrEmpty
        {
            get { return (IReadOnlyList<MqttUserProperty>)UserProperties ?? NoUserProperties; }
        }

        internal static readonly MqttUserProperty[] NoUserProperties = new MqttUserProperty[0];
    }

    static unsafe class NativeProperties
    {
        // Property value types by identifier, from the engine's table (ouzel_property_type), read
        // once: 0 for identifiers MQTT 5 does not define.
        static readonly int[] Types = ReadTypes();

        static int[] ReadTypes()
        {
            var types = new int[256];
            for (int id = 1; id < types.Length; ++id) types[id] = Math.Max(Capi.ouzel_property_type(id), 0);
            return types;
        }

        // Reads a borrowed list (never NULL per the ABI; NULL is read as empty anyway).
        internal static PropertyBag Read(IntPtr props)
        {
            if (props == IntPtr.Zero) return PropertyBag.Empty;
            ulong count = Capi.ouzel_properties_count(props).ToUInt64();
            if (count == 0) return PropertyBag.Empty;
            var bag = new PropertyBag();
            for (ulong i = 0; i < count; ++i)
            {
                var index = new UIntPtr(i);
                int id = Capi.ouzel_properties_id_at(props, index);
                if (id == Capi.OUZEL_PROP_USER_PROPERTY)
                {
                    byte* name, value;
                    UIntPtr nameLen, valueLen;
                    if (Capi.ouzel_properties_user_at(props, index, &name, &nameLen, &value, &valueLen) != 0) continue;
                    if (bag.UserProperties == null) bag.UserProperties = new List<MqttUserProperty>();
                    bag.UserProperties.Add(new MqttUserProperty(Utf8.Decode(name, nameLen), Utf8.Decode(value, valueLen)));
                    continue;
                }
                int type = id > 0 && id < Types.Length ? Types[id] : 0;
                if (type == Capi.OUZEL_PROPTYPE_UTF8 || type == Capi.OUZEL_PROPTYPE_BINARY)
                {
                    byte* data;
                    UIntPtr len;
                    if (Capi.ouzel_properties_bytes_at(props, index, &data, &len) != 0) continue;
                    if (id == Capi.OUZEL_PROP_CORRELATION_DATA) bag.CorrelationData = Utf8.Bytes(data, len);
                    else if (id == Capi.OUZEL_PROP_AUTHENTICATION_DATA) bag.AuthenticationData = Utf8.Bytes(data, len);
                    else if (type == Capi.OUZEL_PROPTYPE_UTF8) SetText(bag, id, Utf8.Decode(data, len));
                    continue;
                }
                uint v;
                if (Capi.ouzel_properties_int_at(props, index, &v) != 0) continue;
                SetInt(bag, id, v);
            }
            return bag;
        }

        static void SetText(PropertyBag bag, int id, string s)
        {
            switch (id)
            {
                case Capi.OUZEL_PROP_CONTENT_TYPE: bag.ContentType = s; break;
                case Capi.OUZEL_PROP_RESPONSE_TOPIC: bag.ResponseTopic = s; break;
                case Capi.OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER: bag.AssignedClientIdentifier = s; break;
                case Capi.OUZEL_PROP_AUTHENTICATION_METHOD: bag.AuthenticationMethod = s; break;
                case Capi.OUZEL_PROP_RESPONSE_INFORMATION: bag.ResponseInformation = s; break;
                case Capi.OUZEL_PROP_SERVER_REFERENCE: bag.ServerReference = s; break;
                case Capi.OUZEL_PROP_REASON_STRING: bag.ReasonString = s; break;
            }
        }

        static void SetInt(PropertyBag bag, int id, uint v)
        {
            switch (id)
            {
                case Capi.OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR: bag.PayloadFormatIndicator = v; break;
                case Capi.OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL: bag.MessageExpiryInterval = v; break;
                case Capi.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER:
                    if (bag.SubscriptionIdentifiers == null) bag.SubscriptionIdentifiers = new List<uint>();
                    bag.SubscriptionIdentifiers.Add(v);
                    break;
                case Capi.OUZEL_PROP_SESSION_EXPIRY_INTERVAL: bag.SessionExpiryInterval = v; break;
                case Capi.OUZEL_PROP_SERVER_KEEP_ALIVE: bag.ServerKeepAlive = v; break;
                case Capi.OUZEL_PROP_REQUEST_PROBLEM_INFORMATION: bag.RequestProblemInformation = v; break;
                case Capi.OUZEL_PROP_WILL_DELAY_INTERVAL: bag.WillDelayInterval = v; break;
                case Capi.OUZEL_PROP_REQUEST_RESPONSE_INFORMATION: bag.RequestResponseInformation = v; break;
                case Capi.OUZEL_PROP_RECEIVE_MAXIMUM: bag.ReceiveMaximum = v; break;
                case Capi.OUZEL_PROP_TOPIC_ALIAS_MAXIMUM: bag.TopicAliasMaximum = v; break;
                case Capi.OUZEL_PROP_TOPIC_ALIAS: bag.TopicAlias = v; break;
                case Capi.OUZEL_PROP_MAXIMUM_QOS: bag.MaximumQos = v; break;
                case Capi.OUZEL_PROP_RETAIN_AVAILABLE: bag.RetainAvailable = v; break;
                case Capi.OUZEL_PROP_MAXIMUM_PACKET_SIZE: bag.MaximumPacketSize = v; break;
                case Capi.OUZEL_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE: bag.WildcardSubscriptionAvailable = v; break;
                case Capi.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE: bag.SubscriptionIdentifiersAvailable = v; break;
                case Capi.OUZEL_PROP_SHARED_SUBSCRIPTION_AVAILABLE: bag.SharedSubscriptionAvailable = v; break;
            }
        }
    }

    // Builds an owned ouzel_properties for one call; Handle is null while nothing was added, so a
    // packet without properties costs no native allocation.
    sealed unsafe class PropertyWriter : IDisposable
    {
        PropertiesHandle handle;

        internal PropertiesHandle Handle
        {
            get { return handle; }
        }

        // The pointer to pass to the C API (NULL when empty); the writer must outlive the call.
        internal IntPtr Pointer
        {
            get { return handle == null ? IntPtr.Zero : handle.DangerousGetHandle(); }
        }

        PropertiesHandle Ensure()
        {
            if (handle != null) return handle;
            IntPtr p;
            OuzelErrors.Check(Capi.ouzel_properties_new(&p));
            handle = new PropertiesHandle();
            handle.Adopt(p);
            return handle;
        }

        internal void Int(int id, uint value, string what)
        {
            OuzelErrors.Check(Capi.ouzel_properties_set_int(Ensure().DangerousGetHandle(), id, value), what);
        }

        internal void Int(int id, uint? value, string what)
        {
            if (value.HasValue) Int(id, value.Value, what);
        }

        internal void Text(int id, string value, string what)
        {
            if (value == null) return;
            byte[] b = Utf8.Encode(value);
            fixed (byte* p = b)
                OuzelErrors.Check(Capi.ouzel_properties_set_string(Ensure().DangerousGetHandle(), id, p,
                                                                   new UIntPtr((uint)b.Length)), what);
        }

        internal void Binary(int id, byte[] value, string what)
        {
            if (value == null) return;
            fixed (byte* p = value)
                OuzelErrors.Check(Capi.ouzel_properties_set_binary(Ensure().DangerousGetHandle(), id, p,
                                                                   new UIntPtr((uint)value.Length)), what);
        }

        internal void Users(IEnumerable<MqttUserProperty> users)
        {
            if (users == null) return;
            foreach (MqttUserProperty u in users)
            {
                byte[] n = Utf8.Encode(u.Name), v = Utf8.Encode(u.Value);
                fixed (byte* pn = n)
                fixed (byte* pv = v)
                    OuzelErrors.Check(Capi.ouzel_properties_add_user(Ensure().DangerousGetHandle(), pn,
                                                                     new UIntPtr((uint)n.Length), pv,
                                                                     new UIntPtr((uint)v.Length)), "userProperties");
            }
        }

        public void Dispose()
        {
            if (handle != null) handle.Dispose();
        }
    }
}
