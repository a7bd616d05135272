//! A durable session: QoS 1 messages published with a persistence directory survive the process
//! being killed, and the next process with the same directory delivers them.
//!
//!     cargo run --example durable_publish -- URI DIR TOPIC COUNT
//!
//! Publishes COUNT messages (each durably queued when `publish` returns), prints "queued COUNT",
//! then waits until everything the session holds, from this run or a killed earlier one, is
//! acknowledged and prints "delivered".

use ouzel::blocking::Client;
use ouzel::{Options, PersistenceSync, QoS};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, uri, dir, topic, count] = &args[..] else {
        return Err("usage: durable_publish URI DIR TOPIC COUNT".into());
    };
    let count: u32 = count.parse()?;
    let client = Client::new(
        Options::new(uri)
            .client_id("ouzel-rust-durable")
            .clean_start(false)
            .persistence_dir(dir)
            // The session is named, so a process that connects elsewhere resumes it too.
            .persistence_key("ouzel-rust-durable")
            .persistence_sync(PersistenceSync::Never)
            .reconnect_delay(Duration::from_millis(100), Duration::from_secs(1)),
    )?;
    let report = client.as_async().persistence_report()?;
    println!(
        "store: {} ({} messages restored)",
        report.summary, report.outgoing
    );
    if let Err(e) = client.connect() {
        println!("not connected yet ({e}); messages are queued");
    }
    for i in 0..count {
        // Returns once the message is in the store: from here a crash loses nothing.
        client.publish(topic, format!("durable {i}"), QoS::AtLeastOnce, false)?;
    }
    println!("queued {count}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let stats = client.as_async().stats();
        if client.is_connected() && stats.inflight == 0 && stats.queued == 0 {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("not delivered within 30 s: {stats:?}").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    client.disconnect()?;
    println!("delivered");
    Ok(())
}
