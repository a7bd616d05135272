//! A received message, owned by the application.

use crate::properties::{bytes, text, Properties};
use crate::types::QoS;
use ouzel_sys as sys;

/// A message that arrived on a subscription. Owned: topic and payload were copied out of the
/// library when it was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    topic: String,
    payload: Vec<u8>,
    qos: QoS,
    retain: bool,
    dup: bool,
    mid: u16,
    properties: Properties,
}

impl Message {
    /// The topic it was published to (a Topic Alias already resolved).
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload as UTF-8 text, if it is.
    pub fn payload_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.payload).ok()
    }

    /// Takes the payload out of the message.
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }

    /// The QoS it arrived with.
    pub fn qos(&self) -> QoS {
        self.qos
    }

    /// The retain flag: a retained message sent because of a new subscription.
    pub fn retain(&self) -> bool {
        self.retain
    }

    /// The DUP flag: the server may have sent it before.
    pub fn dup(&self) -> bool {
        self.dup
    }

    /// The packet identifier it arrived with (0 for QoS 0); `Client::ack` takes the message
    /// itself in manual acknowledgement mode.
    pub fn mid(&self) -> u16 {
        self.mid
    }

    /// Its MQTT 5 properties (empty for 3.1.1).
    pub fn properties(&self) -> &Properties {
        &self.properties
    }

    /// Copies a MESSAGE event's fields.
    ///
    /// # Safety
    /// `ev` is a polled, unreleased MESSAGE event of a live client.
    pub(crate) unsafe fn from_event(ev: &sys::ouzel_event) -> Message {
        let properties =
            if ev.properties.is_null() || sys::ouzel_properties_count(ev.properties) == 0 {
                Properties::new()
            } else {
                Properties::from_raw(ev.properties)
            };
        Message {
            topic: text(ev.topic, ev.topic_len),
            payload: bytes(ev.payload.cast(), ev.payload_len),
            qos: QoS::from_raw(ev.qos),
            retain: ev.retain != 0,
            dup: ev.dup != 0,
            mid: ev.mid as u16,
            properties,
        }
    }
}
