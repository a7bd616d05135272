package capi

// The C headers' constants under Go names (OUZEL_OPT_TLS_CA_FILE is OptTlsCaFile). Each value
// is the header's own macro read through cgo, so the two cannot disagree.

// #include "shim.h"
import "C"

// From ouzel/errors.h.
const (
	OK          = C.OUZEL_OK
	Einval      = C.OUZEL_EINVAL
	Enomem      = C.OUZEL_ENOMEM
	Enotconn    = C.OUZEL_ENOTCONN
	Equeuefull  = C.OUZEL_EQUEUEFULL
	Etimedout   = C.OUZEL_ETIMEDOUT
	Eclosed     = C.OUZEL_ECLOSED
	Erefused    = C.OUZEL_EREFUSED
	Eprotocol   = C.OUZEL_EPROTOCOL
	Etls        = C.OUZEL_ETLS
	Etoolarge   = C.OUZEL_ETOOLARGE
	Ewouldblock = C.OUZEL_EWOULDBLOCK
	Ebusy       = C.OUZEL_EBUSY
	Eio         = C.OUZEL_EIO
	Enotsup     = C.OUZEL_ENOTSUP
	Enotfound   = C.OUZEL_ENOTFOUND
	Eversion    = C.OUZEL_EVERSION
	Einternal   = C.OUZEL_EINTERNAL
	Estore      = C.OUZEL_ESTORE
)

