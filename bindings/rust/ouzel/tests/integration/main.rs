//! The `ouzel` crate against real Mosquitto brokers started by the tests (see `fixture`).

mod fixture;

mod backpressure;
mod blocking;
mod concurrency;
mod errors;
mod examples;
mod executors;
mod lifecycle;
mod persistence;
mod properties;
mod pubsub;
mod reconnect;
mod transports;
