//! One error type for every failure: the Ouzel code (`OUZEL_E*`), the MQTT reason code when the
//! server gave one, and the detail the library wrote for the failing call.

use crate::types::{DropReason, Packet, Protocol, ReasonCode};
use ouzel_sys as sys;
use std::ffi::CStr;
use std::fmt;

/// What went wrong, in the categories callers handle differently. Mirrors the C API's error codes
/// (`ouzel/errors.h`), plus the two ways a publish can end without being acknowledged.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An argument is invalid: a topic with a wildcard, an option out of range, a property not
    /// allowed where it was given.
    InvalidArgument,
    /// Out of memory.
    OutOfMemory,
    /// Not connected, and the operation cannot be queued (e.g. QoS 0 while offline).
    NotConnected,
    /// The outgoing queue (or the session store) is at its limit.
    QueueFull,
    /// A wait or a connection attempt timed out.
    TimedOut,
    /// The client is closed or being closed, or the application dropped the connection.
    Closed,
    /// The server refused: a CONNACK, SUBACK or UNSUBACK failure (see [`Error::reason_code`]).
    Refused,
    /// The server broke the protocol.
    Protocol,
    /// The TLS handshake or certificate verification failed.
    Tls,
    /// A payload or packet over a limit, such as the server's Maximum Packet Size.
    TooLarge,
    /// Nothing could be done now (internal; not expected from this crate's API).
    WouldBlock,
    /// Not allowed here.
    Busy,
    /// The network failed: connection refused or reset, host unreachable.
    Io,
    /// Not supported by this build or by the server (e.g. QoS above the server's maximum).
    NotSupported,
    /// No such message, subscription or packet identifier; or a host name that does not resolve.
    NotFound,
    /// The library does not know a struct version this crate uses (a library older than the crate).
    Version,
    /// A bug in Ouzel; the message says where.
    Internal,
    /// The session store failed (I/O error, damaged file).
    Store,
    /// A publish ended without acknowledgement: see [`Error::drop_reason`] and, for a rejection,
    /// [`Error::reason_code`].
    Dropped,
    /// A publish expired (its Message Expiry Interval passed) before it could be sent.
    Expired,
    /// A code this crate does not know (a newer library); see [`Error::code`].
    Other,
}

/// An Ouzel error: the kind, the C API code, the MQTT reason code if any, and a description.
///
/// Implements [`std::error::Error`]; its `Display` gives the library's detail for the failing
/// call (e.g. "topic contains the wildcard '+' at byte 2 [MQTT-3.3.2-2]").
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    code: i32,
    reason_code: Option<ReasonCode>,
    reason_name: Option<&'static str>,
    drop_reason: Option<DropReason>,
    message: String,
}

/// `Result<T, ouzel::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind: kind_of(code),
                code,
                reason_code: None,
                reason_name: None,
                drop_reason: None,
                message: message.into(),
            }),
        }
    }

    /// An error for `code` with the detail `ouzel_last_error_message()` holds for this thread's
    /// last failed call. Call right after the failing call, before any other Ouzel call.
    pub(crate) fn last(code: i32) -> Error {
        // SAFETY: ouzel_last_error_message never returns NULL and its string is valid until the
        // next Ouzel call on this thread; it is copied before that.
        let detail = unsafe { CStr::from_ptr(sys::ouzel_last_error_message()) };
        Error::new(code, detail.to_string_lossy().into_owned())
    }

    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.inner.kind = kind;
        self
    }

    /// Sets the reason code with its name in `packet` at `protocol` (from the engine's tables).
    pub(crate) fn with_reason(
        mut self,
        rc: ReasonCode,
        protocol: Protocol,
        packet: Packet,
    ) -> Error {
        self.inner.reason_code = Some(rc);
        self.inner.reason_name = rc.name(protocol, packet);
        self
    }

    pub(crate) fn with_drop_reason(mut self, reason: DropReason) -> Error {
        self.inner.drop_reason = Some(reason);
        self
    }

    /// The category of the failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The C API's code (`OUZEL_E*`, negative). A dropped publish reports `OUZEL_ECLOSED` and an
    /// expired one `OUZEL_ETIMEDOUT`, as `ouzel_client_wait_for_publish` does.
    pub fn code(&self) -> i32 {
        self.inner.code
    }

    /// The MQTT reason code the server sent (CONNACK, SUBACK, UNSUBACK, PUBACK/PUBREC, DISCONNECT),
    /// when the failure came with one.
    pub fn reason_code(&self) -> Option<ReasonCode> {
        self.inner.reason_code
    }

    /// The specification's name of [`Error::reason_code`] ("Not authorized"), when known.
    pub fn reason_name(&self) -> Option<&'static str> {
        self.inner.reason_name
    }

    /// Why a publish was dropped ([`ErrorKind::Dropped`] only).
    pub fn drop_reason(&self) -> Option<DropReason> {
        self.inner.drop_reason
    }

    /// The library's detail about this failure ("" when it gave none).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
}

