//! Connections that end: a broker restarted mid-stream, messages queued while offline, the
//! connection events an application sees.

use crate::fixture::{topic, wait_until, Broker, BrokerConfig, WAIT};
use ouzel::blocking::Client;
use ouzel::{Event, Options, Protocol, QoS};
use std::collections::HashMap;
use std::time::Duration;

/// Persistent, and without mosquitto's default limit of 1,000 messages queued per subscriber
/// (which drops QoS 1 messages once a burst after the restart outruns the subscriber).
fn persistent_broker() -> Broker {
    Broker::start(BrokerConfig {
        persistence: true,
        extra: vec!["max_queued_messages 0".into()],
        ..Default::default()
    })
}

#[test]
fn qos1_and_qos2_publishes_across_a_broker_restart_are_all_acknowledged_qos2_exactly_once() {
    let mut broker = persistent_broker();
    let (t1, t2) = (topic("restart-q1"), topic("restart-q2"));
    let options = |id: &str| {
        Options::new(broker.uri())
            .client_id(id)
            .clean_start(false)
            .reconnect_delay(Duration::from_millis(100), Duration::from_millis(500))
        // The default window of 20: mosquitto takes at most 20 unfinished QoS 2 messages from a
        // client (max_inflight_messages) and, over MQTT 3.1.1, drops the next one while still
        // answering PUBACK (it cannot say why in 3.1.1), so a larger window loses messages there.
    };
    let sub = Client::new(options("restart-sub")).unwrap();
    sub.connect().unwrap();
    sub.subscribe(&t1, QoS::AtLeastOnce).unwrap();
    sub.subscribe(&t2, QoS::ExactlyOnce).unwrap();
    let publisher = Client::new(options("restart-pub")).unwrap();
    publisher.connect().unwrap();

    let (k2, mut distinct) = (t2.clone(), std::collections::HashSet::new());
    let received = crate::fixture::collect(&sub, move |got| {
        if let Some(m) = got.last() {
            distinct.insert((m.topic() == k2, m.payload().to_vec()));
        }
        distinct.len() == 2000
    });
    let mut futures = Vec::new();
    for i in 0..1000 {
        futures.push(publisher.publish(&t1, format!("{i}"), QoS::AtLeastOnce, false).unwrap());
        futures.push(publisher.publish(&t2, format!("{i}"), QoS::ExactlyOnce, false).unwrap());
        if i == 300 {
            broker.restart();
        }
    }
    for mut f in futures {
        f.wait_timeout(WAIT).unwrap_or_else(|e| panic!("a publish across the restart failed: {e}"));
    }
    let got = match received.join().unwrap() {
        Ok(got) => got,
        Err(e) => panic!(
            "{e}; subscriber {:?}; buffered {}",
            sub.as_async().stats(),
            sub.as_async().buffered_messages()
        ),
    };
    let mut counts: HashMap<(String, Vec<u8>), usize> = HashMap::new();
    for m in &got {
        *counts.entry((m.topic().to_string(), m.payload().to_vec())).or_default() += 1;
    }
    let duplicated_qos2: Vec<_> =
        counts.iter().filter(|((t, _), n)| *t == t2 && **n > 1).map(|((_, p), _)| p).collect();
    assert!(duplicated_qos2.is_empty(), "QoS 2 delivered more than once: {duplicated_qos2:?}");
}

#[test]
fn qos1_published_before_the_first_connection_arrives_once_connected() {
    let broker = Broker::plain();
    let t = topic("offline");
    let sub = Client::new(Options::new(broker.uri()).client_id("offline-sub")).unwrap();
    sub.connect().unwrap();
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();

    let publisher = Client::new(Options::new(broker.uri()).client_id("offline-pub")).unwrap();
    let futures: Vec<_> = (0..10)
        .map(|i| publisher.publish(&t, format!("{i}"), QoS::AtLeastOnce, false).unwrap())
        .collect();
    assert!(!futures.iter().any(|f| f.is_done()), "nothing can be acknowledged before connecting");
    publisher.connect().unwrap();
    for mut f in futures {
        f.wait_timeout(WAIT).unwrap();
    }
    for i in 0..10 {
        assert_eq!(sub.recv_timeout(WAIT).unwrap().payload_str(), Some(i.to_string().as_str()));
    }
}

#[test]
fn the_application_sees_the_connection_end_and_come_back() {
    let mut broker = Broker::plain();
    let c = Client::new(
        Options::new(broker.uri())
            .protocol(Protocol::V5)
            .client_id("events")
            .reconnect_delay(Duration::from_millis(100), Duration::from_millis(300)),
    )
    .unwrap();
    let mut events = c.events();
    c.connect().unwrap();
    assert!(matches!(events.next_timeout(WAIT), Some(Event::Connected(_))));
    assert_eq!(c.as_async().state(), ouzel::ConnectionState::Connected);
    broker.kill();
    match events.next_timeout(WAIT) {
        Some(Event::Disconnected(d)) => {
            assert!(d.error.is_some(), "a lost connection has an error")
        }
        other => panic!("expected Disconnected, got {other:?}"),
    }
    broker.start_again();
    let back = loop {
        match events.next_timeout(WAIT) {
            Some(Event::ConnectFailed(_)) => continue, // attempts while the port was still closed
            other => break other,
        }
    };
    assert!(matches!(back, Some(Event::Connected(_))), "got {back:?}");
    assert!(wait_until(WAIT, || c.is_connected()));
    assert!(c.as_async().stats().reconnects >= 1);
    c.disconnect().unwrap();
    assert_eq!(c.as_async().state(), ouzel::ConnectionState::Disconnected);
    c.as_async().close();
    assert_eq!(c.as_async().state(), ouzel::ConnectionState::Closed);
    match events.next_timeout(WAIT) {
        Some(Event::Disconnected(d)) => {
            assert!(d.error.is_none(), "requested: no error, got {d:?}")
        }
        other => panic!("expected Disconnected, got {other:?}"),
    }
}
