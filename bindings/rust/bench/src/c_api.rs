//! The C API as a C program uses it, through ouzel-sys: callbacks on the library's thread
//! (`on_publish` counts completions, `on_message` counts arrivals), `ouzel_client_loop_start`.

use crate::cpu::{Measured, Span};
use crate::Config;
use ouzel_sys as sys;
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Counters {
    published: AtomicU64,
    failed: AtomicU64,
    received: AtomicU64,
    connected: AtomicU64,
    lock: Mutex<()>,
    cv: Condvar,
}

impl Counters {
    fn bump(&self, c: &AtomicU64) {
        c.fetch_add(1, Ordering::SeqCst);
        let _g = self.lock.lock().unwrap();
        self.cv.notify_all();
    }

    fn wait_for(&self, c: &AtomicU64, n: u64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut g = self.lock.lock().unwrap();
        while c.load(Ordering::SeqCst) < n {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            g = self.cv.wait_timeout(g, deadline - now).unwrap().0;
        }
        true
    }
}

unsafe extern "C" fn on_connect(_: *mut sys::ouzel_client, _: i32, _: i32, _: *const sys::ouzel_properties, ud: *mut c_void) {
    let c = &*(ud as *const Counters);
    c.bump(&c.connected);
}

unsafe extern "C" fn on_publish(
    _: *mut sys::ouzel_client,
    _: u64,
    st: *const sys::ouzel_delivery_status,
    _: *const sys::ouzel_properties,
    ud: *mut c_void,
) {
    let c = &*(ud as *const Counters);
    if (*st).state != sys::OUZEL_DELIVERY_ACKNOWLEDGED {
        c.failed.fetch_add(1, Ordering::SeqCst);
    }
    c.bump(&c.published);
}

unsafe extern "C" fn on_message(_: *mut sys::ouzel_client, _: *const sys::ouzel_message, ud: *mut c_void) {
    let c = &*(ud as *const Counters);
    c.bump(&c.received);
}

fn check(rc: i32, what: &str) {
    assert_eq!(rc, sys::OUZEL_OK, "{what} failed: {rc}");
}

struct Client {
    raw: *mut sys::ouzel_client,
    counters: Box<Counters>,
}

impl Client {
    fn connect(cfg: &Config, id: &str) -> Client {
        let counters = Box::<Counters>::default();
        let ud = &*counters as *const Counters as *mut c_void;
        // SAFETY: plain C API use; every string is passed with its length; the counters outlive
        // the client (freed in Drop after ouzel_client_free).
        unsafe {
            let mut o = std::ptr::null_mut();
            check(sys::ouzel_options_new(&mut o), "options_new");
            check(sys::ouzel_options_set_string(o, sys::OUZEL_OPT_SERVER_URI, cfg.uri.as_ptr().cast(), cfg.uri.len()), "uri");
            check(sys::ouzel_options_set_string(o, sys::OUZEL_OPT_CLIENT_ID, id.as_ptr().cast(), id.len()), "id");
            check(sys::ouzel_options_set_int(o, sys::OUZEL_OPT_MAX_INFLIGHT, cfg.inflight.into()), "inflight");
            let mut raw = std::ptr::null_mut();
            check(sys::ouzel_client_new(&mut raw, o), "client_new");
            sys::ouzel_options_free(o);
            check(sys::ouzel_client_set_on_connect(raw, Some(on_connect), ud, None), "on_connect");
            check(sys::ouzel_client_set_on_publish(raw, Some(on_publish), ud, None), "on_publish");
            check(sys::ouzel_client_set_on_message(raw, Some(on_message), ud, None), "on_message");
            check(sys::ouzel_client_connect(raw), "connect");
            check(sys::ouzel_client_loop_start(raw), "loop_start");
            let c = Client { raw, counters };
            assert!(c.counters.wait_for(&c.counters.connected, 1, Duration::from_secs(10)), "C API: no CONNACK");
            c
        }
    }

    fn publish(&self, topic: &str, payload: &[u8], qos: i32) {
        // SAFETY: a live client; inputs are copied.
        let rc = unsafe {
            sys::ouzel_client_publish(
                self.raw,
                topic.as_ptr().cast(),
                topic.len(),
                payload.as_ptr().cast(),
                payload.len(),
                qos,
                0,
                std::ptr::null(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        check(rc, "publish");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: nothing else uses the client; the callbacks' counters outlive the free.
        unsafe {
            sys::ouzel_client_disconnect(self.raw, 0, std::ptr::null());
            sys::ouzel_client_free(self.raw);
        }
    }
}

pub fn publish_run(cfg: &Config, qos: u8) -> Measured {
    let c = Client::connect(cfg, "bench-c-api");
    let payload = vec![b'x'; cfg.payload];
    let span = Span::start();
    for _ in 0..cfg.count(qos) {
        c.publish(&cfg.topic, &payload, qos.into());
    }
    let n = cfg.count(qos) as u64;
    assert!(c.counters.wait_for(&c.counters.published, n, cfg.timeout), "C API: publishes did not complete");
    let m = span.end();
    assert_eq!(c.counters.failed.load(Ordering::SeqCst), 0, "C API: undelivered messages");
    m
}

pub fn round_trips(cfg: &Config) -> Vec<Duration> {
    let c = Client::connect(cfg, "bench-c-api-rtt");
    let topic = format!("{}/rtt", cfg.topic);
    let mut mid = 0;
    // SAFETY: a live client; the filter is copied.
    unsafe {
        let mut sub: sys::ouzel_subscription = std::mem::zeroed();
        check(sys::ouzel_subscription_init(&mut sub, sys::OUZEL_SUBSCRIPTION_VERSION), "sub init");
        sub.filter = topic.as_ptr().cast();
        sub.filter_len = topic.len();
        sub.qos = 1;
        check(sys::ouzel_client_subscribe(c.raw, &sub, 1, std::ptr::null(), &mut mid), "subscribe");
    }
    std::thread::sleep(Duration::from_millis(200)); // SUBACK
    let payload = vec![b'x'; cfg.payload];
    (0..cfg.round_trips)
        .map(|i| {
            let start = Instant::now();
            c.publish(&topic, &payload, 1);
            assert!(c.counters.wait_for(&c.counters.received, i as u64 + 1, cfg.timeout), "C API: no echo");
            start.elapsed()
        })
        .collect()
}
