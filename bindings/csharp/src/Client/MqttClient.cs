// The client: MQTTnet's surface over one native Ouzel client running with the event queue.
//
// Threads: the engine's network thread (I/O, never managed code), the poller (drains events,
// completes tasks; EventPoller.cs) and the dispatcher (runs handlers in order on the thread pool;
// HandlerDispatcher.cs). Every native call holds a lease on the SafeHandle, so Dispose (which only
// flags, fails the waits and wakes the poller) can never free the client under a running call.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    /// <summary>An MQTT client on Ouzel's engine. Thread-safe. Dispose never blocks: use
    /// <see cref="DisconnectAsync"/> first for a clean DISCONNECT (Dispose closes without one, so the
    /// server publishes the Will).</summary>
    public sealed partial class MqttClient : IMqttClient
    {
        readonly object gate = new object();
        readonly PendingTable<ulong, MqttClientPublishResult> publishes = new PendingTable<ulong, MqttClientPublishResult>();
        readonly PendingTable<ushort, AckData> subscribes = new PendingTable<ushort, AckData>();
        readonly PendingTable<ushort, AckData> unsubscribes = new PendingTable<ushort, AckData>();
        readonly HandlerDispatcher dispatcher = new HandlerDispatcher();
        readonly MessageHandlerRouter filterHandlers = new MessageHandlerRouter();
        ClientHandle native;       // set once, under gate
        EventPoller poller;        // set with native
        MqttClientOptions options; // the options native was last configured with
        bool v5;                   // options.ProtocolVersion is MQTT 5
        TaskCompletionSource<MqttClientConnectResult> connecting;
        TaskCompletionSource<bool> disconnecting;
        int disposed;

        /// <summary>A client configured by its first ConnectAsync.</summary>
        public MqttClient() : this(null) { }

        /// <summary>A client configured now (it may publish before connecting); null: configured
        /// by the first ConnectAsync.</summary>
        public MqttClient(MqttClientOptions options)
        {
            // Before any method of this client that calls the library is compiled: Mono binds a
            // P/Invoke when its caller is compiled, and a failed binding sticks.
            OuzelLibrary.EnsureLoaded();
            if (options != null)
            {
                lock (gate) CreateNative(options);
            }
        }

        /// <inheritdoc/>
        public event Func<MqttApplicationMessageReceivedEventArgs, Task> ApplicationMessageReceivedAsync;
        /// <inheritdoc/>
        public event Func<MqttClientConnectedEventArgs, Task> ConnectedAsync;
        /// <inheritdoc/>
        public event Func<MqttClientDisconnectedEventArgs, Task> DisconnectedAsync;
        /// <inheritdoc/>
        public event Func<MqttEnhancedAuthenticationEventArgs, Task> EnhancedAuthenticationAsync;
        /// <inheritdoc/>
        public event EventHandler<MqttClientLogEventArgs> LogMessageReceived;
        /// <inheritdoc/>
        public event EventHandler<MqttClientHandlerFailedEventArgs> HandlerFailed;

        /// <inheritdoc/>
        public MqttClientOptions Options
        {
            get { lock (gate) return options; }
        }

        /// <inheritdoc/>
        public bool IsConnected
        {
            get
            {
                ClientHandle h = native;
                if (h == null || Volatile.Read(ref disposed) != 0) return false;
                try
                {
                    using (OuzelHandle.Lease l = h.Enter()) return Capi.ouzel_client_is_connected(l.Pointer) != 0;
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            }
        }

        /// <summary>
        /// Adds a handler for the messages whose topic matches <paramref name="topicFilter"/> (it
        /// does not subscribe). It runs on the dispatcher after the ApplicationMessageReceivedAsync
        /// handlers, with the same event args; when several filters match, the most specific runs
        /// first and a handler runs once. Dispose the result to remove it.
        /// </summary>
        /// <exception cref="OuzelArgumentException">The filter is invalid.</exception>
        public IDisposable AddApplicationMessageHandler(string topicFilter,
                                                        Func<MqttApplicationMessageReceivedEventArgs, Task> handler)
        {
            if (topicFilter == null) throw new ArgumentNullException("topicFilter");
            if (handler == null) throw new ArgumentNullException("handler");
            ThrowIfDisposed();
            OuzelLibrary.EnsureLoaded();
            ulong id = filterHandlers.Add(topicFilter, handler);
            return new Removal(() => filterHandlers.Remove(topicFilter, id));
        }

        sealed class Removal : IDisposable
        {
            Action remove;

            internal Removal(Action remove)
            {
                this.remove = remove;
            }

            public void Dispose()
            {
                Action r = Interlocked.Exchange(ref remove, null);
                if (r != null) r();
            }
        }

        /// <summary>Where the connection stands, from the engine's own bookkeeping (a snapshot).</summary>
        public MqttClientConnectionState ConnectionState
        {
            get
            {
                ClientHandle h = native;
                if (h == null || Volatile.Read(ref disposed) != 0) return MqttClientConnectionState.Disconnected;
                try
                {
                    using (OuzelHandle.Lease l = h.Enter()) return (MqttClientConnectionState)Capi.ouzel_client_state(l.Pointer);
                }
                catch (ObjectDisposedException)
                {
                    return MqttClientConnectionState.Disconnected;
                }
            }
        }

        // --- Connection ----------------------------------------------------------------------------

        /// <summary>Connects with the options the client was created with (or last connected with).</summary>
        public Task<MqttClientConnectResult> ConnectAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return ConnectAsync(null, cancellationToken);
        }

        /// <summary>
        /// Connects and returns the accepting CONNACK. A refusal throws
        /// <see cref="MqttConnectingFailedException"/> (its reason code in ResultCode); a network,
        /// TLS or timeout failure throws the matching <see cref="MqttCommunicationException"/>;
        /// either way the client stops trying. Cancelling stops the attempt. Called while an
        /// automatic reconnection is under way, it waits for that attempt. New options on a
        /// client that exists reconfigure it (the protocol, client id and persistence cannot change).
        /// </summary>
        /// <exception cref="InvalidOperationException">Already connected, or another ConnectAsync is waiting.</exception>
        public async Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options,
                                                                CancellationToken cancellationToken = default(CancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tcs = new TaskCompletionSource<MqttClientConnectResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            ClientHandle h;
            lock (gate)
            {
                ThrowIfDisposed();
                if (options == null) options = this.options;
                if (options == null) throw new InvalidOperationException("no options: pass MqttClientOptions to ConnectAsync");
                if (connecting != null) throw new InvalidOperationException("a ConnectAsync is already waiting");
                if (native == null) CreateNative(options);
                else if (!ReferenceEquals(options, this.options)) Reconfigure(options);
                connecting = tcs;
                h = native;
            }
            int rc;
            using (OuzelHandle.Lease l = h.Enter())
            {
                rc = Capi.ouzel_client_connect(l.Pointer);
                if (rc == Capi.OUZEL_EBUSY && Capi.ouzel_client_is_connected(l.Pointer) != 0)
                {
                    ClearConnecting(tcs);
                    throw new InvalidOperationException("the client is already connected");
                }
                if (rc < 0 && rc != Capi.OUZEL_EBUSY)
                {
                    ClearConnecting(tcs);
                    OuzelErrors.Check(rc);
                }
            }
            // OUZEL_EBUSY without a connection: an automatic reconnection is under way; its outcome
            // completes tcs like ours would.
            using (cancellationToken.Register(() =>
            {
                if (!tcs.TrySetCanceled(cancellationToken)) return;
                ClearConnecting(tcs);
                StopConnecting();
            }))
            {
                return await tcs.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Sends DISCONNECT (reason and properties with MQTT 5) and completes when the
        /// connection is closed; no automatic reconnection follows. Stops an attempt under way.
        /// Completes at once when there is nothing to disconnect.</summary>
        public async Task DisconnectAsync(MqttClientDisconnectOptions options,
                                          CancellationToken cancellationToken = default(CancellationToken))
        {
            ThrowIfDisposed();
            ClientHandle h = native;
            if (h == null) return;
            var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                if (disconnecting != null) tcs = disconnecting;
                else disconnecting = tcs;
            }
            int rc;
            bool wasConnected;
            using (var w = new PropertyWriter())
            {
                int reason = 0;
                if (options != null)
                {
                    reason = (int)options.Reason;
                    w.Text(Capi.OUZEL_PROP_REASON_STRING, options.ReasonString, "ReasonString");
                    w.Int(Capi.OUZEL_PROP_SESSION_EXPIRY_INTERVAL, options.SessionExpiryInterval, "SessionExpiryInterval");
                    w.Users(options.UserProperties);
                }
                using (OuzelHandle.Lease l = h.Enter())
                {
                    wasConnected = Capi.ouzel_client_is_connected(l.Pointer) != 0;
                    rc = Capi.ouzel_client_disconnect(l.Pointer, reason, w.Pointer);
                    if (rc < 0 && rc != Capi.OUZEL_ENOTCONN)
                    {
                        ClearDisconnecting(tcs);
                        OuzelErrors.Check(rc);
                    }
                }
            }
            if (rc == Capi.OUZEL_ENOTCONN || !wasConnected)
            {
                ClearDisconnecting(tcs);
                tcs.TrySetResult(true);
            }
            using (cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken)))
            {
                await tcs.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Drops the connection without DISCONNECT and connects again, resuming a
        /// persistent session (the outcome arrives through ConnectedAsync / DisconnectedAsync).</summary>
        public void Reconnect()
        {
            using (OuzelHandle.Lease l = Handle().Enter()) OuzelErrors.Check(Capi.ouzel_client_reconnect(l.Pointer));
        }

        // --- Messages ------------------------------------------------------------------------------

        /// <summary>
        /// Publishes (or queues, when offline or the inflight window is full). Completes when the
        /// message reaches its final state: written (QoS 0), PUBACK (QoS 1) or PUBCOMP (QoS 2), or
        /// a refusal by an MQTT 5 server (<see cref="MqttClientPublishResult.IsSuccess"/> false).
        /// A message dropped or expired faults the task with <see cref="MqttPublishFailedException"/>.
        /// Cancelling stops the wait only: the message is still sent and delivered.
        /// </summary>
        /// <exception cref="OuzelArgumentException">Invalid topic (wildcards, empty), QoS or property; nothing is sent.</exception>
        /// <exception cref="MqttPacketTooLargeException">Over the server's Maximum Packet Size; nothing is sent.</exception>
        /// <exception cref="MqttClientNotConnectedException">QoS 0 while offline (unless queued by option), or never configured.</exception>
        public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message,
                                                          CancellationToken cancellationToken = default(CancellationToken))
        {
            if (message == null) throw new ArgumentNullException("message");
            if (message.Topic == null) throw new ArgumentNullException("message", "the message has no topic");
            cancellationToken.ThrowIfCancellationRequested();
            ClientHandle h = Handle();
            var tcs = new TaskCompletionSource<MqttClientPublishResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            ulong token = Publish(h, message);
            publishes.Wait(token, tcs);
            if (!cancellationToken.CanBeCanceled) return tcs.Task;
            return WaitOrAbandon(tcs, cancellationToken, () => publishes.Abandon(token, tcs));
        }

        unsafe ulong Publish(ClientHandle h, MqttApplicationMessage m)
        {
            ArraySegment<byte> payload = m.PayloadSegment;
            byte[] payloadArray = payload.Array ?? Utf8.EmptyBytes;
            int topicCapacity = m.Topic.Length * 3;
            PropertyWriter w = PublishProperties(m);
            try
            {
                ulong token;
                byte* topic = stackalloc byte[topicCapacity <= 768 ? topicCapacity + 1 : 1];
                byte[] bigTopic = topicCapacity <= 768 ? null : Utf8.Encode(m.Topic);
                fixed (byte* big = bigTopic)
                fixed (byte* pay = payloadArray)
                {
                    byte* t = big;
                    int topicLen = bigTopic == null ? 0 : bigTopic.Length;
                    if (bigTopic == null)
                    {
                        topicLen = Utf8.EncodeTo(m.Topic, topic, topicCapacity);
                        t = topic;
                    }
                    using (OuzelHandle.Lease l = h.Enter())
                    {
                        OuzelErrors.Check(Capi.ouzel_client_publish(l.Pointer, t, new UIntPtr((uint)topicLen),
                                                                    pay + payload.Offset, new UIntPtr((uint)payload.Count),
                                                                    (int)m.QualityOfServiceLevel, m.Retain ? 1 : 0,
                                                                    w == null ? IntPtr.Zero : w.Pointer, &token, null),
                                          "message");
                    }
                }
                return token;
            }
            finally
            {
                if (w != null) w.Dispose();
            }
        }

        // Null when the message has no MQTT 5 property (no native allocation then).
        static PropertyWriter PublishProperties(MqttApplicationMessage m)
        {
            if (m.ContentType == null && m.ResponseTopic == null && m.CorrelationData == null &&
                m.MessageExpiryInterval == 0 && m.PayloadFormatIndicator == MqttPayloadFormatIndicator.Unspecified &&
                m.TopicAlias == 0 && (m.UserProperties == null || m.UserProperties.Count == 0))
                return null;
            var w = new PropertyWriter();
            try
            {
                if (m.PayloadFormatIndicator != MqttPayloadFormatIndicator.Unspecified)
                    w.Int(Capi.OUZEL_PROP_PAYLOAD_FORMAT_INDICATOR, (uint)m.PayloadFormatIndicator, "PayloadFormatIndicator");
                if (m.MessageExpiryInterval != 0)
                    w.Int(Capi.OUZEL_PROP_MESSAGE_EXPIRY_INTERVAL, m.MessageExpiryInterval, "MessageExpiryInterval");
                if (m.TopicAlias != 0) w.Int(Capi.OUZEL_PROP_TOPIC_ALIAS, m.TopicAlias, "TopicAlias");
                w.Text(Capi.OUZEL_PROP_CONTENT_TYPE, m.ContentType, "ContentType");
                w.Text(Capi.OUZEL_PROP_RESPONSE_TOPIC, m.ResponseTopic, "ResponseTopic");
                w.Binary(Capi.OUZEL_PROP_CORRELATION_DATA, m.CorrelationData, "CorrelationData");
                w.Users(m.UserProperties);
                return w;
            }
            catch
            {
                w.Dispose();
                throw;
            }
        }

        /// <summary>Subscribes and returns the SUBACK (one code per filter). Invalid input throws
        /// before anything is sent; cancelling stops the wait only.</summary>
        /// <exception cref="OuzelArgumentException">An invalid filter or option; nothing is sent.</exception>
        /// <exception cref="MqttClientNotConnectedException">Not connected.</exception>
        public Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options,
                                                              CancellationToken cancellationToken = default(CancellationToken))
        {
            if (options == null) throw new ArgumentNullException("options");
            if (options.TopicFilters.Count == 0) throw new ArgumentException("no topic filter", "options");
            cancellationToken.ThrowIfCancellationRequested();
            ClientHandle h = Handle();
            var filters = new List<string>(options.TopicFilters.Count);
            int mid = SendSubscribe(h, options, filters);
            var tcs = new TaskCompletionSource<AckData>(TaskCreationOptions.RunContinuationsAsynchronously);
            subscribes.Wait((ushort)mid, tcs);
            return SubackAsync(WaitOrAbandon(tcs, cancellationToken, () => subscribes.Abandon((ushort)mid, tcs)), filters);
        }

        static async Task<MqttClientSubscribeResult> SubackAsync(Task<AckData> wait, List<string> filters)
        {
            AckData ack = await wait.ConfigureAwait(false);
            var items = new List<MqttClientSubscribeResultItem>(filters.Count);
            for (int i = 0; i < filters.Count && i < ack.ReasonCodes.Length; ++i)
                items.Add(new MqttClientSubscribeResultItem(filters[i], (MqttClientSubscribeResultCode)ack.ReasonCodes[i]));
            return new MqttClientSubscribeResult
            {
                PacketIdentifier = ack.PacketIdentifier,
                Items = items,
                ReasonString = ack.Properties.ReasonString,
                UserProperties = ack.Properties.UserPropertiesOrEmpty,
            };
        }

        unsafe int SendSubscribe(ClientHandle h, MqttClientSubscribeOptions options, List<string> filters)
        {
            int n = options.TopicFilters.Count;
            var encoded = new byte[n][];
            int total = 0;
            for (int i = 0; i < n; ++i)
            {
                MqttTopicFilter f = options.TopicFilters[i];
                if (f == null || f.Topic == null) throw new ArgumentException("a topic filter is null", "options");
                encoded[i] = Utf8.Encode(f.Topic);
                total += encoded[i].Length;
                filters.Add(f.Topic);
            }
            var joined = new byte[Math.Max(total, 1)];
            var subs = new ouzel_subscription[n];
            using (var w = new PropertyWriter())
            {
                if (options.SubscriptionIdentifier != 0)
                    w.Int(Capi.OUZEL_PROP_SUBSCRIPTION_IDENTIFIER, options.SubscriptionIdentifier, "SubscriptionIdentifier");
                w.Users(options.UserProperties);
                fixed (byte* all = joined)
                fixed (ouzel_subscription* s = subs)
                {
                    int offset = 0;
                    for (int i = 0; i < n; ++i)
                    {
                        Buffer.BlockCopy(encoded[i], 0, joined, offset, encoded[i].Length);
                        MqttTopicFilter f = options.TopicFilters[i];
                        s[i].version = Capi.OUZEL_SUBSCRIPTION_VERSION;
                        s[i].filter = all + offset;
                        s[i].filter_len = new UIntPtr((uint)encoded[i].Length);
                        s[i].qos = (int)f.QualityOfServiceLevel;
                        s[i].no_local = f.NoLocal ? 1 : 0;
                        s[i].retain_as_published = f.RetainAsPublished ? 1 : 0;
                        s[i].retain_handling = (int)f.RetainHandling;
                        offset += encoded[i].Length;
                    }
                    int mid;
                    using (OuzelHandle.Lease l = h.Enter())
                        OuzelErrors.Check(Capi.ouzel_client_subscribe(l.Pointer, s, new UIntPtr((uint)n), w.Pointer, &mid),
                                          "options");
                    return mid;
                }
            }
        }

        /// <summary>Unsubscribes and returns the UNSUBACK. Cancelling stops the wait only.</summary>
        public Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options,
                                                                  CancellationToken cancellationToken = default(CancellationToken))
        {
            if (options == null) throw new ArgumentNullException("options");
            if (options.TopicFilters.Count == 0) throw new ArgumentException("no topic filter", "options");
            cancellationToken.ThrowIfCancellationRequested();
            ClientHandle h = Handle();
            int mid = SendUnsubscribe(h, options);
            var tcs = new TaskCompletionSource<AckData>(TaskCreationOptions.RunContinuationsAsynchronously);
            unsubscribes.Wait((ushort)mid, tcs);
            return UnsubackAsync(WaitOrAbandon(tcs, cancellationToken, () => unsubscribes.Abandon((ushort)mid, tcs)),
                                 new List<string>(options.TopicFilters));
        }

        static async Task<MqttClientUnsubscribeResult> UnsubackAsync(Task<AckData> wait, List<string> filters)
        {
            AckData ack = await wait.ConfigureAwait(false);
            var items = new List<MqttClientUnsubscribeResultItem>(filters.Count);
            for (int i = 0; i < filters.Count; ++i)
            {
                // MQTT 3 UNSUBACKs carry no codes: success is all they can say.
                var code = i < ack.ReasonCodes.Length ? (MqttClientUnsubscribeResultCode)ack.ReasonCodes[i]
                                                      : MqttClientUnsubscribeResultCode.Success;
                items.Add(new MqttClientUnsubscribeResultItem(filters[i], code));
            }
            return new MqttClientUnsubscribeResult
            {
                PacketIdentifier = ack.PacketIdentifier,
                Items = items,
                ReasonString = ack.Properties.ReasonString,
                UserProperties = ack.Properties.UserPropertiesOrEmpty,
            };
        }

        unsafe int SendUnsubscribe(ClientHandle h, MqttClientUnsubscribeOptions options)
        {
            int n = options.TopicFilters.Count;
            var encoded = new byte[n][];
            int total = 0;
            for (int i = 0; i < n; ++i)
            {
                if (options.TopicFilters[i] == null) throw new ArgumentException("a topic filter is null", "options");
                encoded[i] = Utf8.Encode(options.TopicFilters[i]);
                total += encoded[i].Length;
            }
            var joined = new byte[Math.Max(total, 1)];
            var pointers = new IntPtr[n];
            var lengths = new UIntPtr[n];
            using (var w = new PropertyWriter())
            {
                w.Users(options.UserProperties);
                fixed (byte* all = joined)
                fixed (IntPtr* ptrs = pointers)
                fixed (UIntPtr* lens = lengths)
                {
                    int offset = 0;
                    for (int i = 0; i < n; ++i)
                    {
                        Buffer.BlockCopy(encoded[i], 0, joined, offset, encoded[i].Length);
                        ptrs[i] = (IntPtr)(all + offset);
                        lens[i] = new UIntPtr((uint)encoded[i].Length);
                        offset += encoded[i].Length;
                    }
                    int mid;
                    using (OuzelHandle.Lease l = h.Enter())
                        OuzelErrors.Check(Capi.ouzel_client_unsubscribe(l.Pointer, (byte**)ptrs, lens, new UIntPtr((uint)n),
                                                                        w.Pointer, &mid), "options");
                    return mid;
                }
            }
        }

        /// <inheritdoc/>
        public Task SendEnhancedAuthenticationExchangeDataAsync(string method, byte[] data,
                                                                CancellationToken cancellationToken = default(CancellationToken))
        {
            return SendAuth(method, data, false);
        }

        /// <summary>Starts MQTT 5 re-authentication on a connected client (the server answers
        /// through <see cref="EnhancedAuthenticationAsync"/>).</summary>
        public Task ReauthenticateAsync(string method, byte[] data,
                                        CancellationToken cancellationToken = default(CancellationToken))
        {
            return SendAuth(method, data, true);
        }

        Task SendAuth(string method, byte[] data, bool reauthenticate)
        {
            using (var w = new PropertyWriter())
            {
                w.Text(Capi.OUZEL_PROP_AUTHENTICATION_METHOD, method, "method");
                w.Binary(Capi.OUZEL_PROP_AUTHENTICATION_DATA, data, "data");
                using (OuzelHandle.Lease l = Handle().Enter())
                {
                    OuzelErrors.Check(reauthenticate ? Capi.ouzel_client_reauthenticate(l.Pointer, w.Pointer)
                                                     : Capi.ouzel_client_auth_continue(l.Pointer, w.Pointer));
                }
            }
            return CompletedTask.Instance;
        }

        // --- Waiting -------------------------------------------------------------------------------

        static async Task<T> WaitOrAbandon<T>(TaskCompletionSource<T> tcs, CancellationToken cancellationToken,
                                              Action abandon)
        {
            if (!cancellationToken.CanBeCanceled) return await tcs.Task.ConfigureAwait(false);
            using (cancellationToken.Register(() =>
            {
                if (tcs.TrySetCanceled(cancellationToken)) abandon();
            }))
            {
                return await tcs.Task.ConfigureAwait(false);
            }
        }

        ClientHandle Handle()
        {
            ThrowIfDisposed();
            ClientHandle h = native;
            if (h == null)
                throw new MqttClientNotConnectedException(
                    "the client has no options yet: call ConnectAsync(options), or create it with options to publish before connecting");
            return h;
        }

        void ThrowIfDisposed()
        {
            if (Volatile.Read(ref disposed) != 0) throw new ObjectDisposedException(GetType().FullName, "the client is disposed");
        }
    }
}