// From ouzel/options.h.
const (
	MqttV31                  = C.OUZEL_MQTT_V31
	MqttV311                 = C.OUZEL_MQTT_V311
	MqttV5                   = C.OUZEL_MQTT_V5
	OptProtocolVersion       = C.OUZEL_OPT_PROTOCOL_VERSION
	OptCleanStart            = C.OUZEL_OPT_CLEAN_START
	OptKeepaliveSeconds      = C.OUZEL_OPT_KEEPALIVE_SECONDS
	OptConnectTimeoutMs      = C.OUZEL_OPT_CONNECT_TIMEOUT_MS
	OptMaxInflight           = C.OUZEL_OPT_MAX_INFLIGHT
	OptMaxQueuedMessages     = C.OUZEL_OPT_MAX_QUEUED_MESSAGES
	OptMaxQueuedBytes        = C.OUZEL_OPT_MAX_QUEUED_BYTES
	OptQueueFullPolicy       = C.OUZEL_OPT_QUEUE_FULL_POLICY
	OptQueueQos0Offline      = C.OUZEL_OPT_QUEUE_QOS0_OFFLINE
	OptLostSessionPolicy     = C.OUZEL_OPT_LOST_SESSION_POLICY
	OptAutoTopicAlias        = C.OUZEL_OPT_AUTO_TOPIC_ALIAS
	OptManualAck             = C.OUZEL_OPT_MANUAL_ACK
	OptQos2Delivery          = C.OUZEL_OPT_QOS2_DELIVERY
	OptReconnect             = C.OUZEL_OPT_RECONNECT
	OptReconnectMinDelayMs   = C.OUZEL_OPT_RECONNECT_MIN_DELAY_MS
	OptReconnectMaxDelayMs   = C.OUZEL_OPT_RECONNECT_MAX_DELAY_MS
	OptFollowServerReference = C.OUZEL_OPT_FOLLOW_SERVER_REFERENCE
	OptTcpNodelay            = C.OUZEL_OPT_TCP_NODELAY
	OptNumberQos0Messages    = C.OUZEL_OPT_NUMBER_QOS0_MESSAGES
	OptPingTimeoutMs         = C.OUZEL_OPT_PING_TIMEOUT_MS
	OptEventQueue            = C.OUZEL_OPT_EVENT_QUEUE
	OptEventQueueMaxMessages = C.OUZEL_OPT_EVENT_QUEUE_MAX_MESSAGES
	OptEventQueueMaxBytes    = C.OUZEL_OPT_EVENT_QUEUE_MAX_BYTES
	OptEventQueueLogLevel    = C.OUZEL_OPT_EVENT_QUEUE_LOG_LEVEL
	OptReconnectCleanStart   = C.OUZEL_OPT_RECONNECT_CLEAN_START
	OptBindPort              = C.OUZEL_OPT_BIND_PORT
	OptTlsUseSystemCas       = C.OUZEL_OPT_TLS_USE_SYSTEM_CAS
	OptTlsVerifyPeer         = C.OUZEL_OPT_TLS_VERIFY_PEER
	OptTlsVerifyHostname     = C.OUZEL_OPT_TLS_VERIFY_HOSTNAME
	OptTlsMinVersion         = C.OUZEL_OPT_TLS_MIN_VERSION
	OptTlsMaxVersion         = C.OUZEL_OPT_TLS_MAX_VERSION
	OptTlsSessionResumption  = C.OUZEL_OPT_TLS_SESSION_RESUMPTION
	OptWsMaxFrameBytes       = C.OUZEL_OPT_WS_MAX_FRAME_BYTES
	OptWsMaxMessageBytes     = C.OUZEL_OPT_WS_MAX_MESSAGE_BYTES
	OptProxyType             = C.OUZEL_OPT_PROXY_TYPE
	OptProxyPort             = C.OUZEL_OPT_PROXY_PORT
	OptProxyRemoteDns        = C.OUZEL_OPT_PROXY_REMOTE_DNS
	OptProxyFromEnvironment  = C.OUZEL_OPT_PROXY_FROM_ENVIRONMENT
	OptHandshakeTimeoutMs    = C.OUZEL_OPT_HANDSHAKE_TIMEOUT_MS
	OptServerUri             = C.OUZEL_OPT_SERVER_URI
	OptAddServerUri          = C.OUZEL_OPT_ADD_SERVER_URI
	OptClientId              = C.OUZEL_OPT_CLIENT_ID
	OptUsername              = C.OUZEL_OPT_USERNAME
	OptPassword              = C.OUZEL_OPT_PASSWORD
	OptBindAddress           = C.OUZEL_OPT_BIND_ADDRESS
	OptTlsCaFile             = C.OUZEL_OPT_TLS_CA_FILE
	OptTlsCaPath             = C.OUZEL_OPT_TLS_CA_PATH
	OptTlsCertFile           = C.OUZEL_OPT_TLS_CERT_FILE
	OptTlsKeyFile            = C.OUZEL_OPT_TLS_KEY_FILE
	OptTlsKeyPassword        = C.OUZEL_OPT_TLS_KEY_PASSWORD
	OptTlsServerName         = C.OUZEL_OPT_TLS_SERVER_NAME
	OptTlsAlpn               = C.OUZEL_OPT_TLS_ALPN
	OptTlsAddAlpn            = C.OUZEL_OPT_TLS_ADD_ALPN
	OptTlsCiphers            = C.OUZEL_OPT_TLS_CIPHERS
	OptTlsPskIdentity        = C.OUZEL_OPT_TLS_PSK_IDENTITY
	OptTlsPskKey             = C.OUZEL_OPT_TLS_PSK_KEY
	OptTlsPskKeyHex          = C.OUZEL_OPT_TLS_PSK_KEY_HEX
	OptWsAddHeader           = C.OUZEL_OPT_WS_ADD_HEADER
	OptWsSubprotocol         = C.OUZEL_OPT_WS_SUBPROTOCOL
	OptProxyUri              = C.OUZEL_OPT_PROXY_URI
	OptProxyHost             = C.OUZEL_OPT_PROXY_HOST
	OptProxyUsername         = C.OUZEL_OPT_PROXY_USERNAME
	OptProxyPassword         = C.OUZEL_OPT_PROXY_PASSWORD
	QueueFullRefuseNew       = C.OUZEL_QUEUE_FULL_REFUSE_NEW
	QueueFullDropOldestQos0  = C.OUZEL_QUEUE_FULL_DROP_OLDEST_QOS0
	LostSessionFailInflight  = C.OUZEL_LOST_SESSION_FAIL_INFLIGHT
	LostSessionResendAsNew   = C.OUZEL_LOST_SESSION_RESEND_AS_NEW
	Qos2DeliveryOnPublish    = C.OUZEL_QOS2_DELIVERY_ON_PUBLISH
	Qos2DeliveryOnPubrel     = C.OUZEL_QOS2_DELIVERY_ON_PUBREL
	TlsV10                   = C.OUZEL_TLS_V1_0
	TlsV11                   = C.OUZEL_TLS_V1_1
	TlsV12                   = C.OUZEL_TLS_V1_2
	TlsV13                   = C.OUZEL_TLS_V1_3
	ProxyNone                = C.OUZEL_PROXY_NONE
	ProxyHttp                = C.OUZEL_PROXY_HTTP
	ProxySocks5              = C.OUZEL_PROXY_SOCKS5
)

