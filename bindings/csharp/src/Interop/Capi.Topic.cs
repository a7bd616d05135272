// ouzel/topic.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_validate_name(byte* topic, size_t topic_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_validate_filter(byte* filter, size_t filter_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_matches(byte* filter, size_t filter_len, byte* topic, size_t topic_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_router_new(IntPtr* out_router);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_topic_router_free(IntPtr router);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_router_add(IntPtr router, byte* filter, size_t filter_len, ulong id);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_router_remove(IntPtr router, byte* filter, size_t filter_len, ulong id);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_topic_router_match(IntPtr router, byte* topic, size_t topic_len, ulong* ids,
                                                          size_t max, size_t* out_total);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern size_t ouzel_topic_router_count(IntPtr router);
    }
}
