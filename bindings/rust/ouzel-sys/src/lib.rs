//! Raw declarations of the Ouzel C ABI (`capi/include/ouzel.h` and `ouzel/sys/*.h`): every
//! function, struct and constant, one to one, with the headers' own comments.
//!
//! This crate is the mechanical layer: everything here is `unsafe` and follows the C rules stated
//! in the headers (ownership, threading, error codes). Applications use the safe `ouzel` crate.
//!
//! The declarations are generated ahead of time by `gen/generate.py` from the headers (clang's AST)
//! and checked in; `tests/bindings_match_headers.rs` fails when they drift. Struct layouts were
//! measured on x86_64 Linux and are asserted at compile time, so a target where C lays a struct out
//! differently fails to build instead of misreading memory.
//!
//! Linking: `build.rs` takes `OUZEL_LIB_DIR` (with `OUZEL_STATIC=1` for `libouzel.a`) or else
//! pkg-config's `ouzel`; it never builds the C++ engine.
#![no_std]
#![allow(non_camel_case_types, non_upper_case_globals, clippy::all)]

// Generated: kept exactly as gen/generate.py writes it (the drift test compares byte for byte).
#[rustfmt::skip]
mod bindings;
pub use bindings::*;
