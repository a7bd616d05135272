package pahocompat

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ouzel-mqtt/ouzel/bindings/go/ouzel"
)

// Tune registers a function that adjusts the native options a client made from opts derives
// (call it before NewClient), for what paho's ClientOptions cannot express: a CA file when
// TLSConfig.RootCAs is set, a persistence directory, MQTT 5. It is the one line of
// Ouzel-specific code a program may add.
func Tune(opts *ClientOptions, fn func(*ouzel.Options)) *ClientOptions {
	tuners.Store(opts, fn)
	return opts
}

var tuners sync.Map // *ClientOptions -> func(*ouzel.Options)

func tunerFor(opts *ClientOptions) func(*ouzel.Options) {
	if fn, ok := tuners.Load(opts); ok {
		return fn.(func(*ouzel.Options))
	}
	return nil
}

// nativeOptions maps paho's options onto Ouzel's. Files made for client certificates given as
// tls.Certificate values are returned for removal when the client is done.
func nativeOptions(o *ClientOptions, tune func(*ouzel.Options)) (ouzel.Options, []string, error) {
	var n ouzel.Options
	var files []string
	for _, u := range o.Servers {
		s := *u
		switch strings.ToLower(s.Scheme) {
		case "tcp", "mqtt", "":
			s.Scheme = "mqtt"
		case "ssl", "tls", "mqtts", "tcps":
			s.Scheme = "mqtts"
		case "ws", "wss", "unix":
		default:
			return n, nil, fmt.Errorf("pahocompat: unsupported broker scheme %q", u.Scheme)
		}
		n.Servers = append(n.Servers, s.String())
	}
	n.ClientID = o.ClientID
	n.Username = o.Username
	if o.Password != "" {
		n.Password = []byte(o.Password)
	}
	if o.CredentialsProvider != nil {
		u, p := o.CredentialsProvider()
		n.Username, n.Password = u, []byte(p)
	}
	n.KeepSession = !o.CleanSession
	switch o.ProtocolVersion {
	case 3:
		n.Version = ouzel.MQTT31
	case 4, 0:
		n.Version = ouzel.MQTT311
	case 5:
		n.Version = ouzel.MQTT5
	default:
		return n, nil, fmt.Errorf("pahocompat: unsupported protocol version %d", o.ProtocolVersion)
	}
	switch {
	case o.KeepAlive == 0:
		n.KeepAlive = -1
	case o.KeepAlive > 0:
		n.KeepAlive = time.Duration(o.KeepAlive) * time.Second
	}
	n.PingTimeout = o.PingTimeout
	n.ConnectTimeout = o.ConnectTimeout
	if o.Dialer != nil && o.Dialer.Timeout > 0 && n.ConnectTimeout == 0 {
		n.ConnectTimeout = o.Dialer.Timeout
	}
	if o.Dialer != nil {
		if a, ok := o.Dialer.LocalAddr.(*net.TCPAddr); ok && a != nil {
			if a.IP != nil {
				n.BindAddress = a.IP.String()
			}
			n.BindPort = a.Port
		}
	}
	n.NoReconnect = !o.AutoReconnect
	n.ReconnectMaxDelay = o.MaxReconnectInterval
	if o.ConnectRetry && o.ConnectRetryInterval > 0 {
		n.ReconnectMinDelay = o.ConnectRetryInterval
	}
	// paho queues QoS 0 messages published while reconnecting; here they are really sent.
	n.QueueQoS0Offline = true
	// paho numbers every outgoing message in its store; PublishToken.MessageID is 0 for QoS 0.
	n.ManualAck = o.AutoAckDisabled
	if o.WillEnabled {
		n.Will = &ouzel.Will{Topic: o.WillTopic, Payload: o.WillPayload, QoS: ouzel.QoS(o.WillQos), Retain: o.WillRetained}
	}
	if len(o.HTTPHeaders) > 0 {
		ws := &ouzel.WebSocketOptions{}
		for name, values := range o.HTTPHeaders {
			for _, v := range values {
				ws.Headers = append(ws.Headers, name+": "+v)
			}
		}
		n.WebSocket = ws
	}
	if o.TLSConfig != nil {
		t, made, err := tlsOptions(o.TLSConfig)
		files = append(files, made...)
		if err != nil {
			removeAll(files)
			return n, nil, err
		}
		n.TLS = t
	}
	if n.ReconnectMaxDelay > 0 && n.ReconnectMinDelay == 0 && n.ReconnectMaxDelay < time.Second {
		n.ReconnectMinDelay = n.ReconnectMaxDelay // the engine's first delay (1s) would exceed it
	}
	if tune != nil {
		tune(&n)
	}
	if n.TLS != nil && n.TLS.CAFile == "" && n.TLS.CAPath == "" && o.TLSConfig != nil &&
		o.TLSConfig.RootCAs != nil && !o.TLSConfig.InsecureSkipVerify {
		removeAll(files)
		return n, nil, errors.New("pahocompat: TLSConfig.RootCAs cannot be read out of a Go x509.CertPool; " +
			"name the PEM file: pahocompat.Tune(opts, func(o *ouzel.Options) { o.TLS.CAFile = \"ca.pem\" })")
	}
	return n, files, nil
}

// tlsOptions maps what a crypto/tls Config says onto the engine's TLS (BoringSSL) options.
func tlsOptions(c *tls.Config) (*ouzel.TLSOptions, []string, error) {
	t := &ouzel.TLSOptions{
		ServerName:         c.ServerName,
		InsecureSkipVerify: c.InsecureSkipVerify,
		ALPN:               c.NextProtos,
		MinVersion:         c.MinVersion,
		MaxVersion:         c.MaxVersion,
	}
	if c.RootCAs == nil && len(c.Certificates) == 0 {
		return t, nil, nil
	}
	var files []string
	if len(c.Certificates) > 0 {
		cert, key, err := writeCertificate(c.Certificates[0])
		if err != nil {
			return nil, nil, err
		}
		files = append(files, cert, key)
		t.CertFile, t.KeyFile = cert, key
	}
	return t, files, nil
}

// writeCertificate writes a tls.Certificate's chain and key as PEM files only this user can read.
func writeCertificate(cert tls.Certificate) (string, string, error) {
	var chain []byte
	for _, der := range cert.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return "", "", fmt.Errorf("pahocompat: TLSConfig.Certificates[0]: %v", err)
	}
	certFile, err := writePrivate("ouzel-cert-*.pem", chain)
	if err != nil {
		return "", "", err
	}
	keyFile, err := writePrivate("ouzel-key-*.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}))
	if err != nil {
		os.Remove(certFile)
		return "", "", err
	}
	return certFile, keyFile, nil
}

func writePrivate(pattern string, data []byte) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

func removeAll(files []string) {
	for _, f := range files {
		os.Remove(f)
	}
}
