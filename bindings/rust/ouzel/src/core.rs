//! The state shared by a client's handles and its event driver: the C client, the operations
//! waiting for the server, the inbox of received messages, and the dispatch of polled events.
//!
//! User code never runs here: dispatch only copies event data, completes futures (whose wakers
//! are called after every lock is released) and queues messages and events for the application.

use crate::acks::{PublishAck, SubAck, UnsubAck};
use crate::completion::{lock, Completion};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{ConnAck, Disconnected, Event, Sinks};
use crate::inbox::{Held, Inbox};
use crate::message::Message;
use crate::properties::{text, Properties};
use crate::types::{DeliveryState, DropReason, LogLevel, Packet, Protocol, QoS, ReasonCode};
use ouzel_sys as sys;
use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::task::Waker;

pub(crate) type PublishSlot = Arc<Completion<Result<PublishAck>>>;
pub(crate) type SubscribeSlot = Arc<Completion<Result<SubAck>>>;
pub(crate) type UnsubscribeSlot = Arc<Completion<Result<UnsubAck>>>;
pub(crate) type ConnectSlot = Arc<Completion<Result<ConnAck>>>;
pub(crate) type DisconnectSlot = Arc<Completion<Result<()>>>;
pub(crate) type FlushSlot = Arc<Completion<()>>;

/// Operations waiting for the server, keyed by what the event will carry. A result that arrives
/// before its operation registered (the C call returned, the caller has not taken the lock yet)
/// waits in `early_*` for it.
#[derive(Default)]
struct Pending {
    publishes: HashMap<u64, PublishSlot>,
    early_publishes: HashMap<u64, Result<PublishAck>>,
    subscribes: HashMap<u16, SubscribeSlot>,
    early_subscribes: HashMap<u16, Result<SubAck>>,
    unsubscribes: HashMap<u16, UnsubscribeSlot>,
    early_unsubscribes: HashMap<u16, Result<UnsubAck>>,
    connects: Vec<ConnectSlot>,
    disconnects: Vec<DisconnectSlot>,
    /// Waiting for every publish above to finish (or the connection to end).
    flushes: Vec<FlushSlot>,
}

/// What one dispatched batch completes, done after the locks are released.
#[derive(Default)]
struct Outcomes {
    publishes: Vec<(PublishSlot, Result<PublishAck>)>,
    subscribes: Vec<(SubscribeSlot, Result<SubAck>)>,
    unsubscribes: Vec<(UnsubscribeSlot, Result<UnsubAck>)>,
    connects: Vec<(ConnectSlot, Result<ConnAck>)>,
    disconnects: Vec<(DisconnectSlot, Result<()>)>,
    flushes: Vec<FlushSlot>,
    events: Vec<Event>,
    /// The message streams end (an application disconnect) or run again (a connection).
    inbox_ended: Option<bool>,
}

pub(crate) struct Core {
    /// The C client; `None` once the driver has freed it (after `Client::close` or the last
    /// handle's drop). Calls hold the read lock for as long as they use the pointer, so the free
    /// (under the write lock) never overlaps one.
    client: RwLock<Option<NonNull<sys::ouzel_client>>>,
    pending: Mutex<Pending>,
    pub(crate) inbox: Inbox,
    pub(crate) sinks: Sinks,
    closing: AtomicBool,
    /// The protocol level, to name reason codes.
    pub(crate) protocol: Protocol,
    /// The tokio driver's waker, woken when closing begins (the thread driver is woken by
    /// ouzel_client_interrupt_poll instead).
    close_waker: Mutex<Option<Waker>>,
}

// SAFETY: every C function called through `Core` from several threads is documented
// "thread-safe" in client.h / events.h (publish, subscribe, unsubscribe, connect, disconnect,
// reconnect, ack, delivery_status, stat, is_connected, poll_events, release_events,
// interrupt_poll, event_fd, auth functions): the library serializes them internally. The one
// exception, ouzel_client_free ("not thread-safe with other calls on the same client"), runs
// under the write lock of `client` (no call holds the pointer then) on the driver's thread after
// it stopped polling, or in `Drop` when no other reference exists. Everything else in `Core` is
// behind mutexes, the lock or atomics.
unsafe impl Send for Core {}
// SAFETY: as above.
unsafe impl Sync for Core {}

