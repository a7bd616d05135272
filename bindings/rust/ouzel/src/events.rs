//! Connection-level events (connected, connection failed, disconnected, AUTH, log lines) and the
//! `Events` stream that reports them to whoever asked with `Client::events`.

use crate::client::Handle;
use crate::completion::lock;
use crate::error::Error;
use crate::properties::Properties;
use crate::types::{LogLevel, ReasonCode};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// The server accepted the connection (CONNACK).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnAck {
    /// The server resumed a stored session.
    pub session_present: bool,
    /// The CONNACK properties (MQTT 5; empty for 3.1.1): Assigned Client Identifier, Receive
    /// Maximum, Maximum Packet Size, ...
    pub properties: Properties,
}

/// An established connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnected {
    /// Why: `None` after `Client::disconnect`, otherwise the failure (network, protocol, ...).
    pub error: Option<Error>,
    /// The DISCONNECT reason code (ours or the server's).
    pub reason_code: ReasonCode,
    /// The server sent the DISCONNECT.
    pub by_server: bool,
    /// The server's DISCONNECT properties (may be empty).
    pub properties: Properties,
}

/// Something that happened to the connection, as `Client::events` reports it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A CONNACK accepted the connection (first connection or an automatic reconnection).
    Connected(ConnAck),
    /// A connection attempt failed before a successful CONNACK (the error carries the CONNACK
    /// reason code when the server refused).
    ConnectFailed(Error),
    /// An established connection ended.
    Disconnected(Disconnected),
    /// The server sent AUTH (MQTT 5 enhanced authentication).
    Auth {
        /// 0x18 continue authentication, 0x00 re-authentication succeeded.
        reason_code: ReasonCode,
        /// Authentication Method / Data.
        properties: Properties,
    },
    /// A library log line (`Options::log_level`).
    Log {
        /// Its severity.
        level: LogLevel,
        /// The line.
        message: String,
    },
}

#[derive(Default)]
struct SinkState {
    queue: VecDeque<Event>,
    waker: Option<Waker>,
    closed: bool,
}

#[derive(Default)]
pub(crate) struct Sink {
    state: Mutex<SinkState>,
}

/// The live `Events` streams of a client.
#[derive(Default)]
pub(crate) struct Sinks {
    sinks: Mutex<Vec<Weak<Sink>>>,
}

impl Sinks {
    fn add(&self) -> Arc<Sink> {
        let sink = Arc::new(Sink::default());
        let mut sinks = lock(&self.sinks);
        sinks.retain(|w| w.strong_count() > 0);
        sinks.push(Arc::downgrade(&sink));
        sink
    }

    /// Ends every stream once its events are taken: the client is closed.
    pub(crate) fn close(&self) {
        let sinks: Vec<Arc<Sink>> = lock(&self.sinks).iter().filter_map(Weak::upgrade).collect();
        for sink in sinks {
            let waker = {
                let mut s = lock(&sink.state);
                s.closed = true;
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }

    pub(crate) fn broadcast(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let sinks: Vec<Arc<Sink>> = lock(&self.sinks).iter().filter_map(Weak::upgrade).collect();
        for sink in sinks {
            let waker = {
                let mut s = lock(&sink.state);
                s.queue.extend(events.iter().cloned());
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

/// The connection events of a client from the moment `Client::events` was called, in order:
/// a [`futures_core::Stream`], and a blocking [`Iterator`] through `into_iter()`. Every `Events` gets every event. Events
/// are kept until taken (there are few: one per connection attempt or ending, AUTH exchange, or
/// log line at the chosen level), so take them or drop the `Events`. Keeps the client alive;
/// ends once it is closed.
pub struct Events {
    handle: Arc<Handle>,
    sink: Arc<Sink>,
}

impl Events {
    pub(crate) fn new(handle: Arc<Handle>) -> Events {
        let sink = handle.core.sinks.add();
        Events { handle, sink }
    }

    fn poll_event(&self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut s = lock(&self.sink.state);
        match s.queue.pop_front() {
            Some(e) => Poll::Ready(Some(e)),
            None if s.closed => Poll::Ready(None),
            None => {
                s.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// The next event, without waiting.
    pub fn try_next(&mut self) -> Option<Event> {
        lock(&self.sink.state).queue.pop_front()
    }

    /// The next event (async); `None` once the client is closed and every event was taken.
    pub async fn recv(&mut self) -> Option<Event> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    /// Waits up to `timeout` for the next event.
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Event> {
        crate::block_on::block_on_timeout(
            std::future::poll_fn(|cx| self.poll_event(cx)),
            Some(timeout),
        )
        .flatten()
    }
}

impl futures_core::Stream for Events {
    type Item = Event;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.poll_event(cx)
    }
}

impl IntoIterator for Events {
    type Item = Event;
    type IntoIter = EventsIter;
    /// A blocking iterator over the same events.
    fn into_iter(self) -> EventsIter {
        EventsIter(self)
    }
}

/// [`Events`] as a blocking [`Iterator`]: `next` waits for the next event and returns `None` once
/// the client is closed.
#[derive(Debug)]
pub struct EventsIter(Events);

impl Iterator for EventsIter {
    type Item = Event;
    fn next(&mut self) -> Option<Event> {
        let e = &self.0;
        crate::block_on::block_on(std::future::poll_fn(|cx| e.poll_event(cx)))
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pending = lock(&self.sink.state).queue.len();
        f.debug_struct("Events")
            .field("pending", &pending)
            .field("connected", &self.handle.core.is_connected())
            .finish()
    }
}
