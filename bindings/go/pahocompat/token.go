package pahocompat

import (
	"sync"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

// baseToken completes once: Wait, WaitTimeout and Done as paho's tokens do.
type baseToken struct {
	once sync.Once
	done chan struct{}
	err  error
}

func newBase() baseToken { return baseToken{done: make(chan struct{})} }

// Wait waits until the flow completed; it returns true (as paho's does).
func (b *baseToken) Wait() bool {
	<-b.done
	return true
}

// WaitTimeout waits up to d; false when the flow had not completed by then (the token stays
// usable and may be waited for again).
func (b *baseToken) WaitTimeout(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-b.done:
		return true
	case <-timer.C:
		return false
	}
}

// Done is closed when the flow completed; then Error says how.
func (b *baseToken) Done() <-chan struct{} { return b.done }

// Error is the flow's error, nil before completion and on success.
func (b *baseToken) Error() error {
	select {
	case <-b.done:
		return b.err
	default:
		return nil
	}
}

func (b *baseToken) complete(err error) {
	b.once.Do(func() {
		b.err = err
		close(b.done)
	})
}

// ConnectToken is what Connect returns (paho's *ConnectToken methods).
type ConnectToken struct {
	baseToken
	returnCode     byte
	sessionPresent bool
}

// ReturnCode is the CONNACK return / reason code (0 accepted).
func (c *ConnectToken) ReturnCode() byte {
	<-c.done
	return c.returnCode
}

// SessionPresent is the CONNACK's session present flag.
func (c *ConnectToken) SessionPresent() bool {
	<-c.done
	return c.sessionPresent
}

// PublishToken is what Publish returns: the library's own completion of the message (no
// goroutine per publish), or an immediate failure.
type PublishToken struct {
	baseToken
	pending   *ouzel.Pending
	messageID uint16
}

// MessageID is the packet identifier given to the message (0 for QoS 0).
func (p *PublishToken) MessageID() uint16 { return p.messageID }

// Wait waits until the message is written (QoS 0) or acknowledged (QoS 1, 2), or failed.
func (p *PublishToken) Wait() bool {
	<-p.Done()
	return true
}

// WaitTimeout is Wait for at most d.
func (p *PublishToken) WaitTimeout(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-p.Done():
		return true
	case <-timer.C:
		return false
	}
}

// Done is closed when the message reached its final state.
func (p *PublishToken) Done() <-chan struct{} {
	if p.pending != nil {
		return p.pending.Done()
	}
	return p.done
}

// Error is nil until Done, and after it for a delivered message.
func (p *PublishToken) Error() error {
	if p.pending != nil {
		return p.pending.Err()
	}
	return p.baseToken.Error()
}

// SubscribeToken is what Subscribe and SubscribeMultiple return.
type SubscribeToken struct {
	baseToken
	mu     sync.Mutex
	result map[string]byte
}

// Result maps each filter to its SUBACK code: the granted QoS, or 0x80 for a refusal.
func (s *SubscribeToken) Result() map[string]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]byte, len(s.result))
	for k, v := range s.result {
		out[k] = v
	}
	return out
}

// UnsubscribeToken is what Unsubscribe returns.
type UnsubscribeToken struct{ baseToken }

// DisconnectToken is paho's; Disconnect returns nothing, kept for code that names the type.
type DisconnectToken struct{ baseToken }

func failedPublish(err error) *PublishToken {
	t := &PublishToken{baseToken: newBase()}
	t.complete(err)
	return t
}
