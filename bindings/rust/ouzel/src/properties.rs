//! MQTT 5 properties as an owned, ordered list (user properties keep their order and duplicates),
//! converted to and from the C API's `ouzel_properties` at the boundary.

use crate::error::{check, Error, Result};
use ouzel_sys as sys;
use std::ptr::NonNull;

/// An MQTT 5 property identifier (MQTT 5.0 section 2.2.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PropertyId(pub u8);

#[allow(missing_docs)]
impl PropertyId {
    pub const PAYLOAD_FORMAT_INDICATOR: PropertyId = id(sys::OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR);
    pub const MESSAGE_EXPIRY_INTERVAL: PropertyId = id(sys::OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL);
    pub const CONTENT_TYPE: PropertyId = id(sys::OUZEL_PROP_CONTENT_TYPE);
    pub const RESPONSE_TOPIC: PropertyId = id(sys::OUZEL_PROP_RESPONSE_TOPIC);
    pub const CORRELATION_DATA: PropertyId = id(sys::OUZEL_PROP_CORRELATION_DATA);
    pub const SUBSCRIPTION_IDENTIFIER: PropertyId = id(sys::OUZEL_PROP_SUBSCRIPTION_IDENTIFIER);
    pub const SESSION_EXPIRY_INTERVAL: PropertyId = id(sys::OUZEL_PROP_SESSION_EXPIRY_INTERVAL);
    pub const ASSIGNED_CLIENT_IDENTIFIER: PropertyId =
        id(sys::OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER);
    pub const SERVER_KEEP_ALIVE: PropertyId = id(sys::OUZEL_PROP_SERVER_KEEP_ALIVE);
    pub const AUTHENTICATION_METHOD: PropertyId = id(sys::OUZEL_PROP_AUTHENTICATION_METHOD);
    pub const AUTHENTICATION_DATA: PropertyId = id(sys::OUZEL_PROP_AUTHENTICATION_DATA);
    pub const REQUEST_PROBLEM_INFORMATION: PropertyId =
        id(sys::OUZEL_PROP_REQUEST_PROBLEM_INFORMATION);
    pub const WILL_DELAY_INTERVAL: PropertyId = id(sys::OUZEL_PROP_WILL_DELAY_INTERVAL);
    pub const REQUEST_RESPONSE_INFORMATION: PropertyId =
        id(sys::OUZEL_PROP_REQUEST_RESPONSE_INFORMATION);
    pub const RESPONSE_INFORMATION: PropertyId = id(sys::OUZEL_PROP_RESPONSE_INFORMATION);
    pub const SERVER_REFERENCE: PropertyId = id(sys::OUZEL_PROP_SERVER_REFERENCE);
    pub const REASON_STRING: PropertyId = id(sys::OUZEL_PROP_REASON_STRING);
    pub const RECEIVE_MAXIMUM: PropertyId = id(sys::OUZEL_PROP_RECEIVE_MAXIMUM);
    pub const TOPIC_ALIAS_MAXIMUM: PropertyId = id(sys::OUZEL_PROP_TOPIC_ALIAS_MAXIMUM);
    pub const TOPIC_ALIAS: PropertyId = id(sys::OUZEL_PROP_TOPIC_ALIAS);
    pub const MAXIMUM_QOS: PropertyId = id(sys::OUZEL_PROP_MAXIMUM_QOS);
    pub const RETAIN_AVAILABLE: PropertyId = id(sys::OUZEL_PROP_RETAIN_AVAILABLE);
    pub const USER_PROPERTY: PropertyId = id(sys::OUZEL_PROP_USER_PROPERTY);
    pub const MAXIMUM_PACKET_SIZE: PropertyId = id(sys::OUZEL_PROP_MAXIMUM_PACKET_SIZE);
    pub const WILDCARD_SUBSCRIPTION_AVAILABLE: PropertyId =
        id(sys::OUZEL_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE);
    pub const SUBSCRIPTION_IDENTIFIER_AVAILABLE: PropertyId =
        id(sys::OUZEL_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE);
    pub const SHARED_SUBSCRIPTION_AVAILABLE: PropertyId =
        id(sys::OUZEL_PROP_SHARED_SUBSCRIPTION_AVAILABLE);
}

const fn id(v: i32) -> PropertyId {
    PropertyId(v as u8)
}

