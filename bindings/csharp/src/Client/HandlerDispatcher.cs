// Runs the application's event handlers one at a time, in the order the engine produced the
// events, on the thread pool: never on the engine's network thread, never on the poller thread
// (which keeps completing PublishAsync/SubscribeAsync while a handler awaits them, so a handler
// that publishes and awaits cannot deadlock the client).
using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Ouzel.Mqtt
{
    // One queued event: Run invokes the handlers; Abandon is called instead when the client is
    // disposed before its turn.
    abstract class DispatchItem
    {
        internal abstract Task Run();
        internal virtual void Abandon() { }
    }

    sealed class HandlerDispatcher
    {
        readonly ConcurrentQueue<DispatchItem> queue = new ConcurrentQueue<DispatchItem>();
        readonly SemaphoreSlim wake = new SemaphoreSlim(0);
        int signaled; // 1 while a wake-up is pending, so a burst of posts costs one Release
        volatile bool stopped;
        Task loop;

        internal void Start()
        {
            loop = Task.Run(new Func<Task>(RunAsync));
        }

        // Thread-safe. Items posted after Stop are abandoned at once.
        internal void Post(DispatchItem item)
        {
            if (stopped)
            {
                item.Abandon();
                return;
            }
            queue.Enqueue(item);
            if (Interlocked.CompareExchange(ref signaled, 1, 0) == 0) wake.Release();
        }

        // Stops after the handler running now (if any) returns; never waits for it.
        internal void Stop()
        {
            stopped = true;
            if (Interlocked.CompareExchange(ref signaled, 1, 0) == 0) wake.Release();
        }

        // Completes when the loop has ended (after Stop); for tests.
        internal Task Completion
        {
            get { return loop ?? CompletedTask.Instance; }
        }

        async Task RunAsync()
        {
            while (true)
            {
                await wake.WaitAsync().ConfigureAwait(false);
                Volatile.Write(ref signaled, 0);
                DispatchItem item;
                while (queue.TryDequeue(out item))
                {
                    if (stopped)
                    {
                        item.Abandon();
                        continue;
                    }
                    try
                    {
                        await item.Run().ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // Run reports handler failures itself; nothing may stop the loop.
                    }
                }
                if (stopped)
                {
                    while (queue.TryDequeue(out item)) item.Abandon();
                    return;
                }
            }
        }
    }
}
