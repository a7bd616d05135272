//! `Client`: the async MQTT client. Every operation is a plain call into the engine that returns
//! once the work is queued; what the server answers arrives through the event driver and
//! completes a future, so no runtime is required and any executor can await.

use crate::acks::{DeliveryFuture, SubAck, UnsubAck};
use crate::completion::Wait;
use crate::core::Core;
use crate::error::{check, Error, ErrorKind, Result};
use crate::events::{ConnAck, Events};
use crate::inbox::Messages;
use crate::message::Message;
use crate::options::Options;
use crate::properties::{raw_ptr, Properties};
use crate::types::{
    ConnectionState, DeliveryState, DeliveryStatus, DropReason, Packet, QoS, ReasonCode,
};
use ouzel_sys as sys;
use std::ffi::c_char;
use std::ptr::NonNull;
use std::sync::Arc;

/// One filter of a SUBSCRIBE, with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The topic filter (wildcards `+` and `#`; `$share/group/...` for shared subscriptions).
    pub filter: String,
    /// The maximum QoS to receive at.
    pub qos: QoS,
    /// MQTT 5: do not receive this client's own publications.
    pub no_local: bool,
    /// MQTT 5: keep the retain flag as published.
    pub retain_as_published: bool,
    /// MQTT 5: 0 send retained messages, 1 only for a new subscription, 2 never.
    pub retain_handling: u8,
}

impl Subscription {
    /// A filter at a QoS, with the default options.
    pub fn new(filter: impl Into<String>, qos: QoS) -> Subscription {
        Subscription {
            filter: filter.into(),
            qos,
            no_local: false,
            retain_as_published: false,
            retain_handling: 0,
        }
    }
}

/// The client's counters (`Client::stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// PUBLISH packets sent.
    pub messages_sent: i64,
    /// PUBLISH packets received.
    pub messages_received: i64,
    /// Bytes written to the connection.
    pub bytes_sent: i64,
    /// Bytes read from the connection.
    pub bytes_received: i64,
    /// QoS 1/2 messages in flight.
    pub inflight: i64,
    /// Messages queued (offline or beyond the in-flight window).
    pub queued: i64,
    /// Automatic reconnections so far.
    pub reconnects: i64,
    /// The last DISCONNECT reason code, if any.
    pub last_disconnect_reason: Option<ReasonCode>,
}

/// What the client found in its durable session store when it was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistenceReport {
    /// The client has a store.
    pub enabled: bool,
    /// Nothing was stored: a new session.
    pub created: bool,
    /// A damaged tail of the log was cut off.
    pub truncated: bool,
    /// Good records read.
    pub records: u64,
    /// Bytes cut off the end of the log.
    pub discarded_bytes: u64,
    /// QoS 1/2 messages restored (queued or in flight).
    pub outgoing: u64,
    /// QoS 2 packet ids restored (awaiting PUBREL).
    pub incoming: u64,
    /// One line for a log.
    pub summary: String,
}

/// Owns the C client through its `Core`; when the last handle goes, the driver is told to stop
/// and frees the client on its own thread, so dropping never blocks.
pub(crate) struct Handle {
    pub(crate) core: Arc<Core>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.core.begin_close();
    }
}

/// An MQTT client on the Ouzel engine. Cheap to clone (clones share one connection), `Send` and
/// `Sync`.
///
/// ```no_run
/// # async fn demo() -> Result<(), ouzel::Error> {
/// use ouzel::{Client, Options, QoS};
/// let client = Client::new(Options::new("mqtt://localhost:1883").client_id("demo"))?;
/// client.connect().await?;
/// client.subscribe("sensors/#", QoS::AtLeastOnce).await?;
/// let ack = client.publish("sensors/t1", "21.5", QoS::AtLeastOnce, false)?.await?;
/// println!("acknowledged as mid {}", ack.mid);
/// let mut messages = client.messages();
/// while let Some(msg) = messages.recv().await {
///     println!("{}: {:?}", msg.topic(), msg.payload_str());
/// }
/// # Ok(()) }
/// ```
///
/// Dropping the last clone (and every `Messages` / `Events` of it) closes the connection without
/// DISCONNECT (the server then publishes the Will) and never blocks; `disconnect().await` is the
/// orderly way.
#[derive(Clone)]
pub struct Client {
    handle: Arc<Handle>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("connected", &self.is_connected()).finish()
    }
}

