//! The event driver: drains the client's event queue in batches and dispatches them. By default
//! a thread of ours blocks in `ouzel_client_poll_events`; with the `tokio` feature,
//! `Client::new_tokio` drives it from the runtime's reactor through the queue's descriptor.
//!
//! When the client is closed (`Client::close`, or its last handle dropped) the driver stops
//! polling and frees the client itself (`Core::shutdown`, which joins the library's thread), so
//! no application thread or runtime worker ever blocks on it.

use crate::core::Core;
use crate::error::{Error, Result};
use ouzel_sys as sys;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// Events taken per poll: one wake-up delivers a burst of acknowledgements or messages at once.
pub(crate) const BATCH: usize = 256;

pub(crate) struct Buffers {
    pub(crate) batch: Vec<sys::ouzel_event>,
    pub(crate) release: Vec<sys::ouzel_event>,
}

// SAFETY: the events' pointers refer to library memory that stays valid until the events are
// released, and polling and releasing are thread-safe; the buffers move to the driver once and
// are used there only.
unsafe impl Send for Buffers {}

impl Buffers {
    pub(crate) fn new() -> Result<Buffers> {
        // SAFETY: ouzel_event is plain data (integers and raw pointers): all-zero is a valid value.
        let mut batch: Vec<sys::ouzel_event> = vec![unsafe { std::mem::zeroed() }; BATCH];
        // SAFETY: `batch` has at least one element.
        crate::error::check(unsafe {
            sys::ouzel_event_init(batch.as_mut_ptr(), sys::OUZEL_EVENT_VERSION)
        })?;
        Ok(Buffers { batch, release: Vec::with_capacity(BATCH) })
    }

    /// Polls once (waiting up to `timeout_ms`) and dispatches what came; the number of events, or
    /// the poll's error.
    pub(crate) fn poll_and_dispatch(
        &mut self,
        core: &Core,
        timeout_ms: i32,
    ) -> std::result::Result<usize, i32> {
        let raw = core.driver_raw().ok_or(sys::OUZEL_ECLOSED)?;
        // SAFETY: only the driver frees the client (`Core::shutdown`, after its last poll), so
        // `raw` is valid here without holding the lock through a blocking poll; `batch` holds
        // BATCH initialised events.
        let n = unsafe {
            sys::ouzel_client_poll_events(raw, self.batch.as_mut_ptr(), BATCH, timeout_ms)
        };
        if n < 0 {
            return Err(n);
        }
        let n = n as usize;
        if n > 0 {
            let (batch, release) = (&mut self.batch[..n], &mut self.release);
            if let Err(panic) =
                catch_unwind(AssertUnwindSafe(|| core.dispatch(raw, batch, release)))
            {
                // A bug of ours; the thread must go on serving the other events.
                eprintln!("ouzel: dispatching events panicked: {}", panic_text(&panic));
            }
        }
        Ok(n)
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Starts the driver thread.
pub(crate) fn spawn_thread(core: Arc<Core>) -> Result<()> {
    let mut buffers = Buffers::new()?;
    crate::exit::driver_started(&core);
    std::thread::Builder::new()
        .name("ouzel-events".into())
        .spawn(move || {
            while !core.is_closing() {
                if let Err(rc) = buffers.poll_and_dispatch(&core, -1) {
                    eprintln!("ouzel: polling events failed: {}", Error::last(rc));
                    break;
                }
            }
            core.shutdown();
            drop(core);
            crate::exit::driver_finished();
        })
        .map(|_| ())
        .map_err(|e| {
            crate::exit::driver_finished();
            Error::new(sys::OUZEL_ENOMEM, format!("cannot start the event thread: {e}"))
        })
}

#[cfg(feature = "tokio")]
pub(crate) mod tokio_driver {
    //! The queue's descriptor is level-triggered (readable while events wait); tokio's `AsyncFd`
    //! is edge-triggered, so the task drains with zero-timeout polls until the queue is empty
    //! before clearing readiness; tokio keeps readiness that arrived meanwhile.

    use super::*;
    use std::os::fd::{AsRawFd, RawFd};
    use std::task::Poll;
    use tokio::io::unix::AsyncFd;

    struct QueueFd(RawFd);
    impl AsRawFd for QueueFd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    pub(crate) fn spawn(core: Arc<Core>) -> Result<()> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| {
            Error::new(sys::OUZEL_EINVAL, format!("Client::new_tokio outside a tokio runtime: {e}"))
        })?;
        // SAFETY: thread-safe; valid until the client is freed, which happens after the AsyncFd
        // below is dropped (it deregisters the descriptor first).
        let fd = core.with_raw(|raw| Ok(unsafe { sys::ouzel_client_event_fd(raw) }))?;
        let mut buffers = Buffers::new()?;
        let afd = {
            let _guard = runtime.enter();
            // SAFETY: the descriptor stays open until ouzel_client_free, which runs only after
            // this AsyncFd is dropped (below, at the end of the task).
            unsafe { AsyncFd::register_with_interest(QueueFd(fd), tokio::io::Interest::READABLE) }
                .map_err(|e| {
                Error::new(sys::OUZEL_EIO, format!("registering the event descriptor: {e}"))
            })?
        };
        crate::exit::driver_started(&core);
        runtime.spawn(async move {
            loop {
                let ready = std::future::poll_fn(|cx| {
                    core.set_close_waker(cx.waker());
                    if core.is_closing() {
                        return Poll::Ready(None);
                    }
                    afd.poll_read_ready(cx).map(Some)
                })
                .await;
                let mut guard = match ready {
                    None => break,
                    Some(Ok(guard)) => guard,
                    Some(Err(e)) => {
                        eprintln!("ouzel: waiting on the event descriptor failed: {e}");
                        break;
                    }
                };
                let drained = loop {
                    match buffers.poll_and_dispatch(&core, 0) {
                        Ok(0) => break Ok(()),
                        Ok(_) => {}
                        Err(rc) => break Err(rc),
                    }
                };
                if let Err(rc) = drained {
                    eprintln!("ouzel: polling events failed: {}", Error::last(rc));
                    break;
                }
                guard.clear_ready();
            }
            drop(afd);
            // Freeing joins the library's thread: not on a runtime worker.
            std::thread::spawn(move || {
                core.shutdown();
                drop(core);
                crate::exit::driver_finished();
            });
        });
        Ok(())
    }
}
