// ouzel/protocol.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const int OUZEL_PACKET_CONNECT = 1;
        public const int OUZEL_PACKET_CONNACK = 2;
        public const int OUZEL_PACKET_PUBLISH = 3;
        public const int OUZEL_PACKET_PUBACK = 4;
        public const int OUZEL_PACKET_PUBREC = 5;
        public const int OUZEL_PACKET_PUBREL = 6;
        public const int OUZEL_PACKET_PUBCOMP = 7;
        public const int OUZEL_PACKET_SUBSCRIBE = 8;
        public const int OUZEL_PACKET_SUBACK = 9;
        public const int OUZEL_PACKET_UNSUBSCRIBE = 10;
        public const int OUZEL_PACKET_UNSUBACK = 11;
        public const int OUZEL_PACKET_PINGREQ = 12;
        public const int OUZEL_PACKET_PINGRESP = 13;
        public const int OUZEL_PACKET_DISCONNECT = 14;
        public const int OUZEL_PACKET_AUTH = 15;
        public const int OUZEL_PACKET_WILL_PROPERTIES = 16;

        public const int OUZEL_PROPTYPE_BYTE = 1;
        public const int OUZEL_PROPTYPE_TWO_BYTE = 2;
        public const int OUZEL_PROPTYPE_FOUR_BYTE = 3;
        public const int OUZEL_PROPTYPE_VARINT = 4;
        public const int OUZEL_PROPTYPE_UTF8 = 5;
        public const int OUZEL_PROPTYPE_BINARY = 6;
        public const int OUZEL_PROPTYPE_UTF8_PAIR = 7;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ouzel_reason_code_name(int protocol_version, int packet_type, int code);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_reason_code_is_error(int protocol_version, int packet_type, int code);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_reason_codes(int protocol_version, int packet_type, byte** out_codes,
                                                    size_t* out_count);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ouzel_property_name(int id);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_property_type(int id);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_property_allowed(int id, int packet_type);
    }
}
