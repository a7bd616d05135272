package capi

import (
	"encoding/binary"
	"errors"
)

// The flat encodings shim.h reads (its header comment has the format). Pure Go: building a list
// costs no crossing; the C helper decodes it inside the one call that uses it.

// Property kinds in an encoded list.
const (
	PropInt   = 1
	PropBytes = 2
	PropUser  = 3
)

// Props is an encoded MQTT 5 property list.
type Props []byte

// Int appends an integer property.
func (p Props) Int(id int, v uint32) Props {
	p = append(p, PropInt, byte(id))
	return binary.LittleEndian.AppendUint32(p, v)
}

// Bytes appends a UTF-8 string or binary property (which one follows from the identifier).
func (p Props) Bytes(id int, v []byte) Props {
	p = append(p, PropBytes, byte(id))
	p = binary.LittleEndian.AppendUint32(p, uint32(len(v)))
	return append(p, v...)
}

// String appends a UTF-8 string property.
func (p Props) String(id int, v string) Props {
	p = append(p, PropBytes, byte(id))
	p = binary.LittleEndian.AppendUint32(p, uint32(len(v)))
	return append(p, v...)
}

// User appends a User Property.
func (p Props) User(name, value string) Props {
	p = append(p, PropUser, byte(PropUserProperty))
	p = binary.LittleEndian.AppendUint32(p, uint32(len(name)))
	p = append(p, name...)
	p = binary.LittleEndian.AppendUint32(p, uint32(len(value)))
	return append(p, value...)
}

var errMalformed = errors.New("ouzel: malformed property list from libouzel")

// EachProp calls fn for every property of an encoded list, in order: kind PropInt carries v;
// PropBytes carries a; PropUser carries the name in a and the value in b. The slices alias the
// list.
func EachProp(p []byte, fn func(kind, id int, v uint32, a, b []byte)) error {
	for len(p) > 0 {
		if len(p) < 2 {
			return errMalformed
		}
		kind, id := int(p[0]), int(p[1])
		p = p[2:]
		switch kind {
		case PropInt:
			if len(p) < 4 {
				return errMalformed
			}
			fn(kind, id, binary.LittleEndian.Uint32(p), nil, nil)
			p = p[4:]
		case PropBytes:
			a, rest, ok := take(p)
			if !ok {
				return errMalformed
			}
			fn(kind, id, 0, a, nil)
			p = rest
		case PropUser:
			a, rest, ok := take(p)
			if !ok {
				return errMalformed
			}
			b, rest, ok := take(rest)
			if !ok {
				return errMalformed
			}
			fn(kind, id, 0, a, b)
			p = rest
		default:
			return errMalformed
		}
	}
	return nil
}

func take(p []byte) (v, rest []byte, ok bool) {
	if len(p) < 4 {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint32(p)
	p = p[4:]
	if uint64(len(p)) < uint64(n) {
		return nil, nil, false
	}
	return p[:n:n], p[n:], true
}

// Option kinds in an encoded option list.
const (
	optInt          = 1
	optString       = 2
	optStringNull   = 3
	optWill         = 4
	optConnectProps = 5
)

// Options is an encoded option list; Error.Index of a failed NewClient or SetOptions is the
// position of the entry that failed (Len before it was appended).
type Options struct {
	b []byte
	n int
}

func (o *Options) head(kind byte, id int) {
	o.b = append(o.b, kind)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(int32(id)))
	o.n++
}

// Int appends an ouzel_options_set_int.
func (o *Options) Int(id int, v int64) {
	o.head(optInt, id)
	o.b = binary.LittleEndian.AppendUint64(o.b, uint64(v))
}

// Bool appends an ouzel_options_set_int of 0 or 1.
func (o *Options) Bool(id int, v bool) {
	var i int64
	if v {
		i = 1
	}
	o.Int(id, i)
}

// String appends an ouzel_options_set_string (binary allowed where the option allows it).
func (o *Options) String(id int, v string) {
	o.head(optString, id)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(len(v)))
	o.b = append(o.b, v...)
}

// Bytes appends an ouzel_options_set_string with binary content.
func (o *Options) Bytes(id int, v []byte) { o.String(id, string(v)) }

// Null appends an ouzel_options_set_string(id, NULL, 0): the option's reset.
func (o *Options) Null(id int) { o.head(optStringNull, id) }

// Will appends an ouzel_options_set_will.
func (o *Options) Will(topic string, payload []byte, qos int, retain bool, props Props) {
	o.head(optWill, 0)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(len(topic)))
	o.b = append(o.b, topic...)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(len(payload)))
	o.b = append(o.b, payload...)
	r := byte(0)
	if retain {
		r = 1
	}
	o.b = append(o.b, byte(qos), r)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(len(props)))
	o.b = append(o.b, props...)
}

// ConnectProps appends an ouzel_options_set_connect_properties.
func (o *Options) ConnectProps(props Props) {
	o.head(optConnectProps, 0)
	o.b = binary.LittleEndian.AppendUint32(o.b, uint32(len(props)))
	o.b = append(o.b, props...)
}

// Len is the number of entries so far.
func (o *Options) Len() int { return o.n }

// Encoded is the list for NewClient / SetOptions.
func (o *Options) Encoded() []byte { return o.b }

// Filters is an encoded list of subscriptions or of filters to unsubscribe.
type Filters struct {
	b []byte
	n int
}

// Sub appends a subscription.
func (f *Filters) Sub(filter string, qos int, noLocal, retainAsPublished bool, retainHandling int) {
	f.Filter(filter)
	f.b = append(f.b, byte(qos), b2u(noLocal), b2u(retainAsPublished), byte(retainHandling))
}

// Filter appends a filter (unsubscribe).
func (f *Filters) Filter(filter string) {
	f.b = binary.LittleEndian.AppendUint32(f.b, uint32(len(filter)))
	f.b = append(f.b, filter...)
	f.n++
}

// Count is the number of filters.
func (f *Filters) Count() int { return f.n }

// Encoded is the list for Subscribe / Unsubscribe.
func (f *Filters) Encoded() []byte { return f.b }

func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}