/// One property: an identifier with its value. The library checks that the value's type is the
/// identifier's when the list is used (an integer for Message Expiry Interval, a string for
/// Content Type, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    /// A byte, two-byte, four-byte or variable-byte integer property.
    Int(PropertyId, u32),
    /// A UTF-8 string property.
    String(PropertyId, String),
    /// A binary data property (Correlation Data, Authentication Data).
    Binary(PropertyId, Vec<u8>),
    /// A User Property: a name/value pair of strings.
    User(String, String),
}

impl Property {
    /// The property's identifier.
    pub fn id(&self) -> PropertyId {
        match self {
            Property::Int(id, _) | Property::String(id, _) | Property::Binary(id, _) => *id,
            Property::User(..) => PropertyId::USER_PROPERTY,
        }
    }
}

/// An ordered list of MQTT 5 properties, as on the wire.
///
/// ```
/// use ouzel::Properties;
/// let mut props = Properties::new();
/// props.set_content_type("application/json").add_user("trace", "a1").add_user("trace", "b2");
/// assert_eq!(props.content_type(), Some("application/json"));
/// assert_eq!(props.user_properties().count(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    items: Vec<Property>,
}

impl Properties {
    /// An empty list.
    pub fn new() -> Properties {
        Properties::default()
    }

    /// True when the list has no property.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The properties in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Property> {
        self.items.iter()
    }

    /// Appends a property as it is (several of one identifier are allowed only for User Property
    /// and Subscription Identifier; the library refuses others when the list is used).
    pub fn push(&mut self, property: Property) -> &mut Self {
        self.items.push(property);
        self
    }

    /// Removes every property with this identifier.
    pub fn remove(&mut self, id: PropertyId) -> &mut Self {
        self.items.retain(|p| p.id() != id);
        self
    }

    fn replace(&mut self, property: Property) -> &mut Self {
        let id = property.id();
        match self.items.iter().position(|p| p.id() == id) {
            Some(i) => {
                self.items[i] = property;
                let mut seen = false;
                self.items.retain(|p| {
                    if p.id() != id {
                        return true;
                    }
                    let keep = !seen;
                    seen = true;
                    keep
                });
            }
            None => self.items.push(property),
        }
        self
    }

    /// Sets an integer property, replacing one of the same identifier.
    pub fn set_int(&mut self, id: PropertyId, value: u32) -> &mut Self {
        self.replace(Property::Int(id, value))
    }

    /// Sets a string property, replacing one of the same identifier.
    pub fn set_string(&mut self, id: PropertyId, value: impl Into<String>) -> &mut Self {
        self.replace(Property::String(id, value.into()))
    }

    /// Sets a binary property, replacing one of the same identifier.
    pub fn set_binary(&mut self, id: PropertyId, value: impl Into<Vec<u8>>) -> &mut Self {
        self.replace(Property::Binary(id, value.into()))
    }

    /// Appends a User Property (order and repeated names are kept).
    pub fn add_user(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.items.push(Property::User(name.into(), value.into()));
        self
    }

    /// The first integer property with this identifier.
    pub fn int(&self, id: PropertyId) -> Option<u32> {
        self.items.iter().find_map(|p| match p {
            Property::Int(i, v) if *i == id => Some(*v),
            _ => None,
        })
    }

    /// The first string property with this identifier.
    pub fn string(&self, id: PropertyId) -> Option<&str> {
        self.items.iter().find_map(|p| match p {
            Property::String(i, v) if *i == id => Some(v.as_str()),
            _ => None,
        })
    }

    /// The first binary property with this identifier.
    pub fn binary(&self, id: PropertyId) -> Option<&[u8]> {
        self.items.iter().find_map(|p| match p {
            Property::Binary(i, v) if *i == id => Some(v.as_slice()),
            _ => None,
        })
    }

    /// The User Properties, in order.
    pub fn user_properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.items.iter().filter_map(|p| match p {
            Property::User(n, v) => Some((n.as_str(), v.as_str())),
            _ => None,
        })
    }

    /// Every Subscription Identifier (a message may match several subscriptions).
    pub fn subscription_identifiers(&self) -> impl Iterator<Item = u32> + '_ {
        self.items.iter().filter_map(|p| match p {
            Property::Int(i, v) if *i == PropertyId::SUBSCRIPTION_IDENTIFIER => Some(*v),
            _ => None,
        })
    }

    /// Content Type.
    pub fn content_type(&self) -> Option<&str> {
        self.string(PropertyId::CONTENT_TYPE)
    }
    /// Sets Content Type.
    pub fn set_content_type(&mut self, v: impl Into<String>) -> &mut Self {
        self.set_string(PropertyId::CONTENT_TYPE, v)
    }
    /// Response Topic (request/response).
    pub fn response_topic(&self) -> Option<&str> {
        self.string(PropertyId::RESPONSE_TOPIC)
    }
    /// Sets Response Topic.
    pub fn set_response_topic(&mut self, v: impl Into<String>) -> &mut Self {
        self.set_string(PropertyId::RESPONSE_TOPIC, v)
    }
    /// Correlation Data (request/response).
    pub fn correlation_data(&self) -> Option<&[u8]> {
        self.binary(PropertyId::CORRELATION_DATA)
    }
    /// Sets Correlation Data.
    pub fn set_correlation_data(&mut self, v: impl Into<Vec<u8>>) -> &mut Self {
        self.set_binary(PropertyId::CORRELATION_DATA, v)
    }
    /// Message Expiry Interval in seconds.
    pub fn message_expiry_interval(&self) -> Option<u32> {
        self.int(PropertyId::MESSAGE_EXPIRY_INTERVAL)
    }
    /// Sets Message Expiry Interval (seconds).
    pub fn set_message_expiry_interval(&mut self, seconds: u32) -> &mut Self {
        self.set_int(PropertyId::MESSAGE_EXPIRY_INTERVAL, seconds)
    }
    /// Payload Format Indicator (1: UTF-8 text).
    pub fn payload_format_indicator(&self) -> Option<u32> {
        self.int(PropertyId::PAYLOAD_FORMAT_INDICATOR)
    }
    /// Sets Payload Format Indicator.
    pub fn set_payload_format_indicator(&mut self, v: u32) -> &mut Self {
        self.set_int(PropertyId::PAYLOAD_FORMAT_INDICATOR, v)
    }
    /// Session Expiry Interval in seconds (CONNECT, CONNACK, DISCONNECT).
    pub fn session_expiry_interval(&self) -> Option<u32> {
        self.int(PropertyId::SESSION_EXPIRY_INTERVAL)
    }
    /// Sets Session Expiry Interval (seconds).
    pub fn set_session_expiry_interval(&mut self, seconds: u32) -> &mut Self {
        self.set_int(PropertyId::SESSION_EXPIRY_INTERVAL, seconds)
    }
    /// Reason String.
    pub fn reason_string(&self) -> Option<&str> {
        self.string(PropertyId::REASON_STRING)
    }
    /// Assigned Client Identifier (CONNACK, when the client connected with an empty id).
    pub fn assigned_client_identifier(&self) -> Option<&str> {
        self.string(PropertyId::ASSIGNED_CLIENT_IDENTIFIER)
    }

    /// Builds the C list. `Ok(None)` for an empty list (the C API takes NULL for "none").
    pub(crate) fn to_raw(&self) -> Result<Option<RawProperties>> {
        if self.items.is_empty() {
            return Ok(None);
        }
        let raw = RawProperties::new()?;
        let p = raw.0.as_ptr();
        for item in &self.items {
            // SAFETY: `p` is a live list we own; every (pointer, length) pair is borrowed for the
            // call and copied by the library.
            let rc = unsafe {
                match item {
                    Property::Int(id, v) => sys::ouzel_properties_set_int(p, id.0.into(), *v),
                    Property::String(id, v) => {
                        sys::ouzel_properties_set_string(p, id.0.into(), v.as_ptr().cast(), v.len())
                    }
                    Property::Binary(id, v) => {
                        sys::ouzel_properties_set_binary(p, id.0.into(), v.as_ptr().cast(), v.len())
                    }
                    Property::User(n, v) => sys::ouzel_properties_add_user(
                        p,
                        n.as_ptr().cast(),
                        n.len(),
                        v.as_ptr().cast(),
                        v.len(),
                    ),
                }
            };
            check(rc).map_err(|e| {
                let detail = format!("property 0x{:02X}: {}", item.id().0, e.message());
                Error::new(e.code(), detail)
            })?;
        }
        Ok(Some(raw))
    }

    /// Copies a C list (borrowed; may be NULL).
    ///
    /// # Safety
    /// `p` is NULL or a live `ouzel_properties` that nothing modifies during the call.
    pub(crate) unsafe fn from_raw(p: *const sys::ouzel_properties) -> Properties {
        let count = sys::ouzel_properties_count(p);
        let mut items = Vec::with_capacity(count);
        for i in 0..count {
            let pid = PropertyId(sys::ouzel_properties_id_at(p, i) as u8);
            if pid == PropertyId::USER_PROPERTY {
                let (mut n, mut nl, mut v, mut vl) = (std::ptr::null(), 0, std::ptr::null(), 0);
                if sys::ouzel_properties_user_at(p, i, &mut n, &mut nl, &mut v, &mut vl) == 0 {
                    items.push(Property::User(text(n, nl), text(v, vl)));
                }
                continue;
            }
            let mut int = 0u32;
            if sys::ouzel_properties_int_at(p, i, &mut int) == 0 {
                items.push(Property::Int(pid, int));
                continue;
            }
            let (mut b, mut bl) = (std::ptr::null(), 0);
            if sys::ouzel_properties_bytes_at(p, i, &mut b, &mut bl) == 0 {
                let bytes = bytes(b.cast(), bl);
                items.push(if is_binary(pid) {
                    Property::Binary(pid, bytes)
                } else {
                    Property::String(pid, String::from_utf8_lossy(&bytes).into_owned())
                });
            }
        }
        Properties { items }
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = &'a Property;
    type IntoIter = std::slice::Iter<'a, Property>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Property> for Properties {
    fn from_iter<I: IntoIterator<Item = Property>>(iter: I) -> Properties {
        Properties { items: iter.into_iter().collect() }
    }
}

