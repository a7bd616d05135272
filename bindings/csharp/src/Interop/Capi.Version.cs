// ouzel/version.h and ouzel/common.h, one to one.
// Each declaration is documented by the C header it mirrors.
#pragma warning disable 1591
using System.Runtime.InteropServices;

namespace Ouzel.Interop
{
    /// <summary>
    /// The C ABI (capi/include/ouzel/*.h) one to one: every function as a blittable P/Invoke
    /// (pointers, integers, IntPtr for handles and function pointers, UIntPtr for size_t), every
    /// constant, every struct. Names are the C names. Call <see cref="OuzelLibrary.EnsureLoaded"/>
    /// before the first call. The extension points under ouzel/sys/ (application transports and
    /// stores) and ouzel_get_api are not mirrored.
    /// </summary>
    public static unsafe partial class Capi
    {
        const string Lib = OuzelLibrary.NativeName;

        public const int OUZEL_VERSION_MAJOR = 0;
        public const int OUZEL_VERSION_MINOR = 1;
        public const int OUZEL_VERSION_PATCH = 0;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ouzel_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ouzel_version_string();
    }
}