impl Core {
    pub(crate) fn new(raw: NonNull<sys::ouzel_client>, protocol: Protocol) -> Core {
        Core {
            client: RwLock::new(Some(raw)),
            pending: Mutex::default(),
            inbox: Inbox::default(),
            sinks: Sinks::default(),
            closing: AtomicBool::new(false),
            protocol,
            close_waker: Mutex::new(None),
        }
    }

    /// Runs `f` with the C client, holding it for the call; `ErrorKind::Closed` once the client
    /// was closed.
    pub(crate) fn with_raw<T>(
        &self,
        f: impl FnOnce(*mut sys::ouzel_client) -> Result<T>,
    ) -> Result<T> {
        let guard = self.client.read().unwrap_or_else(PoisonError::into_inner);
        match *guard {
            Some(raw) if !self.is_closing() => f(raw.as_ptr()),
            _ => Err(Error::new(sys::OUZEL_ECLOSED, "the client is closed")),
        }
    }

    /// The C client for the driver, which alone frees it: valid until `shutdown`.
    pub(crate) fn driver_raw(&self) -> Option<*mut sys::ouzel_client> {
        let guard = self.client.read().unwrap_or_else(PoisonError::into_inner);
        guard.map(NonNull::as_ptr)
    }

    pub(crate) fn is_connected(&self) -> bool {
        // SAFETY: thread-safe, on a live client.
        self.with_raw(|raw| Ok(unsafe { sys::ouzel_client_is_connected(raw) } == 1))
            .unwrap_or(false)
    }

    // --- Closing ---------------------------------------------------------------------------------

    /// Refuses new calls and asks the driver to stop; the driver then frees the client
    /// (`shutdown`). Never blocks.
    pub(crate) fn begin_close(&self) {
        let guard = self.client.read().unwrap_or_else(PoisonError::into_inner);
        self.closing.store(true, Ordering::SeqCst);
        if let Some(raw) = *guard {
            // SAFETY: thread-safe; wakes a poll blocked in the thread driver (or the next one).
            unsafe { sys::ouzel_client_interrupt_poll(raw.as_ptr()) };
        }
        drop(guard);
        if let Some(w) = lock(&self.close_waker).take() {
            w.wake();
        }
    }

    /// Frees the C client once no call uses it, then fails whatever still waits and ends the
    /// streams. Called by the driver after its last poll (freeing joins the library's thread,
    /// so never on an application or runtime thread).
    pub(crate) fn shutdown(&self) {
        let raw = self.client.write().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(raw) = raw {
            // Messages not taken are never acknowledged: the free releases their events, and a
            // persistent session gets them again.
            self.inbox.close();
            // SAFETY: the write lock was taken and released: no call holds the pointer, and
            // every later one finds `None`.
            unsafe { sys::ouzel_client_free(raw.as_ptr()) };
        }
        self.inbox.close();
        self.sinks.close();
        self.fail_all();
    }

    pub(crate) fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn set_close_waker(&self, waker: &Waker) {
        *lock(&self.close_waker) = Some(waker.clone());
    }

    // --- Registering operations ------------------------------------------------------------------

    pub(crate) fn register_publish(&self, token: u64) -> PublishSlot {
        let slot = Completion::new();
        let mut p = lock(&self.pending);
        match p.early_publishes.remove(&token) {
            Some(result) => {
                drop(p);
                slot.complete(result);
            }
            None => {
                p.publishes.insert(token, Arc::clone(&slot));
            }
        }
        slot
    }

    /// Every SUBSCRIBE gets its SUBSCRIBE_DONE event, an error one when the connection closed
    /// before the SUBACK (events.h), so a waiter registered here always completes.
    pub(crate) fn register_subscribe(&self, mid: u16) -> SubscribeSlot {
        let slot = Completion::new();
        let mut p = lock(&self.pending);
        match p.early_subscribes.remove(&mid) {
            Some(result) => {
                drop(p);
                slot.complete(result);
            }
            None => {
                p.subscribes.insert(mid, Arc::clone(&slot));
            }
        }
        slot
    }

