//! The blocking client, for programs without async: the same client, with calls that wait on
//! the calling thread.
//!
//! ```no_run
//! use ouzel::blocking::Client;
//! use ouzel::{Options, QoS};
//! use std::time::Duration;
//! # fn main() -> Result<(), ouzel::Error> {
//! let client = Client::new(Options::new("mqtt://localhost:1883"))?;
//! client.connect()?;
//! client.subscribe("greetings/#", QoS::AtLeastOnce)?;
//! client.publish("greetings/en", "hello", QoS::AtLeastOnce, false)?.wait()?;
//! if let Ok(msg) = client.recv_timeout(Duration::from_secs(5)) {
//!     println!("{}: {:?}", msg.topic(), msg.payload_str());
//! }
//! client.disconnect()?;
//! # Ok(()) }
//! ```
//!
//! Every wait here runs on the caller's thread while the client's own event thread keeps going,
//! so waiting is allowed anywhere, including right after receiving a message.

use crate::acks::{DeliveryFuture, SubAck, UnsubAck};
use crate::block_on::block_on;
use crate::error::Result;
use crate::events::{ConnAck, Events};
use crate::inbox::{Messages, MessagesIter};
use crate::message::Message;
use crate::options::Options;
use crate::properties::Properties;
use crate::types::QoS;
use crate::Subscription;
use std::time::Duration;

/// Why `recv_timeout` returned without a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvTimeoutError {
    /// Nothing arrived in time.
    Timeout,
    /// The application disconnected and every message was taken.
    Ended,
}

impl std::fmt::Display for RecvTimeoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecvTimeoutError::Timeout => "no message arrived in time",
            RecvTimeoutError::Ended => "the client was disconnected",
        })
    }
}

impl std::error::Error for RecvTimeoutError {}

/// A client whose calls block the calling thread. `Send + Sync`; clones share one connection.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// Creates a client (not connected yet).
    pub fn new(options: Options) -> Result<Client> {
        Ok(Client { inner: crate::Client::new(options)? })
    }

    /// The async client underneath (same connection).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Connects and waits for the CONNACK (or the first attempt's failure).
    pub fn connect(&self) -> Result<ConnAck> {
        block_on(self.inner.connect())
    }

    /// Sends DISCONNECT and waits until the connection is closed.
    pub fn disconnect(&self) -> Result<()> {
        block_on(self.inner.disconnect())
    }

    /// Queues a message; `wait()` on the result blocks until its final delivery state.
    pub fn publish(
        &self,
        topic: &str,
        payload: impl AsRef<[u8]>,
        qos: QoS,
        retain: bool,
    ) -> Result<DeliveryFuture> {
        self.inner.publish(topic, payload, qos, retain)
    }

    /// [`Client::publish`] with MQTT 5 properties.
    pub fn publish_with_properties(
        &self,
        topic: &str,
        payload: impl AsRef<[u8]>,
        qos: QoS,
        retain: bool,
        properties: &Properties,
    ) -> Result<DeliveryFuture> {
        self.inner.publish_with_properties(topic, payload, qos, retain, properties)
    }

    /// Subscribes and waits for the SUBACK.
    pub fn subscribe(&self, filter: &str, qos: QoS) -> Result<SubAck> {
        block_on(self.inner.subscribe(filter, qos))
    }

    /// Subscribes to several filters and waits for the SUBACK.
    pub fn subscribe_many(
        &self,
        subscriptions: &[Subscription],
        properties: Option<&Properties>,
    ) -> Result<SubAck> {
        block_on(self.inner.subscribe_many(subscriptions, properties))
    }

    /// Unsubscribes and waits for the UNSUBACK.
    pub fn unsubscribe(&self, filter: &str) -> Result<UnsubAck> {
        block_on(self.inner.unsubscribe(filter))
    }

    /// Waits for the next message; `None` once the application disconnected and every message
    /// was taken.
    pub fn recv(&self) -> Option<Message> {
        self.with_messages(|m| block_on(m.recv()))
    }

    /// Waits up to `timeout` for the next message.
    pub fn recv_timeout(
        &self,
        timeout: Duration,
    ) -> std::result::Result<Message, RecvTimeoutError> {
        let ended = std::cell::Cell::new(false);
        let msg = self.with_messages(|m| {
            let r = crate::block_on::block_on_timeout(m.recv(), Some(timeout));
            ended.set(matches!(r, Some(None)));
            r.flatten()
        });
        match msg {
            Some(m) => Ok(m),
            None if ended.get() => Err(RecvTimeoutError::Ended),
            None => Err(RecvTimeoutError::Timeout),
        }
    }

    /// The next message if one is waiting.
    pub fn try_recv(&self) -> Option<Message> {
        self.with_messages(|m| m.try_next())
    }

    /// A blocking iterator over the messages (ends once the application disconnected).
    pub fn iter(&self) -> MessagesIter {
        self.inner.messages().into_iter()
    }

    /// Connection events from now on (`next_timeout`, or `into_iter()` to block).
    pub fn events(&self) -> Events {
        self.inner.events()
    }

    /// Acknowledges a message in manual acknowledgement mode.
    pub fn ack(&self, message: &Message) -> Result<()> {
        self.inner.ack(message)
    }

    /// True while connected.
    pub fn is_connected(&self) -> bool {
        self.inner.is_connected()
    }

    fn with_messages<T>(&self, f: impl FnOnce(&mut Messages) -> T) -> T {
        // A fresh view of the shared inbox per call: concurrent receivers on clones of this client
        // each get distinct messages.
        let mut m = self.inner.messages();
        f(&mut m)
    }
}
