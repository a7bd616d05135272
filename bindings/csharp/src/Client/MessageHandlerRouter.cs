// Handlers per topic filter (paho's message_callback_add), on the engine's router
// (ouzel_topic_router): a message goes to the handlers of every filter it matches, most specific
// filter first, each handler once.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    sealed unsafe class MessageHandlerRouter : IDisposable
    {
        readonly object gate = new object(); // add/remove need exclusive access; so does free
        readonly Dictionary<ulong, Func<MqttApplicationMessageReceivedEventArgs, Task>> handlers =
            new Dictionary<ulong, Func<MqttApplicationMessageReceivedEventArgs, Task>>();
        IntPtr router;
        ulong nextId;

        internal bool IsEmpty
        {
            get { lock (gate) return handlers.Count == 0; }
        }

        internal ulong Add(string filter, Func<MqttApplicationMessageReceivedEventArgs, Task> handler)
        {
            byte[] f = Utf8.Encode(filter);
            lock (gate)
            {
                if (router == IntPtr.Zero)
                {
                    IntPtr r;
                    OuzelErrors.Check(Capi.ouzel_topic_router_new(&r));
                    router = r;
                }
                ulong id = ++nextId;
                fixed (byte* p = f)
                    OuzelErrors.Check(Capi.ouzel_topic_router_add(router, p, new UIntPtr((uint)f.Length), id), "topicFilter");
                handlers[id] = handler;
                return id;
            }
        }

        internal void Remove(string filter, ulong id)
        {
            byte[] f = Utf8.Encode(filter);
            lock (gate)
            {
                if (router == IntPtr.Zero || !handlers.Remove(id)) return;
                fixed (byte* p = f) Capi.ouzel_topic_router_remove(router, p, new UIntPtr((uint)f.Length), id);
            }
        }

        // The handlers whose filters match `topic`, most specific first; empty when none do.
        internal List<Func<MqttApplicationMessageReceivedEventArgs, Task>> Match(string topic)
        {
            var found = new List<Func<MqttApplicationMessageReceivedEventArgs, Task>>();
            byte[] t = Utf8.Encode(topic);
            lock (gate)
            {
                if (router == IntPtr.Zero || handlers.Count == 0) return found;
                int capacity = 8;
                while (true)
                {
                    ulong* ids = stackalloc ulong[capacity];
                    UIntPtr total;
                    fixed (byte* p = t)
                    {
                        if (Capi.ouzel_topic_router_match(router, p, new UIntPtr((uint)t.Length), ids,
                                                          new UIntPtr((uint)capacity), &total) != 0)
                            return found;
                    }
                    int n = (int)total.ToUInt64();
                    if (n > capacity && capacity < 4096)
                    {
                        capacity = Math.Min(n, 4096);
                        continue;
                    }
                    for (int i = 0; i < Math.Min(n, capacity); ++i)
                    {
                        Func<MqttApplicationMessageReceivedEventArgs, Task> h;
                        if (handlers.TryGetValue(ids[i], out h)) found.Add(h);
                    }
                    return found;
                }
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                Capi.ouzel_topic_router_free(router);
                router = IntPtr.Zero;
                handlers.Clear();
            }
        }
    }
}
