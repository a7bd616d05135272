//! The scenario suite's 22 scenarios (tests/scenarios/scenarios.json) through the `ouzel` crate,
//! written as its users would write them. Each test reports its own result line.

use ouzel::blocking::{Client, RecvTimeoutError};
use ouzel::{ErrorKind, Event, Options, Properties, Protocol, QoS};
use ouzel_scenarios::{collect, env, scenario, topic, uri, wait};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn plain(id: &str) -> Options {
    Options::new(uri("OUZEL_SCEN_PORT")).client_id(id)
}

fn connected(options: Options) -> Client {
    let c = Client::new(options).expect("client");
    c.connect().expect("connect");
    c
}

/// Starts `scenario_child` and waits for its "ready" line.
fn child(args: &[&str]) -> std::process::Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scenario_child"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("scenario_child starts");
    let mut line = String::new();
    BufReader::new(c.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "the child did not get ready");
    c
}

#[test]
fn s01_connect_mqtt311_clean_disconnect() {
    scenario("S01", || {
        let c = Client::new(plain("scen-rust-s01").protocol(Protocol::V311)).unwrap();
        let mut events = c.events();
        c.connect().unwrap();
        assert!(c.is_connected());
        c.disconnect().unwrap();
        assert!(!c.is_connected());
        assert!(matches!(
            events.next_timeout(wait()),
            Some(Event::Connected(_))
        ));
        assert!(
            matches!(events.next_timeout(wait()), Some(Event::Disconnected(d)) if d.error.is_none())
        );
        c.as_async().close();
        // After close the event stream ends: no event follows.
        assert!(
            events.next_timeout(wait()).is_none(),
            "an event after close"
        );
    });
}

#[test]
fn s02_mqtt5_empty_client_id_is_assigned() {
    scenario("S02", || {
        let c = Client::new(plain("").protocol(Protocol::V5)).unwrap();
        let ack = c.connect().unwrap();
        let id = ack
            .properties
            .assigned_client_identifier()
            .expect("an Assigned Client Identifier");
        assert!(!id.is_empty());
    });
}

#[test]
fn s03_publish_subscribe_every_qos() {
    scenario("S03", || {
        let sub = connected(plain("scen-rust-s03-sub"));
        let publisher = connected(plain("scen-rust-s03-pub"));
        for qos in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce] {
            let t = topic("S03", &format!("{}", qos as u8));
            sub.subscribe(&t, qos).unwrap();
            let payloads: Vec<Vec<u8>> = (0..100u32)
                .map(|i| {
                    if i == 0 {
                        Vec::new()
                    } else {
                        vec![0, (i % 256) as u8, 0, 7]
                    }
                })
                .collect();
            let acks: Vec<_> = payloads
                .iter()
                .map(|p| publisher.publish(&t, p, qos, false).unwrap())
                .collect();
            for mut a in acks {
                a.wait_timeout(wait()).unwrap();
            }
            for (i, p) in payloads.iter().enumerate() {
                let m = sub
                    .recv_timeout(wait())
                    .unwrap_or_else(|e| panic!("QoS {qos:?} message {i}: {e}"));
                assert_eq!(
                    (m.payload(), m.qos()),
                    (&p[..], qos),
                    "QoS {qos:?} message {i}"
                );
            }
        }
    });
}

