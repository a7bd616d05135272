// ouzel/options.h, ouzel/persistence.h (its options and report) and ouzel/tls.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System;
using System.Runtime.InteropServices;
using size_t = System.UIntPtr;

namespace Ouzel.Interop
{
    public static unsafe partial class Capi
    {
        public const int OUZEL_MQTT_V31 = 3;
        public const int OUZEL_MQTT_V311 = 4;
        public const int OUZEL_MQTT_V5 = 5;

        public const int OUZEL_OPT_PROTOCOL_VERSION = 1;
        public const int OUZEL_OPT_CLEAN_START = 2;
        public const int OUZEL_OPT_KEEPALIVE_SECONDS = 3;
        public const int OUZEL_OPT_CONNECT_TIMEOUT_MS = 4;
        public const int OUZEL_OPT_MAX_INFLIGHT = 5;
        public const int OUZEL_OPT_MAX_QUEUED_MESSAGES = 6;
        public const int OUZEL_OPT_MAX_QUEUED_BYTES = 7;
        public const int OUZEL_OPT_QUEUE_FULL_POLICY = 8;
        public const int OUZEL_OPT_QUEUE_QOS0_OFFLINE = 9;
        public const int OUZEL_OPT_LOST_SESSION_POLICY = 10;
        public const int OUZEL_OPT_AUTO_TOPIC_ALIAS = 11;
        public const int OUZEL_OPT_MANUAL_ACK = 12;
        public const int OUZEL_OPT_QOS2_DELIVERY = 13;
        public const int OUZEL_OPT_RECONNECT = 14;
        public const int OUZEL_OPT_RECONNECT_MIN_DELAY_MS = 15;
        public const int OUZEL_OPT_RECONNECT_MAX_DELAY_MS = 16;
        public const int OUZEL_OPT_FOLLOW_SERVER_REFERENCE = 17;
        public const int OUZEL_OPT_TCP_NODELAY = 18;
        public const int OUZEL_OPT_NUMBER_QOS0_MESSAGES = 19;
        public const int OUZEL_OPT_PING_TIMEOUT_MS = 20;
        public const int OUZEL_OPT_EVENT_QUEUE = 21;
        public const int OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES = 22;
        public const int OUZEL_OPT_EVENT_QUEUE_MAX_BYTES = 23;
        public const int OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL = 24;
        public const int OUZEL_OPT_RECONNECT_CLEAN_START = 80;
        public const int OUZEL_OPT_BIND_PORT = 81;

        public const int OUZEL_OPT_TLS_USE_SYSTEM_CAS = 30;
        public const int OUZEL_OPT_TLS_VERIFY_PEER = 31;
        public const int OUZEL_OPT_TLS_VERIFY_HOSTNAME = 32;
        public const int OUZEL_OPT_TLS_MIN_VERSION = 33;
        public const int OUZEL_OPT_TLS_MAX_VERSION = 34;
        public const int OUZEL_OPT_TLS_SESSION_RESUMPTION = 35;
        public const int OUZEL_OPT_WS_MAX_FRAME_BYTES = 36;
        public const int OUZEL_OPT_WS_MAX_MESSAGE_BYTES = 37;
        public const int OUZEL_OPT_PROXY_TYPE = 38;
        public const int OUZEL_OPT_PROXY_PORT = 39;
        public const int OUZEL_OPT_PROXY_REMOTE_DNS = 40;
        public const int OUZEL_OPT_PROXY_FROM_ENVIRONMENT = 41;
        public const int OUZEL_OPT_HANDSHAKE_TIMEOUT_MS = 42;

        public const int OUZEL_OPT_SERVER_URI = 100;
        public const int OUZEL_OPT_ADD_SERVER_URI = 101;
        public const int OUZEL_OPT_CLIENT_ID = 102;
        public const int OUZEL_OPT_USERNAME = 103;
        public const int OUZEL_OPT_PASSWORD = 104;
        public const int OUZEL_OPT_BIND_ADDRESS = 150;

        public const int OUZEL_OPT_TLS_CA_FILE = 110;
        public const int OUZEL_OPT_TLS_CA_PATH = 111;
        public const int OUZEL_OPT_TLS_CERT_FILE = 112;
        public const int OUZEL_OPT_TLS_KEY_FILE = 113;
        public const int OUZEL_OPT_TLS_KEY_PASSWORD = 114;
        public const int OUZEL_OPT_TLS_SERVER_NAME = 115;
        public const int OUZEL_OPT_TLS_ALPN = 116;
        public const int OUZEL_OPT_TLS_ADD_ALPN = 117;
        public const int OUZEL_OPT_TLS_CIPHERS = 118;
        public const int OUZEL_OPT_TLS_PSK_IDENTITY = 119;
        public const int OUZEL_OPT_TLS_PSK_KEY = 120;
        public const int OUZEL_OPT_TLS_PSK_KEY_HEX = 121;
        public const int OUZEL_OPT_WS_ADD_HEADER = 122;
        public const int OUZEL_OPT_WS_SUBPROTOCOL = 123;
        public const int OUZEL_OPT_PROXY_URI = 124;
        public const int OUZEL_OPT_PROXY_HOST = 125;
        public const int OUZEL_OPT_PROXY_USERNAME = 126;
        public const int OUZEL_OPT_PROXY_PASSWORD = 127;

