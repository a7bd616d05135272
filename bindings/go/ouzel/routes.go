package ouzel

import (
	"sync"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// route sends the messages matching one subscription's filter to its handler or channel. Which
// routes a topic matches is the engine's router's answer (capi/include/ouzel/topic.h), most
// specific filter first.
type route struct {
	id      uint64
	filter  string
	handler func(*Message)
	ch      chan<- *Message
}

// routeTable holds one route per filter: subscribing to a filter again replaces its route, as
// paho's AddRoute does.
type routeTable struct {
	mu       sync.RWMutex
	r        capi.Router
	freed    bool
	byID     map[uint64]*route
	byFilter map[string]*route
	next     uint64
}

func (t *routeTable) init() error {
	r, err := capi.NewRouter()
	if err != nil {
		return err
	}
	t.r = r
	t.byID = map[uint64]*route{}
	t.byFilter = map[string]*route{}
	return nil
}

// set installs a route for filter (replacing the one it had) and returns the previous route.
func (t *routeTable) set(filter string, handler func(*Message), ch chan<- *Message) (nr, old *route, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.freed {
		return nil, nil, closedError("subscribe")
	}
	t.next++
	nr = &route{id: t.next, filter: filter, handler: handler, ch: ch}
	if err := t.r.Add(filter, nr.id); err != nil {
		return nil, nil, wrap("subscribe", err)
	}
	old = t.byFilter[filter]
	if old != nil {
		_ = t.r.Remove(filter, old.id)
		delete(t.byID, old.id)
	}
	t.byID[nr.id] = nr
	t.byFilter[filter] = nr
	return nr, old, nil
}

// restore puts old back in place of r (a subscribe that failed to be sent).
func (t *routeTable) restore(r, old *route) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.freed || t.byFilter[r.filter] != r {
		return
	}
	_ = t.r.Remove(r.filter, r.id)
	delete(t.byID, r.id)
	delete(t.byFilter, r.filter)
	if old != nil && t.r.Add(old.filter, old.id) == nil {
		t.byID[old.id] = old
		t.byFilter[old.filter] = old
	}
}

// remove deletes r if it is still its filter's route.
func (t *routeTable) remove(r *route) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.freed || t.byFilter[r.filter] != r {
		return
	}
	_ = t.r.Remove(r.filter, r.id)
	delete(t.byID, r.id)
	delete(t.byFilter, r.filter)
}

// removeFilter deletes filter's route, if any.
func (t *routeTable) removeFilter(filter string) {
	t.mu.Lock()
	r := t.byFilter[filter]
	t.mu.Unlock()
	if r != nil {
		t.remove(r)
	}
}

// routeBatch finds the routes of the message events among b's events [from, to) and records
// them in pb (pb.routesOf(i) then reads event i's).
func (t *routeTable) routeBatch(b *capi.Batch, from, to int, pb *pollBatch) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if pb.routeStart != nil {
		for i := from; i < to; i++ {
			pb.routeStart[i], pb.routeEnd[i] = 0, 0
		}
	}
	if t.freed || len(t.byID) == 0 {
		return
	}
	if pb.routeStart == nil {
		pb.routeStart, pb.routeEnd = make([]int32, pb.n), make([]int32, pb.n)
	}
	t.r.RouteBatch(b, from, to)
	for i := from; i < to; i++ {
		if b.Type(i) != capi.EventMessage {
			continue
		}
		ids, ok := b.Routes(i)
		if !ok {
			var err error
			if ids, err = t.r.Match(b.Topic(i), nil); err != nil {
				continue
			}
		}
		pb.routeStart[i] = int32(len(pb.routes))
		for _, id := range ids {
			if r := t.byID[id]; r != nil {
				pb.routes = append(pb.routes, r)
			}
		}
		pb.routeEnd[i] = int32(len(pb.routes))
	}
}

func (t *routeTable) free() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.freed {
		t.freed = true
		t.r.Free()
	}
}

// routesOf is event i's routes (nil when it matched none).
func (pb *pollBatch) routesOf(i int) []*route {
	if pb.routeStart == nil {
		return nil
	}
	s, e := pb.routeStart[i], pb.routeEnd[i]
	if s == e {
		return nil
	}
	return pb.routes[s:e:e]
}

// AddRoute sends the messages matching filter to handler without subscribing (paho's AddRoute):
// for a handler per part of a wildcard subscription, or for messages of a session resumed
// before Subscribe runs again. It replaces the filter's previous route.
func (c *Client) AddRoute(filter string, handler func(*Message)) error {
	_, _, err := c.routes.set(filter, handler, nil)
	return err
}

// RemoveRoute removes filter's route (messages then go to OnMessage / Messages()).
func (c *Client) RemoveRoute(filter string) { c.routes.removeFilter(filter) }