#[test]
fn s04_retained_message() {
    scenario("S04", || {
        let t = topic("S04", "r");
        let publisher = connected(plain("scen-rust-s04-pub"));
        publisher
            .publish(&t, "retained", QoS::AtLeastOnce, true)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let late = connected(plain("scen-rust-s04-late"));
        late.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let m = late.recv_timeout(wait()).unwrap();
        assert!(m.retain() && m.payload() == b"retained");
        publisher
            .publish(&t, "", QoS::AtLeastOnce, true)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let later = connected(plain("scen-rust-s04-later"));
        later.subscribe(&t, QoS::AtLeastOnce).unwrap();
        publisher
            .publish(&t, "live", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let m = later.recv_timeout(wait()).unwrap();
        assert_eq!(
            m.payload(),
            b"live",
            "the cleared retained message was still delivered"
        );
    });
}

#[test]
fn s05_will_on_abrupt_loss() {
    scenario("S05", || {
        let t = topic("S05", "will");
        let watcher = connected(plain("scen-rust-s05-watcher"));
        watcher.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let mut c = child(&["will", &uri("OUZEL_SCEN_PORT"), &t]);
        c.kill().unwrap();
        c.wait().unwrap();
        let will = watcher.recv_timeout(wait()).unwrap();
        assert_eq!(will.payload(), b"child lost");
    });
}

#[test]
fn s06_unsubscribe() {
    scenario("S06", || {
        let (t, marker) = (topic("S06", "t"), topic("S06", "marker"));
        let c = connected(plain("scen-rust-s06"));
        c.subscribe(&t, QoS::AtLeastOnce).unwrap();
        c.subscribe(&marker, QoS::AtLeastOnce).unwrap();
        c.unsubscribe(&t).unwrap();
        let publisher = connected(plain("scen-rust-s06-pub"));
        publisher
            .publish(&t, "after", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        publisher
            .publish(&marker, "end", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        assert_eq!(c.recv_timeout(wait()).unwrap().topic(), marker);
    });
}

#[test]
fn s07_publish_while_offline() {
    scenario("S07", || {
        let t = topic("S07", "offline");
        let sub = connected(plain("scen-rust-s07-sub"));
        sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let publisher = Client::new(plain("scen-rust-s07-pub")).unwrap();
        let acks: Vec<_> = (0..10)
            .map(|i| {
                publisher
                    .publish(&t, format!("{i}"), QoS::AtLeastOnce, false)
                    .unwrap()
            })
            .collect();
        publisher.connect().unwrap();
        for mut a in acks {
            a.wait_timeout(wait()).unwrap();
        }
        for i in 0..10 {
            assert_eq!(
                sub.recv_timeout(wait()).unwrap().payload_str(),
                Some(i.to_string().as_str())
            );
        }
    });
}

#[test]
fn s08_broker_restart_mid_stream() {
    scenario("S08", || {
        let (t1, t2) = (topic("S08", "q1"), topic("S08", "q2"));
        let options = |id: &str| {
            Options::new(uri("OUZEL_SCEN_RESTART_PORT"))
                .client_id(id)
                .clean_start(false)
                .reconnect_delay(Duration::from_millis(100), Duration::from_millis(500))
        };
        let sub = connected(options("scen-rust-s08-sub"));
        sub.subscribe(&t1, QoS::AtLeastOnce).unwrap();
        sub.subscribe(&t2, QoS::ExactlyOnce).unwrap();
        let publisher = connected(options("scen-rust-s08-pub"));
        // Received while publishing: the broker holds only so much for a subscriber that waits.
        let (k2, mut distinct) = (t2.clone(), HashSet::new());
        let received = collect(&sub, move |got| {
            if let Some(m) = got.last() {
                distinct.insert((m.topic() == k2, m.payload().to_vec()));
            }
            distinct.len() == 2000
        });
        let mut acks = Vec::new();
        for i in 0..1000 {
            acks.push(
                publisher
                    .publish(&t1, format!("{i}"), QoS::AtLeastOnce, false)
                    .unwrap(),
            );
            acks.push(
                publisher
                    .publish(&t2, format!("{i}"), QoS::ExactlyOnce, false)
                    .unwrap(),
            );
            if i == 400 {
                let ctl = Command::new(env("OUZEL_SCEN_BROKER_CTL"))
                    .arg("restart")
                    .status()
                    .unwrap();
                assert!(ctl.success(), "broker-ctl restart failed");
            }
        }
        for mut a in acks {
            a.wait_timeout(wait()).unwrap();
        }
        let got = received.join().unwrap().unwrap_or_else(|e| panic!("{e}"));
        let mut seen: HashMap<(bool, Vec<u8>), usize> = HashMap::new();
        for m in &got {
            *seen
                .entry((m.topic() == t2, m.payload().to_vec()))
                .or_default() += 1;
        }
        let twice = seen.iter().filter(|((q2, _), n)| *q2 && **n > 1).count();
        assert_eq!(twice, 0, "QoS 2 messages delivered twice");
    });
}

#[test]
fn s09_tls_with_a_client_certificate() {
    scenario("S09", || {
        let tls = format!(
            "mqtts://{}:{}",
            env("OUZEL_SCEN_HOST"),
            env("OUZEL_SCEN_TLS_PORT")
        );
        let options = |ca: String| {
            Options::new(&tls)
                .client_id("scen-rust-s09")
                .tls_ca_file(ca)
                .tls_client_cert(
                    env("OUZEL_SCEN_CLIENT_CERT"),
                    Some(env("OUZEL_SCEN_CLIENT_KEY").as_ref()),
                )
                .reconnect(false)
        };
        let good = Client::new(options(env("OUZEL_SCEN_CA"))).unwrap();
        good.connect().unwrap();
        good.disconnect().unwrap();
        let bad = Client::new(options(env("OUZEL_SCEN_OTHER_CA"))).unwrap();
        let e = bad.connect().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
        assert!(
            e.message().contains("certificate"),
            "the cause is not named: {e}"
        );
    });
}

#[test]
fn s10_websocket() {
    scenario("S10", || {
        let ws = format!(
            "ws://{}:{}/mqtt",
            env("OUZEL_SCEN_HOST"),
            env("OUZEL_SCEN_WS_PORT")
        );
        let t = topic("S10", "ws");
        let c = connected(Options::new(ws).client_id("scen-rust-s10"));
        c.subscribe(&t, QoS::AtLeastOnce).unwrap();
        c.publish(&t, "over websocket", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        assert_eq!(c.recv_timeout(wait()).unwrap().payload(), b"over websocket");
    });
}

#[test]
fn s11_manual_acknowledgement() {
    scenario("S11", || {
        let t = topic("S11", "manual");
        let options = || plain("scen-rust-s11").clean_start(false).manual_ack(true);
        let c = connected(options());
        c.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let publisher = connected(plain("scen-rust-s11-pub"));
        publisher
            .publish(&t, "ack me later", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let first = c.recv_timeout(wait()).unwrap();
        assert_eq!(first.payload(), b"ack me later");
        drop(c); // not acknowledged
        let again = connected(options());
        let m = again.recv_timeout(wait()).unwrap();
        assert_eq!(m.payload(), b"ack me later");
        again.ack(&m).unwrap();
        again.disconnect().unwrap();
    });
}

#[test]
fn s12_mqtt5_user_properties() {
    scenario("S12", || {
        let t = topic("S12", "props");
        let c = connected(plain("scen-rust-s12").protocol(Protocol::V5));
        c.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let mut props = Properties::new();
        props
            .add_user("k", "1")
            .add_user("other", "x")
            .add_user("k", "2");
        c.publish_with_properties(&t, "p", QoS::AtLeastOnce, false, &props)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let m = c.recv_timeout(wait()).unwrap();
        let users: Vec<_> = m.properties().user_properties().collect();
        assert_eq!(users, vec![("k", "1"), ("other", "x"), ("k", "2")]);
    });
}

#[test]
fn s13_request_response() {
    scenario("S13", || {
        let (requests, replies) = (topic("S13", "req"), topic("S13", "reply"));
        let responder = connected(plain("scen-rust-s13-resp").protocol(Protocol::V5));
        responder.subscribe(&requests, QoS::AtLeastOnce).unwrap();
        let requester = connected(plain("scen-rust-s13-req").protocol(Protocol::V5));
        requester.subscribe(&replies, QoS::AtLeastOnce).unwrap();
        let mut props = Properties::new();
        props
            .set_response_topic(replies.clone())
            .set_correlation_data(vec![1, 0, 2]);
        requester
            .publish_with_properties(&requests, "question", QoS::AtLeastOnce, false, &props)
            .unwrap();
        let q = responder.recv_timeout(wait()).unwrap();
        let mut answer = Properties::new();
        answer.set_correlation_data(q.properties().correlation_data().unwrap().to_vec());
        responder
            .publish_with_properties(
                q.properties().response_topic().unwrap(),
                "answer",
                QoS::AtLeastOnce,
                false,
                &answer,
            )
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let a = requester.recv_timeout(wait()).unwrap();
        assert_eq!(
            (a.payload(), a.properties().correlation_data()),
            (&b"answer"[..], Some(&[1u8, 0, 2][..]))
        );
    });
}

#[test]
fn s14_automatic_topic_alias() {
    scenario("S14", || {
        let t = topic("S14", "alias");
        let sub = connected(plain("scen-rust-s14-sub").protocol(Protocol::V5));
        sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let publisher = connected(
            plain("scen-rust-s14-pub")
                .protocol(Protocol::V5)
                .auto_topic_alias(true),
        );
        for i in 0..100 {
            publisher
                .publish(&t, format!("{i}"), QoS::AtLeastOnce, false)
                .unwrap();
        }
        for i in 0..100 {
            let m = sub.recv_timeout(wait()).unwrap();
            assert_eq!(
                (m.topic(), m.payload_str()),
                (t.as_str(), Some(i.to_string().as_str()))
            );
        }
    });
}

#[test]
fn s15_invalid_topic() {
    scenario("S15", || {
        let c = connected(plain("scen-rust-s15"));
        let before = c.as_async().stats().messages_sent;
        let e = c
            .publish("a/+/b", "x", QoS::AtLeastOnce, false)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert_eq!(
            c.as_async().stats().messages_sent,
            before,
            "something was sent"
        );
    });
}

#[test]
fn s16_message_too_large() {
    scenario("S16", || {
        let size: usize = env("OUZEL_SCEN_MAX_PACKET_SIZE").parse().unwrap();
        let c = connected(
            Options::new(uri("OUZEL_SCEN_LIMIT_PORT"))
                .client_id("scen-rust-s16")
                .protocol(Protocol::V5),
        );
        let e = c
            .publish(
                &topic("S16", "big"),
                vec![0u8; size + 1],
                QoS::AtLeastOnce,
                false,
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    });
}

#[test]
fn s17_use_after_close() {
    scenario("S17", || {
        let c = connected(plain("scen-rust-s17"));
        c.as_async().close();
        let e = c
            .publish(&topic("S17", "x"), "x", QoS::AtLeastOnce, false)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Closed, "{e}");
        assert_eq!(c.recv_timeout(wait()).unwrap_err(), RecvTimeoutError::Ended);
    });
}

#[test]
fn s18_bad_credentials() {
    scenario("S18", || {
        let c = Client::new(
            Options::new(uri("OUZEL_SCEN_AUTH_PORT"))
                .client_id("scen-rust-s18")
                .protocol(Protocol::V5)
                .credentials(
                    env("OUZEL_SCEN_AUTH_USER"),
                    env("OUZEL_SCEN_AUTH_PASSWORD") + "-wrong",
                )
                .reconnect(false),
        )
        .unwrap();
        let e = c.connect().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
        let rc = e.reason_code().expect("the CONNACK reason code");
        assert!(!rc.is_success(), "{e}");
    });
}

#[test]
fn s19_concurrent_publishers() {
    scenario("S19", || {
        let t = topic("S19", "many");
        let sub = connected(plain("scen-rust-s19-sub"));
        sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let publisher = connected(plain("scen-rust-s19-pub"));
        let mut distinct = HashSet::new();
        let received = collect(&sub, move |got| {
            if let Some(m) = got.last() {
                distinct.insert(m.payload().to_vec());
            }
            distinct.len() == 4000
        });
        let threads: Vec<_> = (0..4)
            .map(|n| {
                let (p, t) = (publisher.clone(), t.clone());
                std::thread::spawn(move || {
                    let acks: Vec<_> = (0..1000)
                        .map(|i| {
                            p.publish(&t, format!("{n}/{i}"), QoS::AtLeastOnce, false)
                                .unwrap()
                        })
                        .collect();
                    acks.into_iter()
                        .for_each(|mut a| drop(a.wait_timeout(wait()).unwrap()));
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        received.join().unwrap().unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn s20_reentrant_echo() {
    scenario("S20", || {
        let (inbox, echoes) = (topic("S20", "in"), topic("S20", "out"));
        let echo = connected(plain("scen-rust-s20-echo"));
        echo.subscribe(&inbox, QoS::AtLeastOnce).unwrap();
        let handler = {
            let (echo, echoes) = (echo.clone(), echoes.clone());
            std::thread::spawn(move || {
                let request = echo.iter().next().expect("a request");
                // Publish from where the message is handled, and wait for the ack there.
                echo.publish(&echoes, request.payload(), QoS::AtLeastOnce, false)
                    .unwrap()
                    .wait_timeout(wait())
                    .unwrap();
            })
        };
        let c = connected(plain("scen-rust-s20"));
        c.subscribe(&echoes, QoS::AtLeastOnce).unwrap();
        c.publish(&inbox, "ping", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        assert_eq!(c.recv_timeout(wait()).unwrap().payload(), b"ping");
        let deadline = std::time::Instant::now() + wait();
        while !handler.is_finished() {
            assert!(
                std::time::Instant::now() < deadline,
                "the handler did not get its acknowledgement"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        handler.join().unwrap();
    });
}

#[test]
fn s21_durable_session() {
    scenario("S21", || {
        let t = topic("S21", "durable");
        let dir = format!("{}/rust-s21", env("OUZEL_SCEN_WORK"));
        let sub = connected(plain("scen-rust-s21-sub"));
        sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
        let nobody = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut first = child(&[
            "durable",
            &format!("mqtt://127.0.0.1:{nobody}"),
            &dir,
            &t,
            "20",
        ]);
        first.kill().unwrap();
        first.wait().unwrap();
        let successor = Client::new(
            plain("scen-rust-durable")
                .clean_start(false)
                .persistence_dir(&dir)
                .persistence_key("scen-rust-durable"),
        )
        .unwrap();
        assert_eq!(
            successor.as_async().persistence_report().unwrap().outgoing,
            20
        );
        successor.connect().unwrap();
        let mut got: Vec<u32> = (0..20)
            .map(|_| {
                sub.recv_timeout(wait())
                    .unwrap()
                    .payload_str()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        got.sort_unstable();
        got.dedup();
        assert_eq!(got, (0..20).collect::<Vec<_>>());
    });
}

#[test]
fn s22_shared_subscription() {
    scenario("S22", || {
        let t = topic("S22", "shared");
        let filter = format!("$share/g/{t}");
        let marker = topic("S22", "end");
        let members = [
            connected(plain("scen-rust-s22-a").protocol(Protocol::V5)),
            connected(plain("scen-rust-s22-b").protocol(Protocol::V5)),
        ];
        for m in &members {
            m.subscribe(&filter, QoS::AtLeastOnce).unwrap();
            m.subscribe(&marker, QoS::AtLeastOnce).unwrap();
        }
        let publisher = connected(plain("scen-rust-s22-pub"));
        for i in 0..50 {
            publisher
                .publish(&t, format!("{i}"), QoS::AtLeastOnce, false)
                .unwrap()
                .wait_timeout(wait())
                .unwrap();
        }
        publisher
            .publish(&marker, "end", QoS::AtLeastOnce, false)
            .unwrap()
            .wait_timeout(wait())
            .unwrap();
        let mut got = Vec::new();
        for m in &members {
            loop {
                let msg = m.recv_timeout(wait()).unwrap();
                if msg.topic() == marker {
                    break;
                }
                got.push(msg.payload_str().unwrap().parse::<u32>().unwrap());
            }
        }
        got.sort_unstable();
        assert_eq!(
            got,
            (0..50).collect::<Vec<_>>(),
            "each message to exactly one member"
        );
    });
}
