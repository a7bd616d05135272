// The one place the engine calls managed code: ouzel_tls_verify_fn, during a TLS handshake on the
// network thread. The delegates are static (never collected: confluent-kafka-dotnet#33), the
// handler travels as a GCHandle that the release hook frees exactly once, and no exception ever
// reaches the native frames: a throwing handler rejects the server.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    static unsafe class TlsVerifyCallback
    {
        static readonly ouzel_tls_verify_fn Verify = VerifyThunk;
        static readonly ouzel_release_fn Release = ReleaseThunk;
        static readonly IntPtr VerifyPointer = Marshal.GetFunctionPointerForDelegate(Verify);
        static readonly IntPtr ReleasePointer = Marshal.GetFunctionPointerForDelegate(Release);

        // Registers `handler` on the options. If the registration fails the handle is freed here
        // (the engine keeps nothing and will not call release).
        internal static void Install(IntPtr options, Func<MqttClientCertificateValidationEventArgs, bool> handler)
        {
            GCHandle gc = GCHandle.Alloc(handler);
            int rc = Capi.ouzel_options_set_tls_verify_callback(options, VerifyPointer, GCHandle.ToIntPtr(gc),
                                                                ReleasePointer);
            if (rc != 0)
            {
                gc.Free();
                OuzelErrors.Check(rc, "CertificateValidationHandler");
            }
        }

        static int VerifyThunk(int preverified, byte* error, byte* host, byte** chain, UIntPtr* chainLens,
                               UIntPtr count, IntPtr userData)
        {
            try
            {
                var handler = (Func<MqttClientCertificateValidationEventArgs, bool>)GCHandle.FromIntPtr(userData).Target;
                int n = checked((int)count.ToUInt64());
                var certs = new List<byte[]>(n);
                for (int i = 0; i < n; ++i) certs.Add(Utf8.Bytes(chain[i], chainLens[i]));
                var args = new MqttClientCertificateValidationEventArgs(preverified != 0, Utf8.FromNul(error),
                                                                        Utf8.FromNul(host), certs);
                return handler(args) ? 1 : 0;
            }
            catch (Exception)
            {
                return 0;
            }
        }

        static void ReleaseThunk(IntPtr userData)
        {
            try
            {
                GCHandle.FromIntPtr(userData).Free();
            }
            catch (Exception)
            {
                // Nothing may unwind into the engine; a handle that cannot be freed leaks.
            }
        }
    }
}
