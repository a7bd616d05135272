// The poller: one background thread per client that drains the engine's event queue in batches
// (ouzel_client_poll_events) and turns each event into .NET objects. It completes the tasks of
// PublishAsync / SubscribeAsync / UnsubscribeAsync / ConnectAsync / DisconnectAsync directly (their
// continuations run asynchronously, so no application code runs here) and posts the events that
// have handlers to the dispatcher. A received message stays unreleased, and so unacknowledged and
// counted against the pending-messages bound, until its handlers have returned.
//
// The poller owns the native client's end of life: when the client is disposed it is woken
// (ouzel_client_interrupt_poll), leaves its loop and disposes the handle, which frees the native
// client once no other call holds it. No engine thread ever calls into managed code for events.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    sealed unsafe class EventPoller
    {
        const int BatchSize = 256;

        readonly MqttClient client;
        readonly ClientHandle handle;
        readonly Thread thread;
        volatile bool stopping;

        internal EventPoller(MqttClient client, ClientHandle handle)
        {
            this.client = client;
            this.handle = handle;
            thread = new Thread(Run) { IsBackground = true, Name = "Ouzel.Mqtt event poller" };
        }

        internal void Start()
        {
            lock (Live)
            {
                if (Live.Count == 0 && !exitHookInstalled)
                {
                    // A program may end without disposing its clients. The runtime then waits for
                    // (or cannot abort) a thread blocked in native code, so the pollers are woken
                    // and left first; each frees its client on the way out.
                    AppDomain.CurrentDomain.ProcessExit += (s, e) => StopAll();
                    AppDomain.CurrentDomain.DomainUnload += (s, e) => StopAll();
                    exitHookInstalled = true;
                }
                Live.Add(this);
            }
            thread.Start();
        }

        static readonly HashSet<EventPoller> Live = new HashSet<EventPoller>();
        static bool exitHookInstalled;

        static void StopAll()
        {
            List<EventPoller> all;
            lock (Live) all = new List<EventPoller>(Live);
            foreach (EventPoller p in all) p.Stop();
            // Bounded: a poller that does not leave in time is left to the process's end.
            foreach (EventPoller p in all) p.thread.Join(TimeSpan.FromSeconds(2));
        }

        // Asks the thread to stop; never waits for it.
        internal void Stop()
        {
            stopping = true;
            try
            {
                using (OuzelHandle.Lease l = handle.Enter()) Capi.ouzel_client_interrupt_poll(l.Pointer);
            }
            catch (ObjectDisposedException)
            {
                // Already freed: the thread has left.
            }
        }

        // True once the thread has ended (tests).
        internal bool HasEnded
        {
            get { return !thread.IsAlive; }
        }

        void Run()
        {
            IntPtr memory = Marshal.AllocHGlobal(sizeof(ouzel_event) * BatchSize);
            try
            {
                var events = (ouzel_event*)memory;
                Capi.ouzel_event_init(events, Capi.OUZEL_EVENT_VERSION);
                while (!stopping)
                {
                    // The first element names the layout of the whole array; releases and moves
                    // must not leave it without one.
                    events[0].version = Capi.OUZEL_EVENT_VERSION;
                    int n;
                    using (OuzelHandle.Lease l = handle.Enter())
                        n = Capi.ouzel_client_poll_events(l.Pointer, events, new UIntPtr(BatchSize), -1);
                    if (n < 0)
                    {
                        if (n != Capi.OUZEL_ECLOSED) client.OnPollerFailed(OuzelErrors.Create(n, "ouzel_client_poll_events failed"));
                        break;
                    }
                    int release = 0;
                    for (int i = 0; i < n; ++i)
                    {
                        if (!Handle(ref events[i])) events[release++] = events[i];
                    }
                    // Moving events within the array is allowed: the engine identifies an event
                    // by its contents, and release takes any subset in any order.
                    if (release > 0) ReleaseEvents(events, release);
                }
            }
            catch (Exception e)
            {
                client.OnPollerFailed(e);
            }
            finally
            {
                Marshal.FreeHGlobal(memory);
                handle.Dispose();
                lock (Live) Live.Remove(this);
            }
        }

        void ReleaseEvents(ouzel_event* events, int count)
        {
            using (OuzelHandle.Lease l = handle.Enter())
                Capi.ouzel_client_release_events(l.Pointer, events, new UIntPtr((uint)count));
        }

        // Releases one held message event (the dispatcher, when its handlers are done). Once the
        // client is disposed there is nothing to release: freeing the client freed the event and
        // acknowledged nothing.
        internal void ReleaseHeld(ref ouzel_event ev, bool acknowledge)
        {
            ev.ack_on_release = acknowledge ? 1 : 0;
            try
            {
                using (OuzelHandle.Lease l = handle.Enter())
                {
                    fixed (ouzel_event* p = &ev) Capi.ouzel_client_release_events(l.Pointer, p, new UIntPtr(1));
                }
            }
            catch (ObjectDisposedException)
            {
            }
        }

        // Returns true when the event is kept (a message waiting for its handlers).
        bool Handle(ref ouzel_event ev)
        {
            switch (ev.type)
            {
                case Capi.OUZEL_EVENT_MESSAGE:
                    return client.OnMessage(ref ev, ToMessage(ref ev, client.IsV5));
                case Capi.OUZEL_EVENT_PUBLISH_DONE:
                    client.OnPublishDone(ev.token, PublishOutcome(ref ev, client.IsV5));
                    return false;
                case Capi.OUZEL_EVENT_SUBSCRIBE_DONE:
                    client.OnSubscribeDone((ushort)ev.mid, AckOutcome(ref ev, true));
                    return false;
                case Capi.OUZEL_EVENT_UNSUBSCRIBE_DONE:
                    client.OnUnsubscribeDone((ushort)ev.mid, AckOutcome(ref ev, false));
                    return false;
                case Capi.OUZEL_EVENT_CONNECTED:
                    client.OnConnected(MqttClientConnectResult.From(ev.reason_code, ev.session_present != 0,
                                                                    NativeProperties.Read(ev.properties)));
                    return false;
                case Capi.OUZEL_EVENT_CONNECT_FAILED:
                    client.OnConnectFailed(ConnectFailure(ref ev));
                    return false;
                case Capi.OUZEL_EVENT_DISCONNECTED:
                    client.OnDisconnected(Disconnection(ref ev));
                    return false;
                case Capi.OUZEL_EVENT_AUTH:
                    client.OnAuth(new MqttEnhancedAuthenticationEventArgs(ev.reason_code, NativeProperties.Read(ev.properties)));
                    return false;
                case Capi.OUZEL_EVENT_LOG:
                    client.OnLog(new MqttClientLogEventArgs((MqttLogLevel)ev.level, Utf8.Decode(ev.text, ev.text_len)));
                    return false;
                default:
                    return false; // a newer engine's event type: nothing to do with it here
            }
        }

        static MqttApplicationMessage ToMessage(ref ouzel_event ev, bool v5)
        {
            var m = new MqttApplicationMessage
            {
                Topic = Utf8.Decode(ev.topic, ev.topic_len),
                PayloadSegment = new ArraySegment<byte>(Utf8.Bytes(ev.payload, ev.payload_len)),
                QualityOfServiceLevel = (MqttQualityOfServiceLevel)ev.qos,
                Retain = ev.retain != 0,
                Dup = ev.dup != 0,
            };
            PropertyBag p = v5 ? NativeProperties.Read(ev.properties) : PropertyBag.Empty; // MQTT 3 has none
            if (p != PropertyBag.Empty)
            {
                m.ContentType = p.ContentType;
                m.ResponseTopic = p.ResponseTopic;
                m.CorrelationData = p.CorrelationData;
                m.MessageExpiryInterval = p.MessageExpiryInterval ?? 0;
                m.PayloadFormatIndicator = (MqttPayloadFormatIndicator)(p.PayloadFormatIndicator ?? 0);
                m.TopicAlias = (ushort)(p.TopicAlias ?? 0);
                m.SubscriptionIdentifiers = p.SubscriptionIdentifiers;
                m.UserProperties = p.UserProperties;
            }
            return m;
        }

        // One shared result for the common case: QoS 0 done, nothing to tell (the result is
        // immutable to applications).
        static readonly MqttClientPublishResult Qos0Done = new MqttClientPublishResult
        {
            PacketIdentifier = 0,
            ReasonCode = MqttClientPublishReasonCode.Success,
            UserProperties = PropertyBag.NoUserProperties,
        };

        static Outcome<MqttClientPublishResult> PublishOutcome(ref ouzel_event ev, bool v5)
        {
            var outcome = new Outcome<MqttClientPublishResult>();
            bool rejected = ev.state == Capi.OUZEL_DELIVERY_DROPPED && ev.drop_reason == Capi.OUZEL_DROP_REJECTED;
            if (ev.state == Capi.OUZEL_DELIVERY_ACKNOWLEDGED && ev.qos == 0 && ev.mid == 0)
            {
                outcome.Result = Qos0Done;
            }
            else if (ev.state == Capi.OUZEL_DELIVERY_ACKNOWLEDGED || rejected)
            {
                // Only an MQTT 5 acknowledgement carries properties: no call for the others.
                PropertyBag p = v5 && ev.qos > 0 ? NativeProperties.Read(ev.properties) : PropertyBag.Empty;
                outcome.Result = new MqttClientPublishResult
                {
                    PacketIdentifier = (ushort)ev.mid,
                    ReasonCode = (MqttClientPublishReasonCode)ev.reason_code,
                    ReasonString = p.ReasonString,
                    UserProperties = p.UserPropertiesOrEmpty,
                };
            }
            else
            {
                outcome.Error = new MqttPublishFailedException((MqttDeliveryState)ev.state, (MqttDropReason)ev.drop_reason,
                                                               ev.reason_code);
            }
            return outcome;
        }

        // A SUBACK always has a code per filter; none means no SUBACK came (the connection closed
        // first, or the server's limits refused a SUBSCRIBE held until CONNACK). MQTT 3 UNSUBACKs
        // carry no codes, so for them only the error field tells.
        static Outcome<AckData> AckOutcome(ref ouzel_event ev, bool subscribe)
        {
            var outcome = new Outcome<AckData>();
            int count = checked((int)ev.reason_code_count.ToUInt64());
            if (ev.error != 0 || (subscribe && count == 0))
            {
                int error = ev.error != 0 ? ev.error : Capi.OUZEL_ECLOSED;
                string detail = ev.text_len != UIntPtr.Zero ? Utf8.Decode(ev.text, ev.text_len)
                    : (subscribe ? "no SUBACK came: the connection closed first" : "no UNSUBACK came: the connection closed first");
                outcome.Error = OuzelErrors.Create(error, detail);
                return outcome;
            }
            var codes = new byte[count];
            for (int i = 0; i < count; ++i) codes[i] = ev.reason_codes[i];
            outcome.Result = new AckData
            {
                PacketIdentifier = (ushort)ev.mid,
                ReasonCodes = codes,
                Properties = NativeProperties.Read(ev.properties),
            };
            return outcome;
        }

        static MqttClientDisconnectedEventArgs ConnectFailure(ref ouzel_event ev)
        {
            string detail = Utf8.Decode(ev.text, ev.text_len);
            PropertyBag p = NativeProperties.Read(ev.properties);
            int? reason = ev.reason_code >= 0 ? MqttClientConnectResult.NormalizeReasonCode(ev.reason_code) : (int?)null;
            MqttClientConnectResult refusal = reason.HasValue ? MqttClientConnectResult.From(reason.Value, false, p) : null;
            Exception e = ev.error == Capi.OUZEL_EREFUSED
                ? new MqttConnectingFailedException(detail, refusal ?? MqttClientConnectResult.Refused(null))
                : OuzelErrors.Create(ev.error, detail, reason, null, Capi.OUZEL_PACKET_CONNACK);
            return new MqttClientDisconnectedEventArgs(false, (OuzelError)ev.error, reason ?? -1, false, detail, e, p, refusal);
        }

        static MqttClientDisconnectedEventArgs Disconnection(ref ouzel_event ev)
        {
            string detail = Utf8.Decode(ev.text, ev.text_len);
            PropertyBag p = NativeProperties.Read(ev.properties);
            Exception e = ev.error == 0 ? null
                : OuzelErrors.Create(ev.error, detail, ev.reason_code > 0 ? ev.reason_code : (int?)null, null,
                                     Capi.OUZEL_PACKET_DISCONNECT);
            return new MqttClientDisconnectedEventArgs(true, (OuzelError)ev.error, ev.reason_code, ev.by_server != 0, detail, e,
                                                       p, null);
        }
    }
}
