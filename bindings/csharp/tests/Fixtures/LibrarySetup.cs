using System;
using NUnit.Framework;
using Ouzel.Interop;

namespace Ouzel.Mqtt.Tests
{
    // Loads the library under test by path before any test runs (scripts/test-csharp names it in
    // OUZEL_TEST_LIBRARY), so every run goes through OuzelLibrary.Load.
    [SetUpFixture]
    public class LibrarySetup
    {
        public static string LibraryPath
        {
            get { return Environment.GetEnvironmentVariable("OUZEL_TEST_LIBRARY"); }
        }

        // The repository root (for files the tests compare against, such as the exported symbols).
        public static string SourceRoot
        {
            get { return Environment.GetEnvironmentVariable("OUZEL_SOURCE_ROOT"); }
        }

        [SetUp]
        public void LoadLibrary()
        {
            if (!string.IsNullOrEmpty(LibraryPath)) OuzelLibrary.Load(LibraryPath);
        }
    }
}
