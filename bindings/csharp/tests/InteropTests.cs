// The mechanical layer: the library it loads, the declarations against the library's exports,
// the struct layouts against what the library's _init functions write.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Tests
{
    [TestFixture]
    public unsafe class InteropTests
    {
        // Exported functions that are deliberately not mirrored: the opt-in extension points under
        // ouzel/sys/ and the dlopen table.
        static readonly HashSet<string> NotMirrored = new HashSet<string>
        {
            "ouzel_get_api", "ouzel_options_set_store", "ouzel_store_loader_add", "ouzel_options_set_transport",
            "ouzel_transport_notify", "ouzel_transport_set_error",
        };

        static IEnumerable<MethodInfo> Declarations()
        {
            return typeof(Capi).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes(typeof(DllImportAttribute), false).Length > 0);
        }

        [Test]
        public void Library_IsTheOneLoadedByPath()
        {
            Assume.That(LibrarySetup.LibraryPath, Is.Not.Null.And.Not.Empty, "OUZEL_TEST_LIBRARY not set");
            Assert.That(OuzelLibrary.LoadedPath, Is.EqualTo(Path.GetFullPath(LibrarySetup.LibraryPath)));
            int v = Capi.ouzel_version();
            Assert.That(OuzelLibrary.Version, Is.EqualTo(string.Format("{0}.{1}.{2}", v / 10000, v / 100 % 100, v % 100)));
        }

        [Test]
        public void Load_SamePathAgain_IsNoOp_OtherPathThrows()
        {
            Assume.That(LibrarySetup.LibraryPath, Is.Not.Null.And.Not.Empty, "OUZEL_TEST_LIBRARY not set");
            OuzelLibrary.Load(LibrarySetup.LibraryPath);
            var e = Assert.Throws<InvalidOperationException>(() => OuzelLibrary.Load("/nonexistent/libouzel.so.0"));
            Assert.That(e.Message, Is.StringContaining("already in use"));
        }

        [Test, Timeout(60000)]
        public void MissingLibrary_FailsWithAMessageThatSaysWhatToDo()
        {
            Assume.That(File.Exists("/usr/lib/libouzel.so.0") || File.Exists("/usr/local/lib/libouzel.so.0") ||
                        File.Exists("/usr/lib/x86_64-linux-gnu/libouzel.so.0"), Is.False, "a libouzel is installed system-wide");
            string exe = Path.Combine(Processes.Bin, "ChildClient.exe");
            string stderr = Processes.RunFailing(exe, "", "will", "mqtt://127.0.0.1:1", "x", "t");
            Assert.That(stderr, Is.StringContaining("libouzel.so.0 was not found").And.StringContaining("OuzelLibrary.Load"));
            stderr = Processes.RunFailing(exe, "/nonexistent/libouzel.so.0", "will", "mqtt://127.0.0.1:1", "x", "t");
            Assert.That(stderr, Is.StringContaining("cannot load /nonexistent/libouzel.so.0"));
        }

        [Test]
        public void EveryDeclaration_ResolvesInTheLibrary()
        {
            var missing = new List<string>();
            foreach (MethodInfo m in Declarations())
            {
                try
                {
                    Marshal.Prelink(m);
                }
                catch (EntryPointNotFoundException)
                {
                    missing.Add(m.Name);
                }
            }
            Assert.That(missing, Is.Empty);
        }

        [Test]
        public void EveryExportedFunction_IsDeclared_AndNothingElse()
        {
            Assume.That(LibrarySetup.SourceRoot, Is.Not.Null.And.Not.Empty, "OUZEL_SOURCE_ROOT not set");
            var exported = new HashSet<string>(File.ReadAllLines(Path.Combine(LibrarySetup.SourceRoot, "tests/abi/exported_symbols.txt"))
                                                   .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#")));
            var declared = new HashSet<string>(Declarations().Select(m => m.Name));
            Assert.That(exported.Where(s => !declared.Contains(s) && !NotMirrored.Contains(s)), Is.Empty, "not mirrored");
            Assert.That(declared.Where(s => !exported.Contains(s)), Is.Empty, "declared but not exported");
        }

        // The _init functions zero the whole struct as the library knows it: the number of bytes
        // they clear is the C sizeof, which must equal the C# layout's.
        static int BytesClearedByInit(int capacity, Func<IntPtr, int> init)
        {
            byte* buffer = stackalloc byte[capacity];
            for (int i = 0; i < capacity; ++i) buffer[i] = 0xA5;
            Assert.That(init((IntPtr)buffer), Is.EqualTo(0));
            int last = -1;
            for (int i = 0; i < capacity; ++i)
                if (buffer[i] != 0xA5) last = i;
            return last + 1;
        }

        [Test]
        public void StructLayouts_MatchTheLibrary()
        {
            Assert.That(BytesClearedByInit(1024, p => Capi.ouzel_event_init((ouzel_event*)p, Capi.OUZEL_EVENT_VERSION)),
                        Is.EqualTo(sizeof(ouzel_event)));
            Assert.That(BytesClearedByInit(1024, p => Capi.ouzel_message_fields_init((ouzel_message_fields*)p,
                                                                                    Capi.OUZEL_MESSAGE_FIELDS_VERSION)),
                        Is.EqualTo(sizeof(ouzel_message_fields)));
            Assert.That(BytesClearedByInit(1024, p => Capi.ouzel_subscription_init((ouzel_subscription*)p,
                                                                                  Capi.OUZEL_SUBSCRIPTION_VERSION)),
                        Is.EqualTo(sizeof(ouzel_subscription)));
            Assert.That(BytesClearedByInit(1024, p => Capi.ouzel_delivery_status_init((ouzel_delivery_status*)p,
                                                                                     Capi.OUZEL_DELIVERY_STATUS_VERSION)),
                        Is.EqualTo(sizeof(ouzel_delivery_status)));
            Assert.That(BytesClearedByInit(1024, p => Capi.ouzel_option_info_init((ouzel_option_info*)p,
                                                                                 Capi.OUZEL_OPTION_INFO_VERSION)),
                        Is.EqualTo(sizeof(ouzel_option_info)));
        }

        [Test]
        public void Strerror_NamesEveryCode()
        {
            var texts = new HashSet<string>();
            foreach (OuzelError e in Enum.GetValues(typeof(OuzelError)))
            {
                string s = Utf8.FromNul(Capi.ouzel_strerror((int)e));
                Assert.That(s, Is.Not.Empty.And.Not.EqualTo("unknown error"), e.ToString());
                texts.Add(s);
            }
            Assert.That(texts.Count, Is.EqualTo(Enum.GetValues(typeof(OuzelError)).Length));
        }

        [Test]
        public void Utf8_RefusesLoneSurrogates_InsteadOfReplacingThem()
        {
            Assert.Throws<ArgumentException>(() => Utf8.Encode("a\ud800b"));
            Assert.That(Utf8.Encode("sensör/1"), Is.EqualTo(new byte[] { 0x73, 0x65, 0x6E, 0x73, 0xC3, 0xB6, 0x72, 0x2F, 0x31 }));
        }
    }
}
