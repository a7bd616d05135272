// Package cbench is the C side of the Go binding's benchmarks: the same publish loops written in
// C against the C API (callback mode, the library's loop thread), so `go test -bench` measures
// the binding and the library it wraps in one run, on one broker.
package cbench

/*
#cgo !ouzel_static pkg-config: ouzel
#cgo ouzel_static pkg-config: ouzel-static
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ouzel.h>
#include <ouzel/events.h>

enum { CB_WINDOW = 10000 };

static int cb_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  return nanosleep(&ts, NULL);
}

// The event-queue mode's consumer in C: a thread that polls batches and releases them, as the Go
// binding's poller does, so the C figures can include the queue's own cost.
static void* cb_drain(void* arg) {
  ouzel_client* c = (ouzel_client*)arg;
  ouzel_event ev[256];
  ouzel_event_init(ev, OUZEL_EVENT_VERSION);
  for (;;) {
    int n = ouzel_client_poll_events(c, ev, 256, -1);
    if (n < 0) return NULL;
    if (n == 0) return NULL;  // interrupted: the benchmark is over
    ouzel_client_release_events(c, ev, (size_t)n);
  }
}

// A connected client in callback mode (no callbacks set) or, with events, in event-queue mode
// with a draining thread; NULL with *rc set.
static ouzel_client* cb_connect(const char* uri, const char* id, int events, int* rc) {
  ouzel_options* o = NULL;
  ouzel_client* c = NULL;
  *rc = ouzel_options_new(&o);
  if (*rc == OUZEL_OK && events) *rc = ouzel_options_set_int(o, OUZEL_OPT_EVENT_QUEUE, 1);
  if (*rc == OUZEL_OK) *rc = ouzel_options_set_string(o, OUZEL_OPT_SERVER_URI, uri, (size_t)-1);
  if (*rc == OUZEL_OK) *rc = ouzel_options_set_string(o, OUZEL_OPT_CLIENT_ID, id, (size_t)-1);
  if (*rc == OUZEL_OK) *rc = ouzel_client_new(&c, o);
  ouzel_options_free(o);
  if (*rc == OUZEL_OK) *rc = ouzel_client_loop_start(c);
  if (*rc == OUZEL_OK) *rc = ouzel_client_connect(c);
  for (int i = 0; *rc == OUZEL_OK && !ouzel_client_is_connected(c); ++i) {
    if (i == 10000) *rc = OUZEL_ETIMEDOUT;
    cb_sleep_ms(1);
  }
  if (*rc != OUZEL_OK) {
    ouzel_client_free(c);
    return NULL;
  }
  return c;
}

// Publishes n messages of `len` bytes at `qos` and returns once all are done: mode 0 queues them
// and waits for every 10,000th and the last (QoS 0: a QoS 1 sentinel after them), since queued
// QoS 1/2 messages each hold one of the 65,535 packet identifiers; mode 1 waits for each (the
// round trip). Returns OUZEL_OK or the first error.
static int cb_publish(const char* uri, const char* id, int qos, long n, int len, int mode,
                      int events) {
  int rc;
  ouzel_client* c = cb_connect(uri, id, events, &rc);
  if (c == NULL) return rc;
  pthread_t drainer;
  if (events && pthread_create(&drainer, NULL, cb_drain, c) != 0) {
    ouzel_client_free(c);
    return OUZEL_ENOMEM;
  }
  char* payload = (char*)calloc(1, (size_t)len + 1);
  uint64_t token = 0;
  for (long i = 0; rc == OUZEL_OK && i < n; ++i) {
    rc = ouzel_client_publish(c, "bench/go/c", 10, payload, (size_t)len, qos, 0, NULL, &token,
                              NULL);
    if (rc == OUZEL_OK && (mode == 1 || (qos > 0 && i % CB_WINDOW == CB_WINDOW - 1))) {
      rc = ouzel_client_wait_for_publish(c, token, 60000);
    }
  }
  if (rc == OUZEL_OK && mode == 0) {
    if (qos == 0) {
      rc = ouzel_client_publish(c, "bench/go/c", 10, payload, (size_t)len, 1, 0, NULL, &token,
                                NULL);
    }
    if (rc == OUZEL_OK) rc = ouzel_client_wait_for_publish(c, token, 60000);
  }
  free(payload);
  ouzel_client_disconnect(c, 0, NULL);
  if (events) {
    ouzel_client_interrupt_poll(c);
    pthread_join(drainer, NULL);
  }
  ouzel_client_free(c);
  return rc;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Publish runs cb_publish: n messages of size bytes at qos from a new C client; roundTrip waits
// for each message's acknowledgement before the next; events uses the event queue with a C
// thread draining it (else callback mode without callbacks).
func Publish(uri, clientID string, qos, n, size int, roundTrip, events bool) error {
	cu, ci := C.CString(uri), C.CString(clientID)
	defer C.free(unsafe.Pointer(cu))
	defer C.free(unsafe.Pointer(ci))
	mode := C.int(0)
	if roundTrip {
		mode = 1
	}
	ev := C.int(0)
	if events {
		ev = 1
	}
	if rc := C.cb_publish(cu, ci, C.int(qos), C.long(n), C.int(size), mode, ev); rc != 0 {
		return fmt.Errorf("C publish loop: %s", C.GoString(C.ouzel_strerror(rc)))
	}
	return nil
}
