package ouzel

import (
	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// PropertyID is an MQTT 5 property identifier (MQTT 5.0 section 2.2.2.2).
type PropertyID byte

// The MQTT 5 property identifiers.
const (
	PayloadFormatIndicator          PropertyID = capi.PropPayloadFormatIndicator
	MessageExpiryInterval           PropertyID = capi.PropMessageExpiryInterval
	ContentType                     PropertyID = capi.PropContentType
	ResponseTopic                   PropertyID = capi.PropResponseTopic
	CorrelationData                 PropertyID = capi.PropCorrelationData
	SubscriptionIdentifier          PropertyID = capi.PropSubscriptionIdentifier
	SessionExpiryInterval           PropertyID = capi.PropSessionExpiryInterval
	AssignedClientIdentifier        PropertyID = capi.PropAssignedClientIdentifier
	ServerKeepAlive                 PropertyID = capi.PropServerKeepAlive
	AuthenticationMethod            PropertyID = capi.PropAuthenticationMethod
	AuthenticationData              PropertyID = capi.PropAuthenticationData
	RequestProblemInformation       PropertyID = capi.PropRequestProblemInformation
	WillDelayInterval               PropertyID = capi.PropWillDelayInterval
	RequestResponseInformation      PropertyID = capi.PropRequestResponseInformation
	ResponseInformation             PropertyID = capi.PropResponseInformation
	ServerReference                 PropertyID = capi.PropServerReference
	ReasonString                    PropertyID = capi.PropReasonString
	ReceiveMaximum                  PropertyID = capi.PropReceiveMaximum
	TopicAliasMaximum               PropertyID = capi.PropTopicAliasMaximum
	TopicAlias                      PropertyID = capi.PropTopicAlias
	MaximumQoS                      PropertyID = capi.PropMaximumQos
	RetainAvailable                 PropertyID = capi.PropRetainAvailable
	UserProperty                    PropertyID = capi.PropUserProperty
	MaximumPacketSize               PropertyID = capi.PropMaximumPacketSize
	WildcardSubscriptionAvailable   PropertyID = capi.PropWildcardSubscriptionAvailable
	SubscriptionIdentifierAvailable PropertyID = capi.PropSubscriptionIdentifierAvailable
	SharedSubscriptionAvailable     PropertyID = capi.PropSharedSubscriptionAvailable
)

// Property is one MQTT 5 property. Integer properties (Byte, Two and Four Byte, Variable Byte
// Integer) use Int; UTF-8 string and binary properties use Bytes; a User Property has its name in
// Key and its value in Bytes.
type Property struct {
	ID    PropertyID
	Int   uint32
	Bytes []byte
	Key   string
}

// Properties is an ordered list of MQTT 5 properties, as on the wire: User Properties keep their
// order and repeated names. Which properties a packet may carry is checked by the library when
// the list is used (an error names the property).
type Properties []Property

// IntProperty is an integer property.
func IntProperty(id PropertyID, v uint32) Property { return Property{ID: id, Int: v} }

// StringProperty is a UTF-8 string property (Content Type, Response Topic, Reason String, ...).
func StringProperty(id PropertyID, s string) Property {
	return Property{ID: id, Bytes: []byte(s)}
}

// BinaryProperty is a binary property (Correlation Data, Authentication Data).
func BinaryProperty(id PropertyID, b []byte) Property { return Property{ID: id, Bytes: b} }

// User is a User Property.
func User(name, value string) Property {
	return Property{ID: UserProperty, Key: name, Bytes: []byte(value)}
}

// Int returns the first integer property id and whether it is present.
func (p Properties) Int(id PropertyID) (uint32, bool) {
	for _, q := range p {
		if q.ID == id {
			return q.Int, true
		}
	}
	return 0, false
}

// String returns the first string property id ("" when absent).
func (p Properties) String(id PropertyID) string { return string(p.Bytes(id)) }

// Bytes returns the first string or binary property id (nil when absent).
func (p Properties) Bytes(id PropertyID) []byte {
	for _, q := range p {
		if q.ID == id {
			return q.Bytes
		}
	}
	return nil
}

// Has reports whether property id is present.
func (p Properties) Has(id PropertyID) bool {
	for _, q := range p {
		if q.ID == id {
			return true
		}
	}
	return false
}

// UserValue returns the value of the first User Property named name.
func (p Properties) UserValue(name string) (string, bool) {
	for _, q := range p {
		if q.ID == UserProperty && q.Key == name {
			return string(q.Bytes), true
		}
	}
	return "", false
}

// Users returns every User Property in order.
func (p Properties) Users() []Property {
	var out []Property
	for _, q := range p {
		if q.ID == UserProperty {
			out = append(out, q)
		}
	}
	return out
}

func (p Properties) encode() capi.Props {
	if len(p) == 0 {
		return nil
	}
	var e capi.Props
	for _, q := range p {
		switch {
		case q.ID == UserProperty:
			e = e.User(q.Key, string(q.Bytes))
		case q.Bytes != nil:
			e = e.Bytes(int(q.ID), q.Bytes)
		default:
			e = e.Int(int(q.ID), q.Int)
		}
	}
	return e
}

func decodeProperties(b []byte) Properties {
	if len(b) == 0 {
		return nil
	}
	var p Properties
	// The list comes from the library in the shim's own format; it cannot be malformed unless
	// the shim is wrong, and then what was decoded so far is kept.
	_ = capi.EachProp(b, func(kind, id int, v uint32, a, val []byte) {
		switch kind {
		case capi.PropInt:
			p = append(p, Property{ID: PropertyID(id), Int: v})
		case capi.PropBytes:
			p = append(p, Property{ID: PropertyID(id), Bytes: append([]byte{}, a...)})
		case capi.PropUser:
			p = append(p, Property{ID: UserProperty, Key: string(a), Bytes: append([]byte{}, val...)})
		}
	})
	return p
}
