//! Many publishers at once (threads and tasks), and a consumer that publishes and awaits from
//! where it receives.

use crate::fixture::{topic, Broker, BrokerConfig, WAIT};
use futures::StreamExt;
use ouzel::{Client, Options, QoS};
use std::collections::HashSet;
use std::time::Duration;

fn connected(broker: &Broker, id: &str) -> Client {
    let c = Client::new(Options::new(broker.uri()).client_id(id)).unwrap();
    futures::executor::block_on(c.connect()).unwrap();
    c
}

#[test]
fn four_threads_publishing_1000_qos1_each_are_all_acknowledged_and_received() {
    // Mosquitto drops QoS 1 messages for a subscriber once 1,000 wait for it (its default
    // max_queued_messages); four publishers can outrun one subscriber for a moment.
    let broker = Broker::start(BrokerConfig {
        extra: vec!["max_queued_messages 0".into()],
        ..Default::default()
    });
    let t = topic("threads");
    let sub =
        ouzel::blocking::Client::new(Options::new(broker.uri()).client_id("threads-sub")).unwrap();
    sub.connect().unwrap();
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let publisher = connected(&broker, "threads-pub");
    let mut distinct = HashSet::new();
    let received = crate::fixture::collect(&sub, move |got| {
        if let Some(m) = got.last() {
            distinct.insert(m.payload().to_vec());
        }
        distinct.len() == 4000
    });
    let threads: Vec<_> = (0..4)
        .map(|th| {
            let (c, t) = (publisher.clone(), t.clone());
            std::thread::spawn(move || {
                let futures: Vec<_> = (0..1000)
                    .map(|i| c.publish(&t, format!("{th}:{i}"), QoS::AtLeastOnce, false).unwrap())
                    .collect();
                for mut f in futures {
                    f.wait_timeout(WAIT).unwrap();
                }
            })
        })
        .collect();
    for th in threads {
        th.join().unwrap();
    }
    received.join().unwrap().unwrap();
}

#[test]
fn tasks_on_a_multi_threaded_runtime_publish_and_await_concurrently() {
    let broker = Broker::plain();
    let t = topic("tasks");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = Client::new(Options::new(broker.uri()).client_id("tasks")).unwrap();
        c.connect().await.unwrap();
        c.subscribe(&t, QoS::ExactlyOnce).await.unwrap();
        let mut messages = c.messages();
        let tasks: Vec<_> = (0..4)
            .map(|task| {
                let (c, t) = (c.clone(), t.clone());
                tokio::spawn(async move {
                    for i in 0..250 {
                        c.publish(&t, format!("{task}:{i}"), QoS::ExactlyOnce, false)
                            .unwrap()
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let mut seen = HashSet::new();
        while seen.len() < 1000 {
            let m = tokio::time::timeout(WAIT, messages.next())
                .await
                .expect("a message in time")
                .unwrap();
            assert!(seen.insert(m.payload_str().unwrap().to_string()), "QoS 2 arrived twice");
        }
    });
}

#[test]
fn a_consumer_that_publishes_and_awaits_each_reply_keeps_going() {
    let broker = Broker::plain();
    let (requests, echoes) = (topic("echo-in"), topic("echo-out"));
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    rt.block_on(async {
        let echo = Client::new(Options::new(broker.uri()).client_id("echoer")).unwrap();
        echo.connect().await.unwrap();
        echo.subscribe(&requests, QoS::AtLeastOnce).await.unwrap();
        let watcher = Client::new(Options::new(broker.uri()).client_id("watcher")).unwrap();
        watcher.connect().await.unwrap();
        watcher.subscribe(&echoes, QoS::AtLeastOnce).await.unwrap();
        let mut replies = watcher.messages();

        let handler = {
            let (echo, echoes) = (echo.clone(), echoes.clone());
            tokio::spawn(async move {
                let mut inbox = echo.messages();
                for _ in 0..200 {
                    let m = inbox.next().await.unwrap();
                    // Awaiting our own publish inside the handler: the acknowledgement is read
                    // by the client's thread, not by this task.
                    echo.publish(&echoes, m.payload(), QoS::AtLeastOnce, false)
                        .unwrap()
                        .await
                        .unwrap();
                }
            })
        };
        let sender = Client::new(Options::new(broker.uri()).client_id("sender")).unwrap();
        sender.connect().await.unwrap();
        for i in 0..200 {
            sender.publish(&requests, format!("{i}"), QoS::AtLeastOnce, false).unwrap();
        }
        for i in 0..200 {
            let m =
                tokio::time::timeout(WAIT, replies.next()).await.expect("an echo in time").unwrap();
            assert_eq!(m.payload_str(), Some(i.to_string().as_str()));
        }
        tokio::time::timeout(Duration::from_secs(5), handler).await.unwrap().unwrap();
    });
}
