//! Connect, subscribe, publish at QoS 0/1/2, print what arrives, disconnect.
//!
//!     cargo run --example quickstart -- mqtt://127.0.0.1:1883
//!
//! Each publish returns once queued; awaiting it waits for the broker's acknowledgement.

use ouzel::{Client, Options, Protocol, QoS};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let uri = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "mqtt://127.0.0.1:1883".into());
    let client = Client::new(
        Options::new(&uri)
            .client_id("ouzel-rust-quickstart")
            .protocol(Protocol::V5),
    )?;
    let ack = client.connect().await?;
    println!("connected (session present: {})", ack.session_present);

    let topic = "ouzel/quickstart/rust";
    client.subscribe(topic, QoS::ExactlyOnce).await?;
    let mut messages = client.messages();
    for qos in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce] {
        let ack = client
            .publish(topic, format!("hello at {qos:?}"), qos, false)?
            .await?;
        println!(
            "published at {:?} (mid {}, reason {})",
            ack.qos, ack.mid, ack.reason_code
        );
    }
    for _ in 0..3 {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), messages.recv())
            .await?
            .ok_or("the message stream ended")?;
        println!(
            "received {:?} at {:?} on {}",
            msg.payload_str().unwrap_or("<binary>"),
            msg.qos(),
            msg.topic()
        );
    }
    client.disconnect().await?;
    println!("disconnected");
    Ok(())
}
