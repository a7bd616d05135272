//! `Options`: the client's configuration, one typed method per C option (`ouzel/options.h`,
//! `ouzel/persistence.h`, `ouzel/tls.h`).
//!
//! Each method pushes its value into a C `ouzel_options` at once, so the library validates it
//! where it is given; the first refused value is kept and returned by `Client::new`, naming the
//! method.

use crate::error::{check, Error, Result};
use crate::properties::{raw_ptr, Properties};
use crate::types::{LogLevel, Protocol, QoS};
use ouzel_sys as sys;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::ptr::NonNull;
use std::time::Duration;

/// What a publish does when the outgoing queue is full (`Options::max_queued_messages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueFullPolicy {
    /// Refuse the new message (`ErrorKind::QueueFull`); the default.
    RefuseNew,
    /// Drop the oldest queued QoS 0 message to make room.
    DropOldestQos0,
}

/// What happens to messages in flight when the server does not resume the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostSessionPolicy {
    /// They end as dropped (`DropReason::SessionLost`); the default.
    FailInflight,
    /// They are sent again as new messages.
    ResendAsNew,
}

/// When a received QoS 2 message is delivered to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qos2Delivery {
    /// On PUBLISH, as most clients do; the default.
    OnPublish,
    /// On PUBREL, once the sender has released it.
    OnPubrel,
}

/// TLS protocol versions (1.0 and 1.1 are deprecated and off unless asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.0.
    V1_0,
    /// TLS 1.1.
    V1_1,
    /// TLS 1.2.
    V1_2,
    /// TLS 1.3.
    V1_3,
}

impl TlsVersion {
    fn raw(self) -> i64 {
        i64::from(match self {
            TlsVersion::V1_0 => sys::OUZEL_TLS_V1_0,
            TlsVersion::V1_1 => sys::OUZEL_TLS_V1_1,
            TlsVersion::V1_2 => sys::OUZEL_TLS_V1_2,
            TlsVersion::V1_3 => sys::OUZEL_TLS_V1_3,
        })
    }
}

/// The kind of proxy between the client and the broker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyType {
    /// No proxy; the default.
    None,
    /// HTTP CONNECT.
    Http,
    /// SOCKS5.
    Socks5,
}

/// When the durable session's log is synced to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersistenceSync {
    /// Before the packets a write protects leave: an OS crash loses nothing acknowledged; the
    /// default.
    EveryWrite,
    /// At most this long after a write.
    Interval(Duration),
    /// Never; the kernel writes back when it likes (a killed process still loses nothing).
    Never,
}

/// What a publish does when the session store is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersistenceFullPolicy {
    /// Refuse the new message (`ErrorKind::QueueFull`); the default.
    RefuseNew,
    /// Stop storing the oldest QoS 0 messages queued offline.
    DropOldestQos0,
}

/// The Will: published by the server when the connection ends without DISCONNECT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    topic: String,
    payload: Vec<u8>,
    qos: QoS,
    retain: bool,
    properties: Properties,
}

impl Will {
    /// A Will message on `topic`.
    pub fn new(
        topic: impl Into<String>,
        payload: impl Into<Vec<u8>>,
        qos: QoS,
        retain: bool,
    ) -> Will {
        Will {
            topic: topic.into(),
            payload: payload.into(),
            qos,
            retain,
            properties: Properties::new(),
        }
    }

    /// MQTT 5 Will Properties (Will Delay Interval, Content Type, ...).
    pub fn properties(mut self, properties: Properties) -> Will {
        self.properties = properties;
        self
    }
}

/// What a TLS verification callback sees: the library's verdict and the server's chain.
#[derive(Debug)]
pub struct TlsVerifyInfo<'a> {
    /// True when the library accepted the chain and the host name.
    pub preverified: bool,
    /// Why not ("" when `preverified`).
    pub error: &'a str,
    /// The name that was checked.
    pub host: &'a str,
    /// The server's chain as DER, leaf first.
    pub chain: Vec<&'a [u8]>,
}