    /// As [`Core::register_subscribe`], for UNSUBSCRIBE_DONE.
    pub(crate) fn register_unsubscribe(&self, mid: u16) -> UnsubscribeSlot {
        let slot = Completion::new();
        let mut p = lock(&self.pending);
        match p.early_unsubscribes.remove(&mid) {
            Some(result) => {
                drop(p);
                slot.complete(result);
            }
            None => {
                p.unsubscribes.insert(mid, Arc::clone(&slot));
            }
        }
        slot
    }

    /// Registers a waiter for the next connection outcome; call before starting to connect.
    pub(crate) fn register_connect(&self) -> ConnectSlot {
        let slot = Completion::new();
        lock(&self.pending).connects.push(Arc::clone(&slot));
        slot
    }

    pub(crate) fn unregister_connect(&self, slot: &ConnectSlot) {
        lock(&self.pending).connects.retain(|s| !Arc::ptr_eq(s, slot));
    }

    /// A waiter for the publishes in flight now to finish, or `None` when there are none.
    pub(crate) fn register_flush(&self) -> Option<FlushSlot> {
        let mut p = lock(&self.pending);
        if p.publishes.is_empty() {
            return None;
        }
        let slot = Completion::new();
        p.flushes.push(Arc::clone(&slot));
        Some(slot)
    }

    pub(crate) fn register_disconnect(&self) -> DisconnectSlot {
        let slot = Completion::new();
        lock(&self.pending).disconnects.push(Arc::clone(&slot));
        slot
    }

    pub(crate) fn unregister_disconnect(&self, slot: &DisconnectSlot) {
        lock(&self.pending).disconnects.retain(|s| !Arc::ptr_eq(s, slot));
    }

    // --- Messages --------------------------------------------------------------------------------

    /// Releases a message's event: acknowledges it (unless manual ack) and frees its place under
    /// the buffering bound, so reading resumes.
    pub(crate) fn release_message(&self, event: &mut sys::ouzel_event) {
        let guard = self.client.read().unwrap_or_else(PoisonError::into_inner);
        // After the free there is nothing to release: the free released every event.
        if let Some(raw) = *guard {
            // SAFETY: `event` is a copy of a polled, unreleased event of this live client;
            // releasing is thread-safe and identifies the event by its contents.
            let rc = unsafe { sys::ouzel_client_release_events(raw.as_ptr(), event, 1) };
            debug_assert_eq!(rc, sys::OUZEL_OK, "releasing a message event failed");
        }
    }

    // --- Dispatch --------------------------------------------------------------------------------

