//! The library links and answers through the raw declarations.

use ouzel_sys::*;
use std::ffi::CStr;

#[test]
fn runtime_version_has_the_headers_major_version() {
    let v = unsafe { ouzel_version() };
    assert_eq!(v / 10000, OUZEL_VERSION_MAJOR, "runtime {v}, headers {OUZEL_VERSION_NUMBER}");
    assert!(v >= OUZEL_VERSION_NUMBER, "runtime {v} older than headers {OUZEL_VERSION_NUMBER}");
}

#[test]
fn strerror_and_last_error_message_describe_a_failed_call() {
    let mut opts: *mut ouzel_options = std::ptr::null_mut();
    assert_eq!(unsafe { ouzel_options_new(&mut opts) }, OUZEL_OK);
    let rc = unsafe { ouzel_options_set_int(opts, OUZEL_OPT_PROTOCOL_VERSION, 7) };
    assert_eq!(rc, OUZEL_EINVAL);
    let detail =
        unsafe { CStr::from_ptr(ouzel_last_error_message()) }.to_string_lossy().into_owned();
    assert!(!detail.is_empty(), "no detail for a protocol version of 7");
    let text = unsafe { CStr::from_ptr(ouzel_strerror(rc)) }.to_str().unwrap();
    assert_eq!(text, "invalid argument");
    unsafe { ouzel_options_free(opts) };
}

#[test]
fn get_api_table_matches_the_direct_functions() {
    let api = unsafe { ouzel_get_api(OUZEL_API_VERSION) };
    assert!(!api.is_null());
    let api = unsafe { &*api };
    assert!(api.api_size >= std::mem::size_of::<ouzel_api>());
    let version = api.version.expect("version slot");
    assert_eq!(unsafe { version() }, unsafe { ouzel_version() });
}