type VerifyFn = dyn Fn(&TlsVerifyInfo<'_>) -> bool + Send + Sync + 'static;

/// The client's configuration.
///
/// ```
/// use ouzel::{Options, Protocol};
/// use std::time::Duration;
/// let options = Options::new("mqtt://localhost:1883")
///     .client_id("sensor-7")
///     .protocol(Protocol::V5)
///     .keep_alive(Duration::from_secs(30))
///     .clean_start(false);
/// ```
pub struct Options {
    raw: NonNull<sys::ouzel_options>,
    error: Option<Error>,
    protocol: Protocol,
}

// SAFETY: an ouzel_options is thread-compatible ("one thread at a time per options object",
// options.h); `Options` owns it exclusively and has no shared access (`&self` methods only read
// our own fields), so moving it to another thread is sound.
unsafe impl Send for Options {}

impl Default for Options {
    fn default() -> Options {
        Options::empty()
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options").field("error", &self.error).finish_non_exhaustive()
    }
}

impl Drop for Options {
    fn drop(&mut self) {
        // SAFETY: we own the object; clients made from it keep their own copy.
        unsafe { sys::ouzel_options_free(self.raw.as_ptr()) }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes()
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> &[u8] {
    p.to_str().map(str::as_bytes).unwrap_or(b"\0invalid path")
}

impl Options {
    /// Defaults (MQTT 3.1.1, clean start, keepalive 60 s, reconnection on) and one server URI:
    /// `mqtt://host:1883`, `mqtts://`, `ws://`, `wss://`, `unix:///path`.
    pub fn new(server_uri: impl AsRef<str>) -> Options {
        Options::empty().server(server_uri)
    }

    /// Defaults and no server (add one with [`Options::server`] before connecting).
    pub fn empty() -> Options {
        let mut raw = std::ptr::null_mut();
        // SAFETY: `raw` is a valid out-pointer.
        let rc = unsafe { sys::ouzel_options_new(&mut raw) };
        match NonNull::new(raw) {
            Some(raw) if rc == sys::OUZEL_OK => {
                Options { raw, error: None, protocol: Protocol::V311 }
            }
            // Only out of memory gets here; allocation failure in Rust aborts anyway.
            _ => panic!("ouzel_options_new failed: {}", Error::last(rc)),
        }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::ouzel_options {
        self.raw.as_ptr()
    }

    /// The first value a method refused, if any (`Client::new` returns it).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The protocol level these options ask for.
    pub(crate) fn protocol_level(&self) -> Protocol {
        self.protocol
    }

    pub(crate) fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    fn record(mut self, what: &str, result: Result<()>) -> Options {
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(Error::new(e.code(), format!("Options::{what}: {}", e.message())));
        }
        self
    }

    fn int(self, what: &str, option: i32, value: i64) -> Options {
        // SAFETY: our live options object; the value is plain data.
        let rc = unsafe { sys::ouzel_options_set_int(self.as_ptr(), option, value) };
        self.record(what, check(rc))
    }

    fn flag(self, what: &str, option: i32, on: bool) -> Options {
        self.int(what, option, i64::from(on))
    }

    fn bytes(self, what: &str, option: i32, value: Option<&[u8]>) -> Options {
        let (p, len) = match value {
            Some(v) => (v.as_ptr().cast::<c_char>(), v.len()),
            None => (std::ptr::null(), 0),
        };
        // SAFETY: (p, len) is borrowed for the call and copied by the library; NULL resets.
        let rc = unsafe { sys::ouzel_options_set_string(self.as_ptr(), option, p, len) };
        self.record(what, check(rc))
    }

    fn string(self, what: &str, option: i32, value: &str) -> Options {
        self.bytes(what, option, Some(value.as_bytes()))
    }

    fn path(self, what: &str, option: i32, value: &Path) -> Options {
        self.bytes(what, option, Some(path_bytes(value)))
    }

    // --- Servers and identity ------------------------------------------------------------------

    /// Replaces the server list with this URI.
    pub fn server(self, uri: impl AsRef<str>) -> Options {
        self.string("server", sys::OUZEL_OPT_SERVER_URI, uri.as_ref())
    }

    /// Appends a server URI; servers are tried in order on every (re)connection.
    pub fn add_server(self, uri: impl AsRef<str>) -> Options {
        self.string("add_server", sys::OUZEL_OPT_ADD_SERVER_URI, uri.as_ref())
    }

    /// The client identifier; empty lets an MQTT 5 server assign one.
    pub fn client_id(self, id: impl AsRef<str>) -> Options {
        self.string("client_id", sys::OUZEL_OPT_CLIENT_ID, id.as_ref())
    }

    /// User name and password.
    pub fn credentials(self, username: impl AsRef<str>, password: impl AsRef<[u8]>) -> Options {
        self.username(username).password(password)
    }

    /// User name.
    pub fn username(self, username: impl AsRef<str>) -> Options {
        self.string("username", sys::OUZEL_OPT_USERNAME, username.as_ref())
    }

    /// Password (binary allowed).
    pub fn password(self, password: impl AsRef<[u8]>) -> Options {
        self.bytes("password", sys::OUZEL_OPT_PASSWORD, Some(password.as_ref()))
    }

    /// Protocol level (default: 3.1.1).
    pub fn protocol(self, protocol: Protocol) -> Options {
        let mut o = self.int("protocol", sys::OUZEL_OPT_PROTOCOL_VERSION, protocol.raw());
        o.protocol = protocol;
        o
    }

    // --- Session -------------------------------------------------------------------------------

    /// Clean Session (3.x) / Clean Start (5) on the first connection (default: true).
    pub fn clean_start(self, clean: bool) -> Options {
        self.flag("clean_start", sys::OUZEL_OPT_CLEAN_START, clean)
    }

    /// After a (re)connection, hold queued and resent PUBLISH/PUBREL packets until the
    /// connection was seen (default: false). The client's event thread counts as seeing it when it
    /// dispatches the CONNECTED event, which is before `connect().await` or `Event::Connected`
    /// reach your code: what you send there is not ordered ahead of the held packets.
    pub fn hold_output_until_seen(self, on: bool) -> Options {
        self.flag("hold_output_until_seen", sys::OUZEL_OPT_HOLD_OUTPUT_UNTIL_SEEN, on)
    }

    /// Clean Start on reconnections: `None` resumes when the session is persistent, else cleans
    /// (default: None); `Some(flag)` always sends that flag.
    pub fn reconnect_clean_start(self, clean: Option<bool>) -> Options {
        let v = clean.map_or(-1, i64::from);
        self.int("reconnect_clean_start", sys::OUZEL_OPT_RECONNECT_CLEAN_START, v)
    }

    /// Keepalive interval, whole seconds; zero disables keepalive (default: 60 s).
    pub fn keep_alive(self, interval: Duration) -> Options {
        let secs = i64::try_from(interval.as_secs()).unwrap_or(i64::MAX);
        self.int("keep_alive", sys::OUZEL_OPT_KEEPALIVE_SECONDS, secs)
    }

    /// How long to wait for PINGRESP; zero means the keepalive interval (default: 0).
    pub fn ping_timeout(self, timeout: Duration) -> Options {
        self.int("ping_timeout", sys::OUZEL_OPT_PING_TIMEOUT_MS, millis(timeout))
    }

    /// Time for TCP, the handshakes and CONNACK (default: 30 s).
    pub fn connect_timeout(self, timeout: Duration) -> Options {
        self.int("connect_timeout", sys::OUZEL_OPT_CONNECT_TIMEOUT_MS, millis(timeout))
    }

    /// MQTT 5 CONNECT properties (Session Expiry Interval, Receive Maximum, ...).
    pub fn connect_properties(self, properties: &Properties) -> Options {
        let result = properties.to_raw().and_then(|raw| {
            // SAFETY: our live options; the list (or NULL) is copied by the library.
            check(unsafe {
                sys::ouzel_options_set_connect_properties(self.as_ptr(), raw_ptr(&raw))
            })
        });
        self.record("connect_properties", result)
    }

    /// The Will message; `None` removes it.
    pub fn will(self, will: Option<Will>) -> Options {
        let Some(will) = will else {
            // SAFETY: our live options.
            unsafe { sys::ouzel_options_clear_will(self.as_ptr()) };
            return self;
        };
        let result = will.properties.to_raw().and_then(|raw| {
            // SAFETY: every pointer is borrowed for the call and copied.
            check(unsafe {
                sys::ouzel_options_set_will(
                    self.as_ptr(),
                    will.topic.as_ptr().cast(),
                    will.topic.len(),
                    will.payload.as_ptr().cast(),
                    will.payload.len(),
                    will.qos as i32,
                    i32::from(will.retain),
                    raw_ptr(&raw),
                )
            })
        });
        self.record("will", result)
    }

    // --- Flow and queues -----------------------------------------------------------------------

    /// QoS 1/2 messages in flight at once; zero leaves only the server's Receive Maximum (default: 20).
    pub fn max_inflight(self, n: u32) -> Options {
        self.int("max_inflight", sys::OUZEL_OPT_MAX_INFLIGHT, n.into())
    }

    /// Messages queued while offline or beyond the in-flight window; zero is unbounded (default: 0).
    pub fn max_queued_messages(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("max_queued_messages", sys::OUZEL_OPT_MAX_QUEUED_MESSAGES, v)
    }

    /// Bytes queued; zero is unbounded (default: 0).
    pub fn max_queued_bytes(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("max_queued_bytes", sys::OUZEL_OPT_MAX_QUEUED_BYTES, v)
    }

    /// What a publish does when the queue is full (default: RefuseNew).
    pub fn queue_full_policy(self, policy: QueueFullPolicy) -> Options {
        let v = match policy {
            QueueFullPolicy::RefuseNew => sys::OUZEL_QUEUE_FULL_REFUSE_NEW,
            QueueFullPolicy::DropOldestQos0 => sys::OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0,
        };
        self.int("queue_full_policy", sys::OUZEL_OPT_QUEUE_FULL_POLICY, v.into())
    }

    /// Queue QoS 0 messages while disconnected instead of refusing them (default: false).
    pub fn queue_qos0_offline(self, on: bool) -> Options {
        self.flag("queue_qos0_offline", sys::OUZEL_OPT_QUEUE_QOS0_OFFLINE, on)
    }

    /// What happens to in-flight messages when the session is not resumed (default: FailInflight).
    pub fn lost_session_policy(self, policy: LostSessionPolicy) -> Options {
        let v = match policy {
            LostSessionPolicy::FailInflight => sys::OUZEL_LOST_SESSION_FAIL_INFLIGHT,
            LostSessionPolicy::ResendAsNew => sys::OUZEL_LOST_SESSION_RESEND_AS_NEW,
        };
        self.int("lost_session_policy", sys::OUZEL_OPT_LOST_SESSION_POLICY, v.into())
    }

    /// Assign outgoing topic aliases automatically (MQTT 5) (default: false).
    pub fn auto_topic_alias(self, on: bool) -> Options {
        self.flag("auto_topic_alias", sys::OUZEL_OPT_AUTO_TOPIC_ALIAS, on)
    }

    /// Received QoS 1/2 messages are acknowledged only by `Client::ack` [false: acknowledged when
    /// the application takes them from the client].
    pub fn manual_ack(self, on: bool) -> Options {
        self.flag("manual_ack", sys::OUZEL_OPT_MANUAL_ACK, on)
    }

    /// When a received QoS 2 message is delivered (default: OnPublish).
    pub fn qos2_delivery(self, when: Qos2Delivery) -> Options {
        let v = match when {
            Qos2Delivery::OnPublish => sys::OUZEL_QOS2_DELIVERY_ON_PUBLISH,
            Qos2Delivery::OnPubrel => sys::OUZEL_QOS2_DELIVERY_ON_PUBREL,
        };
        self.int("qos2_delivery", sys::OUZEL_OPT_QOS2_DELIVERY, v.into())
    }

    /// QoS 0 messages take a packet identifier, as paho numbers them (default: false).
    pub fn number_qos0_messages(self, on: bool) -> Options {
        self.flag("number_qos0_messages", sys::OUZEL_OPT_NUMBER_QOS0_MESSAGES, on)
    }

    /// Received messages the application has not taken yet before the client stops reading from
    /// the connection (the broker then holds the rest: back-pressure, never loss) (default: 10,000).
    pub fn max_buffered_messages(self, n: u32) -> Options {
        self.int("max_buffered_messages", sys::OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES, n.into())
    }

    /// Topic + payload bytes of those messages before reading pauses (default: 64 MiB).
    pub fn max_buffered_bytes(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("max_buffered_bytes", sys::OUZEL_OPT_EVENT_QUEUE_MAX_BYTES, v)
    }

    /// Library log lines at or above this level become `Event::Log` (default: none).
    pub fn log_level(self, level: Option<LogLevel>) -> Options {
        let v = level.map_or(0, LogLevel::raw);
        self.int("log_level", sys::OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL, v.into())
    }

    // --- Reconnection --------------------------------------------------------------------------

    /// Reconnect automatically after a connection is lost (default: true).
    pub fn reconnect(self, on: bool) -> Options {
        self.flag("reconnect", sys::OUZEL_OPT_RECONNECT, on)
    }

    /// Back-off between reconnection attempts: first delay and ceiling (default: 1 s, 120 s).
    pub fn reconnect_delay(self, min: Duration, max: Duration) -> Options {
        self.int("reconnect_delay", sys::OUZEL_OPT_RECONNECT_MIN_DELAY_MS, millis(min)).int(
            "reconnect_delay",
            sys::OUZEL_OPT_RECONNECT_MAX_DELAY_MS,
            millis(max),
        )
    }

    /// Follow an MQTT 5 Server Reference (server moved / use another server) (default: false).
    pub fn follow_server_reference(self, on: bool) -> Options {
        self.flag("follow_server_reference", sys::OUZEL_OPT_FOLLOW_SERVER_REFERENCE, on)
    }

    // --- Sockets -------------------------------------------------------------------------------

    /// TCP_NODELAY (default: true).
    pub fn tcp_nodelay(self, on: bool) -> Options {
        self.flag("tcp_nodelay", sys::OUZEL_OPT_TCP_NODELAY, on)
    }

    /// Local numeric address to bind before connecting ("" = any).
    pub fn bind_address(self, address: impl AsRef<str>) -> Options {
        self.string("bind_address", sys::OUZEL_OPT_BIND_ADDRESS, address.as_ref())
    }

    /// Local port to bind before connecting (0 = any).
    pub fn bind_port(self, port: u16) -> Options {
        self.int("bind_port", sys::OUZEL_OPT_BIND_PORT, port.into())
    }

    /// Time for each layer's handshake (proxy, TLS, WebSocket) (default: 30 s).
    pub fn handshake_timeout(self, timeout: Duration) -> Options {
        self.int("handshake_timeout", sys::OUZEL_OPT_HANDSHAKE_TIMEOUT_MS, millis(timeout))
    }

    // --- TLS (mqtts://, ssl://, wss://) ----------------------------------------------------------

    /// PEM file of trusted CA certificates.
    pub fn tls_ca_file(self, path: impl AsRef<Path>) -> Options {
        self.path("tls_ca_file", sys::OUZEL_OPT_TLS_CA_FILE, path.as_ref())
    }

    /// Directory of hashed PEM CA certificates.
    pub fn tls_ca_path(self, path: impl AsRef<Path>) -> Options {
        self.path("tls_ca_path", sys::OUZEL_OPT_TLS_CA_PATH, path.as_ref())
    }

    /// Trust the system's CA store when no CA file or path is set (default: true).
    pub fn tls_use_system_cas(self, on: bool) -> Options {
        self.flag("tls_use_system_cas", sys::OUZEL_OPT_TLS_USE_SYSTEM_CAS, on)
    }

    /// Client certificate (PEM) and its key (PEM; `None` when the certificate file holds it).
    pub fn tls_client_cert(self, cert: impl AsRef<Path>, key: Option<&Path>) -> Options {
        let o = self.path("tls_client_cert", sys::OUZEL_OPT_TLS_CERT_FILE, cert.as_ref());
        match key {
            Some(key) => o.path("tls_client_cert", sys::OUZEL_OPT_TLS_KEY_FILE, key),
            None => o,
        }
    }

    /// Password of an encrypted private key.
    pub fn tls_key_password(self, password: impl AsRef<[u8]>) -> Options {
        self.bytes("tls_key_password", sys::OUZEL_OPT_TLS_KEY_PASSWORD, Some(password.as_ref()))
    }

    /// Verify the server's certificate chain (default: true). `false` accepts any certificate (insecure).
    pub fn tls_verify_peer(self, on: bool) -> Options {
        self.flag("tls_verify_peer", sys::OUZEL_OPT_TLS_VERIFY_PEER, on)
    }

    /// Check that the certificate names the server (default: true).
    pub fn tls_verify_hostname(self, on: bool) -> Options {
        self.flag("tls_verify_hostname", sys::OUZEL_OPT_TLS_VERIFY_HOSTNAME, on)
    }

    /// Name for SNI and the host name check ("" = the URI's host).
    pub fn tls_server_name(self, name: impl AsRef<str>) -> Options {
        self.string("tls_server_name", sys::OUZEL_OPT_TLS_SERVER_NAME, name.as_ref())
    }

    /// Oldest TLS version accepted (default: 1.2).
    pub fn tls_min_version(self, version: TlsVersion) -> Options {
        self.int("tls_min_version", sys::OUZEL_OPT_TLS_MIN_VERSION, version.raw())
    }

    /// Newest TLS version offered (default: the newest).
    pub fn tls_max_version(self, version: TlsVersion) -> Options {
        self.int("tls_max_version", sys::OUZEL_OPT_TLS_MAX_VERSION, version.raw())
    }

    /// Resume TLS sessions on reconnection (default: true).
    pub fn tls_session_resumption(self, on: bool) -> Options {
        self.flag("tls_session_resumption", sys::OUZEL_OPT_TLS_SESSION_RESUMPTION, on)
    }

    /// ALPN protocols offered, replacing the list (empty: none).
    pub fn tls_alpn<I, S>(self, protocols: I) -> Options
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut o = self.bytes("tls_alpn", sys::OUZEL_OPT_TLS_ALPN, None);
        for p in protocols {
            o = o.string("tls_alpn", sys::OUZEL_OPT_TLS_ADD_ALPN, p.as_ref());
        }
        o
    }

    /// OpenSSL cipher string for TLS 1.2 and older ("" = defaults).
    pub fn tls_ciphers(self, ciphers: impl AsRef<str>) -> Options {
        self.string("tls_ciphers", sys::OUZEL_OPT_TLS_CIPHERS, ciphers.as_ref())
    }

    /// TLS-PSK: an identity and the raw key bytes, instead of certificates.
    pub fn tls_psk(self, identity: impl AsRef<str>, key: impl AsRef<[u8]>) -> Options {
        self.string("tls_psk", sys::OUZEL_OPT_TLS_PSK_IDENTITY, identity.as_ref()).bytes(
            "tls_psk",
            sys::OUZEL_OPT_TLS_PSK_KEY,
            Some(key.as_ref()),
        )
    }

    /// TLS-PSK with the key in hex digits, as mosquitto's psk_file writes it.
    pub fn tls_psk_hex(self, identity: impl AsRef<str>, key_hex: impl AsRef<str>) -> Options {
        self.string("tls_psk_hex", sys::OUZEL_OPT_TLS_PSK_IDENTITY, identity.as_ref()).string(
            "tls_psk_hex",
            sys::OUZEL_OPT_TLS_PSK_KEY_HEX,
            key_hex.as_ref(),
        )
    }

    /// A function that sees the server's chain and the library's verdict on every handshake and
    /// decides (pin a certificate, accept a lab broker). It runs on the library's network thread:
    /// keep it short. A panic in it rejects the server.
    pub fn tls_verify<F>(self, verify: F) -> Options
    where
        F: Fn(&TlsVerifyInfo<'_>) -> bool + Send + Sync + 'static,
    {
        let boxed: Box<Box<VerifyFn>> = Box::new(Box::new(verify));
        let user_data = Box::into_raw(boxed).cast::<c_void>();
        // SAFETY: the library owns `user_data` from here and calls release_verify exactly once;
        // on error (NULL opts only) it keeps nothing, and our opts is never NULL.
        let rc = unsafe {
            sys::ouzel_options_set_tls_verify_callback(
                self.as_ptr(),
                Some(verify_trampoline),
                user_data,
                Some(release_verify),
            )
        };
        self.record("tls_verify", check(rc))
    }

    // --- WebSocket (ws://, wss://) ---------------------------------------------------------------

    /// Largest WebSocket frame sent (default: 65,536).
    pub fn ws_max_frame_bytes(self, n: u32) -> Options {
        self.int("ws_max_frame_bytes", sys::OUZEL_OPT_WS_MAX_FRAME_BYTES, n.into())
    }

    /// Largest WebSocket message taken; zero is no limit (default: 0).
    pub fn ws_max_message_bytes(self, n: u32) -> Options {
        self.int("ws_max_message_bytes", sys::OUZEL_OPT_WS_MAX_MESSAGE_BYTES, n.into())
    }

    /// Adds a header to the upgrade request.
    pub fn ws_header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Options {
        let line = format!("{}: {}", name.as_ref(), value.as_ref());
        self.string("ws_header", sys::OUZEL_OPT_WS_ADD_HEADER, &line)
    }

    /// Removes every header added with [`Options::ws_header`].
    pub fn ws_clear_headers(self) -> Options {
        self.bytes("ws_clear_headers", sys::OUZEL_OPT_WS_ADD_HEADER, None)
    }

    /// Sec-WebSocket-Protocol offered (default: "mqtt"); "" offers none.
    pub fn ws_subprotocol(self, protocol: impl AsRef<str>) -> Options {
        self.string("ws_subprotocol", sys::OUZEL_OPT_WS_SUBPROTOCOL, protocol.as_ref())
    }

    // --- Proxies ---------------------------------------------------------------------------------

    /// A proxy as a URI: `http://[user[:password]@]host[:port]`, `socks5://...`, `socks5h://...`;
    /// "" for none.
    pub fn proxy(self, uri: impl AsRef<str>) -> Options {
        self.string("proxy", sys::OUZEL_OPT_PROXY_URI, uri.as_ref())
    }

    /// The proxy's type (when not given as a URI).
    pub fn proxy_type(self, kind: ProxyType) -> Options {
        let v = match kind {
            ProxyType::None => sys::OUZEL_PROXY_NONE,
            ProxyType::Http => sys::OUZEL_PROXY_HTTP,
            ProxyType::Socks5 => sys::OUZEL_PROXY_SOCKS5,
        };
        self.int("proxy_type", sys::OUZEL_OPT_PROXY_TYPE, v.into())
    }

    /// The proxy's host (name or IP literal).
    pub fn proxy_host(self, host: impl AsRef<str>) -> Options {
        self.string("proxy_host", sys::OUZEL_OPT_PROXY_HOST, host.as_ref())
    }

    /// The proxy's port (0: 8080 for HTTP, 1080 for SOCKS5).
    pub fn proxy_port(self, port: u16) -> Options {
        self.int("proxy_port", sys::OUZEL_OPT_PROXY_PORT, port.into())
    }

    /// Proxy user name and password.
    pub fn proxy_credentials(
        self,
        username: impl AsRef<str>,
        password: impl AsRef<str>,
    ) -> Options {
        self.string("proxy_credentials", sys::OUZEL_OPT_PROXY_USERNAME, username.as_ref()).string(
            "proxy_credentials",
            sys::OUZEL_OPT_PROXY_PASSWORD,
            password.as_ref(),
        )
    }

    /// SOCKS5: let the proxy resolve the broker's name (default: true).
    pub fn proxy_remote_dns(self, on: bool) -> Options {
        self.flag("proxy_remote_dns", sys::OUZEL_OPT_PROXY_REMOTE_DNS, on)
    }

    /// Use the proxy named by `mqtt_proxy` / `MQTT_PROXY` unless `no_proxy` excludes the host
    /// (default: false).
    pub fn proxy_from_environment(self, on: bool) -> Options {
        self.flag("proxy_from_environment", sys::OUZEL_OPT_PROXY_FROM_ENVIRONMENT, on)
    }

    // --- Durable sessions --------------------------------------------------------------------------

    /// Keep the session in files under `dir`, so a process that is killed and started again
    /// resumes it (use with `clean_start(false)`).
    pub fn persistence_dir(self, dir: impl AsRef<Path>) -> Options {
        self.path("persistence_dir", sys::OUZEL_OPT_PERSISTENCE_DIR, dir.as_ref())
    }

    /// Names the session within the directory (default: client id @ first server URI).
    pub fn persistence_key(self, key: impl AsRef<str>) -> Options {
        self.string("persistence_key", sys::OUZEL_OPT_PERSISTENCE_KEY, key.as_ref())
    }

    /// When the session log is synced to disk (default: EveryWrite).
    pub fn persistence_sync(self, sync: PersistenceSync) -> Options {
        match sync {
            PersistenceSync::EveryWrite => self.int(
                "persistence_sync",
                sys::OUZEL_OPT_PERSISTENCE_SYNC,
                sys::OUZEL_SYNC_EVERY_WRITE.into(),
            ),
            PersistenceSync::Never => self.int(
                "persistence_sync",
                sys::OUZEL_OPT_PERSISTENCE_SYNC,
                sys::OUZEL_SYNC_NEVER.into(),
            ),
            PersistenceSync::Interval(d) => self
                .int(
                    "persistence_sync",
                    sys::OUZEL_OPT_PERSISTENCE_SYNC,
                    sys::OUZEL_SYNC_INTERVAL.into(),
                )
                .int("persistence_sync", sys::OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS, millis(d)),
        }
    }

    /// Limit on stored outgoing messages' bytes; zero is unlimited (default: 0).
    pub fn persistence_max_bytes(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("persistence_max_bytes", sys::OUZEL_OPT_PERSISTENCE_MAX_BYTES, v)
    }

    /// Limit on stored outgoing messages; zero is unlimited (default: 0).
    pub fn persistence_max_messages(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("persistence_max_messages", sys::OUZEL_OPT_PERSISTENCE_MAX_MESSAGES, v)
    }

    /// The file store rewrites its log with only the live session once the log passes this many
    /// bytes and twice the live session; 4096..2^62 (default: 4 MiB).
    pub fn persistence_compact_min_bytes(self, n: u64) -> Options {
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        self.int("persistence_compact_min_bytes", sys::OUZEL_OPT_PERSISTENCE_COMPACT_MIN_BYTES, v)
    }

    /// What a publish does when the store is full (default: RefuseNew).
    pub fn persistence_full_policy(self, policy: PersistenceFullPolicy) -> Options {
        let v = match policy {
            PersistenceFullPolicy::RefuseNew => sys::OUZEL_PERSISTENCE_FULL_REFUSE_NEW,
            PersistenceFullPolicy::DropOldestQos0 => sys::OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0,
        };
        self.int("persistence_full_policy", sys::OUZEL_OPT_PERSISTENCE_FULL_POLICY, v.into())
    }
}

/// # Safety
/// Called by the library with the arguments `ouzel_tls_verify_fn` documents and the user_data
/// `Options::tls_verify` registered (a live `Box<Box<VerifyFn>>`).
unsafe extern "C" fn verify_trampoline(
    preverified: i32,
    error: *const c_char,
    host: *const c_char,
    chain: *const *const u8,
    chain_lens: *const usize,
    count: usize,
    user_data: *mut c_void,
) -> i32 {
    // A panic must not unwind into C: it is caught here and rejects the server.
    let verdict = catch_unwind(AssertUnwindSafe(|| {
        let verify = &*user_data.cast::<Box<VerifyFn>>();
        let c_text = |p: *const c_char| {
            if p.is_null() {
                ""
            } else {
                CStr::from_ptr(p).to_str().unwrap_or("")
            }
        };
        let mut certs = Vec::with_capacity(count);
        for i in 0..count {
            let (p, len) = (*chain.add(i), *chain_lens.add(i));
            certs.push(if p.is_null() { &[][..] } else { std::slice::from_raw_parts(p, len) });
        }
        let info = TlsVerifyInfo {
            preverified: preverified == 1,
            error: c_text(error),
            host: c_text(host),
            chain: certs,
        };
        verify(&info)
    }));
    i32::from(matches!(verdict, Ok(true)))
}

/// # Safety
/// Called exactly once by the library with the user_data given to it.
unsafe extern "C" fn release_verify(user_data: *mut c_void) {
    let boxed = Box::from_raw(user_data.cast::<Box<VerifyFn>>());
    // The closure's captures are the application's: their Drop must not unwind into C either.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn a_refused_value_is_kept_naming_the_method_and_later_ones_do_not_hide_it() {
        let o = Options::new("mqtt://localhost:1883")
            .keep_alive(Duration::from_secs(70_000))
            .client_id("x");
        let e = o.error().expect("keepalive above 65535 s is refused");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().starts_with("Options::keep_alive"), "{e}");
    }

    #[test]
    fn a_missing_ca_file_is_refused_when_set() {
        let o = Options::new("mqtts://localhost:8883").tls_ca_file("/nonexistent/ca.pem");
        let e = o.error().expect("a CA file that cannot be read is refused");
        assert!(e.message().contains("/nonexistent/ca.pem"), "{e}");
    }

    #[test]
    fn valid_options_record_no_error() {
        let o = Options::new("mqtt://localhost:1883")
            .client_id("c")
            .protocol(Protocol::V5)
            .credentials("u", b"p\0w")
            .reconnect_delay(Duration::from_millis(100), Duration::from_secs(5))
            .reconnect_clean_start(None)
            .tls_alpn(["mqtt", "x-amzn-mqtt-ca"])
            .ws_header("X-Test", "1")
            .persistence_sync(PersistenceSync::Interval(Duration::from_millis(50)))
            .log_level(Some(LogLevel::Warning))
            .will(Some(Will::new("last/will", "gone", QoS::AtLeastOnce, false)));
        assert!(o.error().is_none(), "{:?}", o.error());
    }

    /// Every OUZEL_OPT_* the headers define has a method here, but OUZEL_OPT_EVENT_QUEUE (set by
    /// `Client::new` itself, which always uses the event queue) and OUZEL_OPT_LOOP_INTERRUPT_FD
    /// (for ouzel_client_loop_forever on the caller's thread, which this crate never runs).
    #[test]
    fn every_c_option_has_a_method() {
        let bindings = include_str!("../../ouzel-sys/src/bindings.rs");
        let this = include_str!("options.rs");
        let missing: Vec<&str> = bindings
            .lines()
            .filter_map(|l| l.strip_prefix("pub const "))
            .filter_map(|l| l.split(':').next())
            .filter(|name| name.starts_with("OUZEL_OPT_"))
            .filter(|name| !["OUZEL_OPT_EVENT_QUEUE", "OUZEL_OPT_LOOP_INTERRUPT_FD"].contains(name))
            .filter(|name| {
                !this.contains(&format!("sys::{name},")) && !this.contains(&format!("sys::{name})"))
            })
            .collect();
        assert!(missing.is_empty(), "options without a method: {missing:?}");
    }
}
