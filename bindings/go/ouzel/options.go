package ouzel

import (
	"fmt"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/internal/capi"
)

// ProtocolVersion is the MQTT protocol level.
type ProtocolVersion int

// Protocol levels. The zero value means MQTT 3.1.1.
const (
	MQTT31  ProtocolVersion = capi.MqttV31
	MQTT311 ProtocolVersion = capi.MqttV311
	MQTT5   ProtocolVersion = capi.MqttV5
)

// Unlimited, for the integer limits whose zero value means "the library's default".
const Unlimited = -1

// Options configure a Client. The zero value of every field means the library's default, noted
// in brackets. Fields are copied by NewClient.
type Options struct {
	// Servers are URIs tried in order on every (re)connection: mqtt://host[:1883],
	// mqtts://host[:8883] (also ssl://, tls://), ws://host[:80]/path, wss://host[:443]/path,
	// unix:///path/to/socket. Required.
	Servers  []string
	ClientID string // may be empty with MQTT 5: the server assigns one (ConnAck.AssignedClientID)
	Username string
	Password []byte // binary allowed
	Version  ProtocolVersion

	// KeepSession asks the server to keep the session (3.x Clean Session 0, 5.0 Clean Start 0;
	// with MQTT 5 also set a Session Expiry Interval in ConnectProperties) [false].
	KeepSession bool
	// ReconnectCleanStart is the Clean Start flag of reconnections: CleanStartAuto resumes when
	// the session is persistent [CleanStartAuto].
	ReconnectCleanStart CleanStartPolicy
	KeepAlive           time.Duration // [60s]; negative disables keepalive
	PingTimeout         time.Duration // how long to wait for PINGRESP [the keepalive interval]
	ConnectTimeout      time.Duration // TCP + handshakes + CONNACK [30s]
	HandshakeTimeout    time.Duration // each layer's handshake (proxy, TLS, WebSocket) [30s]

	// Reconnection after a connection was lost [on, 1s doubling up to 2min].
	NoReconnect       bool
	ReconnectMinDelay time.Duration
	ReconnectMaxDelay time.Duration
	// FollowServerReference follows an MQTT 5 Server Reference in a CONNACK or DISCONNECT.
	FollowServerReference bool

	// Outgoing flow: QoS 1/2 messages in flight [20; Unlimited: the server's Receive Maximum
	// only], and the queue of messages waiting for the connection or the window [unbounded].
	MaxInflight       int
	MaxQueuedMessages int
	MaxQueuedBytes    int64
	QueueFullPolicy   QueueFullPolicy
	QueueQoS0Offline  bool // queue QoS 0 messages while disconnected (else ErrNotConnected)
	LostSessionPolicy LostSessionPolicy
	AutoTopicAlias    bool // assign outgoing topic aliases (MQTT 5)
	// NumberQoS0Messages gives QoS 0 messages a packet identifier too, as paho does.
	NumberQoS0Messages bool

	// Incoming flow. With ManualAck the application acknowledges QoS 1/2 messages with
	// Message.Ack; otherwise the binding acknowledges each after its handler returned.
	ManualAck    bool
	QoS2Delivery QoS2DeliveryPolicy
	// MaxPendingMessages and MaxPendingBytes bound the received messages not yet handled
	// [10,000 messages, 64 MiB of topic + payload]; at the bound the client stops reading and
	// the server holds the rest (flow control, never loss).
	MaxPendingMessages int
	MaxPendingBytes    int64

	// Network.
	DisableNoDelay bool   // leave Nagle's algorithm on [TCP_NODELAY on]
	BindAddress    string // local numeric address to bind
	BindPort       int
	TLS            *TLSOptions
	WebSocket      *WebSocketOptions
	Proxy          *ProxyOptions

	// Will is published by the server when the connection is lost without DISCONNECT.
	Will *Will
	// ConnectProperties are the MQTT 5 CONNECT properties (Session Expiry Interval, Receive
	// Maximum, Maximum Packet Size, Topic Alias Maximum, User Property, ...).
	ConnectProperties Properties

	// Persistence keeps the session in files so a restarted process resumes it.
	Persistence *PersistenceOptions

	// Handlers, called on the client's dispatcher goroutine in protocol order with the messages
	// (never on the library's thread). They may call any method of the client, including a
	// Publish that waits.
	OnConnect        func(*Client, *ConnAck)
	OnConnectionLost func(*Client, error) // an established connection ended (not by Disconnect)
	OnConnectError   func(*Client, error) // a connection attempt failed
	// OnMessage receives the messages no subscription handler or channel took; without it they
	// go to Messages() once that was called, else they are counted (Stats.Unhandled) and logged.
	OnMessage func(*Message)
	// OnAuth receives the server's AUTH packets (MQTT 5 enhanced authentication); answer with
	// Client.AuthContinue.
	OnAuth func(*Client, ReasonCode, Properties)
	// Logger receives the library's log lines at or above LogLevel, on the binding's poller
	// goroutine: it must not block.
	Logger   func(level LogLevel, message string)
	LogLevel LogLevel // [LogWarning when Logger is set]
}

