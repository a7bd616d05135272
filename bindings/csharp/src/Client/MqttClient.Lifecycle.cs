// The client's native side: creation, reconfiguration, Dispose, and what the poller reports.
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    public sealed partial class MqttClient
    {
        // Under gate.
        [MethodImpl(MethodImplOptions.NoInlining)]
        unsafe void CreateNative(MqttClientOptions o)
        {
            ThrowIfDisposed();
            var h = new ClientHandle();
            using (OptionsHandle opts = NativeOptions.Create(o))
            using (OuzelHandle.Lease l = opts.Enter())
            {
                IntPtr c;
                OuzelErrors.Check(Capi.ouzel_client_new(&c, l.Pointer), "options");
                h.Adopt(c);
            }
            try
            {
                using (OuzelHandle.Lease l = h.Enter()) OuzelErrors.Check(Capi.ouzel_client_loop_start(l.Pointer));
            }
            catch
            {
                h.Dispose();
                throw;
            }
            native = h;
            options = o;
            v5 = o.ProtocolVersion == MqttProtocolVersion.V500;
            dispatcher.Start();
            poller = new EventPoller(this, h);
            poller.Start();
        }

        // Under gate. What the session is built on (protocol, client id, persistence, the event
        // queue's bounds) cannot change: the engine refuses with OUZEL_EINVAL and nothing changes.
        void Reconfigure(MqttClientOptions o)
        {
            using (OptionsHandle opts = NativeOptions.Create(o))
            using (OuzelHandle.Lease lo = opts.Enter())
            using (OuzelHandle.Lease l = native.Enter())
            {
                OuzelErrors.Check(Capi.ouzel_client_set_options(l.Pointer, lo.Pointer, Capi.OUZEL_SET_OPTIONS_FIRST_CONNECTION),
                                  "options");
            }
            options = o;
            v5 = o.ProtocolVersion == MqttProtocolVersion.V500;
        }

        void ClearConnecting(TaskCompletionSource<MqttClientConnectResult> tcs)
        {
            lock (gate)
            {
                if (connecting == tcs) connecting = null;
            }
        }

        void ClearDisconnecting(TaskCompletionSource<bool> tcs)
        {
            lock (gate)
            {
                if (disconnecting == tcs) disconnecting = null;
            }
        }

        // Stops a connection attempt (and the automatic retries after it) that nobody waits for.
        void StopConnecting()
        {
            ClientHandle h = native;
            if (h == null) return;
            try
            {
                using (OuzelHandle.Lease l = h.Enter()) Capi.ouzel_client_disconnect(l.Pointer, 0, IntPtr.Zero);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>
        /// Closes the client without waiting: pending tasks fault with
        /// <see cref="ObjectDisposedException"/>, no handler starts any more (one running now
        /// finishes), and the native client is freed on the poller thread, closing the connection
        /// without DISCONNECT. Messages whose handlers had not finished are not acknowledged (a
        /// kept session gets them again). Safe to call from inside a handler and more than once.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            var e = new ObjectDisposedException(GetType().FullName, "the client was disposed");
            publishes.FailAll(e);
            subscribes.FailAll(e);
            unsubscribes.FailAll(e);
            TaskCompletionSource<MqttClientConnectResult> c;
            TaskCompletionSource<bool> d;
            EventPoller p;
            lock (gate)
            {
                c = connecting;
                d = disconnecting;
                connecting = null;
                disconnecting = null;
                p = poller;
            }
            if (c != null) c.TrySetException(e);
            if (d != null) d.TrySetResult(true); // the connection is closed, as asked
            dispatcher.Stop();
            filterHandlers.Dispose();
            if (p != null) p.Stop();
        }

        // --- What the poller reports (on the poller thread; no application code runs here) --------

        internal Func<MqttApplicationMessageReceivedEventArgs, Task> MessageHandlers
        {
            get { return ApplicationMessageReceivedAsync; }
        }

        // Whether the client speaks MQTT 5 (only then do acknowledgements carry properties).
        internal bool IsV5
        {
            get { return Volatile.Read(ref v5); }
        }

        internal MessageHandlerRouter FilterHandlers
        {
            get { return filterHandlers; }
        }

        internal EventHandler<MqttClientLogEventArgs> LogHandlers
        {
            get { return LogMessageReceived; }
        }

        // Returns true when the event is kept until its handlers are done; false lets the poller
        // release it now (acknowledging it): nobody listens.
        internal bool OnMessage(ref ouzel_event ev, MqttApplicationMessage message)
        {
            if (Volatile.Read(ref disposed) != 0) return false;
            if (ApplicationMessageReceivedAsync == null && filterHandlers.IsEmpty) return false;
            dispatcher.Post(new MessageItem(this, ref ev, message));
            return true;
        }

        internal void ReleaseMessage(ref ouzel_event ev, bool acknowledge)
        {
            EventPoller p = poller;
            if (p != null) p.ReleaseHeld(ref ev, acknowledge);
        }

        // AcknowledgeAsync after the handlers returned.
        internal void Acknowledge(ushort packetIdentifier)
        {
            using (OuzelHandle.Lease l = Handle().Enter())
                OuzelErrors.Check(Capi.ouzel_client_ack(l.Pointer, packetIdentifier));
        }

        internal void OnPublishDone(ulong token, Outcome<MqttClientPublishResult> outcome)
        {
            publishes.Complete(token, outcome);
        }

        internal void OnSubscribeDone(ushort mid, Outcome<AckData> outcome)
        {
            subscribes.Complete(mid, outcome);
        }

        internal void OnUnsubscribeDone(ushort mid, Outcome<AckData> outcome)
        {
            unsubscribes.Complete(mid, outcome);
        }

        internal void OnConnected(MqttClientConnectResult result)
        {
            TaskCompletionSource<MqttClientConnectResult> c;
            lock (gate)
            {
                c = connecting;
                connecting = null;
            }
            if (c != null) c.TrySetResult(result);
            if (ConnectedAsync != null)
                dispatcher.Post(new EventItem<MqttClientConnectedEventArgs>(this, () => ConnectedAsync,
                                                                            new MqttClientConnectedEventArgs(result),
                                                                            "ConnectedAsync"));
        }

        internal void OnConnectFailed(MqttClientDisconnectedEventArgs args)
        {
            TaskCompletionSource<MqttClientConnectResult> c;
            lock (gate)
            {
                c = connecting;
                connecting = null;
            }
            if (c != null)
            {
                // The attempt ConnectAsync waited for failed: no automatic retry behind its back.
                StopConnecting();
                c.TrySetException(args.Exception);
            }
            PostDisconnected(args);
        }

        internal void OnDisconnected(MqttClientDisconnectedEventArgs args)
        {
            TaskCompletionSource<bool> d;
            lock (gate)
            {
                d = disconnecting;
                disconnecting = null;
            }
            if (d != null) d.TrySetResult(true);
            PostDisconnected(args);
        }

        void PostDisconnected(MqttClientDisconnectedEventArgs args)
        {
            if (DisconnectedAsync != null)
                dispatcher.Post(new EventItem<MqttClientDisconnectedEventArgs>(this, () => DisconnectedAsync, args,
                                                                               "DisconnectedAsync"));
        }

        internal void OnAuth(MqttEnhancedAuthenticationEventArgs args)
        {
            if (EnhancedAuthenticationAsync != null)
                dispatcher.Post(new EventItem<MqttEnhancedAuthenticationEventArgs>(this, () => EnhancedAuthenticationAsync,
                                                                                   args, "EnhancedAuthenticationAsync"));
        }

        internal void OnLog(MqttClientLogEventArgs args)
        {
            if (LogMessageReceived != null) dispatcher.Post(new LogItem(this, args));
        }

        // The poller stopped on an error other than the client's end (a bug): nothing can complete
        // any more, so every wait fails with it rather than hanging.
        internal void OnPollerFailed(Exception e)
        {
            publishes.FailAll(e);
            subscribes.FailAll(e);
            unsubscribes.FailAll(e);
            TaskCompletionSource<MqttClientConnectResult> c;
            TaskCompletionSource<bool> d;
            lock (gate)
            {
                c = connecting;
                d = disconnecting;
                connecting = null;
                disconnecting = null;
            }
            if (c != null) c.TrySetException(e);
            if (d != null) d.TrySetException(e);
            ReportHandlerFailure("event poller", e, null);
        }

        // Runs on the dispatcher (or the poller for its own failure). A throwing HandlerFailed
        // subscriber is ignored: there is nobody left to tell.
        internal void ReportHandlerFailure(string eventName, Exception e, MqttApplicationMessage message)
        {
            EventHandler<MqttClientHandlerFailedEventArgs> h = HandlerFailed;
            if (h == null) return;
            try
            {
                h(this, new MqttClientHandlerFailedEventArgs(eventName, e, message));
            }
            catch (Exception)
            {
            }
        }

        // --- Inspection ----------------------------------------------------------------------------

        /// <summary>The engine's counters for this client.</summary>
        public MqttClientStatistics GetStatistics()
        {
            using (OuzelHandle.Lease l = Handle().Enter())
            {
                IntPtr p = l.Pointer;
                return new MqttClientStatistics
                {
                    MessagesSent = Stat(p, Capi.OUZEL_STAT_MESSAGES_SENT),
                    MessagesReceived = Stat(p, Capi.OUZEL_STAT_MESSAGES_RECEIVED),
                    BytesSent = Stat(p, Capi.OUZEL_STAT_BYTES_SENT),
                    BytesReceived = Stat(p, Capi.OUZEL_STAT_BYTES_RECEIVED),
                    Inflight = Stat(p, Capi.OUZEL_STAT_INFLIGHT),
                    Queued = Stat(p, Capi.OUZEL_STAT_QUEUED),
                    Reconnects = Stat(p, Capi.OUZEL_STAT_RECONNECTS),
                    LastDisconnectReason = (int)Stat(p, Capi.OUZEL_STAT_LAST_DISCONNECT_REASON),
                    StoreCompactions = Stat(p, Capi.OUZEL_STAT_STORE_COMPACTIONS),
                    StoreSyncs = Stat(p, Capi.OUZEL_STAT_STORE_SYNCS),
                    StoreLogBytes = Stat(p, Capi.OUZEL_STAT_STORE_LOG_BYTES),
                };
            }
        }

        static unsafe long Stat(IntPtr client, int stat)
        {
            long v;
            OuzelErrors.Check(Capi.ouzel_client_stat(client, stat, &v));
            return v;
        }

        /// <summary>What the session store held when the client was created (Enabled false without one).</summary>
        public unsafe MqttPersistenceReport GetPersistenceReport()
        {
            ouzel_persistence_report r;
            OuzelErrors.Check(Capi.ouzel_persistence_report_init(&r, Capi.OUZEL_PERSISTENCE_REPORT_VERSION));
            using (OuzelHandle.Lease l = Handle().Enter())
            {
                OuzelErrors.Check(Capi.ouzel_client_persistence_report(l.Pointer, &r));
                return new MqttPersistenceReport
                {
                    Enabled = r.enabled != 0,
                    Created = r.created != 0,
                    Truncated = r.truncated != 0,
                    Records = (long)r.records,
                    DiscardedBytes = (long)r.discarded_bytes,
                    OutgoingMessages = (long)r.outgoing,
                    IncomingPacketIds = (long)r.incoming,
                    Summary = Utf8.FromNul(r.summary),
                };
            }
        }

        // Tests: every wait and parked answer is gone.
        internal int PendingCount
        {
            get { return publishes.Count + subscribes.Count + unsubscribes.Count; }
        }

        internal EventPoller Poller
        {
            get { return poller; }
        }
    }

    /// <summary>The engine's counters (ouzel_client_stat).</summary>
    public sealed class MqttClientStatistics
    {
        /// <summary>PUBLISH packets sent.</summary>
        public long MessagesSent { get; internal set; }
        /// <summary>PUBLISH packets received.</summary>
        public long MessagesReceived { get; internal set; }
        /// <summary>Bytes written.</summary>
        public long BytesSent { get; internal set; }
        /// <summary>Bytes read.</summary>
        public long BytesReceived { get; internal set; }
        /// <summary>QoS 1/2 messages in flight now.</summary>
        public long Inflight { get; internal set; }
        /// <summary>Messages queued now.</summary>
        public long Queued { get; internal set; }
        /// <summary>Reconnections so far.</summary>
        public long Reconnects { get; internal set; }
        /// <summary>The last DISCONNECT reason code, or -1.</summary>
        public int LastDisconnectReason { get; internal set; }
        /// <summary>File store: log rewrites (0 without a store).</summary>
        public long StoreCompactions { get; internal set; }
        /// <summary>File store: successful fdatasync calls.</summary>
        public long StoreSyncs { get; internal set; }
        /// <summary>File store: size of the log in bytes.</summary>
        public long StoreLogBytes { get; internal set; }
    }

    /// <summary>What the durable session store held when the client was created.</summary>
    public sealed class MqttPersistenceReport
    {
        /// <summary>The client has a store.</summary>
        public bool Enabled { get; internal set; }
        /// <summary>Nothing was stored: a new session.</summary>
        public bool Created { get; internal set; }
        /// <summary>A damaged tail of the log was cut off.</summary>
        public bool Truncated { get; internal set; }
        /// <summary>Good records read.</summary>
        public long Records { get; internal set; }
        /// <summary>Bytes cut off the end of the log.</summary>
        public long DiscardedBytes { get; internal set; }
        /// <summary>QoS 1/2 messages restored (queued or in flight).</summary>
        public long OutgoingMessages { get; internal set; }
        /// <summary>QoS 2 packet ids restored (awaiting PUBREL).</summary>
        public long IncomingPacketIds { get; internal set; }
        /// <summary>One line for a log.</summary>
        public string Summary { get; internal set; }
    }
}
