// The requests waiting for the engine's answer: publishes by token, subscribes and unsubscribes
// by packet id. The answer can come (on the poller thread) before the caller has registered its
// wait (it registers after the native call returned the token), so an answer without a waiter is
// parked and handed over when the waiter registers.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Ouzel.Mqtt
{
    // A request's outcome: a result, or an exception.
    sealed class Outcome<T>
    {
        internal T Result;
        internal Exception Error;

        internal void Complete(TaskCompletionSource<T> tcs)
        {
            if (Error != null) tcs.TrySetException(Error);
            else tcs.TrySetResult(Result);
        }
    }

    sealed class PendingTable<TKey, T>
    {
        readonly object gate = new object();
        readonly Dictionary<TKey, TaskCompletionSource<T>> waiting = new Dictionary<TKey, TaskCompletionSource<T>>();
        readonly Dictionary<TKey, Outcome<T>> parked = new Dictionary<TKey, Outcome<T>>();
        // Keys whose waiter gave up: their answer is dropped rather than parked, so that a packet
        // id used again later is not answered with a stale SUBACK.
        readonly HashSet<TKey> abandoned = new HashSet<TKey>();
        Exception closed; // set by FailAll: every later wait fails with it

        // Registers the wait for `key` (after the native call returned it).
        internal void Wait(TKey key, TaskCompletionSource<T> tcs)
        {
            Outcome<T> early;
            Exception failure;
            lock (gate)
            {
                failure = closed;
                if (failure == null)
                {
                    if (!parked.TryGetValue(key, out early))
                    {
                        waiting[key] = tcs;
                        return;
                    }
                    parked.Remove(key);
                }
                else
                {
                    early = null;
                }
            }
            if (early != null) early.Complete(tcs);
            else tcs.TrySetException(failure);
        }

        // The engine's answer for `key`.
        internal void Complete(TKey key, Outcome<T> outcome)
        {
            TaskCompletionSource<T> tcs;
            lock (gate)
            {
                if (closed != null || abandoned.Remove(key)) return;
                if (!waiting.TryGetValue(key, out tcs))
                {
                    parked[key] = outcome;
                    return;
                }
                waiting.Remove(key);
            }
            outcome.Complete(tcs);
        }

        // The caller stopped waiting (cancelled): forget the wait; a later answer is dropped.
        internal void Abandon(TKey key, TaskCompletionSource<T> tcs)
        {
            lock (gate)
            {
                TaskCompletionSource<T> current;
                if (waiting.TryGetValue(key, out current) && current == tcs)
                {
                    waiting.Remove(key);
                    abandoned.Add(key);
                }
            }
        }

        // Fails every wait, now and later (the client was disposed).
        internal void FailAll(Exception e)
        {
            List<TaskCompletionSource<T>> all;
            lock (gate)
            {
                if (closed != null) return;
                closed = e;
                all = new List<TaskCompletionSource<T>>(waiting.Values);
                waiting.Clear();
                parked.Clear();
                abandoned.Clear();
            }
            foreach (TaskCompletionSource<T> tcs in all) tcs.TrySetException(e);
        }

        // Waits, parked answers and abandoned keys (for tests: all drain to zero).
        internal int Count
        {
            get { lock (gate) return waiting.Count + parked.Count + abandoned.Count; }
        }
    }

    // A SUBACK or UNSUBACK as the engine gave it; the caller names the items with its filters.
    sealed class AckData
    {
        internal ushort PacketIdentifier;
        internal byte[] ReasonCodes;
        internal PropertyBag Properties;
    }
}
