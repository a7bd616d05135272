// Bounded waits: every wait in the tests ends, with a message saying what did not happen.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt.Tests
{
    static class Wait
    {
        public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

        public static async Task<T> For<T>(Task<T> task, string what, TimeSpan? timeout = null)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout ?? Default)).ConfigureAwait(false) != task)
                throw new TimeoutException("timed out waiting for " + what);
            return await task.ConfigureAwait(false);
        }

        public static async Task For(Task task, string what, TimeSpan? timeout = null)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout ?? Default)).ConfigureAwait(false) != task)
                throw new TimeoutException("timed out waiting for " + what);
            await task.ConfigureAwait(false);
        }

        public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
        {
            DateTime deadline = DateTime.UtcNow + (timeout ?? Default);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
                await Task.Delay(10).ConfigureAwait(false);
            }
        }
    }

    // Collects what a client receives, for tests to wait on.
    sealed class Inbox
    {
        readonly object gate = new object();
        readonly List<MqttApplicationMessage> messages = new List<MqttApplicationMessage>();

        public Inbox(IMqttClient client)
        {
            client.ApplicationMessageReceivedAsync += e =>
            {
                lock (gate) messages.Add(e.ApplicationMessage);
                return Task.FromResult(0);
            };
        }

        public int Count
        {
            get { lock (gate) return messages.Count; }
        }

        public List<MqttApplicationMessage> Snapshot()
        {
            lock (gate) return new List<MqttApplicationMessage>(messages);
        }

        public async Task<List<MqttApplicationMessage>> WaitFor(int count, TimeSpan? timeout = null)
        {
            await Wait.Until(() => Count >= count, count + " messages (have " + Count + ")", timeout).ConfigureAwait(false);
            return Snapshot();
        }
    }
}
