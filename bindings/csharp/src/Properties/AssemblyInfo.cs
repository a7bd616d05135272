using System.Runtime.CompilerServices;

// The NUnit tests check internals the public API cannot show (no wait left behind after a
// test, the poller thread gone after Dispose).
[assembly: InternalsVisibleTo("Ouzel.Mqtt.Tests")]
