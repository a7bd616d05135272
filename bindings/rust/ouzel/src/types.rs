//! Small value types shared by the API: QoS, protocol level, reason codes, delivery states.

use ouzel_sys as sys;
use std::fmt;

/// Quality of service of a publish or a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum QoS {
    /// QoS 0: sent once, never acknowledged.
    AtMostOnce = 0,
    /// QoS 1: acknowledged with PUBACK; may arrive more than once.
    AtLeastOnce = 1,
    /// QoS 2: the four-packet exchange; arrives exactly once.
    ExactlyOnce = 2,
}

impl QoS {
    pub(crate) fn from_raw(v: i32) -> QoS {
        match v {
            0 => QoS::AtMostOnce,
            1 => QoS::AtLeastOnce,
            _ => QoS::ExactlyOnce,
        }
    }
}

impl TryFrom<u8> for QoS {
    type Error = crate::Error;
    fn try_from(v: u8) -> crate::Result<QoS> {
        match v {
            0 => Ok(QoS::AtMostOnce),
            1 => Ok(QoS::AtLeastOnce),
            2 => Ok(QoS::ExactlyOnce),
            _ => Err(crate::Error::new(sys::OUZEL_EINVAL, format!("QoS {v} is not 0, 1 or 2"))),
        }
    }
}

/// The MQTT protocol level spoken on the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// MQTT 3.1 (protocol level 3).
    V31,
    /// MQTT 3.1.1 (protocol level 4), the default.
    V311,
    /// MQTT 5.0 (protocol level 5).
    V5,
}

impl Protocol {
    pub(crate) fn raw(self) -> i64 {
        i64::from(match self {
            Protocol::V31 => sys::OUZEL_MQTT_V31,
            Protocol::V311 => sys::OUZEL_MQTT_V311,
            Protocol::V5 => sys::OUZEL_MQTT_V5,
        })
    }
}

/// An MQTT reason code as the server sent it (MQTT 5.0 section 2.4; for 3.1.1 the CONNACK return
/// code or the SUBACK granted QoS / 0x80). Codes of 0x80 and above are failures.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReasonCode(pub u8);

impl ReasonCode {
    /// The code's value.
    pub fn value(self) -> u8 {
        self.0
    }

    /// True for codes below 0x80.
    pub fn is_success(self) -> bool {
        self.0 < 0x80
    }
}

/// The MQTT packets that carry reason codes (for [`ReasonCode::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Packet {
    /// CONNACK (3.x: the Connect Return code).
    Connack,
    /// PUBACK.
    Puback,
    /// PUBREC.
    Pubrec,
    /// PUBREL.
    Pubrel,
    /// PUBCOMP.
    Pubcomp,
    /// SUBACK (3.x: the granted QoS or 0x80).
    Suback,
    /// UNSUBACK.
    Unsuback,
    /// DISCONNECT.
    Disconnect,
    /// AUTH.
    Auth,
}

impl Packet {
    fn raw(self) -> i32 {
        match self {
            Packet::Connack => sys::OUZEL_PACKET_CONNACK,
            Packet::Puback => sys::OUZEL_PACKET_PUBACK,
            Packet::Pubrec => sys::OUZEL_PACKET_PUBREC,
            Packet::Pubrel => sys::OUZEL_PACKET_PUBREL,
            Packet::Pubcomp => sys::OUZEL_PACKET_PUBCOMP,
            Packet::Suback => sys::OUZEL_PACKET_SUBACK,
            Packet::Unsuback => sys::OUZEL_PACKET_UNSUBACK,
            Packet::Disconnect => sys::OUZEL_PACKET_DISCONNECT,
            Packet::Auth => sys::OUZEL_PACKET_AUTH,
        }
    }
}

impl ReasonCode {
    /// The specification's name of this code in `packet` at `protocol` ("Not authorized",
    /// "Connection Refused, not authorized", "Granted QoS 1"), from the engine's tables; `None`
    /// when that packet cannot carry this code.
    pub fn name(self, protocol: Protocol, packet: Packet) -> Option<&'static str> {
        // SAFETY: thread-safe; returns NULL or a static NUL-terminated string.
        let p = unsafe {
            sys::ouzel_reason_code_name(protocol.raw() as i32, packet.raw(), self.0.into())
        };
        if p.is_null() {
            None
        } else {
            // SAFETY: static, NUL-terminated, ASCII.
            unsafe { std::ffi::CStr::from_ptr(p) }.to_str().ok()
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:02X}", self.0)
    }
}

impl fmt::Debug for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReasonCode(0x{:02X})", self.0)
    }
}

/// Where a published message is (`Client::delivery_status`); a message ends Acknowledged, Expired
/// or Dropped.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryState {
    /// Waiting to be sent (offline, or the in-flight window is full).
    Queued,
    /// Sent, waiting for PUBACK / PUBCOMP.
    InFlight,
    /// Acknowledged (QoS 1/2), or written to the connection (QoS 0).
    Acknowledged,
    /// Its Message Expiry Interval passed before it was sent.
    Expired,
    /// Given up: see [`DropReason`].
    Dropped,
}

