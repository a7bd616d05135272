//! TLS with client certificates (and a refused CA), the verification callback, WebSocket.

use crate::fixture::{certs, topic, Broker, BrokerConfig, WAIT};
use ouzel::blocking::Client;
use ouzel::{ErrorKind, Options, QoS};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn tls_broker() -> Broker {
    Broker::start(BrokerConfig { tls: true, ..Default::default() })
}

fn tls_options(broker: &Broker, id: &str) -> Options {
    let c = certs();
    Options::new(broker.tls_uri())
        .client_id(id)
        .tls_ca_file(&c.ca)
        .tls_client_cert(&c.client_cert, Some(&c.client_key))
        .reconnect(false)
}

#[test]
fn tls_with_a_client_certificate_carries_messages() {
    let broker = tls_broker();
    let t = topic("tls");
    let c = Client::new(tls_options(&broker, "tls-client")).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::ExactlyOnce).unwrap();
    c.publish(&t, "over tls", QoS::ExactlyOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    assert_eq!(c.recv_timeout(WAIT).unwrap().payload(), b"over tls");
}

#[test]
fn a_server_signed_by_another_ca_is_refused_with_a_tls_error_naming_the_cause() {
    let broker = tls_broker();
    let c = certs();
    let client = Client::new(
        Options::new(broker.tls_uri())
            .tls_ca_file(&c.other_ca)
            .tls_client_cert(&c.client_cert, Some(&c.client_key))
            .reconnect(false),
    )
    .unwrap();
    let e = client.connect().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(e.message().to_lowercase().contains("certificate"), "the cause is named: {e}");
}

#[test]
fn the_verification_callback_sees_the_chain_and_decides() {
    let broker = tls_broker();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    let accepting = Client::new(tls_options(&broker, "verify-yes").tls_verify(move |info| {
        seen.fetch_add(1, Ordering::SeqCst);
        info.preverified && !info.chain.is_empty() && info.host == "127.0.0.1"
    }))
    .unwrap();
    accepting.connect().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let refusing = Client::new(tls_options(&broker, "verify-no").tls_verify(|_| false)).unwrap();
    assert_eq!(refusing.connect().unwrap_err().kind(), ErrorKind::Tls);
}

#[test]
fn a_panicking_verification_callback_rejects_the_server_and_does_not_unwind_into_c() {
    let broker = tls_broker();
    let c =
        Client::new(tls_options(&broker, "verify-panic").tls_verify(|_| panic!("boom"))).unwrap();
    let e = c.connect().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
}

#[test]
fn websocket_carries_messages() {
    let broker = Broker::start(BrokerConfig { websockets: true, ..Default::default() });
    let t = topic("ws");
    let c = Client::new(Options::new(broker.ws_uri()).client_id("ws-client")).unwrap();
    c.connect().unwrap();
    c.subscribe(&t, QoS::AtLeastOnce).unwrap();
    for i in 0..20 {
        c.publish(&t, format!("ws {i}"), QoS::AtLeastOnce, false).unwrap();
    }
    for i in 0..20 {
        assert_eq!(c.recv_timeout(WAIT).unwrap().payload_str(), Some(format!("ws {i}").as_str()));
    }
}