// CleanStartPolicy is the Clean Start flag of reconnections.
type CleanStartPolicy int

// Clean start policies.
const (
	CleanStartAuto   CleanStartPolicy = iota // resume when the session is persistent, else clean
	CleanStartAlways                         // always a clean session
	CleanStartNever                          // always ask to resume
)

// QueueFullPolicy is what a publish does when the outgoing queue is full.
type QueueFullPolicy int

// Queue full policies.
const (
	QueueFullRefuseNew      QueueFullPolicy = capi.QueueFullRefuseNew      // ErrQueueFull
	QueueFullDropOldestQoS0 QueueFullPolicy = capi.QueueFullDropOldestQos0 // make room by dropping queued QoS 0
)

// LostSessionPolicy is what happens to in-flight messages when the server lost the session.
type LostSessionPolicy int

// Lost session policies.
const (
	LostSessionFailInflight LostSessionPolicy = capi.LostSessionFailInflight // drop them (DropSessionLost)
	LostSessionResendAsNew  LostSessionPolicy = capi.LostSessionResendAsNew  // send them again as new
)

// QoS2DeliveryPolicy is when a received QoS 2 message is handed to the application.
type QoS2DeliveryPolicy int

// QoS 2 delivery policies.
const (
	QoS2OnPublish QoS2DeliveryPolicy = capi.Qos2DeliveryOnPublish
	QoS2OnPubrel  QoS2DeliveryPolicy = capi.Qos2DeliveryOnPubrel
)

// LogLevel is a library log level (paho's MQTT_LOG_* values).
type LogLevel int

// Log levels.
const (
	LogDebug   LogLevel = capi.LogDebug
	LogInfo    LogLevel = capi.LogInfo
	LogNotice  LogLevel = capi.LogNotice
	LogWarning LogLevel = capi.LogWarning
	LogError   LogLevel = capi.LogErr
)

// severity orders the levels (their values are paho's bit flags, DEBUG the largest).
func (l LogLevel) severity() int {
	switch l {
	case LogDebug:
		return 0
	case LogInfo:
		return 1
	case LogNotice:
		return 2
	case LogWarning:
		return 3
	}
	return 4
}

// TLSOptions configure TLS for mqtts://, ssl://, tls:// and wss:// servers (BoringSSL inside
// the library; Go's crypto/tls is not involved). The chain and host name are verified against
// the system's CAs unless told otherwise.
type TLSOptions struct {
	CAFile      string // PEM file of trusted CAs
	CAPath      string // directory of hashed PEM CAs
	NoSystemCAs bool   // do not trust the system store when no CAFile/CAPath is set
	CertFile    string // client certificate (PEM; may hold the key and the chain)
	KeyFile     string // its private key (PEM, may be encrypted)
	KeyPassword []byte
	ServerName  string   // SNI and the name checked [the URI's host]
	ALPN        []string // protocols offered ("mqtt", "x-amzn-mqtt-ca")
	Ciphers     string   // OpenSSL cipher string for TLS <= 1.2
	// MinVersion / MaxVersion as crypto/tls's VersionTLS10..VersionTLS13 (the protocol's own
	// numbers) [1.2 .. newest].
	MinVersion uint16
	MaxVersion uint16
	// InsecureSkipVerify accepts any certificate (no chain or host name check).
	InsecureSkipVerify bool
	// SkipHostnameCheck keeps the chain check but not the name check (paho's tls_insecure_set).
	SkipHostnameCheck   bool
	NoSessionResumption bool
	// TLS-PSK (TLS 1.2) instead of certificates.
	PSKIdentity string
	PSKKey      []byte
}

// WebSocketOptions configure ws:// and wss:// servers.
type WebSocketOptions struct {
	Headers         []string // extra upgrade request headers, "Name: value"
	Subprotocol     *string  // Sec-WebSocket-Protocol ["mqtt"]; "" offers none
	MaxFrameBytes   int      // largest frame sent [65,536]
	MaxMessageBytes int      // largest message taken [no limit]
}

