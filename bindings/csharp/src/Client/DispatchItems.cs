// The events the dispatcher runs: a received message (released to the engine, with or without
// its acknowledgement, once its handlers are done) and the other events (no native state).
using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    sealed class MessageItem : DispatchItem
    {
        readonly MqttClient client;
        readonly MqttApplicationMessage message;
        ouzel_event raw; // a copy of the polled event; released by copy (see EventPoller)

        internal MessageItem(MqttClient client, ref ouzel_event ev, MqttApplicationMessage message)
        {
            this.client = client;
            raw = ev;
            this.message = message;
        }

        internal override async Task Run()
        {
            var args = new MqttApplicationMessageReceivedEventArgs(client, message, (ushort)raw.mid);
            try
            {
                await Handlers.InvokeAsync(client.MessageHandlers, args).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                client.ReportHandlerFailure("ApplicationMessageReceivedAsync", e, message);
            }
            foreach (Func<MqttApplicationMessageReceivedEventArgs, Task> h in client.FilterHandlers.Match(message.Topic))
            {
                try
                {
                    Task t = h(args);
                    if (t != null) await t.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    client.ReportHandlerFailure("AddApplicationMessageHandler", e, message);
                }
            }
            client.ReleaseMessage(ref raw, args.Release());
        }

        // Disposed before its turn: freeing the client frees the event, unacknowledged.
        internal override void Abandon() { }
    }

    sealed class EventItem<T> : DispatchItem
    {
        readonly MqttClient client;
        readonly Func<Func<T, Task>> handlers; // read when the item runs: the subscribers then
        readonly T args;
        readonly string name;

        internal EventItem(MqttClient client, Func<Func<T, Task>> handlers, T args, string name)
        {
            this.client = client;
            this.handlers = handlers;
            this.args = args;
            this.name = name;
        }

        internal override async Task Run()
        {
            try
            {
                await Handlers.InvokeAsync(handlers(), args).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                client.ReportHandlerFailure(name, e, null);
            }
        }
    }

    sealed class LogItem : DispatchItem
    {
        readonly MqttClient client;
        readonly MqttClientLogEventArgs args;

        internal LogItem(MqttClient client, MqttClientLogEventArgs args)
        {
            this.client = client;
            this.args = args;
        }

        internal override Task Run()
        {
            EventHandler<MqttClientLogEventArgs> h = client.LogHandlers;
            try
            {
                if (h != null) h(client, args);
            }
            catch (Exception e)
            {
                client.ReportHandlerFailure("LogMessageReceived", e, null);
            }
            return CompletedTask.Instance;
        }
    }

    static class Handlers
    {
        // Awaits every subscriber in turn; when some throw, the others still run and the first
        // exception is rethrown at the end.
        internal static async Task InvokeAsync<T>(Func<T, Task> multicast, T args)
        {
            if (multicast == null) return;
            Exception first = null;
            foreach (Delegate d in multicast.GetInvocationList())
            {
                try
                {
                    Task t = ((Func<T, Task>)d)(args);
                    if (t != null) await t.ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    if (first == null) first = e;
                }
            }
            if (first != null) ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