// From ouzel/persistence.h.
const (
	OptPersistenceSync            = C.OUZEL_OPT_PERSISTENCE_SYNC
	OptPersistenceSyncIntervalMs  = C.OUZEL_OPT_PERSISTENCE_SYNC_INTERVAL_MS
	OptPersistenceMaxBytes        = C.OUZEL_OPT_PERSISTENCE_MAX_BYTES
	OptPersistenceMaxMessages     = C.OUZEL_OPT_PERSISTENCE_MAX_MESSAGES
	OptPersistenceFullPolicy      = C.OUZEL_OPT_PERSISTENCE_FULL_POLICY
	OptPersistenceDir             = C.OUZEL_OPT_PERSISTENCE_DIR
	OptPersistenceKey             = C.OUZEL_OPT_PERSISTENCE_KEY
	SyncEveryWrite                = C.OUZEL_SYNC_EVERY_WRITE
	SyncInterval                  = C.OUZEL_SYNC_INTERVAL
	SyncNever                     = C.OUZEL_SYNC_NEVER
	PersistenceFullRefuseNew      = C.OUZEL_PERSISTENCE_FULL_REFUSE_NEW
	PersistenceFullDropOldestQos0 = C.OUZEL_PERSISTENCE_FULL_DROP_OLDEST_QOS0
)

// From ouzel/client.h.
const (
	DeliveryQueued           = C.OUZEL_DELIVERY_QUEUED
	DeliveryInflight         = C.OUZEL_DELIVERY_INFLIGHT
	DeliveryAcknowledged     = C.OUZEL_DELIVERY_ACKNOWLEDGED
	DeliveryExpired          = C.OUZEL_DELIVERY_EXPIRED
	DeliveryDropped          = C.OUZEL_DELIVERY_DROPPED
	DropNone                 = C.OUZEL_DROP_NONE
	DropQueueFull            = C.OUZEL_DROP_QUEUE_FULL
	DropSessionLost          = C.OUZEL_DROP_SESSION_LOST
	DropTooLarge             = C.OUZEL_DROP_TOO_LARGE
	DropRejected             = C.OUZEL_DROP_REJECTED
	DropConnectionLost       = C.OUZEL_DROP_CONNECTION_LOST
	DropCancelled            = C.OUZEL_DROP_CANCELLED
	LogDebug                 = C.OUZEL_LOG_DEBUG
	LogInfo                  = C.OUZEL_LOG_INFO
	LogNotice                = C.OUZEL_LOG_NOTICE
	LogWarning               = C.OUZEL_LOG_WARNING
	LogErr                   = C.OUZEL_LOG_ERR
	StatMessagesSent         = C.OUZEL_STAT_MESSAGES_SENT
	StatMessagesReceived     = C.OUZEL_STAT_MESSAGES_RECEIVED
	StatBytesSent            = C.OUZEL_STAT_BYTES_SENT
	StatBytesReceived        = C.OUZEL_STAT_BYTES_RECEIVED
	StatInflight             = C.OUZEL_STAT_INFLIGHT
	StatQueued               = C.OUZEL_STAT_QUEUED
	StatReconnects           = C.OUZEL_STAT_RECONNECTS
	StatLastDisconnectReason = C.OUZEL_STAT_LAST_DISCONNECT_REASON
)