// ProxyOptions route the connection through a proxy.
type ProxyOptions struct {
	// URI is http://[user[:password]@]host[:port], socks5://... or socks5h://...; it sets every
	// other field at once.
	URI string
	// Or the parts:
	Type     ProxyType
	Host     string
	Port     int
	Username string
	Password string
	LocalDNS bool // SOCKS5: resolve the broker's name here instead of at the proxy
	// FromEnvironment uses mqtt_proxy / MQTT_PROXY unless no_proxy names the broker.
	FromEnvironment bool
}

// ProxyType is the kind of proxy.
type ProxyType int

// Proxy types.
const (
	ProxyNone   ProxyType = capi.ProxyNone
	ProxyHTTP   ProxyType = capi.ProxyHttp
	ProxySOCKS5 ProxyType = capi.ProxySocks5
)

// PersistenceOptions keep the session in a directory (an append-only log per session), so a
// killed or restarted process resumes it: QoS 1/2 messages not yet acknowledged are sent again,
// and received QoS 2 messages are not delivered twice. Use with KeepSession.
type PersistenceOptions struct {
	Dir          string        // created 0700 if missing
	Key          string        // names the session in Dir [client id @ first server]
	Sync         SyncPolicy    // [SyncEveryWrite]
	SyncInterval time.Duration // SyncInterval's window [100ms]
	MaxBytes     int64         // [unlimited]
	MaxMessages  int           // [unlimited]
	FullPolicy   PersistenceFullPolicy
}

// SyncPolicy is when the session log is synced to disk.
type SyncPolicy int

// Sync policies.
const (
	SyncEveryWrite SyncPolicy = capi.SyncEveryWrite
	SyncInterval   SyncPolicy = capi.SyncInterval
	SyncNever      SyncPolicy = capi.SyncNever
)

// PersistenceFullPolicy is what a publish does when the store is full.
type PersistenceFullPolicy int

// Persistence full policies.
const (
	PersistenceFullRefuseNew      PersistenceFullPolicy = capi.PersistenceFullRefuseNew
	PersistenceFullDropOldestQoS0 PersistenceFullPolicy = capi.PersistenceFullDropOldestQos0
)

// Will is the message the server publishes when the client vanishes.
type Will struct {
	Topic      string
	Payload    []byte
	QoS        QoS
	Retain     bool
	Properties Properties // MQTT 5 Will Properties (Will Delay Interval, ...)
}