impl DeliveryState {
    pub(crate) fn from_raw(v: i32) -> DeliveryState {
        match v {
            sys::OUZEL_DELIVERY_QUEUED => DeliveryState::Queued,
            sys::OUZEL_DELIVERY_INFLIGHT => DeliveryState::InFlight,
            sys::OUZEL_DELIVERY_ACKNOWLEDGED => DeliveryState::Acknowledged,
            sys::OUZEL_DELIVERY_EXPIRED => DeliveryState::Expired,
            _ => DeliveryState::Dropped,
        }
    }
}

/// Why a publish was dropped.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// The outgoing queue was full (with the drop-oldest policy for QoS 0).
    QueueFull,
    /// The server did not resume the session the message belonged to.
    SessionLost,
    /// Over the server's Maximum Packet Size.
    TooLarge,
    /// The server answered with a failure reason code (MQTT 5): see `Error::reason_code`.
    Rejected,
    /// The connection ended and the message cannot be resent (QoS 0).
    ConnectionLost,
    /// The client was closed before the message finished.
    Cancelled,
    /// A reason this crate does not know (a newer library).
    Other(i32),
}

impl DropReason {
    pub(crate) fn from_raw(v: i32) -> DropReason {
        match v {
            sys::OUZEL_DROP_QUEUE_FULL => DropReason::QueueFull,
            sys::OUZEL_DROP_SESSION_LOST => DropReason::SessionLost,
            sys::OUZEL_DROP_TOO_LARGE => DropReason::TooLarge,
            sys::OUZEL_DROP_REJECTED => DropReason::Rejected,
            sys::OUZEL_DROP_CONNECTION_LOST => DropReason::ConnectionLost,
            sys::OUZEL_DROP_CANCELLED => DropReason::Cancelled,
            other => DropReason::Other(other),
        }
    }
}

/// A message's delivery status, as `Client::delivery_status` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryStatus {
    /// Where the message is.
    pub state: DeliveryState,
    /// Why it was dropped (only when `state` is `Dropped`).
    pub drop_reason: Option<DropReason>,
    /// Its current packet identifier (0 for QoS 0).
    pub mid: u16,
    /// The PUBACK/PUBREC/PUBCOMP reason code (MQTT 5), else 0.
    pub reason_code: ReasonCode,
}

/// Severity of a library log line (`Options::log_level`, `Event::Log`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogLevel {
    /// Protocol traffic and internals.
    Debug,
    /// Connections and reconnections.
    Info,
    /// Noteworthy but expected.
    Notice,
    /// Something went wrong and was handled.
    Warning,
    /// Something failed.
    Error,
}

impl LogLevel {
    pub(crate) fn raw(self) -> i32 {
        match self {
            LogLevel::Debug => sys::OUZEL_LOG_DEBUG,
            LogLevel::Info => sys::OUZEL_LOG_INFO,
            LogLevel::Notice => sys::OUZEL_LOG_NOTICE,
            LogLevel::Warning => sys::OUZEL_LOG_WARNING,
            LogLevel::Error => sys::OUZEL_LOG_ERR,
        }
    }

    pub(crate) fn from_raw(v: i32) -> LogLevel {
        match v {
            sys::OUZEL_LOG_DEBUG => LogLevel::Debug,
            sys::OUZEL_LOG_INFO => LogLevel::Info,
            sys::OUZEL_LOG_NOTICE => LogLevel::Notice,
            sys::OUZEL_LOG_WARNING => LogLevel::Warning,
            _ => LogLevel::Error,
        }
    }
}

/// Where the client's connection stands (`Client::state`), from the engine's own bookkeeping.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// No connection and none wanted: never connected, or after `disconnect`.
    Disconnected,
    /// A connection is wanted; no attempt runs yet (reconnection back-off).
    ConnectPending,
    /// An attempt is under way (resolution, handshakes, CONNECT sent without CONNACK yet).
    Connecting,
    /// A CONNACK accepted the current connection.
    Connected,
    /// The connection is closing.
    Disconnecting,
    /// The connection ended (or attempts failed) and, with reconnection off, none will follow.
    ConnectionLost,
    /// The client is closed (`Client::close`, or its last handle dropped).
    Closed,
}

impl ConnectionState {
    pub(crate) fn from_raw(v: i32) -> ConnectionState {
        match v {
            sys::OUZEL_STATE_DISCONNECTED => ConnectionState::Disconnected,
            sys::OUZEL_STATE_CONNECT_PENDING => ConnectionState::ConnectPending,
            sys::OUZEL_STATE_CONNECTING => ConnectionState::Connecting,
            sys::OUZEL_STATE_CONNECTED => ConnectionState::Connected,
            sys::OUZEL_STATE_DISCONNECTING => ConnectionState::Disconnecting,
            _ => ConnectionState::ConnectionLost,
        }
    }
}