    /// Handles one polled batch: copies what the application needs, releases every event that is
    /// not a message, then completes futures and queues messages and events.
    pub(crate) fn dispatch(
        &self,
        raw: *mut sys::ouzel_client,
        batch: &mut [sys::ouzel_event],
        release: &mut Vec<sys::ouzel_event>,
    ) {
        let mut out = Outcomes::default();
        let mut messages = Vec::new();
        release.clear();
        {
            let mut p = lock(&self.pending);
            for ev in batch.iter() {
                if ev.r#type == sys::OUZEL_EVENT_MESSAGE {
                    // SAFETY: a polled, unreleased MESSAGE event.
                    let message = unsafe { Message::from_event(ev) };
                    messages.push(Held { message, event: *ev });
                    continue;
                }
                // SAFETY: a polled, unreleased event; its pointers are valid until released below.
                unsafe { self.dispatch_one(ev, &mut p, &mut out) };
                release.push(*ev);
            }
            if p.publishes.is_empty() {
                out.flushes.append(&mut p.flushes);
            }
        }
        if !release.is_empty() {
            // SAFETY: copies of polled, unreleased events of this client, each released once.
            let rc = unsafe {
                sys::ouzel_client_release_events(raw, release.as_mut_ptr(), release.len())
            };
            debug_assert_eq!(rc, sys::OUZEL_OK, "releasing events failed");
        }
        self.inbox.push(messages);
        if let Some(ended) = out.inbox_ended {
            self.inbox.set_ended(ended);
        }
        complete_all(out, &self.sinks);
    }

    /// # Safety
    /// `ev` is a polled, unreleased event of this client.
    unsafe fn dispatch_one(&self, ev: &sys::ouzel_event, p: &mut Pending, out: &mut Outcomes) {
        match ev.r#type {
            sys::OUZEL_EVENT_PUBLISH_DONE => {
                let result = publish_result(ev, self.protocol);
                match p.publishes.remove(&ev.token) {
                    Some(slot) => out.publishes.push((slot, result)),
                    None => {
                        p.early_publishes.insert(ev.token, result);
                    }
                }
            }
            sys::OUZEL_EVENT_SUBSCRIBE_DONE => {
                let mid = ev.mid as u16;
                let result = if ev.error != sys::OUZEL_OK {
                    Err(lost_before_ack(ev.error, "SUBACK"))
                } else {
                    Ok(SubAck {
                        mid,
                        reason_codes: reason_codes(ev),
                        properties: event_properties(ev),
                    })
                };
                match p.subscribes.remove(&mid) {
                    Some(slot) => out.subscribes.push((slot, result)),
                    None => {
                        p.early_subscribes.insert(mid, result);
                    }
                }
            }
            sys::OUZEL_EVENT_UNSUBSCRIBE_DONE => {
                let mid = ev.mid as u16;
                let result = if ev.error != sys::OUZEL_OK {
                    Err(lost_before_ack(ev.error, "UNSUBACK"))
                } else {
                    Ok(UnsubAck {
                        mid,
                        reason_codes: reason_codes(ev),
                        properties: event_properties(ev),
                    })
                };
                match p.unsubscribes.remove(&mid) {
                    Some(slot) => out.unsubscribes.push((slot, result)),
                    None => {
                        p.early_unsubscribes.insert(mid, result);
                    }
                }
            }
            sys::OUZEL_EVENT_CONNECTED => {
                let ack = ConnAck {
                    session_present: ev.session_present != 0,
                    properties: event_properties(ev),
                };
                out.inbox_ended = Some(false);
                for slot in p.connects.drain(..) {
                    out.connects.push((slot, Ok(ack.clone())));
                }
                out.events.push(Event::Connected(ack));
            }
            sys::OUZEL_EVENT_CONNECT_FAILED => {
                let mut error = Error::new(ev.error, text(ev.text, ev.text_len));
                if let Ok(rc) = u8::try_from(ev.reason_code) {
                    error = error.with_reason(ReasonCode(rc), self.protocol, Packet::Connack);
                }
                for slot in p.connects.drain(..) {
                    out.connects.push((slot, Err(error.clone())));
                }
                out.events.push(Event::ConnectFailed(error));
            }
            sys::OUZEL_EVENT_DISCONNECTED => {
                let requested = ev.error == sys::OUZEL_OK;
                let error = (!requested).then(|| Error::new(ev.error, text(ev.text, ev.text_len)));
                for slot in p.disconnects.drain(..) {
                    out.disconnects.push((slot, Ok(())));
                }
                // Nothing more finishes on this connection: a flush stops waiting.
                out.flushes.append(&mut p.flushes);
                if requested {
                    out.inbox_ended = Some(true);
                }
                out.events.push(Event::Disconnected(Disconnected {
                    error,
                    reason_code: ReasonCode(ev.reason_code as u8),
                    by_server: ev.by_server != 0,
                    properties: event_properties(ev),
                }));
            }
            sys::OUZEL_EVENT_AUTH => out.events.push(Event::Auth {
                reason_code: ReasonCode(ev.reason_code as u8),
                properties: event_properties(ev),
            }),
            sys::OUZEL_EVENT_LOG => out.events.push(Event::Log {
                level: LogLevel::from_raw(ev.level),
                message: text(ev.text, ev.text_len),
            }),
            _ => {} // an event type newer than this crate: released unread
        }
    }

    /// Fails everything still waiting: the client is gone.
    fn fail_all(&self) {
        let mut out = Outcomes::default();
        {
            let mut p = lock(&self.pending);
            let closed = || Error::new(sys::OUZEL_ECLOSED, "the client was closed");
            for (_, slot) in p.publishes.drain() {
                let e = Error::new(
                    sys::OUZEL_ECLOSED,
                    "the client was closed before the message finished",
                )
                .with_kind(ErrorKind::Dropped)
                .with_drop_reason(DropReason::Cancelled);
                out.publishes.push((slot, Err(e)));
            }
            for (_, slot) in p.subscribes.drain() {
                out.subscribes.push((slot, Err(closed())));
            }
            for (_, slot) in p.unsubscribes.drain() {
                out.unsubscribes.push((slot, Err(closed())));
            }
            for slot in p.connects.drain(..) {
                out.connects.push((slot, Err(closed())));
            }
            for slot in p.disconnects.drain(..) {
                out.disconnects.push((slot, Err(closed())));
            }
            out.flushes.append(&mut p.flushes);
        }
        complete_all(out, &self.sinks);
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        // Normally the driver has shut down already; this covers a client whose driver never
        // started.
        self.shutdown();
    }
}

