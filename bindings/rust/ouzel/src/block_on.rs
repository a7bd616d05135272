//! Runs a future to completion on the calling thread, parking it between wake-ups: what the
//! blocking API (`ouzel::blocking`, `DeliveryFuture::wait`) uses, so it needs no runtime.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` until it is ready or `timeout` passes (`None`: no limit). Spurious unparks
/// only cost a poll.
pub(crate) fn block_on_timeout<F: Future>(
    future: F,
    timeout: Option<Duration>,
) -> Option<F::Output> {
    let deadline = timeout.map(|t| Instant::now().checked_add(t).unwrap_or_else(far_future));
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return Some(v);
        }
        match deadline {
            None => thread::park(),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    return None;
                }
                thread::park_timeout(d - now);
            }
        }
    }
}

/// Polls `future` until it is ready.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    match block_on_timeout(future, None) {
        Some(v) => v,
        None => unreachable!("no deadline was set"),
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600)
}
