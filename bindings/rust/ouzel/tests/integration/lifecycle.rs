//! Handles, drops and streams: dropping never blocks and closes without DISCONNECT (the Will is
//! published), a dropped delivery future only stops waiting, clones share one connection, and
//! message streams end after a disconnect and run again after a connect.

use crate::fixture::{topic, Broker, WAIT};
use ouzel::blocking::{Client, RecvTimeoutError};
use ouzel::{Options, QoS, Will};
use std::time::Duration;

#[test]
fn dropping_the_client_closes_without_disconnect_so_the_will_is_published() {
    let broker = Broker::plain();
    let will_topic = topic("will");
    let watcher = Client::new(Options::new(broker.uri()).client_id("will-watcher")).unwrap();
    watcher.connect().unwrap();
    watcher.subscribe(&will_topic, QoS::AtLeastOnce).unwrap();
    let doomed = Client::new(Options::new(broker.uri()).client_id("doomed").will(Some(Will::new(
        will_topic.clone(),
        "gone",
        QoS::AtLeastOnce,
        false,
    ))))
    .unwrap();
    doomed.connect().unwrap();
    drop(doomed);
    let will = watcher.recv_timeout(WAIT).unwrap();
    assert_eq!(will.payload(), b"gone");
}

#[test]
fn a_disconnect_does_not_publish_the_will() {
    let broker = Broker::plain();
    let (will_topic, marker) = (topic("nowill"), topic("nowill-marker"));
    let watcher = Client::new(Options::new(broker.uri()).client_id("nowill-watcher")).unwrap();
    watcher.connect().unwrap();
    watcher.subscribe(&will_topic, QoS::AtLeastOnce).unwrap();
    watcher.subscribe(&marker, QoS::AtLeastOnce).unwrap();
    let c = Client::new(Options::new(broker.uri()).client_id("polite").will(Some(Will::new(
        will_topic.clone(),
        "gone",
        QoS::AtLeastOnce,
        false,
    ))))
    .unwrap();
    c.connect().unwrap();
    c.disconnect().unwrap();
    drop(c);
    watcher.publish(&marker, "end", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(watcher.recv_timeout(WAIT).unwrap().topic(), marker);
}

#[test]
fn dropping_a_delivery_future_does_not_cancel_the_message() {
    let broker = Broker::plain();
    let t = topic("fire-and-forget");
    let c = Client::new(Options::new(broker.uri()).client_id("forget")).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let token = {
        let f = c.publish(&t, "still sent", QoS::AtLeastOnce, false).unwrap();
        f.token()
    };
    assert_eq!(c.recv_timeout(WAIT).unwrap().payload(), b"still sent");
    assert!(crate::fixture::wait_until(WAIT, || {
        c.as_async().delivery_status(token).map(|s| s.state)
            == Ok(ouzel::DeliveryState::Acknowledged)
    }));
}

#[test]
fn clones_share_one_connection_that_lives_until_the_last_one_goes() {
    let broker = Broker::plain();
    let t = topic("clones");
    let a = Client::new(Options::new(broker.uri()).client_id("clones")).unwrap();
    a.connect().unwrap();
    a.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let b = a.clone();
    drop(a);
    assert!(b.is_connected());
    b.publish(&t, "via the clone", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(b.recv_timeout(WAIT).unwrap().payload(), b"via the clone");
}

#[test]
fn a_message_stream_ends_after_a_disconnect_and_runs_again_after_a_connect() {
    let broker = Broker::plain();
    let t = topic("stream-end");
    let c =
        Client::new(Options::new(broker.uri()).client_id("stream-end").clean_start(false)).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::AtLeastOnce).unwrap();
    assert_eq!(c.recv_timeout(Duration::from_millis(50)).unwrap_err(), RecvTimeoutError::Timeout);
    c.publish(&t, "last", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert!(crate::fixture::wait_until(WAIT, || c.as_async().buffered_messages() == 1));
    c.disconnect().unwrap();
    // What arrived before the disconnect is still delivered, then the stream ends.
    assert_eq!(c.recv().unwrap().payload(), b"last");
    assert!(c.recv().is_none());
    assert_eq!(c.recv_timeout(Duration::from_secs(1)).unwrap_err(), RecvTimeoutError::Ended);

    // "last" was taken after the connection had ended, so its PUBACK could not go out: the
    // resumed session delivers it again, then what follows.
    let ack = c.connect().unwrap();
    assert!(ack.session_present);
    c.publish(&t, "again", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    let redelivered = c.recv_timeout(WAIT).unwrap();
    assert_eq!((redelivered.payload(), redelivered.dup()), (&b"last"[..], true));
    assert_eq!(c.recv_timeout(WAIT).unwrap().payload(), b"again");
}

#[test]
fn manual_acknowledgement_withholds_the_puback_until_ack_and_redelivers_after_reconnect() {
    let broker = Broker::plain();
    let t = topic("manual");
    let options =
        || Options::new(broker.uri()).client_id("manual").clean_start(false).manual_ack(true);
    let c = Client::new(options()).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let publisher = Client::new(Options::new(broker.uri()).client_id("manual-pub")).unwrap();
    publisher.connect().unwrap();
    publisher.publish(&t, "one", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    publisher.publish(&t, "two", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    let one = c.recv_timeout(WAIT).unwrap();
    let two = c.recv_timeout(WAIT).unwrap();
    c.ack(&two).unwrap(); // "one" stays unacknowledged
    drop(one);
    c.disconnect().unwrap();
    drop(c);

    let again = Client::new(options()).unwrap();
    let ack = again.connect().unwrap();
    assert!(ack.session_present);
    let redelivered = again.recv_timeout(WAIT).unwrap();
    assert_eq!(redelivered.payload(), b"one");
    assert!(redelivered.dup(), "a redelivery carries DUP");
    again.ack(&redelivered).unwrap();
}

#[test]
fn disconnect_first_lets_the_publishes_in_flight_finish() {
    let broker = Broker::plain();
    let t = topic("flush");
    let c = Client::new(Options::new(broker.uri()).client_id("flush")).unwrap();
    c.connect().unwrap();
    let futures: Vec<_> =
        (0..200).map(|i| c.publish(&t, format!("{i}"), QoS::ExactlyOnce, false).unwrap()).collect();
    c.disconnect().unwrap();
    for (i, mut f) in futures.into_iter().enumerate() {
        assert!(f.is_done(), "publish {i} was still in flight after disconnect returned");
        f.wait_timeout(WAIT).unwrap();
    }
}
