// UTF-8 by hand, so that every P/Invoke signature stays blittable (byte* and a length) and no
// marshalling stub is generated.
using System;
using System.Text;

namespace Ouzel.Interop
{
    /// <summary>UTF-8 conversions between .NET strings and the C ABI's (pointer, length) strings.</summary>
    static unsafe class Utf8
    {
        /// <summary>Strict UTF-8: a string with a lone surrogate is refused rather than sent as
        /// U+FFFD, since MQTT forbids ill-formed UTF-8 and a replaced character would silently
        /// change a topic.</summary>
        internal static readonly Encoding Strict = new UTF8Encoding(false, true);

        /// <summary>The UTF-8 bytes of <paramref name="s"/> (no terminator).</summary>
        /// <exception cref="ArgumentException">The string is not valid UTF-16 (a lone surrogate).</exception>
        internal static byte[] Encode(string s)
        {
            try
            {
                return Strict.GetBytes(s);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("the string is not valid Unicode (a lone surrogate at index " +
                                            e.Index + ")", e);
            }
        }

        /// <summary>Encodes <paramref name="s"/> into <paramref name="buffer"/> (at least 3 bytes per
        /// UTF-16 unit) and returns the byte count.</summary>
        /// <exception cref="ArgumentException">The string is not valid UTF-16 (a lone surrogate).</exception>
        internal static int EncodeTo(string s, byte* buffer, int capacity)
        {
            try
            {
                fixed (char* c = s) return Strict.GetBytes(c, s.Length, buffer, capacity);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("the string is not valid Unicode (a lone surrogate at index " +
                                            e.Index + ")", e);
            }
        }

        /// <summary>Decodes <paramref name="len"/> bytes at <paramref name="p"/>; "" for a NULL
        /// pointer. Ill-formed bytes become U+FFFD (the engine validates what it receives).</summary>
        internal static string Decode(byte* p, UIntPtr len)
        {
            if (p == null || len == UIntPtr.Zero) return "";
            return Encoding.UTF8.GetString(p, checked((int)len.ToUInt64()));
        }

        /// <summary>Decodes a NUL-terminated string; "" for NULL.</summary>
        internal static string FromNul(byte* p)
        {
            if (p == null) return "";
            int n = 0;
            while (p[n] != 0) ++n;
            return Encoding.UTF8.GetString(p, n);
        }

        /// <summary>Copies <paramref name="len"/> bytes at <paramref name="p"/> into a new array.</summary>
        internal static byte[] Bytes(byte* p, UIntPtr len)
        {
            int n = checked((int)len.ToUInt64());
            if (p == null || n == 0) return EmptyBytes;
            var copy = new byte[n];
            fixed (byte* dst = copy) Buffer.MemoryCopy(p, dst, n, n);
            return copy;
        }

        /// <summary>A shared empty array (never written).</summary>
        internal static readonly byte[] EmptyBytes = new byte[0];
    }
}