fn check_runtime_version() -> Result<()> {
    // SAFETY: thread-safe, no arguments.
    let v = unsafe { sys::ouzel_version() };
    if v / 10000 != sys::OUZEL_VERSION_MAJOR || v < sys::OUZEL_VERSION_NUMBER {
        return Err(Error::new(
            sys::OUZEL_EVERSION,
            format!("libouzel {v} is not compatible with ouzel-sys {}", sys::OUZEL_VERSION_NUMBER),
        ));
    }
    Ok(())
}

fn create(mut options: Options) -> Result<Arc<Core>> {
    if let Some(e) = options.take_error() {
        return Err(e);
    }
    check_runtime_version()?;
    let protocol = options.protocol_level();
    // SAFETY: our live options object.
    check(unsafe { sys::ouzel_options_set_int(options.as_ptr(), sys::OUZEL_OPT_EVENT_QUEUE, 1) })?;
    let mut raw = std::ptr::null_mut();
    // SAFETY: `raw` is a valid out-pointer; the options are copied.
    check(unsafe { sys::ouzel_client_new(&mut raw, options.as_ptr()) })?;
    let raw = NonNull::new(raw)
        .ok_or_else(|| Error::new(sys::OUZEL_ENOMEM, "ouzel_client_new gave NULL"))?;
    // From here the Core owns the client: an early return frees it.
    let core = Arc::new(Core::new(raw, protocol));
    // SAFETY: a live client; thread-safe.
    core.with_raw(|raw| check(unsafe { sys::ouzel_client_loop_start(raw) }))?;
    Ok(core)
}

impl Client {
    /// Creates a client (it does not connect yet). Its events are drained by a thread of its
    /// own, so it works under any executor or none. Fails with the first value `options` refused,
    /// or when the session store cannot be opened (`ErrorKind::Busy` when another process has it).
    pub fn new(options: Options) -> Result<Client> {
        let core = create(options)?;
        crate::driver::spawn_thread(Arc::clone(&core))?;
        Ok(Client { handle: Arc::new(Handle { core }) })
    }

    /// Like [`Client::new`], but the current tokio runtime's reactor drives the client's events
    /// (no thread of ours). Call it inside the runtime, and do not let the client outlive it.
    #[cfg(feature = "tokio")]
    pub fn new_tokio(options: Options) -> Result<Client> {
        let core = create(options)?;
        crate::driver::tokio_driver::spawn(Arc::clone(&core))?;
        Ok(Client { handle: Arc::new(Handle { core }) })
    }

    fn core(&self) -> &Core {
        &self.handle.core
    }

    // --- Connection ----------------------------------------------------------------------------

    /// Connects and resolves with the server's CONNACK, or the first attempt's failure (the error
    /// carries the CONNACK reason code when the server refused). Later connections lost and
    /// regained (automatic reconnection) show in [`Client::events`].
    pub async fn connect(&self) -> Result<ConnAck> {
        let slot = self.start_connect()?;
        Wait(slot).await
    }

    fn start_connect(&self) -> Result<crate::core::ConnectSlot> {
        let core = self.core();
        core.with_raw(|raw| {
            core.inbox.set_ended(false);
            let slot = core.register_connect();
            // SAFETY: a live client; thread-safe.
            let rc = unsafe { sys::ouzel_client_connect(raw) };
            if rc != sys::OUZEL_OK {
                let e = Error::last(rc);
                core.unregister_connect(&slot);
                return Err(e);
            }
            Ok(slot)
        })
    }

    /// Drops the current connection (without DISCONNECT) and connects again, resuming the
    /// session when it is persistent.
    pub fn reconnect(&self) -> Result<()> {
        // SAFETY: a live client; thread-safe.
        self.core().with_raw(|raw| check(unsafe { sys::ouzel_client_reconnect(raw) }))
    }

