//! No runtime required: the same client under a plain `block_on`, and under tokio with its
//! reactor driving the event queue (`tokio` feature).

use crate::fixture::{topic, Broker};
use futures::StreamExt;
use ouzel::{Client, Options, Protocol, QoS};

#[test]
fn works_under_a_minimal_executor_without_any_runtime() {
    let broker = Broker::plain();
    let t = topic("no-runtime");
    futures::executor::block_on(async {
        let c = Client::new(Options::new(broker.uri()).protocol(Protocol::V5).client_id("plain"))
            .unwrap();
        c.connect().await.unwrap();
        c.subscribe(&t, QoS::AtLeastOnce).await.unwrap();
        let mut messages = c.messages();
        for i in 0..10 {
            c.publish(&t, format!("{i}"), QoS::AtLeastOnce, false).unwrap().await.unwrap();
        }
        for i in 0..10 {
            assert_eq!(messages.next().await.unwrap().payload_str(), Some(i.to_string().as_str()));
        }
        c.unsubscribe(&t).await.unwrap();
        c.disconnect().await.unwrap();
        assert!(messages.next().await.is_none(), "the stream ends after disconnect");
    });
}

#[cfg(feature = "tokio")]
#[test]
fn the_tokio_reactor_drives_a_client_made_with_new_tokio() {
    let broker = Broker::plain();
    let t = topic("tokio");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let c = Client::new_tokio(Options::new(broker.uri()).client_id("tokio")).unwrap();
        c.connect().await.unwrap();
        c.subscribe(&t, QoS::ExactlyOnce).await.unwrap();
        let mut messages = c.messages();
        let futures: Vec<_> = (0..300)
            .map(|i| c.publish(&t, format!("{i}"), QoS::ExactlyOnce, false).unwrap())
            .collect();
        for f in futures {
            f.await.unwrap();
        }
        for i in 0..300 {
            let m =
                tokio::time::timeout(crate::fixture::WAIT, messages.next()).await.unwrap().unwrap();
            assert_eq!(m.payload_str(), Some(i.to_string().as_str()));
        }
        c.disconnect().await.unwrap();
    });
}

#[cfg(feature = "tokio")]
#[test]
fn new_tokio_outside_a_runtime_is_an_error_not_a_panic() {
    let e = Client::new_tokio(Options::new("mqtt://127.0.0.1:1")).unwrap_err();
    assert_eq!(e.kind(), ouzel::ErrorKind::InvalidArgument, "{e}");
}
