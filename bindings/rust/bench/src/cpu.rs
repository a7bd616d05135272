//! Process CPU time (user + system, every thread) from getrusage(RUSAGE_SELF), and a monotonic
//! clock: the same measure as bench/c.

use std::time::Instant;

#[repr(C)]
struct Timeval {
    sec: i64,
    usec: i64,
}

#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    rest: [i64; 14],
}

extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}

/// User and system CPU seconds of this process so far.
pub fn cpu() -> (f64, f64) {
    let mut r = Rusage { utime: Timeval { sec: 0, usec: 0 }, stime: Timeval { sec: 0, usec: 0 }, rest: [0; 14] };
    // SAFETY: RUSAGE_SELF (0) and a struct laid out as Linux x86_64's struct rusage.
    let rc = unsafe { getrusage(0, &mut r) };
    assert_eq!(rc, 0, "getrusage failed");
    let s = |t: &Timeval| t.sec as f64 + t.usec as f64 / 1e6;
    (s(&r.utime), s(&r.stime))
}

/// Wall and CPU time of one measured run.
pub struct Span {
    start: Instant,
    cpu: (f64, f64),
}

pub struct Measured {
    pub wall: f64,
    pub user: f64,
    pub sys: f64,
}

impl Span {
    pub fn start() -> Span {
        Span { start: Instant::now(), cpu: cpu() }
    }

    pub fn end(self) -> Measured {
        let (u, s) = cpu();
        Measured { wall: self.start.elapsed().as_secs_f64(), user: u - self.cpu.0, sys: s - self.cpu.1 }
    }
}
