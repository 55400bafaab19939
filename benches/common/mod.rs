//! Helpers shared by the benchmarks: categories, medians and CPU-time measurement.

#![allow(dead_code)]

use serde_json::Value;
use std::time::Instant;

/// The categories of the service's answer, in report order (as tests/conformance.rs names them).
pub const CATEGORIES: [&str; 8] = [
    "accepted",
    "validation",
    "structure",
    "malformed-json",
    "server-error",
    "other-400",
    "rejected",
    "all",
];

/// The category of a recorded answer (`expect`).
pub fn category_of(expect: &Value) -> &'static str {
    let status = expect["status"].as_u64().unwrap_or(0);
    let diagnostics = expect["diagnostics"].as_str().unwrap_or("");
    match status {
        200 | 201 => "accepted",
        500 => "server-error",
        _ if diagnostics.starts_with("Request's body contains malformed JSON") => "malformed-json",
        _ if diagnostics.contains(" for Immunization\n") => "structure",
        _ if diagnostics.starts_with("Validation errors: ") => "validation",
        _ => "other-400",
    }
}

pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// CPU time this thread has used, in seconds (`CLOCK_THREAD_CPUTIME_ID`).
#[cfg(target_os = "linux")]
pub fn thread_cpu_seconds() -> f64 {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    if status != 0 {
        return f64::NAN;
    }
    time.seconds as f64 + time.nanoseconds as f64 * 1e-9
}

#[cfg(not(target_os = "linux"))]
pub fn thread_cpu_seconds() -> f64 {
    f64::NAN
}

/// Runs `pass` once; returns (wall µs, CPU µs) per item for `items` items.
pub fn time_per_item(items: usize, pass: impl FnOnce()) -> (f64, f64) {
    let cpu = thread_cpu_seconds();
    let wall = Instant::now();
    pass();
    let wall = wall.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds() - cpu;
    let items = items.max(1) as f64;
    (wall * 1e6 / items, cpu * 1e6 / items)
}