        public const int OUZEL_QUEUE_FULL_REFUSE_NEW = 0;
        public const int OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0 = 1;
        public const int OUZEL_LOST_SESSION_FAIL_INFLIGHT = 0;
        public const int OUZEL_LOST_SESSION_RESEND_AS_NEW = 1;
        public const int OUZEL_QOS2_DELIVERY_ON_PUBLISH = 0;
        public const int OUZEL_QOS2_DELIVERY_ON_PUBREL = 1;
        public const int OUZEL_TLS_V1_0 = 0x0301;
        public const int OUZEL_TLS_V1_1 = 0x0302;
        public const int OUZEL_TLS_V1_2 = 0x0303;
        public const int OUZEL_TLS_V1_3 = 0x0304;
        public const int OUZEL_PROXY_NONE = 0;
        public const int OUZEL_PROXY_HTTP = 1;
        public const int OUZEL_PROXY_SOCKS5 = 2;

        /// <summary>A string length meaning "NUL-terminated" (SIZE_MAX).</summary>
        public static readonly size_t OUZEL_NUL_TERMINATED = UIntPtr.Size == 8
            ? new UIntPtr(ulong.MaxValue) : new UIntPtr(uint.MaxValue);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_new(IntPtr* out_options);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_options_free(IntPtr opts);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_set_int(IntPtr opts, int option, long value);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_set_string(IntPtr opts, int option, byte* value, size_t value_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_set_connect_properties(IntPtr opts, IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_set_will(IntPtr opts, byte* topic, size_t topic_len, byte* payload,
                                                        size_t payload_len, int qos, int retain, IntPtr props);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void ouzel_options_clear_will(IntPtr opts);

        // Reading options back, and the option table.
        public const int OUZEL_OPTTYPE_INT = 1;
        public const int OUZEL_OPTTYPE_STRING = 2;
        public const uint OUZEL_OPTION_WRITE_ONLY = 1;
        public const uint OUZEL_OPTION_SECRET = 2;
        public const uint OUZEL_OPTION_FIXED = 4;
        public const uint OUZEL_OPTION_ENUM = 8;
        public const uint OUZEL_OPTION_INFO_VERSION = 1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_get_int(IntPtr opts, int option, long* out_value);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_get_string(IntPtr opts, int option, byte** out_value, size_t* out_len);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_option_info_init(ouzel_option_info* info, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_option_get_info(int option, ouzel_option_info* info);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_option_ids(int** out_ids, size_t* out_count);

        // ouzel/persistence.h
        public const int OUZEL_OPT_PERSISTENCE_SYNC = 60;
        public const int OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS = 61;
        public const int OUZEL_OPT_PERSISTENCE_MAX_BYTES = 62;
        public const int OUZEL_OPT_PERSISTENCE_MAX_MESSAGES = 63;
        public const int OUZEL_OPT_PERSISTENCE_FULL_POLICY = 64;
        public const int OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES = 65;
        public const int OUZEL_OPT_PERSISTENCE_DIR = 140;
        public const int OUZEL_OPT_PERSISTENCE_KEY = 141;
        public const int OUZEL_SYNC_EVERY_WRITE = 0;
        public const int OUZEL_SYNC_INTERVAL = 1;
        public const int OUZEL_SYNC_NEVER = 2;
        public const int OUZEL_PERSISTENCE_FULL_REFUSE_NEW = 0;
        public const int OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0 = 1;
        public const uint OUZEL_PERSISTENCE_REPORT_VERSION = 1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_persistence_report_init(ouzel_persistence_report* report, uint version);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_client_persistence_report(IntPtr client, ouzel_persistence_report* report);

        // ouzel/tls.h. `cb` is an ouzel_tls_verify_fn and `release` an ouzel_release_fn, as
        // function pointers (Marshal.GetFunctionPointerForDelegate of a delegate kept alive).
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_options_set_tls_verify_callback(IntPtr opts, IntPtr cb, IntPtr user_data,
                                                                       IntPtr release);
    }

    /// <summary>ouzel_persistence_report (version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ouzel_persistence_report
    {
        public uint version;
        public int enabled;
        public int created;
        public int truncated;
        public ulong records;
        public ulong discarded_bytes;
        public ulong outgoing;
        public ulong incoming;
        public byte* summary;
    }

    /// <summary>ouzel_option_info (version 1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct ouzel_option_info
    {
        public uint version;
        public int id;
        public byte* name;
        public int type;
        public uint flags;
        public long min;
        public long max;
        public long default_int;
        public byte* default_string;
        public UIntPtr default_string_len;
        public int read_instead;
    }

    /// <summary>ouzel_tls_verify_fn.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public unsafe delegate int ouzel_tls_verify_fn(int preverified, byte* error, byte* host, byte** chain,
                                                   UIntPtr* chain_lens, UIntPtr count, IntPtr user_data);

    /// <summary>ouzel_release_fn.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ouzel_release_fn(IntPtr user_data);
}