    /// The orderly end: waits for the messages published so far to finish (as
    /// [`Client::flush`]), sends DISCONNECT and resolves once the connection is closed; no
    /// automatic reconnection follows, and message streams end once drained.
    /// `ErrorKind::NotConnected` when there is no connection.
    pub async fn disconnect(&self) -> Result<()> {
        self.disconnect_with(ReasonCode(0), None).await
    }

    /// [`Client::disconnect`] with an MQTT 5 reason code and DISCONNECT properties.
    pub async fn disconnect_with(
        &self,
        reason: ReasonCode,
        properties: Option<&Properties>,
    ) -> Result<()> {
        self.flush().await;
        let slot = self.start_disconnect(reason, properties)?;
        Wait(slot).await
    }

    /// Resolves once every message published so far has reached its final state, or the
    /// connection ends (what is still in flight then waits for the next connection). At once when
    /// nothing is in flight or there is no connection.
    pub async fn flush(&self) {
        if !self.is_connected() {
            return;
        }
        if let Some(slot) = self.core().register_flush() {
            Wait(slot).await;
        }
    }

    fn start_disconnect(
        &self,
        reason: ReasonCode,
        properties: Option<&Properties>,
    ) -> Result<crate::core::DisconnectSlot> {
        let props = match properties {
            Some(p) => p.to_raw()?,
            None => None,
        };
        let core = self.core();
        core.with_raw(|raw| {
            let slot = core.register_disconnect();
            // SAFETY: a live client; the properties (or NULL) are copied.
            let rc = unsafe { sys::ouzel_client_disconnect(raw, reason.0.into(), raw_ptr(&props)) };
            if rc != sys::OUZEL_OK {
                let e = Error::last(rc);
                core.unregister_disconnect(&slot);
                return Err(e);
            }
            Ok(slot)
        })
    }

    /// True while a CONNACK-accepted connection is up.
    pub fn is_connected(&self) -> bool {
        self.core().is_connected()
    }

    /// Where the connection stands, as the engine sees it (a snapshot).
    pub fn state(&self) -> ConnectionState {
        self.core()
            // SAFETY: a live client; thread-safe.
            .with_raw(|raw| Ok(ConnectionState::from_raw(unsafe { sys::ouzel_client_state(raw) })))
            .unwrap_or(ConnectionState::Closed)
    }

    /// Closes the client for every clone at once, without waiting and without DISCONNECT (the
    /// server then publishes the Will; use `disconnect().await` first for an orderly end). Every
    /// later call fails with `ErrorKind::Closed`, operations still waiting fail the same way
    /// (unfinished publishes as `ErrorKind::Dropped`, `DropReason::Cancelled`), and message and
    /// event streams end. The engine is freed on the client's own thread.
    pub fn close(&self) {
        self.core().begin_close();
    }

