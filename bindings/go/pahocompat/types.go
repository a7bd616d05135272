// Package pahocompat is a drop-in for github.com/eclipse/paho.mqtt.golang (v1.5) on the Ouzel
// engine. Existing code changes its import and nothing else:
//
//	import mqtt "github.com/ouzel-mqtt/ouzel/bindings/go/pahocompat" // was "github.com/eclipse/paho.mqtt.golang"
//
// or keeps paho's import for its types and options and only swaps the constructor:
//
//	c := pahocompat.NewClient(mqtt.NewClientOptions().AddBroker("tcp://localhost:1883"))
//
// The types are paho's own (type aliases), so a Client made here is a paho mqtt.Client, a
// handler written for paho is a handler here, and paho's ClientOptions builder configures it.
// What behaves differently, and why, is in README.md ("pahocompat").
package pahocompat

import (
	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// paho's interfaces and types, the same types (not copies).
type (
	Client                        = mqtt.Client
	Message                       = mqtt.Message
	Token                         = mqtt.Token
	MessageHandler                = mqtt.MessageHandler
	ClientOptions                 = mqtt.ClientOptions
	ClientOptionsReader           = mqtt.ClientOptionsReader
	ConnectionLostHandler         = mqtt.ConnectionLostHandler
	OnConnectHandler              = mqtt.OnConnectHandler
	ReconnectHandler              = mqtt.ReconnectHandler
	ConnectionAttemptHandler      = mqtt.ConnectionAttemptHandler
	ConnectionNotificationHandler = mqtt.ConnectionNotificationHandler
	ConnectionNotification        = mqtt.ConnectionNotification
	ConnectionNotificationType    = mqtt.ConnectionNotificationType
	// The notifications this client sends: Connected, Failed (a connection attempt) and Lost.
	ConnectionNotificationConnected    = mqtt.ConnectionNotificationConnected
	ConnectionNotificationConnecting   = mqtt.ConnectionNotificationConnecting
	ConnectionNotificationFailed       = mqtt.ConnectionNotificationFailed
	ConnectionNotificationLost         = mqtt.ConnectionNotificationLost
	ConnectionNotificationBroker       = mqtt.ConnectionNotificationBroker
	ConnectionNotificationBrokerFailed = mqtt.ConnectionNotificationBrokerFailed
	CredentialsProvider                = mqtt.CredentialsProvider
	OpenConnectionFunc                 = mqtt.OpenConnectionFunc
	WebsocketOptions                   = mqtt.WebsocketOptions
	Store                              = mqtt.Store
	Logger                             = mqtt.Logger
	NOOPLogger                         = mqtt.NOOPLogger
)

// paho's notification types.
const (
	ConnectionNotificationTypeConnected    = mqtt.ConnectionNotificationTypeConnected
	ConnectionNotificationTypeConnecting   = mqtt.ConnectionNotificationTypeConnecting
	ConnectionNotificationTypeFailed       = mqtt.ConnectionNotificationTypeFailed
	ConnectionNotificationTypeLost         = mqtt.ConnectionNotificationTypeLost
	ConnectionNotificationTypeBroker       = mqtt.ConnectionNotificationTypeBroker
	ConnectionNotificationTypeBrokerFailed = mqtt.ConnectionNotificationTypeBrokerFailed
)

// paho's constructors and helpers that involve no connection.
var (
	NewClientOptions = mqtt.NewClientOptions
	NewOptionsReader = mqtt.NewOptionsReader
	NewMemoryStore   = mqtt.NewMemoryStore
	NewFileStore     = mqtt.NewFileStore
	WaitTokenTimeout = mqtt.WaitTokenTimeout
	ErrNotConnected  = mqtt.ErrNotConnected
)

// The loggers, as paho's package variables: set them to see the engine's log lines (ERROR and
// CRITICAL get errors, WARN warnings, DEBUG everything) and this package's own notes.
var (
	ERROR    Logger = NOOPLogger{}
	CRITICAL Logger = NOOPLogger{}
	WARN     Logger = NOOPLogger{}
	DEBUG    Logger = NOOPLogger{}
)
