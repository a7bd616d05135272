// Exceptions typed by Ouzel error code. Every one carries the code, the MQTT reason code when the
// server gave one, and the engine's detail (ouzel_last_error_message, or the event's text).
using System;

namespace Ouzel.Mqtt
{
    /// <summary>What every exception this binding throws for an engine error exposes, whatever
    /// .NET base class it has (invalid arguments are <see cref="ArgumentException"/>s).</summary>
    public interface IOuzelException
    {
        /// <summary>The Ouzel error code.</summary>
        OuzelError Error { get; }
        /// <summary>The MQTT reason code the server sent (CONNACK, PUBACK, SUBACK, DISCONNECT), if any.</summary>
        int? ReasonCode { get; }
        /// <summary>The engine's explanation ("topic contains the wildcard '+' at byte 2 ..."), or "".</summary>
        string Detail { get; }
    }

    /// <summary>The base of the binding's exceptions for engine errors other than invalid arguments.</summary>
    public class MqttClientException : Exception, IOuzelException
    {
        /// <summary>Creates the exception; the message joins the code's description, the reason
        /// code and the detail.</summary>
        public MqttClientException(OuzelError error, string detail, int? reasonCode = null, int packetType = 0)
            : base(OuzelErrors.Describe(error, detail, reasonCode, packetType))
        {
            Error = error;
            Detail = detail ?? "";
            ReasonCode = reasonCode;
        }

        /// <inheritdoc/>
        public OuzelError Error { get; private set; }
        /// <inheritdoc/>
        public int? ReasonCode { get; private set; }
        /// <inheritdoc/>
        public string Detail { get; private set; }
    }

    /// <summary>An argument the engine refused (OUZEL_EINVAL): a topic with a wildcard, an
    /// option out of range, inconsistent options. Nothing was sent or changed.</summary>
    public class OuzelArgumentException : ArgumentException, IOuzelException
    {
        /// <summary>Creates the exception.</summary>
        public OuzelArgumentException(string detail, string paramName = null)
            : base(OuzelErrors.Describe(OuzelError.InvalidArgument, detail, null), paramName)
        {
            Detail = detail ?? "";
        }

        /// <inheritdoc/>
        public OuzelError Error
        {
            get { return OuzelError.InvalidArgument; }
        }
        /// <inheritdoc/>
        public int? ReasonCode
        {
            get { return null; }
        }
        /// <inheritdoc/>
        public string Detail { get; private set; }
    }

    /// <summary>The connection failed or broke (OUZEL_EIO), and the base of the other
    /// connection-level failures.</summary>
    public class MqttCommunicationException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttCommunicationException(OuzelError error, string detail, int? reasonCode = null, int packetType = 0)
            : base(error, detail, reasonCode, packetType) { }
    }

    /// <summary>A connection attempt or a wait timed out, or a message expired (OUZEL_ETIMEDOUT).</summary>
    public class MqttCommunicationTimedOutException : MqttCommunicationException
    {
        /// <summary>Creates the exception.</summary>
        public MqttCommunicationTimedOutException(string detail) : base(OuzelError.TimedOut, detail) { }
    }

    /// <summary>The server refused the connection (OUZEL_EREFUSED): <see cref="ResultCode"/> is
    /// its CONNACK reason code.</summary>
    public class MqttConnectingFailedException : MqttCommunicationException
    {
        /// <summary>Creates the exception.</summary>
        public MqttConnectingFailedException(string detail, MqttClientConnectResult result)
            : base(OuzelError.Refused, detail, result == null ? (int?)null : (int)result.ResultCode,
                   Interop.Capi.OUZEL_PACKET_CONNACK)
        {
            Result = result;
        }

        /// <summary>The refusing CONNACK (its reason code and MQTT 5 properties).</summary>
        public MqttClientConnectResult Result { get; private set; }

        /// <summary>The CONNACK reason code (MQTT 3 return codes are mapped to their MQTT 5 equivalents).</summary>
        public MqttClientConnectResultCode ResultCode
        {
            get { return Result == null ? MqttClientConnectResultCode.UnspecifiedError : Result.ResultCode; }
        }
    }

    /// <summary>The TLS handshake or the verification of the server failed (OUZEL_ETLS); the
    /// detail names the cause ("certificate verify failed: unable to get local issuer certificate").</summary>
    public class MqttTlsException : MqttCommunicationException
    {
        /// <summary>Creates the exception.</summary>
        public MqttTlsException(string detail) : base(OuzelError.Tls, detail) { }
    }

    /// <summary>The server broke the protocol (OUZEL_EPROTOCOL).</summary>
    public class MqttProtocolViolationException : MqttCommunicationException
    {
        /// <summary>Creates the exception.</summary>
        public MqttProtocolViolationException(string detail, int? reasonCode = null, int packetType = 0)
            : base(OuzelError.Protocol, detail, reasonCode, packetType) { }
    }

    /// <summary>The operation needs a connection (OUZEL_ENOTCONN).</summary>
    public class MqttClientNotConnectedException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttClientNotConnectedException(string detail) : base(OuzelError.NotConnected, detail) { }
    }

    /// <summary>The outgoing queue or the session store is full (OUZEL_EQUEUEFULL); nothing was queued.</summary>
    public class MqttQueueFullException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttQueueFullException(string detail) : base(OuzelError.QueueFull, detail) { }
    }

    /// <summary>A packet over a limit, such as the server's Maximum Packet Size (OUZEL_ETOOLARGE);
    /// nothing was sent.</summary>
    public class MqttPacketTooLargeException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttPacketTooLargeException(string detail) : base(OuzelError.TooLarge, detail) { }
    }

    /// <summary>Not allowed now (OUZEL_EBUSY): already connecting, or a session store held by
    /// another process or client.</summary>
    public class MqttClientBusyException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttClientBusyException(string detail) : base(OuzelError.Busy, detail) { }
    }

    /// <summary>Not supported by the server or this build (OUZEL_ENOTSUP), e.g. QoS 2 above the
    /// server's Maximum QoS.</summary>
    public class MqttNotSupportedException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttNotSupportedException(string detail) : base(OuzelError.NotSupported, detail) { }
    }

    /// <summary>The session store failed (OUZEL_ESTORE).</summary>
    public class MqttStoreException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttStoreException(string detail) : base(OuzelError.Store, detail) { }
    }

    /// <summary>The client was closed or dropped the connection (OUZEL_ECLOSED).</summary>
    public class MqttClientClosedException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttClientClosedException(string detail) : base(OuzelError.Closed, detail) { }
    }

    /// <summary>A published message ended without being delivered: dropped (queue full, session
    /// lost, connection lost with a clean session, client disposed) or expired.</summary>
    public class MqttPublishFailedException : MqttClientException
    {
        /// <summary>Creates the exception.</summary>
        public MqttPublishFailedException(MqttDeliveryState state, MqttDropReason reason, int reasonCode)
            : base(state == MqttDeliveryState.Expired ? OuzelError.TimedOut : OuzelError.Closed,
                   state == MqttDeliveryState.Expired ? "the message expired before it could be sent"
                                                      : "the message was dropped: " + reason,
                   reasonCode == 0 ? (int?)null : reasonCode, Interop.Capi.OUZEL_PACKET_PUBACK)
        {
            State = state;
            DropReason = reason;
        }

        /// <summary>Expired or Dropped.</summary>
        public MqttDeliveryState State { get; private set; }
        /// <summary>Why it was dropped (None when it expired).</summary>
        public MqttDropReason DropReason { get; private set; }
    }
}
