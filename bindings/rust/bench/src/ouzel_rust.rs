//! The `ouzel` crate as its users write it: `publish` returns a delivery future per message; the
//! run ends when every future has resolved. Round trips through the `Messages` stream.

use crate::cpu::{Measured, Span};
use crate::Config;
use ouzel::blocking::Client;
use ouzel::{Options, QoS};
use std::time::{Duration, Instant};

fn connect(cfg: &Config, id: &str) -> Client {
    let c = Client::new(Options::new(&cfg.uri).client_id(id).max_inflight(cfg.inflight)).unwrap();
    c.connect().unwrap();
    c
}

pub fn publish_run(cfg: &Config, qos: u8) -> Measured {
    let c = connect(cfg, "bench-ouzel-rust");
    let qos = QoS::try_from(qos).unwrap();
    let payload = vec![b'x'; cfg.payload];
    let span = Span::start();
    let futures: Vec<_> =
        (0..cfg.count(qos as u8)).map(|_| c.publish(&cfg.topic, &payload, qos, false).unwrap()).collect();
    for f in futures {
        f.wait().expect("ouzel: a message was not delivered");
    }
    let m = span.end();
    c.disconnect().unwrap();
    m
}

pub fn round_trips(cfg: &Config) -> Vec<Duration> {
    let c = connect(cfg, "bench-ouzel-rust-rtt");
    let topic = format!("{}/rtt", cfg.topic);
    c.subscribe(&topic, QoS::AtLeastOnce).unwrap();
    let payload = vec![b'x'; cfg.payload];
    let out = (0..cfg.round_trips)
        .map(|_| {
            let start = Instant::now();
            c.publish(&topic, &payload, QoS::AtLeastOnce, false).unwrap();
            c.recv_timeout(cfg.timeout).expect("ouzel: no echo");
            start.elapsed()
        })
        .collect();
    c.disconnect().unwrap();
    out
}
