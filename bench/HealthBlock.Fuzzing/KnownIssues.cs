using System.Buffers.Binary;
using System.Text;

namespace HealthBlock.Fuzz;

/// <summary>
/// Failures the fuzzer found in decoders owned by other parts, while they are reported but not fixed: add a
/// <see cref="KnownIssue"/> here and to the target's <see cref="FuzzTarget.KnownIssues"/>, pin the input in
/// <c>shared/HealthBlock.Fuzz.Tests/FuzzRegressionTests.cs</c>, and remove the entry once the decoder is fixed.
/// None is open: the three found so far (a null "format" and a null "covers" in diagnosis documents, an unbounded
/// PBKDF2 iteration count in key files) were fixed in dece595 and are regression tests now.
/// </summary>
public static class KnownIssues
{
    /// <summary>Every open issue.</summary>
    public static IReadOnlyList<KnownIssue> All { get; } = [];

    /// <summary>The largest INTEGER in the DER of the PEM blocks of a key file text (0 when there is none), e.g. a PBKDF2 iteration count.</summary>
    public static long MaxDeclaredInteger(byte[] keyFileUtf8)
    {
        ArgumentNullException.ThrowIfNull(keyFileUtf8);
        var max = 0L;
        foreach (var (_, _, _, der) in PemMutator.FindBlocks(Encoding.UTF8.GetString(keyFileUtf8)))
        {
            max = Math.Max(max, MaxInteger(der));
        }

        return max;
    }

    /// <summary>Scans DER for INTEGERs; tolerant of malformed input (stops at the first element it cannot read).</summary>
    private static long MaxInteger(ReadOnlySpan<byte> der)
    {
        var max = 0L;
        var offset = 0;
        while (offset + 2 <= der.Length)
        {
            var tag = der[offset];
            int length = der[offset + 1];
            var header = 2;
            if (length == 0x80)
            {
                // Indefinite: look inside, the end-of-contents marker is an element of tag 0.
                offset += 2;
                continue;
            }

            if (length > 0x80)
            {
                var n = length & 0x7f;
                if (n > 3 || offset + 2 + n > der.Length)
                {
                    return max;
                }

                length = 0;
                for (var i = 0; i < n; i++)
                {
                    length = (length << 8) | der[offset + 2 + i];
                }

                header += n;
            }

            var available = Math.Min(length, der.Length - offset - header);
            var content = der.Slice(offset + header, Math.Max(0, available));
            if ((tag & 0x20) != 0)
            {
                max = Math.Max(max, MaxInteger(content));
            }
            else if (tag == 0x02 && content.Length > 0 && (content[0] & 0x80) == 0)
            {
                var significant = content.TrimStart((byte)0);
                max = Math.Max(max, significant.Length > 7 ? long.MaxValue : ReadUnsigned(significant));
            }

            offset += header + Math.Max(0, available);
        }

        return max;
    }

    private static long ReadUnsigned(ReadOnlySpan<byte> bytes)
    {
        Span<byte> buffer = stackalloc byte[8];
        buffer.Clear();
        bytes.CopyTo(buffer[(8 - bytes.Length)..]);
        return BinaryPrimitives.ReadInt64BigEndian(buffer);
    }
}
