// Which libouzel the binding calls, and the check that it is one this binding was written for.
//
// Every P/Invoke declaration names the library by its SONAME, "libouzel.so.0". Default resolution
// is therefore the system loader's (LD_LIBRARY_PATH, the ld.so cache of an installed libouzel),
// unless $OUZEL_LIBRARY names a file. OuzelLibrary.Load(path) loads a given file instead: once it
// is loaded, the loader matches the SONAME against the already-loaded object, so every later
// P/Invoke binds to that file (on .NET 5+ a DllImportResolver returns its handle directly).
//
// Call Load before the first client is created: the runtimes cache a failed resolution per
// declaration, so a library that was not found at first stays not found for that process. Mono
// binds a P/Invoke when the method calling it is compiled, so the idiomatic layer calls
// EnsureLoaded from its entry points (client constructors, MqttTopic, exception messages) before
// any method that calls the library can be compiled; code using Capi directly must do the same.
using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Ouzel.Interop
{
    /// <summary>Loads and checks the native Ouzel library (libouzel).</summary>
    public static class OuzelLibrary
    {
        /// <summary>The name every P/Invoke declaration uses: the library's SONAME.</summary>
        public const string NativeName = "libouzel.so.0";

        /// <summary>The C ABI version this binding was written against (ouzel/version.h).</summary>
        public const int AbiMajor = 0;
        /// <summary>The minimum minor version of the native library.</summary>
        public const int AbiMinor = 1;

        static readonly object gate = new object();
        static string loadedPath;     // the file Load opened, or null for default resolution
        static IntPtr loadedHandle;   // its loader handle (kept open for the process)
        static string checkedVersion; // set once the library answered and passed the version check

        /// <summary>The file given to <see cref="Load"/> (or $OUZEL_LIBRARY), or null when the
        /// system loader resolved the library.</summary>
        public static string LoadedPath
        {
            get { lock (gate) return loadedPath; }
        }

        /// <summary>The native library's version string ("0.1.0"), loading it if needed.</summary>
        public static string Version
        {
            get { EnsureLoaded(); lock (gate) return checkedVersion; }
        }

        /// <summary>
        /// Loads libouzel from <paramref name="path"/> for this process. Call it before anything
        /// else in this binding. Loading the same file again is a no-op; a different file after
        /// the library is in use throws <see cref="InvalidOperationException"/>.
        /// </summary>
        /// <exception cref="DllNotFoundException">The file cannot be loaded (the loader's reason
        /// is in the message).</exception>
        public static void Load(string path)
        {
            if (path == null) throw new ArgumentNullException("path");
            string full = Path.GetFullPath(path);
            lock (gate)
            {
                if (loadedPath == full) return;
                if (loadedPath != null || checkedVersion != null)
                    throw new InvalidOperationException(
                        "libouzel is already in use (" + (loadedPath ?? "resolved by the system loader") +
                        "); OuzelLibrary.Load must come before the first use");
                loadedHandle = NativeLoader.Open(full);
                loadedPath = full;
            }
            EnsureLoaded();
        }

        /// <summary>
        /// Makes sure the library is loaded and is a version this binding supports (same major,
        /// minor at least <see cref="AbiMinor"/>). The idiomatic layer calls it before its first
        /// native call; callers of <see cref="Capi"/> directly should too.
        /// </summary>
        /// <exception cref="DllNotFoundException">No libouzel could be found.</exception>
        /// <exception cref="NotSupportedException">The library's version does not match.</exception>
        public static void EnsureLoaded()
        {
            if (Volatile.Read(ref checkedVersion) != null) return;
            lock (gate)
            {
                if (checkedVersion != null) return;
                if (loadedPath == null)
                {
                    string env = Environment.GetEnvironmentVariable("OUZEL_LIBRARY");
                    if (!string.IsNullOrEmpty(env))
                    {
                        loadedPath = Path.GetFullPath(env);
                        loadedHandle = NativeLoader.Open(loadedPath);
                    }
                }
                NativeLoader.InstallResolver();
                int version;
                string text;
                try
                {
                    ReadVersion(out version, out text);
                }
                catch (DllNotFoundException e)
                {
                    throw new DllNotFoundException(
                        "libouzel.so.0 was not found: install it (the libouzel0 package, or scripts/install from " +
                        "the source tree), put its folder in LD_LIBRARY_PATH, set " +
                        "OUZEL_LIBRARY=/path/to/libouzel.so.0, or call " +
                        "OuzelLibrary.Load(path) first (" + e.Message + ")", e);
                }
                int major = version / 10000, minor = version / 100 % 100;
                if (major != AbiMajor || minor < AbiMinor)
                    throw new NotSupportedException(string.Format(
                        "libouzel {0} does not match this binding, which needs {1}.{2} or a later {1}.x",
                        text, AbiMajor, AbiMinor));
                checkedVersion = text;
            }
        }

        // Not inlined: the runtime resolves a P/Invoke when it compiles its caller, and the
        // caller must only be compiled after Load had its chance to run.
        [MethodImpl(MethodImplOptions.NoInlining)]
        static unsafe void ReadVersion(out int version, out string text)
        {
            version = Capi.ouzel_version();
            text = Utf8.FromNul(Capi.ouzel_version_string());
        }

        internal static IntPtr Handle
        {
            get { lock (gate) return loadedHandle; }
        }
    }
}