// encoded turns the options into the library's option list. names[i] is the Options field of
// entry i, for error messages.
func (o *Options) encoded() (*capi.Options, []string) {
	var e capi.Options
	var names []string
	add := func(name string) { names = append(names, name) }
	i := func(name string, id int, v int64) { e.Int(id, v); add(name) }
	b := func(name string, id int, v bool) { e.Bool(id, v); add(name) }
	s := func(name string, id int, v string) { e.String(id, v); add(name) }
	ms := func(d time.Duration) int64 { return int64((d + time.Millisecond - 1) / time.Millisecond) }

	i("the event queue", capi.OptEventQueue, 1)
	if len(o.Servers) > 0 {
		s("Servers[0]", capi.OptServerUri, o.Servers[0])
		for k, u := range o.Servers[1:] {
			s(fmt.Sprintf("Servers[%d]", k+1), capi.OptAddServerUri, u)
		}
	}
	s("ClientID", capi.OptClientId, o.ClientID)
	if o.Username != "" {
		s("Username", capi.OptUsername, o.Username)
	}
	if o.Password != nil {
		e.Bytes(capi.OptPassword, o.Password)
		add("Password")
	}
	if o.Version != 0 {
		i("Version", capi.OptProtocolVersion, int64(o.Version))
	}
	b("KeepSession", capi.OptCleanStart, !o.KeepSession)
	switch o.ReconnectCleanStart {
	case CleanStartAlways:
		i("ReconnectCleanStart", capi.OptReconnectCleanStart, 1)
	case CleanStartNever:
		i("ReconnectCleanStart", capi.OptReconnectCleanStart, 0)
	}
	switch {
	case o.KeepAlive < 0:
		i("KeepAlive", capi.OptKeepaliveSeconds, 0)
	case o.KeepAlive > 0:
		i("KeepAlive", capi.OptKeepaliveSeconds, int64((o.KeepAlive+time.Second-1)/time.Second))
	}
	if o.PingTimeout > 0 {
		i("PingTimeout", capi.OptPingTimeoutMs, ms(o.PingTimeout))
	}
	if o.ConnectTimeout > 0 {
		i("ConnectTimeout", capi.OptConnectTimeoutMs, ms(o.ConnectTimeout))
	}
	if o.HandshakeTimeout > 0 {
		i("HandshakeTimeout", capi.OptHandshakeTimeoutMs, ms(o.HandshakeTimeout))
	}
	if o.NoReconnect {
		b("NoReconnect", capi.OptReconnect, false)
	}
	if o.ReconnectMinDelay > 0 {
		i("ReconnectMinDelay", capi.OptReconnectMinDelayMs, ms(o.ReconnectMinDelay))
	}
	if o.ReconnectMaxDelay > 0 {
		i("ReconnectMaxDelay", capi.OptReconnectMaxDelayMs, ms(o.ReconnectMaxDelay))
	}
	if o.FollowServerReference {
		b("FollowServerReference", capi.OptFollowServerReference, true)
	}
	switch {
	case o.MaxInflight == Unlimited:
		i("MaxInflight", capi.OptMaxInflight, 0)
	case o.MaxInflight != 0:
		i("MaxInflight", capi.OptMaxInflight, int64(o.MaxInflight))
	}
	if o.MaxQueuedMessages != 0 {
		i("MaxQueuedMessages", capi.OptMaxQueuedMessages, int64(o.MaxQueuedMessages))
	}
	if o.MaxQueuedBytes != 0 {
		i("MaxQueuedBytes", capi.OptMaxQueuedBytes, o.MaxQueuedBytes)
	}
	if o.QueueFullPolicy != 0 {
		i("QueueFullPolicy", capi.OptQueueFullPolicy, int64(o.QueueFullPolicy))
	}
	if o.QueueQoS0Offline {
		b("QueueQoS0Offline", capi.OptQueueQos0Offline, true)
	}
	if o.LostSessionPolicy != 0 {
		i("LostSessionPolicy", capi.OptLostSessionPolicy, int64(o.LostSessionPolicy))
	}
	if o.AutoTopicAlias {
		b("AutoTopicAlias", capi.OptAutoTopicAlias, true)
	}
	if o.NumberQoS0Messages {
		b("NumberQoS0Messages", capi.OptNumberQos0Messages, true)
	}
	if o.ManualAck {
		b("ManualAck", capi.OptManualAck, true)
	}
	if o.QoS2Delivery != 0 {
		i("QoS2Delivery", capi.OptQos2Delivery, int64(o.QoS2Delivery))
	}
	if o.MaxPendingMessages != 0 {
		i("MaxPendingMessages", capi.OptEventQueueMaxMessages, int64(o.MaxPendingMessages))
	}
	if o.MaxPendingBytes != 0 {
		i("MaxPendingBytes", capi.OptEventQueueMaxBytes, o.MaxPendingBytes)
	}
	if o.Logger != nil {
		level := o.LogLevel
		if level == 0 {
			level = LogWarning
		}
		i("LogLevel", capi.OptEventQueueLogLevel, int64(level))
	}
	if o.DisableNoDelay {
		b("DisableNoDelay", capi.OptTcpNodelay, false)
	}
	if o.BindAddress != "" {
		s("BindAddress", capi.OptBindAddress, o.BindAddress)
	}
	if o.BindPort != 0 {
		i("BindPort", capi.OptBindPort, int64(o.BindPort))
	}
	if t := o.TLS; t != nil {
		if t.CAFile != "" {
			s("TLS.CAFile", capi.OptTlsCaFile, t.CAFile)
		}
		if t.CAPath != "" {
			s("TLS.CAPath", capi.OptTlsCaPath, t.CAPath)
		}
		if t.NoSystemCAs {
			b("TLS.NoSystemCAs", capi.OptTlsUseSystemCas, false)
		}
		if t.CertFile != "" {
			s("TLS.CertFile", capi.OptTlsCertFile, t.CertFile)
		}
		if t.KeyFile != "" {
			s("TLS.KeyFile", capi.OptTlsKeyFile, t.KeyFile)
		}
		if t.KeyPassword != nil {
			e.Bytes(capi.OptTlsKeyPassword, t.KeyPassword)
			add("TLS.KeyPassword")
		}
		if t.ServerName != "" {
			s("TLS.ServerName", capi.OptTlsServerName, t.ServerName)
		}
		for k, p := range t.ALPN {
			s(fmt.Sprintf("TLS.ALPN[%d]", k), capi.OptTlsAddAlpn, p)
		}
		if t.Ciphers != "" {
			s("TLS.Ciphers", capi.OptTlsCiphers, t.Ciphers)
		}
		if t.MinVersion != 0 {
			i("TLS.MinVersion", capi.OptTlsMinVersion, int64(t.MinVersion))
		}
		if t.MaxVersion != 0 {
			i("TLS.MaxVersion", capi.OptTlsMaxVersion, int64(t.MaxVersion))
		}
		if t.InsecureSkipVerify {
			b("TLS.InsecureSkipVerify", capi.OptTlsVerifyPeer, false)
		}
		if t.SkipHostnameCheck {
			b("TLS.SkipHostnameCheck", capi.OptTlsVerifyHostname, false)
		}
		if t.NoSessionResumption {
			b("TLS.NoSessionResumption", capi.OptTlsSessionResumption, false)
		}
		if t.PSKIdentity != "" {
			s("TLS.PSKIdentity", capi.OptTlsPskIdentity, t.PSKIdentity)
		}
		if t.PSKKey != nil {
			e.Bytes(capi.OptTlsPskKey, t.PSKKey)
			add("TLS.PSKKey")
		}
	}
	if w := o.WebSocket; w != nil {
		for k, h := range w.Headers {
			s(fmt.Sprintf("WebSocket.Headers[%d]", k), capi.OptWsAddHeader, h)
		}
		if w.Subprotocol != nil {
			s("WebSocket.Subprotocol", capi.OptWsSubprotocol, *w.Subprotocol)
		}
		if w.MaxFrameBytes != 0 {
			i("WebSocket.MaxFrameBytes", capi.OptWsMaxFrameBytes, int64(w.MaxFrameBytes))
		}
		if w.MaxMessageBytes != 0 {
			i("WebSocket.MaxMessageBytes", capi.OptWsMaxMessageBytes, int64(w.MaxMessageBytes))
		}
	}
	if p := o.Proxy; p != nil {
		if p.URI != "" {
			s("Proxy.URI", capi.OptProxyUri, p.URI)
		}
		if p.Type != ProxyNone {
			i("Proxy.Type", capi.OptProxyType, int64(p.Type))
		}
		if p.Host != "" {
			s("Proxy.Host", capi.OptProxyHost, p.Host)
		}
		if p.Port != 0 {
			i("Proxy.Port", capi.OptProxyPort, int64(p.Port))
		}
		if p.Username != "" {
			s("Proxy.Username", capi.OptProxyUsername, p.Username)
		}
		if p.Password != "" {
			s("Proxy.Password", capi.OptProxyPassword, p.Password)
		}
		if p.LocalDNS {
			b("Proxy.LocalDNS", capi.OptProxyRemoteDns, false)
		}
		if p.FromEnvironment {
			b("Proxy.FromEnvironment", capi.OptProxyFromEnvironment, true)
		}
	}
	if w := o.Will; w != nil {
		e.Will(w.Topic, w.Payload, int(w.QoS), w.Retain, w.Properties.encode())
		add("Will")
	}
	if len(o.ConnectProperties) > 0 {
		e.ConnectProps(o.ConnectProperties.encode())
		add("ConnectProperties")
	}
	if p := o.Persistence; p != nil {
		s("Persistence.Dir", capi.OptPersistenceDir, p.Dir)
		if p.Key != "" {
			s("Persistence.Key", capi.OptPersistenceKey, p.Key)
		}
		if p.Sync != 0 {
			i("Persistence.Sync", capi.OptPersistenceSync, int64(p.Sync))
		}
		if p.SyncInterval > 0 {
			i("Persistence.SyncInterval", capi.OptPersistenceSyncIntervalMs, ms(p.SyncInterval))
		}
		if p.MaxBytes != 0 {
			i("Persistence.MaxBytes", capi.OptPersistenceMaxBytes, p.MaxBytes)
		}
		if p.MaxMessages != 0 {
			i("Persistence.MaxMessages", capi.OptPersistenceMaxMessages, int64(p.MaxMessages))
		}
		if p.FullPolicy != 0 {
			i("Persistence.FullPolicy", capi.OptPersistenceFullPolicy, int64(p.FullPolicy))
		}
	}
	return &e, names
}

// optionError names the Options field behind a failed option list.
func optionError(op string, err error, names []string) error {
	out := wrap(op, err)
	if ce, ok := err.(*capi.Error); ok && ce.Index >= 0 && ce.Index < len(names) {
		out.(*Error).Message = names[ce.Index] + ": " + ce.Message
	}
	return out
}
