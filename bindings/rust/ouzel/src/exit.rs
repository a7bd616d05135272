//! Process exit with clients still closing: `Drop` hands the free to the client's driver thread
//! and returns, so `main` can return while a driver is still inside `ouzel_client_free`; exit
//! would then run the C++ runtime's static destructors under it. An `atexit` hook, registered
//! when the first client is made (so it runs before the destructors of libraries loaded earlier),
//! closes the clients still open and waits, bounded, for every driver to finish.

use crate::completion::lock;
use crate::core::Core;
use std::sync::{Arc, Condvar, Mutex, Once, Weak};
use std::time::{Duration, Instant};

/// How long exit waits for drivers: a free joins the library's thread and closes sockets.
const EXIT_WAIT: Duration = Duration::from_secs(5);

struct Registry {
    live: Vec<Weak<Core>>,
    running_drivers: usize,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { live: Vec::new(), running_drivers: 0 });
static DRIVERS_DONE: Condvar = Condvar::new();
static HOOK: Once = Once::new();

extern "C" {
    fn atexit(hook: extern "C" fn()) -> std::ffi::c_int;
}

extern "C" fn at_exit() {
    // Nothing may unwind out of an atexit hook.
    let _ = std::panic::catch_unwind(close_all_and_wait);
}

fn close_all_and_wait() {
    let live: Vec<Arc<Core>> = lock(&REGISTRY).live.iter().filter_map(Weak::upgrade).collect();
    for core in &live {
        core.begin_close();
    }
    drop(live);
    let deadline = Instant::now() + EXIT_WAIT;
    let mut r = lock(&REGISTRY);
    while r.running_drivers > 0 {
        let now = Instant::now();
        if now >= deadline {
            return;
        }
        r = DRIVERS_DONE.wait_timeout(r, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
    }
}

/// Records a client whose driver is about to start.
pub(crate) fn driver_started(core: &Arc<Core>) {
    HOOK.call_once(|| {
        // SAFETY: registers a plain extern "C" function; a failure only loses the exit wait.
        unsafe { atexit(at_exit) };
    });
    let mut r = lock(&REGISTRY);
    r.live.retain(|w| w.strong_count() > 0);
    r.live.push(Arc::downgrade(core));
    r.running_drivers += 1;
}

/// Called by a driver once it has freed its client (or when it failed to start).
pub(crate) fn driver_finished() {
    let mut r = lock(&REGISTRY);
    r.running_drivers = r.running_drivers.saturating_sub(1);
    DRIVERS_DONE.notify_all();
}
