"""ouzel._capi mirrors the C ABI one to one: every exported ouzel_* function has a signature
here (and only those), the library's version is the one this binding expects, and the structs
match what the library fills."""

import ctypes
import shutil
import subprocess

import pytest

from ouzel import _capi as C


def exported_functions(path):
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("nm (binutils) is not installed")
    out = subprocess.run([nm, "-D", "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines()
            if line.split()[-1].startswith("ouzel_")}


def test_every_exported_function_has_a_signature():
    lib = C.lib()
    exported = exported_functions(lib.path)
    mirrored = {"ouzel_" + name for name in C._SIGNATURES} | {"ouzel_get_api"}
    assert exported == mirrored


def test_version_and_strings():
    lib = C.lib()
    assert lib.version() // 10000 == C.VERSION_MAJOR
    assert lib.version_string().decode().count(".") == 2
    assert lib.strerror(C.EINVAL) == b"invalid argument"
    assert lib.strerror(12345) == b"unknown error"


def test_properties_roundtrip_through_c():
    lib = C.lib()
    p = C.properties_p()
    assert lib.properties_new(ctypes.byref(p)) == C.OK
    assert lib.properties_set_int(p, C.PROP_MESSAGE_EXPIRY_INTERVAL, 30) == C.OK
    assert lib.properties_add_user(p, b"k", 1, b"v", 1) == C.OK
    assert lib.properties_set_int(p, 0x7F, 1) == C.EINVAL
    assert lib.properties_count(p) == 2
    out = ctypes.c_uint32()
    assert lib.properties_get_int(p, C.PROP_MESSAGE_EXPIRY_INTERVAL, ctypes.byref(out)) == C.OK
    assert out.value == 30
    lib.properties_free(p)
    lib.properties_free(None)


def test_struct_inits_accept_their_version():
    lib = C.lib()
    f = C.MessageFields()
    assert lib.message_fields_init(ctypes.byref(f), C.MESSAGE_FIELDS_VERSION) == C.OK
    assert f.version == C.MESSAGE_FIELDS_VERSION
    st = C.DeliveryStatus()
    assert lib.delivery_status_init(ctypes.byref(st), C.DELIVERY_STATUS_VERSION) == C.OK
    sub = C.Subscription()
    assert lib.subscription_init(ctypes.byref(sub), C.SUBSCRIPTION_VERSION) == C.OK
    assert sub.filter_len == C.SIZE_MAX
    r = C.PersistenceReport()
    assert lib.persistence_report_init(ctypes.byref(r), C.PERSISTENCE_REPORT_VERSION) == C.OK
    assert r.summary == b""


def test_event_struct_matches_the_library():
    # The last field is the one a layout mistake would shift: a refused connection's
    # CONNECT_FAILED event must come back with its detail text and an id in internal_.
    lib = C.lib()
    assert ctypes.sizeof(C.Event) == 152  # sizeof(ouzel_event) on LP64
    o = C.options_p()
    assert lib.options_new(ctypes.byref(o)) == C.OK
    assert lib.options_set_string(o, C.OPT_SERVER_URI, b"mqtt://127.0.0.1:1", 18) == C.OK
    assert lib.options_set_int(o, C.OPT_EVENT_QUEUE, 1) == C.OK
    assert lib.options_set_int(o, C.OPT_RECONNECT, 0) == C.OK
    c = C.client_p()
    assert lib.client_new(ctypes.byref(c), o) == C.OK
    lib.options_free(o)
    events = (C.Event * 8)()
    assert lib.event_init(events, C.EVENT_VERSION) == C.OK
    assert lib.client_loop_start(c) == C.OK
    assert lib.client_connect(c) == C.OK
    failed = None
    for _ in range(100):
        n = lib.client_poll_events(c, events, 8, 100)
        assert n >= 0
        for e in events[:n]:
            if e.type == C.EVENT_CONNECT_FAILED:
                failed = (e.error, e.reason_code, ctypes.string_at(e.text, e.text_len),
                          e.internal_ is not None, e.properties is not None)
        assert lib.client_release_events(c, events, n) == C.OK
        if failed:
            break
    lib.client_free(c)
    assert failed is not None
    error, reason, text, has_id, has_properties = failed
    assert error == C.EIO and reason == -1 and text and has_id and has_properties


def test_options_errors_carry_the_detail():
    lib = C.lib()
    o = C.options_p()
    assert lib.options_new(ctypes.byref(o)) == C.OK
    assert lib.options_set_int(o, C.OPT_PROTOCOL_VERSION, 9) == C.EINVAL
    assert "protocol version 9" in lib.error_message(C.EINVAL)
    lib.options_free(o)
