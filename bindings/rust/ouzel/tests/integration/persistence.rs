//! Durable sessions across a killed process: the durable_publish example (examples/rust) is
//! started as a real process, killed with SIGKILL, and succeeded by another.

use crate::fixture::{example, topic, Broker, TempDir, WAIT};
use ouzel::blocking::Client;
use ouzel::{Options, QoS};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

#[test]
fn qos1_messages_queued_by_a_killed_process_are_delivered_by_its_successor() {
    let broker = Broker::plain();
    let store = TempDir::new("ouzel-rust-durable");
    let t = topic("durable");
    let sub = Client::new(Options::new(broker.uri()).client_id("durable-sub")).unwrap();
    sub.connect().unwrap();
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();

    // The first process publishes while no broker is reachable, says so, and is killed.
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = store.path().to_str().unwrap();
    let mut first = Command::new(example("durable_publish"))
        .args([&format!("mqtt://127.0.0.1:{nobody}"), dir, &t, "25"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + WAIT;
    loop {
        let line = lines.next().expect("the first process exited early").unwrap();
        if line == "queued 25" {
            break;
        }
        assert!(Instant::now() < deadline, "no 'queued 25' line");
    }
    first.kill().unwrap(); // SIGKILL: no chance to clean up
    first.wait().unwrap();
    assert!(sub.try_recv().is_none(), "nothing can have been delivered yet");

    // The successor only resumes the session from the same directory.
    let second = Command::new(example("durable_publish"))
        .args([&broker.uri(), dir, &t, "0"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.status.success(),
        "successor failed: {out}{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(out.contains("25 messages restored"), "{out}");

    let mut got: Vec<u32> = (0..25)
        .map(|_| {
            let m = sub.recv_timeout(WAIT).unwrap();
            m.payload_str().unwrap().trim_start_matches("durable ").parse().unwrap()
        })
        .collect();
    got.sort_unstable();
    got.dedup();
    assert_eq!(got, (0..25).collect::<Vec<_>>());
}