    /// True once [`Client::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.core().is_closing()
    }

    /// Reconfigures the client for the connections that follow (servers, credentials, Will,
    /// keepalive, TLS, ...); what the session is built on (protocol, client id, manual ack) must
    /// not change. `first_connection`: the next CONNECT uses `clean_start` as a first connection
    /// does.
    pub fn reconfigure(&self, mut options: Options, first_connection: bool) -> Result<()> {
        if let Some(e) = options.take_error() {
            return Err(e);
        }
        let flags = if first_connection { sys::OUZEL_SET_OPTIONS_FIRST_CONNECTION } else { 0 };
        // SAFETY: our options and a live client; the options are copied.
        check(unsafe {
            sys::ouzel_options_set_int(options.as_ptr(), sys::OUZEL_OPT_EVENT_QUEUE, 1)
        })?;
        self.core().with_raw(|raw| {
            check(unsafe { sys::ouzel_client_set_options(raw, options.as_ptr(), flags) })
        })
    }

    // --- Publishing ----------------------------------------------------------------------------

    /// Publishes a message. Returns as soon as it is queued (`Err` when it cannot be: an invalid
    /// topic, a payload over the server's Maximum Packet Size, a full queue, QoS 0 while offline);
    /// the returned future resolves when it reaches its final delivery state. Dropping the future
    /// does not cancel the message.
    pub fn publish(
        &self,
        topic: &str,
        payload: impl AsRef<[u8]>,
        qos: QoS,
        retain: bool,
    ) -> Result<DeliveryFuture> {
        self.publish_raw(topic, payload.as_ref(), qos, retain, std::ptr::null())
    }

    /// [`Client::publish`] with MQTT 5 PUBLISH properties (Content Type, Response Topic,
    /// Correlation Data, Message Expiry Interval, User Properties, ...).
    pub fn publish_with_properties(
        &self,
        topic: &str,
        payload: impl AsRef<[u8]>,
        qos: QoS,
        retain: bool,
        properties: &Properties,
    ) -> Result<DeliveryFuture> {
        let props = properties.to_raw()?;
        self.publish_raw(topic, payload.as_ref(), qos, retain, raw_ptr(&props))
    }

    fn publish_raw(
        &self,
        topic: &str,
        payload: &[u8],
        qos: QoS,
        retain: bool,
        props: *const sys::ouzel_properties,
    ) -> Result<DeliveryFuture> {
        let core = self.core();
        core.with_raw(|raw| {
            let (mut token, mut mid) = (0u64, 0i32);
            // SAFETY: a live client; topic, payload and properties are borrowed for the call and
            // copied; the out-pointers are valid.
            let rc = unsafe {
                sys::ouzel_client_publish(
                    raw,
                    topic.as_ptr().cast::<c_char>(),
                    topic.len(),
                    payload.as_ptr().cast(),
                    payload.len(),
                    qos as i32,
                    i32::from(retain),
                    props,
                    &mut token,
                    &mut mid,
                )
            };
            if rc != sys::OUZEL_OK {
                let e = Error::last(rc);
                if token != 0 {
                    // Accepted but not known to be stored (OUZEL_ESTORE): it will still finish, so
                    // its completion must have a place to go.
                    drop(core.register_publish(token));
                }
                return Err(e);
            }
            // Registered while the client is held, so a close cannot slip between the call and the
            // registration and leave the future waiting forever.
            let slot = core.register_publish(token);
            Ok(DeliveryFuture::new(slot, token, mid as u16))
        })
    }

    /// Where a published message is now (the last 10,000 finished ones are remembered).
    pub fn delivery_status(&self, token: u64) -> Result<DeliveryStatus> {
        // SAFETY: plain data struct, initialised by the library.
        let mut st: sys::ouzel_delivery_status = unsafe { std::mem::zeroed() };
        check(unsafe {
            sys::ouzel_delivery_status_init(&mut st, sys::OUZEL_DELIVERY_STATUS_VERSION)
        })?;
        // SAFETY: a live client and an initialised struct.
        self.core().with_raw(|raw| {
            check(unsafe { sys::ouzel_client_delivery_status(raw, token, &mut st) })
        })?;
        let state = DeliveryState::from_raw(st.state);
        Ok(DeliveryStatus {
            state,
            drop_reason: (state == DeliveryState::Dropped)
                .then(|| DropReason::from_raw(st.drop_reason)),
            mid: st.mid as u16,
            reason_code: ReasonCode(st.reason_code as u8),
        })
    }

    // --- Subscribing ---------------------------------------------------------------------------

    /// Subscribes to one filter and resolves with the SUBACK; an error of kind
    /// `ErrorKind::Refused` (with the reason code) when the server refused the filter.
    pub async fn subscribe(&self, filter: &str, qos: QoS) -> Result<SubAck> {
        let slot = self.start_subscribe(&[Subscription::new(filter, qos)], None)?;
        let ack = Wait(slot).await?;
        match ack.reason_codes.first() {
            Some(rc) if !rc.is_success() => Err(Error::new(
                sys::OUZEL_EREFUSED,
                format!("the server refused the subscription to {filter:?}"),
            )
            .with_reason(*rc, self.core().protocol, Packet::Suback)),
            _ => Ok(ack),
        }
    }

    /// Sends one SUBSCRIBE for several filters (with MQTT 5 options and properties such as a
    /// Subscription Identifier) and resolves with the SUBACK as it is: check its reason codes.
    pub async fn subscribe_many(
        &self,
        subscriptions: &[Subscription],
        properties: Option<&Properties>,
    ) -> Result<SubAck> {
        let slot = self.start_subscribe(subscriptions, properties)?;
        Wait(slot).await
    }

    fn start_subscribe(
        &self,
        subs: &[Subscription],
        properties: Option<&Properties>,
    ) -> Result<crate::core::SubscribeSlot> {
        let props = match properties {
            Some(p) => p.to_raw()?,
            None => None,
        };
        let mut raw_subs = Vec::with_capacity(subs.len());
        for s in subs {
            // SAFETY: plain data struct, initialised by the library.
            let mut r: sys::ouzel_subscription = unsafe { std::mem::zeroed() };
            check(unsafe {
                sys::ouzel_subscription_init(&mut r, sys::OUZEL_SUBSCRIPTION_VERSION)
            })?;
            r.filter = s.filter.as_ptr().cast();
            r.filter_len = s.filter.len();
            r.qos = s.qos as i32;
            r.no_local = s.no_local.into();
            r.retain_as_published = s.retain_as_published.into();
            r.retain_handling = s.retain_handling.into();
            raw_subs.push(r);
        }
        let core = self.core();
        core.with_raw(|raw| {
            let mut mid = 0i32;
            // SAFETY: a live client; the filters borrowed from `subs` outlive the call.
            let rc = unsafe {
                sys::ouzel_client_subscribe(
                    raw,
                    raw_subs.as_ptr(),
                    raw_subs.len(),
                    raw_ptr(&props),
                    &mut mid,
                )
            };
            if rc != sys::OUZEL_OK {
                return Err(Error::last(rc));
            }
            Ok(core.register_subscribe(mid as u16))
        })
    }

    /// Unsubscribes from one filter and resolves with the UNSUBACK; an error of kind
    /// `ErrorKind::Refused` when an MQTT 5 server refused it.
    pub async fn unsubscribe(&self, filter: &str) -> Result<UnsubAck> {
        let slot = self.start_unsubscribe(&[filter], None)?;
        let ack = Wait(slot).await?;
        match ack.reason_codes.first() {
            Some(rc) if !rc.is_success() => Err(Error::new(
                sys::OUZEL_EREFUSED,
                format!("the server refused to unsubscribe {filter:?}"),
            )
            .with_reason(*rc, self.core().protocol, Packet::Unsuback)),
            _ => Ok(ack),
        }
    }

    /// Sends one UNSUBSCRIBE for several filters and resolves with the UNSUBACK as it is.
    pub async fn unsubscribe_many(
        &self,
        filters: &[&str],
        properties: Option<&Properties>,
    ) -> Result<UnsubAck> {
        let slot = self.start_unsubscribe(filters, properties)?;
        Wait(slot).await
    }

    fn start_unsubscribe(
        &self,
        filters: &[&str],
        properties: Option<&Properties>,
    ) -> Result<crate::core::UnsubscribeSlot> {
        let props = match properties {
            Some(p) => p.to_raw()?,
            None => None,
        };
        let ptrs: Vec<*const c_char> = filters.iter().map(|f| f.as_ptr().cast()).collect();
        let lens: Vec<usize> = filters.iter().map(|f| f.len()).collect();
        let core = self.core();
        core.with_raw(|raw| {
            let mut mid = 0i32;
            // SAFETY: a live client; the filters outlive the call and are copied.
            let rc = unsafe {
                sys::ouzel_client_unsubscribe(
                    raw,
                    ptrs.as_ptr(),
                    lens.as_ptr(),
                    filters.len(),
                    raw_ptr(&props),
                    &mut mid,
                )
            };
            if rc != sys::OUZEL_OK {
                return Err(Error::last(rc));
            }
            Ok(core.register_unsubscribe(mid as u16))
        })
    }

    // --- Receiving -------------------------------------------------------------------------------

    /// The received messages: a `Stream` (async) and a blocking `Iterator`. Messages wait here,
    /// unacknowledged, until taken; at `Options::max_buffered_messages` the client stops reading
    /// and the broker holds the rest. Nothing is dropped.
    pub fn messages(&self) -> Messages {
        Messages::new(Arc::clone(&self.handle))
    }

    /// Received messages not taken yet.
    pub fn buffered_messages(&self) -> usize {
        self.core().inbox.len()
    }

    /// Acknowledges a QoS 1/2 message in manual acknowledgement mode (`Options::manual_ack`).
    /// Acknowledgements may be given in any order; they leave in arrival order.
    pub fn ack(&self, message: &Message) -> Result<()> {
        if message.qos() == QoS::AtMostOnce {
            return Ok(());
        }
        // SAFETY: a live client; thread-safe.
        self.core()
            .with_raw(|raw| check(unsafe { sys::ouzel_client_ack(raw, message.mid().into()) }))
    }

    /// Connection events from now on (connected, connection failed, disconnected, AUTH, log).
    pub fn events(&self) -> Events {
        Events::new(Arc::clone(&self.handle))
    }

    // --- Enhanced authentication (MQTT 5) --------------------------------------------------------

    /// Answers the server's AUTH (`Event::Auth`) with Authentication Method / Data.
    pub fn auth_continue(&self, properties: &Properties) -> Result<()> {
        let props = properties.to_raw()?;
        // SAFETY: a live client; the properties are copied.
        self.core()
            .with_raw(|raw| check(unsafe { sys::ouzel_client_auth_continue(raw, raw_ptr(&props)) }))
    }

    /// Starts re-authentication on a connected client.
    pub fn reauthenticate(&self, properties: &Properties) -> Result<()> {
        let props = properties.to_raw()?;
        // SAFETY: as above.
        self.core().with_raw(|raw| {
            check(unsafe { sys::ouzel_client_reauthenticate(raw, raw_ptr(&props)) })
        })
    }

    // --- Introspection ---------------------------------------------------------------------------

    /// The client's counters.
    pub fn stats(&self) -> Stats {
        let stat = |id: i32| {
            let mut v = 0i64;
            // SAFETY: a live client, a valid out-pointer; thread-safe.
            let rc = self
                .core()
                .with_raw(|raw| check(unsafe { sys::ouzel_client_stat(raw, id, &mut v) }));
            if rc.is_ok() {
                v
            } else {
                0
            }
        };
        let last = stat(sys::OUZEL_STAT_LAST_DISCONNECT_REASON);
        Stats {
            messages_sent: stat(sys::OUZEL_STAT_MESSAGES_SENT),
            messages_received: stat(sys::OUZEL_STAT_MESSAGES_RECEIVED),
            bytes_sent: stat(sys::OUZEL_STAT_BYTES_SENT),
            bytes_received: stat(sys::OUZEL_STAT_BYTES_RECEIVED),
            inflight: stat(sys::OUZEL_STAT_INFLIGHT),
            queued: stat(sys::OUZEL_STAT_QUEUED),
            reconnects: stat(sys::OUZEL_STAT_RECONNECTS),
            last_disconnect_reason: u8::try_from(last).ok().filter(|_| last >= 0).map(ReasonCode),
        }
    }

    /// What the durable session store held when the client was created.
    pub fn persistence_report(&self) -> Result<PersistenceReport> {
        // SAFETY: plain data struct, initialised by the library.
        let mut r: sys::ouzel_persistence_report = unsafe { std::mem::zeroed() };
        check(unsafe {
            sys::ouzel_persistence_report_init(&mut r, sys::OUZEL_PERSISTENCE_REPORT_VERSION)
        })?;
        // SAFETY: a live client and an initialised struct; `summary` is borrowed from the client.
        let summary = self.core().with_raw(|raw| {
            check(unsafe { sys::ouzel_client_persistence_report(raw, &mut r) })?;
            Ok(if r.summary.is_null() {
                String::new()
            } else {
                // SAFETY: NUL-terminated, valid while the client lives (it is held here).
                unsafe { std::ffi::CStr::from_ptr(r.summary) }.to_string_lossy().into_owned()
            })
        })?;
        Ok(PersistenceReport {
            enabled: r.enabled != 0,
            created: r.created != 0,
            truncated: r.truncated != 0,
            records: r.records,
            discarded_bytes: r.discarded_bytes,
            outgoing: r.outgoing,
            incoming: r.incoming,
            summary,
        })
    }
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Client>();
    is::<Messages>();
    is::<Events>();
    is::<DeliveryFuture>();
    let _ = ErrorKind::Closed;
}
