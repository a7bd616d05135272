package capi

/*
#cgo noescape goz_validate
#cgo nocallback goz_validate
#cgo noescape goz_matches
#cgo nocallback goz_matches
#cgo noescape goz_router_new
#cgo nocallback goz_router_new
#cgo noescape goz_router_add
#cgo nocallback goz_router_add
#cgo noescape goz_router_match
#cgo nocallback goz_router_match
#cgo noescape goz_route_batch
#cgo nocallback goz_route_batch
#cgo nocallback ouzel_topic_router_free
#cgo nocallback ouzel_reason_code_name
#cgo nocallback ouzel_reason_code_is_error
#cgo nocallback ouzel_property_name
#include "shim.h"
*/
import "C"

import "unsafe"

// ValidateTopic is ouzel_topic_validate_name, or ouzel_topic_validate_filter when filter.
func ValidateTopic(s string, filter bool) error {
	e := newErr()
	f := C.int32_t(0)
	if filter {
		f = 1
	}
	if rc := C.goz_validate(f, s, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// TopicMatches is ouzel_topic_matches.
func TopicMatches(filter, topic string) (bool, error) {
	e := newErr()
	rc := C.goz_matches(filter, topic, &e)
	if rc < 0 {
		return false, fail(rc, &e)
	}
	return rc == 1, nil
}

// Router is an ouzel_topic_router. Match may run concurrently with other Matches; Add, Remove
// and Free need exclusive access (the caller's lock).
type Router struct{ p *C.ouzel_topic_router }

// NewRouter is ouzel_topic_router_new.
func NewRouter() (Router, error) {
	e := newErr()
	var p *C.ouzel_topic_router
	if rc := C.goz_router_new(&p, &e); rc < 0 {
		return Router{}, fail(rc, &e)
	}
	return Router{p}, nil
}

// Free is ouzel_topic_router_free.
func (r Router) Free() { C.ouzel_topic_router_free(r.p) }

// Add is ouzel_topic_router_add.
func (r Router) Add(filter string, id uint64) error {
	e := newErr()
	if rc := C.goz_router_add(r.p, filter, C.uint64_t(id), 0, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Remove is ouzel_topic_router_remove.
func (r Router) Remove(filter string, id uint64) error {
	e := newErr()
	if rc := C.goz_router_add(r.p, filter, C.uint64_t(id), 1, &e); rc < 0 {
		return fail(rc, &e)
	}
	return nil
}

// Match is ouzel_topic_router_match: the ids matching topic, most specific filter first,
// appended to ids.
func (r Router) Match(topic string, ids []uint64) ([]uint64, error) {
	e := newErr()
	for {
		var total C.size_t
		room := ids[len(ids):cap(ids)]
		var p *C.uint64_t
		if len(room) > 0 {
			p = (*C.uint64_t)(unsafe.Pointer(&room[0]))
		}
		if rc := C.goz_router_match(r.p, topic, p, C.size_t(len(room)), &total, &e); rc < 0 {
			return ids, fail(rc, &e)
		}
		if int(total) <= len(room) {
			return ids[:len(ids)+int(total)], nil
		}
		grown := make([]uint64, len(ids), len(ids)+int(total))
		copy(grown, ids)
		ids = grown
	}
}

// RouteBatch matches every message event among b's events [from, to) in one crossing. After
// it, Routes(i) gives event i's ids (until the next RouteBatch).
func (r Router) RouteBatch(b *Batch, from, to int) {
	if from >= to {
		return
	}
	C.goz_route_batch(r.p, b.at(from), C.size_t(to-from), (*C.uint64_t)(unsafe.Pointer(&b.ids[0])),
		C.size_t(len(b.ids)), &b.idCount[from])
	off := 0
	for i := from; i < to; i++ {
		b.idOff[i] = off
		if c := b.idCount[i]; c != ^C.size_t(0) {
			off += int(c)
		}
	}
}

// Routes returns event i's ids from the last RouteBatch (aliasing the batch), or ok false when
// they did not fit and the caller must Match the topic itself.
func (b *Batch) Routes(i int) (ids []uint64, ok bool) {
	c := b.idCount[i]
	if c == ^C.size_t(0) {
		return nil, false
	}
	return b.ids[b.idOff[i] : b.idOff[i]+int(c)], true
}

// ReasonCodeName is ouzel_reason_code_name ("" when the packet cannot carry the code).
func ReasonCodeName(version, packet, code int) string {
	p := C.ouzel_reason_code_name(C.int32_t(version), C.int32_t(packet), C.int32_t(code))
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// ReasonCodeIsError is ouzel_reason_code_is_error (false too for a code the packet cannot carry).
func ReasonCodeIsError(version, packet, code int) bool {
	return C.ouzel_reason_code_is_error(C.int32_t(version), C.int32_t(packet), C.int32_t(code)) == 1
}

// PropertyName is ouzel_property_name ("" for an identifier MQTT 5 does not define).
func PropertyName(id int) string {
	p := C.ouzel_property_name(C.int32_t(id))
	if p == nil {
		return ""
	}
	return C.GoString(p)
}
