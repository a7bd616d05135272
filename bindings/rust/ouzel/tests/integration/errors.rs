//! Bad input gets a clear error and loses nothing: invalid topics, oversized payloads, refused
//! credentials, a closed client, an unreachable server, a refused option.

use crate::fixture::{topic, Broker, BrokerConfig, WAIT};
use ouzel::blocking::Client;
use ouzel::{ErrorKind, Options, Protocol, QoS, ReasonCode};
use std::time::Duration;

#[test]
fn publishing_to_a_wildcard_topic_is_an_invalid_argument_and_sends_nothing() {
    let broker = Broker::plain();
    let c = Client::new(Options::new(broker.uri()).client_id("badtopic")).unwrap();
    c.connect().unwrap();
    let sent_before = c.as_async().stats().messages_sent;
    let e = c.publish("a/+/b", "x", QoS::AtLeastOnce, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains('+'), "the detail names the wildcard: {e}");
    let e = c.subscribe("a/#/b", QoS::AtMostOnce).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert_eq!(c.as_async().stats().messages_sent, sent_before);
}

#[test]
fn a_payload_over_the_servers_maximum_packet_size_fails_before_sending() {
    let broker = Broker::start(BrokerConfig {
        extra: vec!["max_packet_size 1000".into()],
        ..Default::default()
    });
    let c =
        Client::new(Options::new(broker.uri()).protocol(Protocol::V5).client_id("big")).unwrap();
    let ack = c.connect().unwrap();
    assert_eq!(ack.properties.int(ouzel::PropertyId::MAXIMUM_PACKET_SIZE), Some(1000));
    let e = c.publish(&topic("big"), vec![7u8; 2000], QoS::AtLeastOnce, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    // The connection is intact: a small message still goes through.
    c.publish(&topic("small"), "ok", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
}

fn refused_with(protocol: Protocol, expected: ReasonCode) {
    let broker = Broker::start(BrokerConfig {
        users: vec![("alice".into(), "secret".into())],
        ..Default::default()
    });
    let c = Client::new(
        Options::new(broker.uri())
            .protocol(protocol)
            .client_id("refused")
            .credentials("alice", "wrong")
            .reconnect(false),
    )
    .unwrap();
    let e = c.connect().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    assert_eq!(e.reason_code(), Some(expected), "{e}");
    assert!(!c.is_connected());

    let good = Client::new(
        Options::new(broker.uri())
            .protocol(protocol)
            .client_id("accepted")
            .credentials("alice", "secret"),
    )
    .unwrap();
    good.connect().unwrap();
}

#[test]
fn a_wrong_password_is_refused_with_the_mqtt311_return_code() {
    refused_with(Protocol::V311, ReasonCode(5)); // Connection Refused, not authorized
}

#[test]
fn a_wrong_password_is_refused_with_the_mqtt5_reason_code() {
    refused_with(Protocol::V5, ReasonCode(0x87)); // Not authorized
}

#[test]
fn every_call_on_a_closed_client_fails_as_closed_and_waiting_operations_end() {
    let broker = Broker::plain();
    let c = Client::new(Options::new(broker.uri()).client_id("closing")).unwrap();
    c.connect().unwrap();
    let messages = c.iter();
    c.as_async().close();
    assert!(c.as_async().is_closed());
    let e = c.publish(&topic("closed"), "x", QoS::AtLeastOnce, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Closed, "{e}");
    assert_eq!(c.subscribe("x", QoS::AtMostOnce).unwrap_err().kind(), ErrorKind::Closed);
    assert_eq!(c.connect().unwrap_err().kind(), ErrorKind::Closed);
    assert!(!c.is_connected());
    // The message stream ends instead of waiting forever.
    let ended = std::thread::spawn(move || messages.count());
    assert!(crate::fixture::wait_until(WAIT, || ended.is_finished()), "the stream did not end");
    assert_eq!(ended.join().unwrap(), 0);
}

#[test]
fn publishes_still_pending_when_the_client_closes_end_as_dropped_cancelled() {
    // No broker listens: QoS 1 messages are queued and stay pending.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c =
        Client::new(Options::new(format!("mqtt://127.0.0.1:{port}")).client_id("pending")).unwrap();
    let mut f = c.publish("queued/while/offline", "x", QoS::AtLeastOnce, false).unwrap();
    assert_eq!(f.wait_timeout(Duration::from_millis(100)).unwrap_err().kind(), ErrorKind::TimedOut);
    c.as_async().close();
    let e = f.wait_timeout(WAIT).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Dropped, "{e}");
    assert_eq!(e.drop_reason(), Some(ouzel::DropReason::Cancelled));
}

#[test]
fn connecting_to_a_port_nobody_listens_on_fails_with_an_io_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::new(Options::new(format!("mqtt://127.0.0.1:{port}")).reconnect(false)).unwrap();
    let e = c.connect().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
}

#[test]
fn qos0_while_offline_is_refused_as_not_connected() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::new(Options::new(format!("mqtt://127.0.0.1:{port}"))).unwrap();
    let e = c.publish("t", "x", QoS::AtMostOnce, false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotConnected, "{e}");
}

#[test]
fn a_refused_option_is_returned_by_client_new() {
    let e = Client::new(Options::new("mqtt://127.0.0.1:1").max_inflight(u32::MAX)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().starts_with("Options::max_inflight"), "{e}");
    let e = Client::new(Options::new("nonsense://x")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
}
