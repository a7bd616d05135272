// ouzel/properties.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const int OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR = 0x01;
        public const int OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL = 0x02;
        public const int OUZEL_PROP_CONTENT_TYPE = 0x03;
        public const int OUZEL_PROP_RESPONSE_TOPIC = 0x08;
        public const int OUZEL_PROP_CORRELATION_DATA = 0x09;
        public const int OUZEL_PROP_SUBSCRIPTION_IDENTIFIER = 0x0B;
        public const int OUZEL_PROP_SESSION_EXPIRY_INTERVAL = 0x11;
        public const int OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER = 0x12;
        public const int OUZEL_PROP_SERVER_KEEP_ALIVE = 0x13;
        public const int OUZEL_PROP_AUTHENTICATION_METHOD = 0x15;
        public const int OUZEL_PROP_AUTHENTICATION_DATA = 0x16;
        public const int OUZEL_PROP_REQUEST_PROBLEM_INFORMATION = 0x17;
        public const int OUZEL_PROP_WILL_DELAY_INTERVAL = 0x18;
        public const int OUZEL_PROP_REQUEST_RESPONSE_INFORMATION = 0x19;
        public const int OUZEL_PROP_RESPONSE_INFORMATION = 0x1A;
        public const int OUZEL_PROP_SERVER_REFERENCE = 0x1C;
        public const int OUZEL_PROP_REASON_STRING = 0x1F;
        public const int OUZEL_PROP_RECEIVE_MAXIMUM = 0x21;
        public const int OUZEL_PROP_TOPIC_ALIAS_MAXIMUM = 0x22;
        public const int OUZEL_PROP_TOPIC_ALIAS = 0x23;
        public const int OUZEL_PROP_MAXIMUM_QOS = 0x24;
        public const int OUZEL_PROP_RETAIN_AVAILABLE = 0x25;
        public const int OUZEL_PROP_USER_PROPERTY = 0x26;
        public const int OUZEL_PROP_MAXIMUM_PACKET_SIZE = 0x27;
        public const int OUZEL_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
        public const int OUZEL_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
        public const int OUZEL_PROP_SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_new(IntPtr* out_props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_properties_free(IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_clone(IntPtr* out_props, IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_set_int(IntPtr props, int id, uint value);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_set_string(IntPtr props, int id, byte* value, size_t value_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_set_binary(IntPtr props, int id, byte* value, size_t value_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_add_user(IntPtr props, byte* name, size_t name_len, byte* value,
                                                           size_t value_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_remove(IntPtr props, int id);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern size_t ouzel_properties_count(IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_id_at(IntPtr props, size_t index);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_int_at(IntPtr props, size_t index, uint* out_value);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_bytes_at(IntPtr props, size_t index, byte** out_value,
                                                           size_t* out_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_user_at(IntPtr props, size_t index, byte** name, size_t* name_len,
                                                          byte** value, size_t* value_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_get_int(IntPtr props, int id, uint* out_value);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_properties_get_bytes(IntPtr props, int id, byte** out_value, size_t* out_len);
    }
}
