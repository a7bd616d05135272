// Topic names and filters by the engine's own rules (ouzel/topic.h): no matcher of our own.
using System;
using System.Runtime.CompilerServices;
using Ouzel.Interop;

namespace Ouzel.Mqtt
{
    /// <summary>MQTT topic name and filter rules (MQTT 5.0 sections 4.7 and 4.8.2).</summary>
    public static unsafe class MqttTopic
    {
        /// <summary>Whether <paramref name="topic"/> is a valid topic name (no wildcards, 1..65,535 bytes).</summary>
        public static bool IsValidName(string topic)
        {
            return Check(topic, true) == null;
        }

        /// <summary>Whether <paramref name="filter"/> is a valid topic filter.</summary>
        public static bool IsValidFilter(string filter)
        {
            return Check(filter, false) == null;
        }

        /// <summary>Throws <see cref="OuzelArgumentException"/> naming the rule and the byte offset
        /// when <paramref name="topic"/> is not a valid topic name.</summary>
        public static void ValidateName(string topic)
        {
            string why = Check(topic, true);
            if (why != null) throw new OuzelArgumentException(why, "topic");
        }

        /// <summary>Throws <see cref="OuzelArgumentException"/> when <paramref name="filter"/> is not a valid filter.</summary>
        public static void ValidateFilter(string filter)
        {
            string why = Check(filter, false);
            if (why != null) throw new OuzelArgumentException(why, "filter");
        }

        /// <summary>Whether the topic name matches the filter ("sport/#" matches "sport"; "+/x" does not match "$SYS/x").</summary>
        /// <exception cref="OuzelArgumentException">Either is invalid.</exception>
        public static bool Matches(string filter, string topic)
        {
            if (filter == null) throw new ArgumentNullException("filter");
            if (topic == null) throw new ArgumentNullException("topic");
            OuzelLibrary.EnsureLoaded();
            return MatchesNative(filter, topic);
        }

        // Native calls live apart from the public methods, which load the library first (on Mono
        // a method that calls the library must not be compiled before it is loaded).
        [MethodImpl(MethodImplOptions.NoInlining)]
        static bool MatchesNative(string filter, string topic)
        {
            byte[] f = Utf8.Encode(filter), t = Utf8.Encode(topic);
            fixed (byte* pf = f)
            fixed (byte* pt = t)
                return OuzelErrors.Check(Capi.ouzel_topic_matches(pf, new UIntPtr((uint)f.Length), pt,
                                                                  new UIntPtr((uint)t.Length))) == 1;
        }

        // The engine's reason the string is invalid, or null.
        static string Check(string s, bool name)
        {
            if (s == null) throw new ArgumentNullException(name ? "topic" : "filter");
            OuzelLibrary.EnsureLoaded();
            return CheckNative(s, name);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static string CheckNative(string s, bool name)
        {
            byte[] b;
            try
            {
                b = Utf8.Encode(s);
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
            fixed (byte* p = b)
            {
                int rc = name ? Capi.ouzel_topic_validate_name(p, new UIntPtr((uint)b.Length))
                              : Capi.ouzel_topic_validate_filter(p, new UIntPtr((uint)b.Length));
                return rc == 0 ? null : Utf8.FromNul(Capi.ouzel_last_error_message());
            }
        }
    }
}