/// Binary Data rather than a UTF-8 string, per the engine's property table.
fn is_binary(id: PropertyId) -> bool {
    // SAFETY: thread-safe, plain data.
    unsafe { sys::ouzel_property_type(id.0.into()) == sys::OUZEL_PROPTYPE_BINARY }
}

/// # Safety
/// `p` points to `len` readable bytes (or `len` is 0).
pub(crate) unsafe fn bytes(p: *const u8, len: usize) -> Vec<u8> {
    if len == 0 || p.is_null() {
        Vec::new()
    } else {
        std::slice::from_raw_parts(p, len).to_vec()
    }
}

/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text(p: *const std::ffi::c_char, len: usize) -> String {
    let b = bytes(p.cast(), len);
    // The library validated MQTT strings as UTF-8; lossy only guards against a library bug.
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// An owned C `ouzel_properties`, freed on drop.
pub(crate) struct RawProperties(NonNull<sys::ouzel_properties>);

impl RawProperties {
    fn new() -> Result<RawProperties> {
        let mut p = std::ptr::null_mut();
        // SAFETY: `p` is a valid out-pointer.
        check(unsafe { sys::ouzel_properties_new(&mut p) })?;
        NonNull::new(p)
            .map(RawProperties)
            .ok_or_else(|| Error::new(sys::OUZEL_ENOMEM, "ouzel_properties_new gave NULL"))
    }

    pub(crate) fn as_ptr(&self) -> *const sys::ouzel_properties {
        self.0.as_ptr()
    }
}

impl Drop for RawProperties {
    fn drop(&mut self) {
        // SAFETY: we own the list and nothing borrows it past this point.
        unsafe { sys::ouzel_properties_free(self.0.as_ptr()) }
    }
}

/// The C pointer for an optional list: NULL for none.
pub(crate) fn raw_ptr(raw: &Option<RawProperties>) -> *const sys::ouzel_properties {
    raw.as_ref().map_or(std::ptr::null(), RawProperties::as_ptr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_the_c_list_keeps_order_types_and_duplicates() {
        let mut props = Properties::new();
        props
            .add_user("k", "1")
            .set_content_type("text/plain")
            .add_user("k", "2")
            .set_correlation_data(vec![0u8, 1, 0, 255])
            .set_message_expiry_interval(60)
            .push(Property::Int(PropertyId::SUBSCRIPTION_IDENTIFIER, 7));
        let raw = props.to_raw().unwrap().unwrap();
        let back = unsafe { Properties::from_raw(raw.as_ptr()) };
        assert_eq!(back, props);
        let users: Vec<_> = back.user_properties().collect();
        assert_eq!(users, vec![("k", "1"), ("k", "2")]);
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_with_the_property_named() {
        let mut props = Properties::new();
        props.set_string(PropertyId::MESSAGE_EXPIRY_INTERVAL, "soon");
        let err = props.to_raw().err().expect("a string for an integer property is refused");
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert!(err.message().contains("0x02"), "{err}");
    }

    #[test]
    fn setters_replace_and_user_properties_append() {
        let mut props = Properties::new();
        props.set_content_type("a").set_content_type("b").add_user("x", "1").add_user("x", "1");
        assert_eq!(props.len(), 3);
        assert_eq!(props.content_type(), Some("b"));
        assert!(Properties::new().to_raw().unwrap().is_none());
    }
}