fn complete_all(out: Outcomes, sinks: &Sinks) {
    for (slot, r) in out.publishes {
        slot.complete(r);
    }
    for (slot, r) in out.subscribes {
        slot.complete(r);
    }
    for (slot, r) in out.unsubscribes {
        slot.complete(r);
    }
    for (slot, r) in out.connects {
        slot.complete(r);
    }
    for (slot, r) in out.disconnects {
        slot.complete(r);
    }
    for slot in out.flushes {
        slot.complete(());
    }
    sinks.broadcast(out.events);
}

fn lost_before_ack(code: i32, ack: &str) -> Error {
    Error::new(code, format!("the connection ended before the {ack} arrived"))
}

/// # Safety
/// `ev` is a polled, unreleased event.
unsafe fn event_properties(ev: &sys::ouzel_event) -> Properties {
    if ev.properties.is_null() || sys::ouzel_properties_count(ev.properties) == 0 {
        Properties::new()
    } else {
        Properties::from_raw(ev.properties)
    }
}

/// # Safety
/// As for [`event_properties`].
unsafe fn reason_codes(ev: &sys::ouzel_event) -> Vec<ReasonCode> {
    crate::properties::bytes(ev.reason_codes, ev.reason_code_count)
        .into_iter()
        .map(ReasonCode)
        .collect()
}

/// # Safety
/// `ev` is a polled, unreleased PUBLISH_DONE event.
unsafe fn publish_result(ev: &sys::ouzel_event, protocol: Protocol) -> Result<PublishAck> {
    let reason_code = ReasonCode(ev.reason_code as u8);
    match DeliveryState::from_raw(ev.state) {
        DeliveryState::Acknowledged => Ok(PublishAck {
            token: ev.token,
            mid: ev.mid as u16,
            qos: QoS::from_raw(ev.qos),
            reason_code,
            properties: event_properties(ev),
        }),
        DeliveryState::Expired => Err(Error::new(
            sys::OUZEL_ETIMEDOUT,
            "the Message Expiry Interval passed before the message was sent",
        )
        .with_kind(ErrorKind::Expired)),
        _ => {
            let reason = DropReason::from_raw(ev.drop_reason);
            let detail = match reason {
                DropReason::Rejected => "the server rejected the message",
                DropReason::SessionLost => "the server did not resume the session",
                DropReason::ConnectionLost => "the connection ended before the message was sent",
                DropReason::QueueFull => "the outgoing queue was full",
                DropReason::TooLarge => "over the server's Maximum Packet Size",
                DropReason::Cancelled => "cancelled",
                DropReason::Other(_) => "dropped",
            };
            let mut e = Error::new(sys::OUZEL_ECLOSED, detail)
                .with_kind(ErrorKind::Dropped)
                .with_drop_reason(reason);
            if ev.reason_code != 0 {
                let packet = if ev.qos == 2 { Packet::Pubrec } else { Packet::Puback };
                e = e.with_reason(reason_code, protocol, packet);
            }
            Err(e)
        }
    }
}
