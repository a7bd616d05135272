// The C ABI's error codes (ouzel/errors.h) as a .NET enum; values pinned as in C.
namespace Ouzel.Mqtt
{
    /// <summary>Why an Ouzel call failed: the OUZEL_E* code of the C ABI.</summary>
    public enum OuzelError
    {
        /// <summary>OUZEL_OK.</summary>
        Ok = 0,
        /// <summary>An argument is invalid (bad topic, QoS 3, ...).</summary>
        InvalidArgument = -1,
        /// <summary>Out of memory.</summary>
        NoMemory = -2,
        /// <summary>Not connected and the operation cannot be queued.</summary>
        NotConnected = -3,
        /// <summary>The outgoing queue (or the session store) is at its limit.</summary>
        QueueFull = -4,
        /// <summary>A wait or a connection attempt timed out; or a message expired.</summary>
        TimedOut = -5,
        /// <summary>The client is stopped or being destroyed, or the connection was dropped.</summary>
        Closed = -6,
        /// <summary>The server refused the connection (CONNACK failure, bad credentials).</summary>
        Refused = -7,
        /// <summary>The server broke the protocol.</summary>
        Protocol = -8,
        /// <summary>TLS handshake or verification failed.</summary>
        Tls = -9,
        /// <summary>Payload or packet over a limit (Maximum Packet Size, ...).</summary>
        TooLarge = -10,
        /// <summary>Nothing to do now.</summary>
        WouldBlock = -11,
        /// <summary>Not allowed here, or a resource (a session store) is in use.</summary>
        Busy = -12,
        /// <summary>The network failed (connection refused or reset, unreachable, ...).</summary>
        Io = -13,
        /// <summary>Not supported by this build or by the server.</summary>
        NotSupported = -14,
        /// <summary>No such message, subscription or packet id; or a host name that does not resolve.</summary>
        NotFound = -15,
        /// <summary>A struct version this library does not know.</summary>
        Version = -16,
        /// <summary>A bug in Ouzel; the message says where.</summary>
        Internal = -17,
        /// <summary>The session store failed.</summary>
        Store = -18,
    }
}
