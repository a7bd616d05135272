package ouzel

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// eventWaiter parks the poller goroutine in Go's netpoller until the library's event descriptor
// (ouzel_client_event_fd, level-triggered) is readable, so no OS thread sits blocked in C per
// client and a wake-up costs a netpoll return, not a blocked cgo call's return. The descriptor
// is the library's (never read or closed here): the waiter watches a duplicate of it.
type eventWaiter struct {
	f  *os.File
	rc syscall.RawConn
}

func newEventWaiter(fd int) (*eventWaiter, error) {
	if fd < 0 {
		return nil, errors.New("the client has no event descriptor")
	}
	d, err := syscall.Dup(fd)
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(d)
	if err := syscall.SetNonblock(d, true); err != nil {
		syscall.Close(d)
		return nil, err
	}
	f := os.NewFile(uintptr(d), "ouzel-events")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	// Only a descriptor the netpoller took accepts deadlines; wake relies on them.
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		f.Close()
		return nil, err
	}
	return &eventWaiter{f: f, rc: rc}, nil
}

// until calls ready, and again each time the descriptor becomes readable, until it returns
// true; it returns early with an error after wake. The check runs inside the netpoller's read
// (after it forgot older readiness), so an event that arrives between a check that found nothing
// and the wait still wakes the wait.
func (w *eventWaiter) until(ready func() bool) error {
	return w.rc.Read(func(uintptr) bool { return ready() })
}

// wake makes a wait in progress (or the next) return: the client is closing.
func (w *eventWaiter) wake() { _ = w.f.SetReadDeadline(time.Unix(1, 0)) }

func (w *eventWaiter) close() { _ = w.f.Close() }
