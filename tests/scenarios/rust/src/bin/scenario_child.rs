//! A client process the scenarios kill with SIGKILL (S05, S21). It prints "ready" once it is in
//! the state to be killed in, then waits.
//!
//!   scenario_child will URI WILL_TOPIC       connected with a Will
//!   scenario_child durable URI DIR TOPIC N   N QoS 1 messages durably queued while offline

use ouzel::blocking::Client;
use ouzel::{Options, QoS, Will};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let _client = match args.get(1).map(String::as_str) {
        Some("will") => {
            let c = Client::new(
                Options::new(&args[2])
                    .client_id("scen-rust-will-child")
                    .will(Some(Will::new(
                        args[3].clone(),
                        "child lost",
                        QoS::AtLeastOnce,
                        false,
                    ))),
            )?;
            c.connect()?;
            c
        }
        Some("durable") => {
            let c = Client::new(
                Options::new(&args[2])
                    .client_id("scen-rust-durable")
                    .clean_start(false)
                    .persistence_dir(&args[3])
                    .persistence_key("scen-rust-durable"),
            )?;
            for i in 0..args[5].parse::<u32>()? {
                c.publish(&args[4], format!("{i}"), QoS::AtLeastOnce, false)?;
            }
            c
        }
        _ => return Err("usage: scenario_child will|durable ...".into()),
    };
    println!("ready");
    std::io::stdout().flush()?;
    std::thread::sleep(std::time::Duration::from_secs(600));
    Ok(())
}
