// Other programs the tests run: the examples, the benchmark and ChildClient.exe, each under mono
// with the library under test in $OUZEL_LIBRARY (the binding's default resolution). Bounded.
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Ouzel.Mqtt.Tests
{
    static class Processes
    {
        // Where scripts/test-csharp put the compiled programs.
        public static string Bin
        {
            get
            {
                string bin = Environment.GetEnvironmentVariable("OUZEL_CSHARP_BIN");
                Assume.That(bin, Is.Not.Null, "OUZEL_CSHARP_BIN not set");
                return bin;
            }
        }

        static Process Start(string exe, string[] args, string library = null)
        {
            Assert.That(File.Exists(exe), Is.True, exe);
            var info = new ProcessStartInfo("mono", exe + " " + string.Join(" ", args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.EnvironmentVariables["OUZEL_LIBRARY"] = library ?? LibrarySetup.LibraryPath;
            if (library == "") info.EnvironmentVariables.Remove("OUZEL_LIBRARY");
            return Process.Start(info);
        }

        // Runs a program to its end; asserts exit status 0 and returns its standard output.
        public static string Run(string exe, params string[] args)
        {
            using (Process p = Start(exe, args))
            {
                Task<string> stdout = p.StandardOutput.ReadToEndAsync();
                Task<string> stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(60000))
                {
                    p.Kill();
                    Assert.Fail(Path.GetFileName(exe) + " did not finish in 60 s");
                }
                Assert.That(p.ExitCode, Is.EqualTo(0), Path.GetFileName(exe) + " failed: " + stderr.Result + stdout.Result);
                return stdout.Result;
            }
        }

        // Runs a program that must fail, with $OUZEL_LIBRARY set to `library` ("" unsets it);
        // returns its standard error.
        public static string RunFailing(string exe, string library, params string[] args)
        {
            using (Process p = Start(exe, args, library))
            {
                Task<string> stdout = p.StandardOutput.ReadToEndAsync();
                Task<string> stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(60000))
                {
                    p.Kill();
                    Assert.Fail(Path.GetFileName(exe) + " did not finish in 60 s");
                }
                Assert.That(p.ExitCode, Is.Not.EqualTo(0), Path.GetFileName(exe) + " succeeded: " + stdout.Result);
                return stderr.Result;
            }
        }

        // Starts a program that prints "ready" once it is in place, and waits for that line.
        public static Process StartReady(string exe, params string[] args)
        {
            Process p = Start(exe, args);
            Task<string> line = p.StandardOutput.ReadLineAsync();
            if (!line.Wait(30000) || line.Result != "ready")
            {
                try { p.Kill(); } catch (InvalidOperationException) { }
                throw new InvalidOperationException(Path.GetFileName(exe) + " did not get ready: " + p.StandardError.ReadToEnd());
            }
            return p;
        }

        // SIGKILL (Mono's Process.Kill): no chance to clean up.
        public static void Kill(Process p)
        {
            p.Kill();
            p.WaitForExit(10000);
            p.Dispose();
        }
    }

    // A fixture with one plain broker for all its tests.
    public abstract class WithBroker
    {
        internal Mosquitto broker;

        [TestFixtureSetUp]
        public void StartBroker()
        {
            broker = new Mosquitto();
        }

        [TestFixtureTearDown]
        public void StopBroker()
        {
            broker.Dispose();
        }
    }
}
