//! The blocking client, for programs without async: a request/response pair over MQTT 5 with a
//! responder thread that publishes from where it receives.
//!
//!     cargo run --example blocking -- mqtt://127.0.0.1:1883

use ouzel::blocking::Client;
use ouzel::{Options, Properties, Protocol, QoS};
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let uri = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "mqtt://127.0.0.1:1883".into());
    let options = |id: &str| Options::new(&uri).client_id(id).protocol(Protocol::V5);

    let responder = Client::new(options("ouzel-rust-responder"))?;
    responder.connect()?;
    responder.subscribe("ouzel/example/requests", QoS::AtLeastOnce)?;
    let worker = {
        let responder = responder.clone();
        std::thread::spawn(move || -> Result<(), ouzel::Error> {
            // The iterator ends once the responder disconnects.
            for request in responder.iter() {
                let (Some(reply_to), Some(body)) =
                    (request.properties().response_topic(), request.payload_str())
                else {
                    continue;
                };
                let mut props = Properties::new();
                if let Some(id) = request.properties().correlation_data() {
                    props.set_correlation_data(id.to_vec());
                }
                // Publishing and waiting for the acknowledgement right here is fine: the client's
                // own thread keeps reading while this one waits.
                responder
                    .publish_with_properties(
                        reply_to,
                        body.to_uppercase(),
                        QoS::AtLeastOnce,
                        false,
                        &props,
                    )?
                    .wait()?;
            }
            Ok(())
        })
    };

    let requester = Client::new(options("ouzel-rust-requester"))?;
    requester.connect()?;
    requester.subscribe("ouzel/example/replies", QoS::AtLeastOnce)?;
    for (i, word) in ["ping", "hello", "mqtt"].iter().enumerate() {
        let mut props = Properties::new();
        props
            .set_response_topic("ouzel/example/replies")
            .set_correlation_data(vec![i as u8]);
        requester
            .publish_with_properties(
                "ouzel/example/requests",
                *word,
                QoS::AtLeastOnce,
                false,
                &props,
            )?
            .wait()?;
        let reply = requester.recv_timeout(Duration::from_secs(10))?;
        println!(
            "{word} -> {} (correlation {:?})",
            reply.payload_str().unwrap_or("?"),
            reply.properties().correlation_data()
        );
    }
    requester.disconnect()?;
    responder.disconnect()?;
    worker.join().expect("the responder thread")?;
    println!("done");
    Ok(())
}
