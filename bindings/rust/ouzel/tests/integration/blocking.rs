//! The blocking client's waits: timeouts, the iterator across threads.

use crate::fixture::{topic, Broker, WAIT};
use ouzel::blocking::{Client, RecvTimeoutError};
use ouzel::{Options, QoS};
use std::time::Duration;

#[test]
fn recv_timeout_says_timeout_when_nothing_arrives() {
    let broker = Broker::plain();
    let c = Client::new(Options::new(broker.uri()).client_id("quiet")).unwrap();
    c.connect().unwrap();
    c.subscribe(&topic("quiet"), QoS::AtMostOnce).unwrap();
    assert_eq!(c.recv_timeout(Duration::from_millis(100)).unwrap_err(), RecvTimeoutError::Timeout);
}

#[test]
fn the_iterator_of_one_thread_ends_when_another_disconnects() {
    let broker = Broker::plain();
    let t = topic("iter");
    let c = Client::new(Options::new(broker.uri()).client_id("iter")).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let reader = {
        let c = c.clone();
        std::thread::spawn(move || c.iter().map(|m| m.payload().to_vec()).collect::<Vec<_>>())
    };
    for i in 0..5u8 {
        c.publish(&t, [i], QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    }
    assert!(crate::fixture::wait_until(WAIT, || c.as_async().buffered_messages() == 0));
    c.disconnect().unwrap();
    assert!(crate::fixture::wait_until(WAIT, || reader.is_finished()), "the iterator did not end");
    assert_eq!(reader.join().unwrap(), (0..5u8).map(|i| vec![i]).collect::<Vec<_>>());
}
