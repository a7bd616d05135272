// One place that turns an OUZEL_E* code into the matching exception. The thread-local detail
// (ouzel_last_error_message) is read by Check right after the failing call, on the same thread,
// before any other Ouzel call can replace it.
using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    static unsafe class OuzelErrors
    {
        // Throws the exception for a failed call's return code; returns rc when it is >= 0.
        internal static int Check(int rc, string paramName = null)
        {
            if (rc >= 0) return rc;
            throw Create(rc, Utf8.FromNul(Capi.ouzel_last_error_message()), null, paramName);
        }

        // "connection refused (reason code 0x86 Bad User Name or Password): detail". The name comes
        // from the engine's MQTT 5 table for `packetType` (MQTT 3 codes are mapped to MQTT 5 ones
        // before they get here); no name when the packet is unknown.
        internal static string Describe(OuzelError error, string detail, int? reasonCode, int packetType = 0)
        {
            OuzelLibrary.EnsureLoaded(); // an exception may be the first thing a program makes
            return DescribeNative(error, detail, reasonCode, packetType);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static string DescribeNative(OuzelError error, string detail, int? reasonCode, int packetType)
        {
            string text = Utf8.FromNul(Capi.ouzel_strerror((int)error));
            if (reasonCode.HasValue)
            {
                text += " (reason code 0x" + reasonCode.Value.ToString("X2", CultureInfo.InvariantCulture);
                byte* name = packetType == 0 ? null
                    : Capi.ouzel_reason_code_name(Capi.OUZEL_MQTT_V5, packetType, reasonCode.Value);
                if (name != null) text += " " + Utf8.FromNul(name);
                text += ")";
            }
            if (!string.IsNullOrEmpty(detail)) text += ": " + detail;
            return text;
        }

        // The exception for `rc` with its detail; for events (CONNECT_FAILED, DISCONNECTED) the
        // detail is the event's text and the reason code the server's.
        internal static Exception Create(int rc, string detail, int? reasonCode = null, string paramName = null,
                                         int packetType = 0)
        {
            switch ((OuzelError)rc)
            {
                case OuzelError.InvalidArgument:
                    return new OuzelArgumentException(detail, paramName);
                case OuzelError.NotConnected:
                    return new MqttClientNotConnectedException(detail);
                case OuzelError.QueueFull:
                    return new MqttQueueFullException(detail);
                case OuzelError.TimedOut:
                    return new MqttCommunicationTimedOutException(detail);
                case OuzelError.Closed:
                    return new MqttClientClosedException(detail);
                case OuzelError.Refused:
                    return new MqttConnectingFailedException(detail, MqttClientConnectResult.Refused(reasonCode));
                case OuzelError.Protocol:
                    return new MqttProtocolViolationException(detail, reasonCode, packetType);
                case OuzelError.Tls:
                    return new MqttTlsException(detail);
                case OuzelError.TooLarge:
                    return new MqttPacketTooLargeException(detail);
                case OuzelError.Busy:
                    return new MqttClientBusyException(detail);
                case OuzelError.Io:
                    return new MqttCommunicationException(OuzelError.Io, detail, reasonCode, packetType);
                case OuzelError.NotSupported:
                    return new MqttNotSupportedException(detail);
                case OuzelError.Store:
                    return new MqttStoreException(detail);
                case OuzelError.NoMemory:
                    return new OutOfMemoryException(Describe(OuzelError.NoMemory, detail, null));
                default:
                    return new MqttClientException((OuzelError)rc, detail, reasonCode, packetType);
            }
        }
    }
}
