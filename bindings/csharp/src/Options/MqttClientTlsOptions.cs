using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace Ouzel.Mqtt
{
    /// <summary>A TLS protocol version (the protocol's own numbers).</summary>
    public enum MqttTlsVersion
    {
        /// <summary>The engine's default (minimum TLS 1.2, maximum the newest).</summary>
        Default = 0,
        /// <summary>TLS 1.0 (deprecated, RFC 8996).</summary>
        Tls10 = 0x0301,
        /// <summary>TLS 1.1 (deprecated, RFC 8996).</summary>
        Tls11 = 0x0302,
        /// <summary>TLS 1.2.</summary>
        Tls12 = 0x0303,
        /// <summary>TLS 1.3.</summary>
        Tls13 = 0x0304,
    }

    /// <summary>What a certificate validation handler sees: the engine's verdict and the chain.</summary>
    public sealed class MqttClientCertificateValidationEventArgs
    {
        internal MqttClientCertificateValidationEventArgs(bool preverified, string error, string host,
                                                          IReadOnlyList<byte[]> chain)
        {
            Preverified = preverified;
            Error = error;
            Host = host;
            Chain = chain;
        }

        /// <summary>True when the engine accepted the chain and the host name.</summary>
        public bool Preverified { get; private set; }
        /// <summary>Why the engine did not ("certificate has expired"); "" when it did.</summary>
        public string Error { get; private set; }
        /// <summary>The name checked (the SNI name, else the URI's host).</summary>
        public string Host { get; private set; }
        /// <summary>The server's chain as DER, leaf first.</summary>
        public IReadOnlyList<byte[]> Chain { get; private set; }

        /// <summary>The leaf certificate, or null when the server sent none.</summary>
        public X509Certificate2 Certificate
        {
            get { return Chain.Count == 0 ? null : new X509Certificate2(Chain[0]); }
        }
    }

    /// <summary>TLS settings: used for mqtts://, ssl:// and wss:// URIs, or for every URI when
    /// <see cref="UseTls"/> is set.</summary>
    public sealed class MqttClientTlsOptions
    {
        /// <summary>Creates empty settings (engine defaults; TLS not forced).</summary>
        public MqttClientTlsOptions()
        {
            ApplicationProtocols = new List<string>();
        }

        /// <summary>Turn mqtt:// into mqtts:// and ws:// into wss://.</summary>
        public bool UseTls { get; set; }
        /// <summary>PEM file of trusted CA certificates, or null.</summary>
        public string CaFile { get; set; }
        /// <summary>Directory of hashed PEM CA certificates, or null.</summary>
        public string CaPath { get; set; }
        /// <summary>Trust the system store when no CA file or path is set (engine default true).</summary>
        public bool? UseSystemCertificates { get; set; }
        /// <summary>Client certificate (PEM; may hold the chain and the key), or null.</summary>
        public string CertificateFile { get; set; }
        /// <summary>Its private key (PEM), or null when in the certificate file.</summary>
        public string KeyFile { get; set; }
        /// <summary>Password of an encrypted key, or null.</summary>
        public byte[] KeyPassword { get; set; }
        /// <summary>Accept any server certificate (the insecure opt-out; also skips the name check).</summary>
        public bool AllowUntrustedCertificates { get; set; }
        /// <summary>Check that the certificate names the server (engine default true).</summary>
        public bool? VerifyHostname { get; set; }
        /// <summary>SNI and host name to check, or null for the URI's host.</summary>
        public string TargetHost { get; set; }
        /// <summary>Lowest TLS version.</summary>
        public MqttTlsVersion MinimumVersion { get; set; }
        /// <summary>Highest TLS version.</summary>
        public MqttTlsVersion MaximumVersion { get; set; }
        /// <summary>ALPN protocol names offered, in order.</summary>
        public List<string> ApplicationProtocols { get; private set; }
        /// <summary>OpenSSL cipher string for TLS 1.2 and below, or null.</summary>
        public string CipherSuites { get; set; }
        /// <summary>TLS-PSK identity, or null.</summary>
        public string PreSharedKeyIdentity { get; set; }
        /// <summary>TLS-PSK key bytes, or null.</summary>
        public byte[] PreSharedKey { get; set; }
        /// <summary>Resume TLS sessions on reconnect (engine default true).</summary>
        public bool? SessionResumption { get; set; }
        /// <summary>Decides about the server's certificate after the engine's own verification.
        /// Runs on the engine's network thread during the handshake: keep it short and do not call
        /// the client from it. An exception it throws rejects the server.</summary>
        public Func<MqttClientCertificateValidationEventArgs, bool> CertificateValidationHandler { get; set; }
    }

    /// <summary>Builds <see cref="MqttClientTlsOptions"/> (MQTTnet's MqttClientTlsOptionsBuilder).</summary>
    public sealed class MqttClientTlsOptionsBuilder
    {
        readonly MqttClientTlsOptions options;

        /// <summary>Builds into new options.</summary>
        public MqttClientTlsOptionsBuilder() : this(new MqttClientTlsOptions()) { }

        internal MqttClientTlsOptionsBuilder(MqttClientTlsOptions options)
        {
            this.options = options;
        }

        /// <summary>Forces TLS on every server URI.</summary>
        public MqttClientTlsOptionsBuilder UseTls(bool useTls = true)
        {
            options.UseTls = useTls;
            return this;
        }

        /// <summary>Trusts the CA certificates of a PEM file.</summary>
        public MqttClientTlsOptionsBuilder WithCaFile(string path)
        {
            options.CaFile = path;
            return this;
        }

        /// <summary>Trusts the hashed CA certificates of a directory.</summary>
        public MqttClientTlsOptionsBuilder WithCaPath(string path)
        {
            options.CaPath = path;
            return this;
        }

        /// <summary>Whether the system's CA store is trusted when no CA file or path is set.</summary>
        public MqttClientTlsOptionsBuilder WithSystemCertificates(bool use = true)
        {
            options.UseSystemCertificates = use;
            return this;
        }

        /// <summary>Presents a client certificate (PEM files; the key may be encrypted).</summary>
        public MqttClientTlsOptionsBuilder WithClientCertificateFile(string certificateFile, string keyFile = null,
                                                                     string keyPassword = null)
        {
            options.CertificateFile = certificateFile;
            options.KeyFile = keyFile;
            options.KeyPassword = keyPassword == null ? null : System.Text.Encoding.UTF8.GetBytes(keyPassword);
            return this;
        }

        /// <summary>Accepts any server certificate. Insecure: for laboratories only.</summary>
        public MqttClientTlsOptionsBuilder WithAllowUntrustedCertificates(bool allow = true)
        {
            options.AllowUntrustedCertificates = allow;
            return this;
        }

        /// <summary>Whether the certificate must name the server (the chain is verified either way).</summary>
        public MqttClientTlsOptionsBuilder WithHostnameVerification(bool verify = true)
        {
            options.VerifyHostname = verify;
            return this;
        }

        /// <summary>The SNI name and the name to check.</summary>
        public MqttClientTlsOptionsBuilder WithTargetHost(string host)
        {
            options.TargetHost = host;
            return this;
        }

        /// <summary>Limits the TLS versions.</summary>
        public MqttClientTlsOptionsBuilder WithTlsVersions(MqttTlsVersion minimum, MqttTlsVersion maximum = MqttTlsVersion.Default)
        {
            options.MinimumVersion = minimum;
            options.MaximumVersion = maximum;
            return this;
        }

        /// <summary>Offers ALPN protocols ("mqtt", "x-amzn-mqtt-ca").</summary>
        public MqttClientTlsOptionsBuilder WithApplicationProtocols(IEnumerable<string> protocols)
        {
            options.ApplicationProtocols.Clear();
            options.ApplicationProtocols.AddRange(protocols);
            return this;
        }

        /// <summary>An OpenSSL cipher string for TLS 1.2 and below.</summary>
        public MqttClientTlsOptionsBuilder WithCipherSuites(string ciphers)
        {
            options.CipherSuites = ciphers;
            return this;
        }

        /// <summary>TLS-PSK instead of certificates (TLS 1.2).</summary>
        public MqttClientTlsOptionsBuilder WithPreSharedKey(string identity, byte[] key)
        {
            options.PreSharedKeyIdentity = identity;
            options.PreSharedKey = key;
            return this;
        }

        /// <summary>Whether TLS sessions are resumed on reconnect.</summary>
        public MqttClientTlsOptionsBuilder WithSessionResumption(bool resume = true)
        {
            options.SessionResumption = resume;
            return this;
        }

        /// <summary>Decides about the server's certificate (see
        /// <see cref="MqttClientTlsOptions.CertificateValidationHandler"/>).</summary>
        public MqttClientTlsOptionsBuilder WithCertificateValidationHandler(
            Func<MqttClientCertificateValidationEventArgs, bool> handler)
        {
            options.CertificateValidationHandler = handler;
            return this;
        }

        /// <summary>The options.</summary>
        public MqttClientTlsOptions Build()
        {
            return options;
        }
    }
}
