// ouzel/message.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const uint OUZEL_MESSAGE_FIELDS_VERSION = 1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ouzel_message_topic(IntPtr msg, size_t* len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ouzel_message_payload(IntPtr msg, size_t* len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_qos(IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_retain(IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_dup(IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_mid(IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern IntPtr ouzel_message_properties(IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_fields_init(ouzel_message_fields* fields, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_get_fields(IntPtr msg, ouzel_message_fields* fields);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_message_clone(IntPtr* out_msg, IntPtr msg);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_message_free(IntPtr msg);
    }

    /// <summary>ouzel_message_fields (version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ouzel_message_fields
    {
        public uint version;
        public byte* topic;
        public UIntPtr topic_len;
        public byte* payload;
        public UIntPtr payload_len;
        public int qos;
        public int retain;
        public int dup;
        public int mid;
        public IntPtr properties;
    }
}
