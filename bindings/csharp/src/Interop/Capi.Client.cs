// ouzel/client.h, one to one. The on_* setters take function pointers as IntPtr: the idiomatic
// layer does not use them (its clients run with the event queue, ouzel/events.h), but they are
// part of the ABI this layer mirrors.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const uint OUZEL_SET_OPTIONS_FIRST_CONNECTION = 1;

        public const int OUZEL_DELIVERY_QUEUED = 0;
        public const int OUZEL_DELIVERY_INFLIGHT = 1;
        public const int OUZEL_DELIVERY_ACKNOWLEDGED = 2;
        public const int OUZEL_DELIVERY_EXPIRED = 3;
        public const int OUZEL_DELIVERY_DROPPED = 4;

        public const int OUZEL_DROP_NONE = 0;
        public const int OUZEL_DROP_QUEUE_FULL = 1;
        public const int OUZEL_DROP_SESSION_LOST = 2;
        public const int OUZEL_DROP_TOO_LARGE = 3;
        public const int OUZEL_DROP_REJECTED = 4;
        public const int OUZEL_DROP_CONNECTION_LOST = 5;
        public const int OUZEL_DROP_CANCELLED = 6;

        public const uint OUZEL_DELIVERY_STATUS_VERSION = 2;
        public const uint OUZEL_SUBSCRIPTION_VERSION = 1;

        public const int OUZEL_LOG_DEBUG = 16;
        public const int OUZEL_LOG_INFO = 1;
        public const int OUZEL_LOG_NOTICE = 2;
        public const int OUZEL_LOG_WARNING = 4;
        public const int OUZEL_LOG_ERR = 8;

        public const int OUZEL_STAT_MESSAGES_SENT = 1;
        public const int OUZEL_STAT_MESSAGES_RECEIVED = 2;
        public const int OUZEL_STAT_BYTES_SENT = 3;
        public const int OUZEL_STAT_BYTES_RECEIVED = 4;
        public const int OUZEL_STAT_INFLIGHT = 5;
        public const int OUZEL_STAT_QUEUED = 6;
        public const int OUZEL_STAT_RECONNECTS = 7;
        public const int OUZEL_STAT_LAST_DISCONNECT_REASON = 8;
        public const int OUZEL_STAT_STORE_COMPACTIONS = 9;
        public const int OUZEL_STAT_STORE_SYNCS = 10;
        public const int OUZEL_STAT_STORE_LOG_BYTES = 11;

        // Lifecycle and connection.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_new(IntPtr* out_client, IntPtr opts);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_client_free(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_options(IntPtr client, IntPtr opts, uint flags);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_connect(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_connect_blocking(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_reconnect(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_disconnect(IntPtr client, int reason_code, IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_is_connected(IntPtr client);

        public const int OUZEL_STATE_DISCONNECTED = 0;
        public const int OUZEL_STATE_CONNECT_PENDING = 1;
        public const int OUZEL_STATE_CONNECTING = 2;
        public const int OUZEL_STATE_CONNECTED = 3;
        public const int OUZEL_STATE_DISCONNECTING = 4;
        public const int OUZEL_STATE_CONNECTION_LOST = 5;
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_state(IntPtr client);

        // Publishing.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_delivery_status_init(ouzel_delivery_status* status, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_publish(IntPtr client, byte* topic, size_t topic_len, byte* payload,
                                                      size_t payload_len, int qos, int retain, IntPtr props,
                                                      ulong* out_token, int* out_mid);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_delivery_status(IntPtr client, ulong token, ouzel_delivery_status* status);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_wait_for_publish(IntPtr client, ulong token, int timeout_ms);

        // Subscribing.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_subscription_init(ouzel_subscription* sub, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_subscribe(IntPtr client, ouzel_subscription* subs, size_t count,
                                                        IntPtr props, int* out_mid);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_unsubscribe(IntPtr client, byte** filters, size_t* lens, size_t count,
                                                          IntPtr props, int* out_mid);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_ack(IntPtr client, int mid);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_withhold_ack(IntPtr client);

        // Enhanced authentication.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_auth_continue(IntPtr client, IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_reauthenticate(IntPtr client, IntPtr props);

        // Callbacks: cb is the C function pointer type named in the header, release an
        // ouzel_release_fn; both may be IntPtr.Zero.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_connect(IntPtr client, IntPtr cb, IntPtr user_data, IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_connect_fail(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                  IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_disconnect(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_message(IntPtr client, IntPtr cb, IntPtr user_data, IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_publish(IntPtr client, IntPtr cb, IntPtr user_data, IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_subscribe(IntPtr client, IntPtr cb, IntPtr user_data,
                                                               IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_unsubscribe(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                 IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_auth(IntPtr client, IntPtr cb, IntPtr user_data, IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_log(IntPtr client, IntPtr cb, int min_level, IntPtr user_data,
                                                         IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_socket_open(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                 IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_socket_close(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                  IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_socket_register_write(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                           IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_socket_unregister_write(IntPtr client, IntPtr cb,
                                                                             IntPtr user_data, IntPtr release);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_set_on_pre_connect(IntPtr client, IntPtr cb, IntPtr user_data,
                                                                 IntPtr release);

        // Counters.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_stat(IntPtr client, int stat, long* out_value);

        // ouzel/loop.h
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_start(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_stop(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop(IntPtr client, int timeout_ms);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_forever(IntPtr client, int retry_first_connection);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_socket(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_wake_fd(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_want_write(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_want_read(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_read(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_write(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_loop_misc(IntPtr client);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_next_timeout_ms(IntPtr client);
    }

    /// <summary>ouzel_delivery_status (version 2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ouzel_delivery_status
    {
        public uint version;
        public int state;
        public int drop_reason;
        public int mid;
        public int reason_code;
        public int qos; // version 2
    }

    /// <summary>ouzel_subscription (version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ouzel_subscription
    {
        public uint version;
        public byte* filter;
        public UIntPtr filter_len;
        public int qos;
        public int no_local;
        public int retain_as_published;
        public int retain_handling;
    }
}
