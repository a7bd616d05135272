//! Publish and subscribe at every QoS over MQTT 3.1.1 and 5: order, QoS, exact bytes, retained
//! messages, unsubscribe.

use crate::fixture::{topic, Broker, WAIT};
use ouzel::blocking::Client;
use ouzel::{Options, Protocol, QoS};

fn client(broker: &Broker, protocol: Protocol, id: &str) -> Client {
    let c = Client::new(Options::new(broker.uri()).protocol(protocol).client_id(id)).unwrap();
    c.connect().unwrap();
    c
}

/// Payloads with zero bytes, an empty one, and a large one.
fn payloads(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| match i {
            0 => Vec::new(),
            1 => vec![0u8; 3],
            2 => (0..70_000u32).map(|b| b as u8).collect(),
            _ => format!("{i}\0tail-{i}").into_bytes(),
        })
        .collect()
}

fn round_trip(protocol: Protocol, qos: QoS) {
    let broker = Broker::plain();
    let t = topic("roundtrip");
    let sub = client(&broker, protocol, &format!("sub-{qos:?}"));
    let ack = sub.subscribe(&t, qos).unwrap();
    assert_eq!(ack.granted(), vec![Some(qos)]);
    let publisher = client(&broker, protocol, &format!("pub-{qos:?}"));
    let sent = payloads(50);
    let futures: Vec<_> =
        sent.iter().map(|p| publisher.publish(&t, p, qos, false).unwrap()).collect();
    for (i, mut f) in futures.into_iter().enumerate() {
        let ack =
            f.wait_timeout(WAIT).unwrap_or_else(|e| panic!("message {i} not acknowledged: {e}"));
        assert_eq!(ack.qos, qos);
    }
    for (i, expected) in sent.iter().enumerate() {
        let msg = sub.recv_timeout(WAIT).unwrap_or_else(|e| panic!("message {i}: {e}"));
        assert_eq!(msg.topic(), t);
        assert_eq!(msg.payload(), &expected[..], "message {i} differs");
        assert_eq!(msg.qos(), qos);
        assert!(!msg.retain());
    }
    assert!(sub.try_recv().is_none(), "a message arrived twice");
    publisher.disconnect().unwrap();
    sub.disconnect().unwrap();
}

#[test]
fn qos0_round_trip_mqtt311() {
    round_trip(Protocol::V311, QoS::AtMostOnce);
}

#[test]
fn qos1_round_trip_mqtt311() {
    round_trip(Protocol::V311, QoS::AtLeastOnce);
}

#[test]
fn qos2_round_trip_mqtt311() {
    round_trip(Protocol::V311, QoS::ExactlyOnce);
}

#[test]
fn qos0_round_trip_mqtt5() {
    round_trip(Protocol::V5, QoS::AtMostOnce);
}

#[test]
fn qos1_round_trip_mqtt5() {
    round_trip(Protocol::V5, QoS::AtLeastOnce);
}

#[test]
fn qos2_round_trip_mqtt5() {
    round_trip(Protocol::V5, QoS::ExactlyOnce);
}

#[test]
fn a_retained_message_reaches_a_later_subscriber_and_an_empty_one_clears_it() {
    let broker = Broker::plain();
    let t = topic("retained");
    let publisher = client(&broker, Protocol::V311, "retainer");
    publisher.publish(&t, "kept", QoS::AtLeastOnce, true).unwrap().wait_timeout(WAIT).unwrap();

    let late = client(&broker, Protocol::V311, "late");
    late.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let msg = late.recv_timeout(WAIT).unwrap();
    assert!(msg.retain());
    assert_eq!(msg.payload(), b"kept");

    publisher.publish(&t, "", QoS::AtLeastOnce, true).unwrap().wait_timeout(WAIT).unwrap();
    // The live subscriber gets the clearing publish itself (not as retained).
    let clearing = late.recv_timeout(WAIT).unwrap();
    assert!(clearing.payload().is_empty());
    let later = client(&broker, Protocol::V311, "later");
    later.subscribe(&t, QoS::AtLeastOnce).unwrap();
    // A marker published after the subscribe arrives; nothing retained came before it.
    publisher.publish(&t, "marker", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(later.recv_timeout(WAIT).unwrap().payload(), b"marker");
}

#[test]
fn no_message_arrives_after_the_unsuback() {
    let broker = Broker::plain();
    let (t, marker) = (topic("unsub"), topic("marker"));
    let sub = client(&broker, Protocol::V5, "unsub");
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
    sub.subscribe(&marker, QoS::AtLeastOnce).unwrap();
    let publisher = client(&broker, Protocol::V5, "unsub-pub");
    publisher.publish(&t, "before", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(sub.recv_timeout(WAIT).unwrap().payload(), b"before");
    sub.unsubscribe(&t).unwrap();
    publisher.publish(&t, "after", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    publisher.publish(&marker, "end", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    let next = sub.recv_timeout(WAIT).unwrap();
    assert_eq!(next.topic(), marker, "got {:?} on {}", next.payload_str(), next.topic());
}

#[test]
fn a_shared_subscription_gives_each_message_to_one_member() {
    let broker = Broker::plain();
    let t = topic("shared");
    let (filter, marker) = (format!("$share/g/{t}"), topic("shared-end"));
    let (a, b) =
        (client(&broker, Protocol::V5, "share-a"), client(&broker, Protocol::V5, "share-b"));
    for c in [&a, &b] {
        c.subscribe(&filter, QoS::AtLeastOnce).unwrap();
        c.subscribe(&marker, QoS::AtLeastOnce).unwrap();
    }
    let publisher = client(&broker, Protocol::V5, "share-pub");
    for i in 0..100 {
        publisher
            .publish(&t, i.to_string(), QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(WAIT)
            .unwrap();
    }
    let mut seen = Vec::new();
    while seen.len() < 100 {
        let got = a.try_recv().or_else(|| b.try_recv());
        match got {
            Some(m) => seen.push(m.payload_str().unwrap().parse::<u32>().unwrap()),
            None => {
                assert!(
                    crate::fixture::wait_until(WAIT, || a.as_async().buffered_messages()
                        + b.as_async().buffered_messages()
                        > 0),
                    "only {} of 100 shared messages arrived",
                    seen.len()
                );
            }
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..100).collect::<Vec<_>>());
    // A duplicate would arrive before the marker (one connection delivers in order).
    publisher.publish(&marker, "end", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    for c in [&a, &b] {
        assert_eq!(c.recv_timeout(WAIT).unwrap().topic(), marker);
    }
}
