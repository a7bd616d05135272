//! What the server answered to a publish, subscribe or unsubscribe, and the `DeliveryFuture` a
//! publish returns.

use crate::completion::{Completion, Wait};
use crate::error::{Error, ErrorKind, Result};
use crate::properties::Properties;
use crate::types::{QoS, ReasonCode};
use ouzel_sys as sys;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// A publish that reached its final state successfully: acknowledged (PUBACK for QoS 1, PUBCOMP
/// for QoS 2) or, for QoS 0, written to the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishAck {
    /// The token `publish` gave (also `DeliveryFuture::token`).
    pub token: u64,
    /// Its last packet identifier (0 for QoS 0).
    pub mid: u16,
    /// The QoS it was published with.
    pub qos: QoS,
    /// The PUBACK / PUBREC / PUBCOMP reason code (MQTT 5; e.g. 0x10 "no matching subscribers"),
    /// else 0x00.
    pub reason_code: ReasonCode,
    /// The PUBACK / PUBCOMP properties (MQTT 5; may be empty).
    pub properties: Properties,
}

/// The SUBACK: one reason code per filter (MQTT 3.1.1: the granted QoS, or 0x80 for a failure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAck {
    /// The packet identifier of the SUBSCRIBE.
    pub mid: u16,
    /// One per filter, in the order subscribed.
    pub reason_codes: Vec<ReasonCode>,
    /// SUBACK properties (MQTT 5).
    pub properties: Properties,
}

impl SubAck {
    /// The QoS granted for each filter, `None` where the server refused it.
    pub fn granted(&self) -> Vec<Option<QoS>> {
        self.reason_codes
            .iter()
            .map(|rc| if rc.0 <= 2 { Some(QoS::from_raw(rc.0.into())) } else { None })
            .collect()
    }
}

/// The UNSUBACK: reason codes per filter (MQTT 5 only; empty for 3.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubAck {
    /// The packet identifier of the UNSUBSCRIBE.
    pub mid: u16,
    /// One per filter (MQTT 5).
    pub reason_codes: Vec<ReasonCode>,
    /// UNSUBACK properties (MQTT 5).
    pub properties: Properties,
}

/// Resolves when a published message reaches its final delivery state: `Ok` once acknowledged,
/// `Err` with [`ErrorKind::Dropped`] (see [`Error::drop_reason`]) or [`ErrorKind::Expired`].
///
/// The message is queued whether or not this future is awaited: dropping it only stops waiting.
/// It completes from the client's own event thread, so any executor can await it, and
/// [`DeliveryFuture::wait`] blocks a thread on it without one.
pub struct DeliveryFuture {
    slot: Arc<Completion<Result<PublishAck>>>,
    token: u64,
    mid: u16,
}

impl DeliveryFuture {
    pub(crate) fn new(slot: Arc<Completion<Result<PublishAck>>>, token: u64, mid: u16) -> Self {
        DeliveryFuture { slot, token, mid }
    }

    /// Identifies the message for `Client::delivery_status`.
    pub fn token(&self) -> u64 {
        self.token
    }

    /// Its packet identifier as first assigned (0 for QoS 0).
    pub fn mid(&self) -> u16 {
        self.mid
    }

    /// True once the final state is known (awaiting then returns at once).
    pub fn is_done(&self) -> bool {
        self.slot.is_done()
    }

    /// Blocks the calling thread until the final state.
    pub fn wait(self) -> Result<PublishAck> {
        crate::block_on::block_on(Wait(self.slot))
    }

    /// Blocks up to `timeout`; an error of kind [`ErrorKind::TimedOut`] when the message is still
    /// on its way (wait again, or drop the future to stop waiting).
    pub fn wait_timeout(&mut self, timeout: Duration) -> Result<PublishAck> {
        let slot = &self.slot;
        crate::block_on::block_on_timeout(
            std::future::poll_fn(|cx| slot.poll_take(cx)),
            Some(timeout),
        )
        .unwrap_or_else(|| {
            Err(Error::new(
                sys::OUZEL_ETIMEDOUT,
                format!(
                    "no final delivery state within {timeout:?}; the message is still on its way"
                ),
            )
            .with_kind(ErrorKind::TimedOut))
        })
    }
}

impl Future for DeliveryFuture {
    type Output = Result<PublishAck>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.slot.poll_take(cx)
    }
}

impl std::fmt::Debug for DeliveryFuture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveryFuture")
            .field("token", &self.token)
            .field("mid", &self.mid)
            .field("done", &self.is_done())
            .finish()
    }
}
