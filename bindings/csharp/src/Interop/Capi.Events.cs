// ouzel/events.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const int OUZEL_EVENT_CONNECTED = 1;
        public const int OUZEL_EVENT_CONNECT_FAILED = 2;
        public const int OUZEL_EVENT_DISCONNECTED = 3;
        public const int OUZEL_EVENT_MESSAGE = 4;
        public const int OUZEL_EVENT_PUBLISH_DONE = 5;
        public const int OUZEL_EVENT_SUBSCRIBE_DONE = 6;
        public const int OUZEL_EVENT_UNSUBSCRIBE_DONE = 7;
        public const int OUZEL_EVENT_AUTH = 8;
        public const int OUZEL_EVENT_LOG = 9;
        public const uint OUZEL_EVENT_VERSION = 1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_event_init(ouzel_event* events, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_poll_events(IntPtr client, ouzel_event* events, size_t max, int timeout_ms);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_release_events(IntPtr client, ouzel_event* events, size_t count);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_event_fd(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_interrupt_poll(IntPtr client);
    }

    /// <summary>ouzel_event (version 1). Pointers are owned by the library until the event is
    /// released; release may be given a copy of the struct (the library identifies an event by
    /// its contents, so "any subset, in any order" can be passed).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ouzel_event
    {
        public uint version;
        public int type;
        public int error;
        public int reason_code;
        public int session_present;
        public int by_server;
        public int mid;
        public int qos;
        public int retain;
        public int dup;
        public int state;
        public int drop_reason;
        public int level;
        public int ack_on_release;
        public ulong token;
        public byte* topic;
        public UIntPtr topic_len;
        public byte* payload;
        public UIntPtr payload_len;
        public IntPtr message;
        public IntPtr properties;
        public byte* reason_codes;
        public UIntPtr reason_code_count;
        public byte* text;
        public UIntPtr text_len;
        public IntPtr internal_;
    }
}