/// `Err(Error::last(rc))` unless `rc` is `OUZEL_OK`.
pub(crate) fn check(rc: i32) -> Result<()> {
    if rc == sys::OUZEL_OK {
        Ok(())
    } else {
        Err(Error::last(rc))
    }
}

fn kind_of(code: i32) -> ErrorKind {
    match code {
        sys::OUZEL_EINVAL => ErrorKind::InvalidArgument,
        sys::OUZEL_ENOMEM => ErrorKind::OutOfMemory,
        sys::OUZEL_ENOTCONN => ErrorKind::NotConnected,
        sys::OUZEL_EQUEUEFULL => ErrorKind::QueueFull,
        sys::OUZEL_ETIMEDOUT => ErrorKind::TimedOut,
        sys::OUZEL_ECLOSED => ErrorKind::Closed,
        sys::OUZEL_EREFUSED => ErrorKind::Refused,
        sys::OUZEL_EPROTOCOL => ErrorKind::Protocol,
        sys::OUZEL_ETLS => ErrorKind::Tls,
        sys::OUZEL_ETOOLARGE => ErrorKind::TooLarge,
        sys::OUZEL_EWOULDBLOCK => ErrorKind::WouldBlock,
        sys::OUZEL_EBUSY => ErrorKind::Busy,
        sys::OUZEL_EIO => ErrorKind::Io,
        sys::OUZEL_ENOTSUP => ErrorKind::NotSupported,
        sys::OUZEL_ENOTFOUND => ErrorKind::NotFound,
        sys::OUZEL_EVERSION => ErrorKind::Version,
        sys::OUZEL_EINTERNAL => ErrorKind::Internal,
        sys::OUZEL_ESTORE => ErrorKind::Store,
        _ => ErrorKind::Other,
    }
}

fn code_text(code: i32) -> String {
    // SAFETY: ouzel_strerror returns a static NUL-terminated string for every code.
    unsafe { CStr::from_ptr(sys::ouzel_strerror(code)) }.to_string_lossy().into_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.kind {
            ErrorKind::Dropped => f.write_str("publish dropped")?,
            ErrorKind::Expired => f.write_str("publish expired")?,
            _ => f.write_str(&code_text(self.inner.code))?,
        }
        if let Some(reason) = self.inner.drop_reason {
            write!(f, " ({reason:?})")?;
        }
        match (self.inner.reason_code, self.inner.reason_name) {
            (Some(rc), Some(name)) => write!(f, " [reason code {rc}: {name}]")?,
            (Some(rc), None) => write!(f, " [reason code {rc}]")?,
            _ => {}
        }
        if !self.inner.message.is_empty() {
            write!(f, ": {}", self.inner.message)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("code", &self.inner.code)
            .field("reason_code", &self.inner.reason_code)
            .field("reason_name", &self.inner.reason_name)
            .field("drop_reason", &self.inner.drop_reason)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_c_code_has_its_own_kind() {
        let codes = [
            sys::OUZEL_EINVAL,
            sys::OUZEL_ENOMEM,
            sys::OUZEL_ENOTCONN,
            sys::OUZEL_EQUEUEFULL,
            sys::OUZEL_ETIMEDOUT,
            sys::OUZEL_ECLOSED,
            sys::OUZEL_EREFUSED,
            sys::OUZEL_EPROTOCOL,
            sys::OUZEL_ETLS,
            sys::OUZEL_ETOOLARGE,
            sys::OUZEL_EWOULDBLOCK,
            sys::OUZEL_EBUSY,
            sys::OUZEL_EIO,
            sys::OUZEL_ENOTSUP,
            sys::OUZEL_ENOTFOUND,
            sys::OUZEL_EVERSION,
            sys::OUZEL_EINTERNAL,
            sys::OUZEL_ESTORE,
        ];
        let kinds: std::collections::HashSet<_> = codes.iter().map(|&c| kind_of(c)).collect();
        assert_eq!(kinds.len(), codes.len());
        assert!(!kinds.contains(&ErrorKind::Other));
        assert_eq!(kind_of(-1000), ErrorKind::Other);
    }

    #[test]
    fn display_names_the_code_the_reason_and_the_detail() {
        let e = Error::new(sys::OUZEL_EREFUSED, "bad user name or password").with_reason(
            ReasonCode(0x86),
            Protocol::V5,
            Packet::Connack,
        );
        let text = e.to_string();
        assert!(text.contains("0x86: Bad User Name or Password"), "{text}");
        assert!(text.contains("bad user name or password"), "{text}");
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert_eq!(e.code(), sys::OUZEL_EREFUSED);
    }
}
