// SafeHandles over the C ABI's opaque objects. A native call made through a handle holds a
// reference on it for the duration of the call (Lease), so a Dispose racing with the call defers
// the _free until the call returns instead of freeing memory the call is using.
using System;
using System.Runtime.InteropServices;

namespace Ouzel.Interop
{
    /// <summary>A SafeHandle whose invalid value is NULL.</summary>
    public abstract class OuzelHandle : SafeHandle
    {
        /// <summary>Creates an empty (invalid) handle that owns what it will be given.</summary>
        protected OuzelHandle() : base(IntPtr.Zero, true) { }

        /// <inheritdoc/>
        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        /// <summary>Takes ownership of a pointer the C API returned through an out parameter.</summary>
        internal void Adopt(IntPtr p)
        {
            SetHandle(p);
        }

        /// <summary>
        /// Holds a reference for one native call: <c>using (var l = h.Lease()) Capi.f(l.Pointer)</c>.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The handle is closed.</exception>
        public Lease Enter()
        {
            bool added = false;
            DangerousAddRef(ref added);
            return new Lease(this, added);
        }

        /// <summary>A reference held on a handle; Dispose gives it back.</summary>
        public struct Lease : IDisposable
        {
            readonly OuzelHandle owner;
            readonly bool added;

            internal Lease(OuzelHandle owner, bool added)
            {
                this.owner = owner;
                this.added = added;
            }

            /// <summary>The native pointer, valid while the lease is held.</summary>
            public IntPtr Pointer
            {
                get { return owner.DangerousGetHandle(); }
            }

            /// <inheritdoc/>
            public void Dispose()
            {
                if (added) owner.DangerousRelease();
            }
        }
    }

    /// <summary>An ouzel_client*; releasing it calls ouzel_client_free.</summary>
    public sealed class ClientHandle : OuzelHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Capi.ouzel_client_free(handle);
            return true;
        }
    }

    /// <summary>An ouzel_options*; releasing it calls ouzel_options_free.</summary>
    public sealed class OptionsHandle : OuzelHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Capi.ouzel_options_free(handle);
            return true;
        }
    }

    /// <summary>An owned ouzel_properties*; releasing it calls ouzel_properties_free.</summary>
    public sealed class PropertiesHandle : OuzelHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Capi.ouzel_properties_free(handle);
            return true;
        }
    }

    /// <summary>An owned ouzel_message* (from ouzel_message_clone); releasing it calls
    /// ouzel_message_free. Never wrap a borrowed message.</summary>
    public sealed class MessageHandle : OuzelHandle
    {
        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Capi.ouzel_message_free(handle);
            return true;
        }
    }
}
