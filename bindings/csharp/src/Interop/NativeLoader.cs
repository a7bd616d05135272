// Opening a native library by path, per runtime: NativeLibrary on .NET Core 3+ (which also lets
// the binding answer the runtime's resolution of "libouzel.so.0"), the platform loader elsewhere
// (dlopen on Linux and macOS under Mono or .NET Framework-era runtimes, LoadLibraryW on Windows).
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Ouzel.Interop
{
    static unsafe class NativeLoader
    {
#if NETCOREAPP3_0_OR_GREATER
        static bool resolverInstalled;

        internal static IntPtr Open(string path)
        {
            return NativeLibrary.Load(path);
        }

        // Resolves "libouzel.so.0" to the library Load opened, else to the first of the usual
        // names the platform knows (SONAME, development link, Windows/macOS names).
        internal static void InstallResolver()
        {
            if (resolverInstalled) return;
            resolverInstalled = true;
            NativeLibrary.SetDllImportResolver(typeof(Capi).Assembly, (name, assembly, searchPath) =>
            {
                if (name != OuzelLibrary.NativeName) return IntPtr.Zero;
                IntPtr h = OuzelLibrary.Handle;
                if (h != IntPtr.Zero) return h;
                foreach (string candidate in new[] { OuzelLibrary.NativeName, "libouzel.so", "ouzel", "libouzel.0.dylib" })
                {
                    if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out h)) return h;
                }
                return IntPtr.Zero;
            });
        }
#else
        const int RTLD_NOW = 2;

        [DllImport("libdl.so.2", EntryPoint = "dlopen", ExactSpelling = true)]
        static extern IntPtr dlopen_linux(byte* file, int mode);
        [DllImport("libdl.so.2", EntryPoint = "dlerror", ExactSpelling = true)]
        static extern byte* dlerror_linux();
        [DllImport("libdl", EntryPoint = "dlopen", ExactSpelling = true)]
        static extern IntPtr dlopen_other(byte* file, int mode);
        [DllImport("libdl", EntryPoint = "dlerror", ExactSpelling = true)]
        static extern byte* dlerror_other();
        [DllImport("kernel32", EntryPoint = "LoadLibraryW", ExactSpelling = true, SetLastError = true)]
        static extern IntPtr LoadLibraryW(char* path);

        internal static IntPtr Open(string path)
        {
            if (Environment.OSVersion.Platform == PlatformID.Win32NT) return OpenWindows(path);
            byte[] name = Encoding.UTF8.GetBytes(path + "\0");
            IntPtr h;
            string error;
            fixed (byte* p = name)
            {
                try
                {
                    h = dlopen_linux(p, RTLD_NOW);
                    error = h == IntPtr.Zero ? Utf8.FromNul(dlerror_linux()) : null;
                }
                catch (DllNotFoundException)
                {
                    h = dlopen_other(p, RTLD_NOW);
                    error = h == IntPtr.Zero ? Utf8.FromNul(dlerror_other()) : null;
                }
            }
            if (h == IntPtr.Zero) throw new DllNotFoundException("cannot load " + path + ": " + error);
            return h;
        }

        static IntPtr OpenWindows(string path)
        {
            IntPtr h;
            fixed (char* p = path) h = LoadLibraryW(p);
            if (h == IntPtr.Zero)
                throw new DllNotFoundException("cannot load " + path + ": error " + Marshal.GetLastWin32Error());
            return h;
        }

        // Nothing to install: the loader matches the SONAME of a library Open loaded.
        internal static void InstallResolver() { }
#endif
    }
}
