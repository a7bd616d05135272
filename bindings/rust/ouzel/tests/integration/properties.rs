//! MQTT 5: properties round trip, request/response, a server-assigned client id, topic aliases,
//! subscription identifiers.

use crate::fixture::{topic, Broker, WAIT};
use ouzel::blocking::Client;
use ouzel::{Options, Properties, Property, PropertyId, Protocol, QoS, Subscription};

fn v5(broker: &Broker, id: &str) -> Client {
    let c = Client::new(Options::new(broker.uri()).protocol(Protocol::V5).client_id(id)).unwrap();
    c.connect().unwrap();
    c
}

#[test]
fn user_properties_keep_their_order_and_repeated_names() {
    let broker = Broker::plain();
    let t = topic("props");
    let sub = v5(&broker, "props-sub");
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let mut props = Properties::new();
    props
        .add_user("b", "1")
        .add_user("a", "2")
        .add_user("b", "3")
        .set_content_type("text/plain")
        .set_payload_format_indicator(1)
        .set_message_expiry_interval(3600);
    let publisher = v5(&broker, "props-pub");
    publisher
        .publish_with_properties(&t, "x", QoS::AtLeastOnce, false, &props)
        .unwrap()
        .wait_timeout(WAIT)
        .unwrap();
    let msg = sub.recv_timeout(WAIT).unwrap();
    let users: Vec<_> = msg.properties().user_properties().collect();
    assert_eq!(users, vec![("b", "1"), ("a", "2"), ("b", "3")]);
    assert_eq!(msg.properties().content_type(), Some("text/plain"));
    assert_eq!(msg.properties().payload_format_indicator(), Some(1));
    assert!(msg.properties().message_expiry_interval().is_some_and(|s| s <= 3600));
}

#[test]
fn request_and_response_carry_the_response_topic_and_correlation_data() {
    let broker = Broker::plain();
    let (requests, replies) = (topic("requests"), topic("replies"));
    let responder = v5(&broker, "responder");
    responder.subscribe(&requests, QoS::AtLeastOnce).unwrap();
    let requester = v5(&broker, "requester");
    requester.subscribe(&replies, QoS::AtLeastOnce).unwrap();

    let correlation = vec![0u8, 7, 0, 255];
    let mut props = Properties::new();
    props.set_response_topic(replies.clone()).set_correlation_data(correlation.clone());
    requester.publish_with_properties(&requests, "2+2", QoS::AtLeastOnce, false, &props).unwrap();

    let request = responder.recv_timeout(WAIT).unwrap();
    let reply_to = request.properties().response_topic().unwrap().to_string();
    let mut reply_props = Properties::new();
    reply_props.set_correlation_data(request.properties().correlation_data().unwrap().to_vec());
    responder
        .publish_with_properties(&reply_to, "4", QoS::AtLeastOnce, false, &reply_props)
        .unwrap()
        .wait_timeout(WAIT)
        .unwrap();

    let reply = requester.recv_timeout(WAIT).unwrap();
    assert_eq!(reply.topic(), replies);
    assert_eq!(reply.payload(), b"4");
    assert_eq!(reply.properties().correlation_data(), Some(&correlation[..]));
}

#[test]
fn an_empty_client_id_gets_the_servers_assigned_id() {
    let broker = Broker::plain();
    let c = Client::new(Options::new(broker.uri()).protocol(Protocol::V5).client_id("")).unwrap();
    let ack = c.connect().unwrap();
    let id = ack.properties.assigned_client_identifier().expect("an assigned client identifier");
    assert!(!id.is_empty());
}

#[test]
fn with_automatic_topic_aliases_a_hundred_messages_arrive_intact() {
    let broker = Broker::plain();
    let t = topic("alias");
    let sub = v5(&broker, "alias-sub");
    sub.subscribe(&t, QoS::AtLeastOnce).unwrap();
    let mut connect = Properties::new();
    connect.set_int(PropertyId::TOPIC_ALIAS_MAXIMUM, 10);
    let publisher = Client::new(
        Options::new(broker.uri())
            .protocol(Protocol::V5)
            .client_id("alias-pub")
            .auto_topic_alias(true)
            .connect_properties(&connect),
    )
    .unwrap();
    publisher.connect().unwrap();
    let futures: Vec<_> = (0..100)
        .map(|i| publisher.publish(&t, format!("m{i}"), QoS::AtLeastOnce, false).unwrap())
        .collect();
    for mut f in futures {
        f.wait_timeout(WAIT).unwrap();
    }
    for i in 0..100 {
        let m = sub.recv_timeout(WAIT).unwrap();
        assert_eq!(m.topic(), t);
        assert_eq!(m.payload_str(), Some(format!("m{i}").as_str()));
    }
}

#[test]
fn subscription_identifiers_come_back_with_the_messages_they_matched() {
    let broker = Broker::plain();
    let t = topic("subid");
    let sub = v5(&broker, "subid");
    let mut props = Properties::new();
    props.push(Property::Int(PropertyId::SUBSCRIPTION_IDENTIFIER, 42));
    let ack = sub.subscribe_many(&[Subscription::new(&t, QoS::AtLeastOnce)], Some(&props)).unwrap();
    assert_eq!(ack.granted(), vec![Some(QoS::AtLeastOnce)]);
    let publisher = v5(&broker, "subid-pub");
    publisher.publish(&t, "x", QoS::AtLeastOnce, false).unwrap().wait_timeout(WAIT).unwrap();
    let m = sub.recv_timeout(WAIT).unwrap();
    assert_eq!(m.properties().subscription_identifiers().collect::<Vec<_>>(), vec![42]);
}
