//! A consumer that stalls loses nothing: the client stops reading at its buffering bound, the
//! broker holds the rest, and everything arrives in order once the consumer resumes.

use crate::fixture::{topic, Broker, BrokerConfig, WAIT};
use ouzel::blocking::Client;
use ouzel::{Options, QoS};
use std::time::{Duration, Instant};

fn stalled_consumer_gets_everything(qos: QoS, count: usize) {
    // No broker-side queue limit: whatever the broker holds back, it keeps.
    let broker = Broker::start(BrokerConfig {
        extra: vec!["max_queued_messages 0".into()],
        ..Default::default()
    });
    let t = topic("stall");
    let bound = 50;
    let sub = Client::new(
        Options::new(broker.uri())
            .client_id(format!("stall-sub-{qos:?}"))
            .max_buffered_messages(bound),
    )
    .unwrap();
    sub.connect().unwrap();
    sub.subscribe(&t, qos).unwrap();

    let publisher =
        Client::new(Options::new(broker.uri()).client_id(format!("stall-pub-{qos:?}"))).unwrap();
    publisher.connect().unwrap();
    let payload = vec![b'x'; 512];
    let futures: Vec<_> = (0..count)
        .map(|i| {
            let mut p = payload.clone();
            p[..8].copy_from_slice(&(i as u64).to_be_bytes());
            publisher.publish(&t, p, qos, false).unwrap()
        })
        .collect();

    // The consumer takes nothing for two seconds; the buffer never passes its bound.
    let stall_until = Instant::now() + Duration::from_secs(2);
    let mut most = 0;
    while Instant::now() < stall_until {
        most = most.max(sub.as_async().buffered_messages());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(most > 0, "nothing arrived while stalled");
    assert!(most <= bound as usize, "{most} messages buffered, bound {bound}");

    for i in 0..count {
        let m = sub.recv_timeout(WAIT).unwrap_or_else(|e| panic!("message {i} of {count}: {e}"));
        let n = u64::from_be_bytes(m.payload()[..8].try_into().unwrap());
        assert_eq!(n, i as u64, "out of order or lost");
    }
    for mut f in futures {
        f.wait_timeout(WAIT).unwrap();
    }
}

#[test]
fn a_stalled_consumer_loses_no_qos1_message() {
    stalled_consumer_gets_everything(QoS::AtLeastOnce, 2000);
}

#[test]
fn a_stalled_consumer_loses_no_qos0_message() {
    stalled_consumer_gets_everything(QoS::AtMostOnce, 2000);
}
