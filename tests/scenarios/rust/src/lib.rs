//! What the scenarios share: the driver's environment, the result line each scenario writes, and
//! bounded waits.

use std::io::Write;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `$name` from the driver's environment.
pub fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set (run under tests/scenarios/driver.py)"))
}

/// The bound for any single wait (`OUZEL_SCEN_TIMEOUT`).
pub fn wait() -> Duration {
    Duration::from_secs_f64(
        std::env::var("OUZEL_SCEN_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20.0),
    )
}

/// `mqtt://HOST:PORT` for the broker whose port is in `$port_var`.
pub fn uri(port_var: &str) -> String {
    format!("mqtt://{}:{}", env("OUZEL_SCEN_HOST"), env(port_var))
}

/// A topic of this scenario alone.
pub fn topic(id: &str, name: &str) -> String {
    format!("scen/rust/{id}/{}/{name}", std::process::id())
}

fn selected(id: &str) -> bool {
    let only = std::env::var("OUZEL_SCEN_ONLY").unwrap_or_default();
    only.trim().is_empty() || only.split(',').any(|s| s.trim() == id)
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn report(id: &str, result: &str, ms: u128, detail: &str) {
    static FILE: Mutex<()> = Mutex::new(());
    let line = format!(
        "{{\"lang\": {}, \"id\": {}, \"result\": {}, \"ms\": {ms}, \"detail\": {}}}\n",
        json_string(&env("OUZEL_SCEN_LANG")),
        json_string(id),
        json_string(result),
        json_string(detail)
    );
    let _guard = FILE.lock().unwrap_or_else(|e| e.into_inner());
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(env("OUZEL_SCEN_RESULTS"))
        .expect("the results file the driver created");
    f.write_all(line.as_bytes()).expect("writing a result line");
}

/// Runs scenario `id` (unless `OUZEL_SCEN_ONLY` leaves it out) and appends its result line: `pass`
/// when `body` returns, `fail` with the panic message when it panics (the test then fails too).
pub fn scenario(id: &str, body: impl FnOnce()) {
    if !selected(id) {
        return;
    }
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(body));
    let ms = start.elapsed().as_millis();
    match outcome {
        Ok(()) => report(id, "pass", ms, ""),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            report(id, "fail", ms, &detail);
            resume_unwind(panic);
        }
    }
}

/// Receives on its own thread until `done` holds for what arrived, or a wait passes without a
/// message (then `Err` says how many came).
pub fn collect(
    sub: &ouzel::blocking::Client,
    mut done: impl FnMut(&[ouzel::Message]) -> bool + Send + 'static,
) -> std::thread::JoinHandle<Result<Vec<ouzel::Message>, String>> {
    let sub = sub.clone();
    std::thread::spawn(move || {
        let mut got = Vec::new();
        while !done(&got) {
            match sub.recv_timeout(wait()) {
                Ok(m) => got.push(m),
                Err(e) => return Err(format!("{e} after {} messages", got.len())),
            }
        }
        Ok(got)
    })
}
