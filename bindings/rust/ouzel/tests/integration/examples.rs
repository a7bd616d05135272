//! The example programs (examples/rust), built by `cargo test`, run against a real broker.

use crate::fixture::{example, Broker};
use std::process::Command;

fn run_example(name: &str, broker: &Broker, expect: &[&str]) {
    let out = Command::new(example(name)).arg(broker.uri()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{name}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    for line in expect {
        assert!(stdout.contains(line), "{name} printed no {line:?}:\n{stdout}");
    }
}

#[test]
fn the_quickstart_example_runs_against_a_broker() {
    let broker = Broker::plain();
    run_example(
        "quickstart",
        &broker,
        &[
            "connected",
            "received \"hello at AtMostOnce\"",
            "received \"hello at ExactlyOnce\"",
            "disconnected",
        ],
    );
}

#[test]
fn the_blocking_example_runs_against_a_broker() {
    let broker = Broker::plain();
    run_example("blocking", &broker, &["ping -> PING", "mqtt -> MQTT", "done"]);
}