// From ouzel/properties.h.
const (
	PropPayloadFormatIndicator          = C.OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR
	PropMessageExpiryInterval           = C.OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL
	PropContentType                     = C.OUZEL_PROP_CONTENT_TYPE
	PropResponseTopic                   = C.OUZEL_PROP_RESPONSE_TOPIC
	PropCorrelationData                 = C.OUZEL_PROP_CORRELATION_DATA
	PropSubscriptionIdentifier          = C.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER
	PropSessionExpiryInterval           = C.OUZEL_PROP_SESSION_EXPIRY_INTERVAL
	PropAssignedClientIdentifier        = C.OUZEL_PROP_ASSIGNED_CLIENT_IDENTIFIER
	PropServerKeepAlive                 = C.OUZEL_PROP_SERVER_KEEP_ALIVE
	PropAuthenticationMethod            = C.OUZEL_PROP_AUTHENTICATION_METHOD
	PropAuthenticationData              = C.OUZEL_PROP_AUTHENTICATION_DATA
	PropRequestProblemInformation       = C.OUZEL_PROP_REQUEST_PROBLEM_INFORMATION
	PropWillDelayInterval               = C.OUZEL_PROP_WILL_DELAY_INTERVAL
	PropRequestResponseInformation      = C.OUZEL_PROP_REQUEST_RESPONSE_INFORMATION
	PropResponseInformation             = C.OUZEL_PROP_RESPONSE_INFORMATION
	PropServerReference                 = C.OUZEL_PROP_SERVER_REFERENCE
	PropReasonString                    = C.OUZEL_PROP_REASON_STRING
	PropReceiveMaximum                  = C.OUZEL_PROP_RECEIVE_MAXIMUM
	PropTopicAliasMaximum               = C.OUZEL_PROP_TOPIC_ALIAS_MAXIMUM
	PropTopicAlias                      = C.OUZEL_PROP_TOPIC_ALIAS
	PropMaximumQos                      = C.OUZEL_PROP_MAXIMUM_QOS
	PropRetainAvailable                 = C.OUZEL_PROP_RETAIN_AVAILABLE
	PropUserProperty                    = C.OUZEL_PROP_USER_PROPERTY
	PropMaximumPacketSize               = C.OUZEL_PROP_MAXIMUM_PACKET_SIZE
	PropWildcardSubscriptionAvailable   = C.OUZEL_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE
	PropSubscriptionIdentifierAvailable = C.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE
	PropSharedSubscriptionAvailable     = C.OUZEL_PROP_SHARED_SUBSCRIPTION_AVAILABLE
)

// From ouzel/protocol.h.
const (
	PacketConnect        = C.OUZEL_PACKET_CONNECT
	PacketConnack        = C.OUZEL_PACKET_CONNACK
	PacketPublish        = C.OUZEL_PACKET_PUBLISH
	PacketPuback         = C.OUZEL_PACKET_PUBACK
	PacketPubrec         = C.OUZEL_PACKET_PUBREC
	PacketPubrel         = C.OUZEL_PACKET_PUBREL
	PacketPubcomp        = C.OUZEL_PACKET_PUBCOMP
	PacketSubscribe      = C.OUZEL_PACKET_SUBSCRIBE
	PacketSuback         = C.OUZEL_PACKET_SUBACK
	PacketUnsubscribe    = C.OUZEL_PACKET_UNSUBSCRIBE
	PacketUnsuback       = C.OUZEL_PACKET_UNSUBACK
	PacketPingreq        = C.OUZEL_PACKET_PINGREQ
	PacketPingresp       = C.OUZEL_PACKET_PINGRESP
	PacketDisconnect     = C.OUZEL_PACKET_DISCONNECT
	PacketAuth           = C.OUZEL_PACKET_AUTH
	PacketWillProperties = C.OUZEL_PACKET_WILL_PROPERTIES
	ProptypeByte         = C.OUZEL_PROPTYPE_BYTE
	ProptypeTwoByte      = C.OUZEL_PROPTYPE_TWO_BYTE
	ProptypeFourByte     = C.OUZEL_PROPTYPE_FOUR_BYTE
	ProptypeVarint       = C.OUZEL_PROPTYPE_VARINT
	ProptypeUtf8         = C.OUZEL_PROPTYPE_UTF8
	ProptypeBinary       = C.OUZEL_PROPTYPE_BINARY
	ProptypeUtf8Pair     = C.OUZEL_PROPTYPE_UTF8_PAIR
)

// Connection states (ouzel/client.h).
const (
	StateDisconnected   = C.OUZEL_STATE_DISCONNECTED
	StateConnectPending = C.OUZEL_STATE_CONNECT_PENDING
	StateConnecting     = C.OUZEL_STATE_CONNECTING
	StateConnected      = C.OUZEL_STATE_CONNECTED
	StateDisconnecting  = C.OUZEL_STATE_DISCONNECTING
	StateConnectionLost = C.OUZEL_STATE_CONNECTION_LOST
)
