//! Publish throughput, CPU per message and QoS 1 round trip of the `ouzel` crate, Ouzel's C API
//! and rumqttc, in the same run against one local Mosquitto (see ../README.md, "Benchmark").
//!
//!   cargo run --release -- [--qos0=N] [--qos1=N] [--rounds=N] [--round-trips=N] [--payload=BYTES]

mod broker;
mod c_api;
mod cpu;
mod ouzel_rust;
mod rumqttc_peer;

use std::time::Duration;

pub struct Config {
    pub uri: String,
    pub topic: String,
    pub qos0: usize,
    pub qos1: usize,
    pub payload: usize,
    pub inflight: u32,
    pub round_trips: usize,
    pub timeout: Duration,
}

impl Config {
    pub fn count(&self, qos: u8) -> usize {
        if qos == 0 {
            self.qos0
        } else {
            self.qos1
        }
    }
}

type PublishRun = fn(&Config, u8) -> cpu::Measured;
type RoundTrips = fn(&Config) -> Vec<Duration>;
const CLIENTS: [(&str, PublishRun, RoundTrips); 3] = [
    ("ouzel (Rust)", ouzel_rust::publish_run, ouzel_rust::round_trips),
    ("Ouzel C API", c_api::publish_run, c_api::round_trips),
    ("rumqttc 0.24", rumqttc_peer::publish_run, rumqttc_peer::round_trips),
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn arg(name: &str, default: usize) -> usize {
    std::env::args()
        .find_map(|a| a.strip_prefix(&format!("--{name}=")).map(|v| v.parse().expect(name)))
        .unwrap_or(default)
}

fn main() {
    let broker = broker::Broker::start();
    let cfg = Config {
        uri: broker.uri(),
        topic: format!("bench/rust/{}", std::process::id()),
        qos0: arg("qos0", 100_000),
        qos1: arg("qos1", 30_000),
        payload: arg("payload", 64),
        inflight: 20,
        round_trips: arg("round-trips", 2_000),
        timeout: Duration::from_secs(120),
    };
    let rounds = arg("rounds", 3);
    println!(
        "ouzel {} / libouzel {}; mosquitto on 127.0.0.1; {}-byte payloads, {} in flight; {} rounds, first client alternating",
        env!("CARGO_PKG_VERSION"),
        ouzel::library_version(),
        cfg.payload,
        cfg.inflight,
        rounds
    );
    println!("| client | QoS | messages | msg/s | CPU µs/msg | user µs/msg | sys µs/msg |");
    println!("|---|---|---|---|---|---|---|");
    for qos in [0u8, 1] {
        let mut results: Vec<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> = vec![Default::default(); 3];
        for round in 0..rounds {
            for k in 0..3 {
                let i = (k + round) % 3;
                let m = (CLIENTS[i].1)(&cfg, qos);
                let n = cfg.count(qos) as f64;
                let r = &mut results[i];
                r.0.push(n / m.wall);
                r.1.push((m.user + m.sys) / n * 1e6);
                r.2.push(m.user / n * 1e6);
                r.3.push(m.sys / n * 1e6);
            }
        }
        for (i, r) in results.into_iter().enumerate() {
            println!(
                "| {} | {qos} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
                CLIENTS[i].0,
                cfg.count(qos),
                median(r.0),
                median(r.1),
                median(r.2),
                median(r.3)
            );
        }
    }
    println!();
    println!("| client | QoS 1 round trips | median µs | p99 µs |");
    println!("|---|---|---|---|");
    for (name, _, rtt) in CLIENTS {
        let mut all: Vec<f64> = Vec::new();
        for _ in 0..rounds {
            all.extend(rtt(&cfg).into_iter().map(|d| d.as_secs_f64() * 1e6));
        }
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)];
        println!("| {name} | {} | {:.0} | {:.0} |", all.len(), median(all.clone()), p99);
    }
}
