//! rumqttc 0.24 as its documentation shows it: `AsyncClient` + `EventLoop` polled by a task on a
//! multi-threaded tokio runtime. A publish completes when the event loop reports it written
//! (QoS 0: `Outgoing::Publish`) or acknowledged (QoS 1: `Incoming::PubAck`).

use crate::cpu::{Measured, Span};
use crate::Config;
use rumqttc::{AsyncClient, Event, EventLoop, Incoming, MqttOptions, Outgoing, QoS};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

fn options(cfg: &Config, id: &str) -> MqttOptions {
    let port = cfg.uri.rsplit(':').next().unwrap().parse().unwrap();
    let mut o = MqttOptions::new(id, "127.0.0.1", port);
    o.set_keep_alive(Duration::from_secs(60)).set_inflight(cfg.inflight as u16);
    o
}

#[derive(Default)]
struct Counts {
    written: AtomicU64,
    acked: AtomicU64,
    received: AtomicU64,
    connected: AtomicU64,
    lock: Mutex<()>,
    cv: Condvar,
}

fn drive(rt: &Runtime, mut eventloop: EventLoop) -> Arc<Counts> {
    let counts = Arc::new(Counts::default());
    let c = Arc::clone(&counts);
    rt.spawn(async move {
        loop {
            let counter = match eventloop.poll().await {
                Ok(Event::Outgoing(Outgoing::Publish(_))) => &c.written,
                Ok(Event::Incoming(Incoming::PubAck(_))) => &c.acked,
                Ok(Event::Incoming(Incoming::Publish(_))) => &c.received,
                Ok(Event::Incoming(Incoming::ConnAck(_))) => &c.connected,
                Ok(_) => continue,
                Err(_) => break,
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let _g = c.lock.lock().unwrap();
            c.cv.notify_all();
        }
    });
    counts
}

/// Blocks the calling (non-worker) thread until `counter` reaches `n`, as the C API's waiter does.
fn until(counts: &Counts, counter: &AtomicU64, n: u64, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    let mut g = counts.lock.lock().unwrap();
    while counter.load(Ordering::SeqCst) < n {
        let now = Instant::now();
        assert!(now < deadline, "rumqttc: timed out");
        g = counts.cv.wait_timeout(g, deadline - now).unwrap().0;
    }
}

pub fn publish_run(cfg: &Config, qos: u8) -> Measured {
    let rt = runtime();
    let (client, eventloop) = AsyncClient::new(options(cfg, "bench-rumqttc"), 10);
    let counts = drive(&rt, eventloop);
    let n = cfg.count(qos) as u64;
    let payload = vec![b'x'; cfg.payload];
    let q = if qos == 0 { QoS::AtMostOnce } else { QoS::AtLeastOnce };
    rt.block_on(async {
        until(&counts, &counts.connected, 1, cfg.timeout);
        let span = Span::start();
        for _ in 0..n {
            client.publish(&cfg.topic, q, false, payload.clone()).await.unwrap();
        }
        let done = if qos == 0 { &counts.written } else { &counts.acked };
        until(&counts, done, n, cfg.timeout);
        let m = span.end();
        client.disconnect().await.ok();
        m
    })
}

pub fn round_trips(cfg: &Config) -> Vec<Duration> {
    let rt = runtime();
    let (client, eventloop) = AsyncClient::new(options(cfg, "bench-rumqttc-rtt"), 10);
    let counts = drive(&rt, eventloop);
    let topic = format!("{}/rtt", cfg.topic);
    let payload = vec![b'x'; cfg.payload];
    rt.block_on(async {
        until(&counts, &counts.connected, 1, cfg.timeout);
        client.subscribe(&topic, QoS::AtLeastOnce).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await; // SUBACK
        let mut out = Vec::new();
        for i in 0..cfg.round_trips {
            let start = Instant::now();
            client.publish(&topic, QoS::AtLeastOnce, false, payload.clone()).await.unwrap();
            until(&counts, &counts.received, i as u64 + 1, cfg.timeout);
            out.push(start.elapsed());
        }
        client.disconnect().await.ok();
        out
    })
}
