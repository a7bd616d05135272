//! An MQTT 3.1.1 and 5 client for Rust on the Ouzel engine (`libouzel`, C++17 behind a stable C
//! ABI): durable sessions, explicit delivery states, TCP, TLS, WebSocket, Unix sockets and
//! proxies.
//!
//! - [`Client::publish`] returns as soon as the message is queued, with a [`DeliveryFuture`]
//!   that resolves when the message reaches its final state (acknowledged, expired or dropped,
//!   with the reason). Dropping the future only stops waiting.
//! - [`Client::messages`] is a `Stream` and a blocking `Iterator`. Messages stay unacknowledged
//!   until taken, and a consumer that stalls makes the client stop reading, so the broker holds
//!   the rest (MQTT flow control). Nothing is dropped.
//! - No runtime is required: a thread of the client's own drains the engine's event queue in
//!   batches and completes futures, so any executor (or none: [`blocking::Client`]) works. The
//!   `tokio` feature adds [`Client::new_tokio`], which drives the queue from tokio's reactor.
//! - Application code never runs on the engine's network thread, no lock of this crate is held
//!   while it runs, no panic crosses into C, and `Drop` never blocks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ouzel::Error> {
//! use ouzel::{Client, Options, Protocol, QoS};
//! let client = Client::new(Options::new("mqtt://localhost:1883").protocol(Protocol::V5))?;
//! client.connect().await?;
//! client.publish("greetings", "hello", QoS::ExactlyOnce, false)?.await?;
//! client.disconnect().await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod acks;
mod block_on;
pub mod blocking;
mod client;
mod completion;
mod core;
mod driver;
mod error;
mod events;
mod exit;
mod inbox;
mod message;
mod options;
mod properties;
mod types;

pub use acks::{DeliveryFuture, PublishAck, SubAck, UnsubAck};
pub use client::{Client, PersistenceReport, Stats, Subscription};
pub use error::{Error, ErrorKind, Result};
pub use events::{ConnAck, Disconnected, Event, Events, EventsIter};
pub use inbox::{Messages, MessagesIter};
pub use message::Message;
pub use options::{
    LostSessionPolicy, Options, PersistenceFullPolicy, PersistenceSync, ProxyType, Qos2Delivery,
    QueueFullPolicy, TlsVerifyInfo, TlsVersion, Will,
};
pub use properties::{Properties, Property, PropertyId};
pub use types::{
    ConnectionState, DeliveryState, DeliveryStatus, DropReason, LogLevel, Packet, Protocol, QoS,
    ReasonCode,
};

/// The version of libouzel in use at run time, as "MAJOR.MINOR.PATCH".
pub fn library_version() -> String {
    // SAFETY: a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(ouzel_sys::ouzel_version_string()) }
        .to_string_lossy()
        .into_owned()
}
