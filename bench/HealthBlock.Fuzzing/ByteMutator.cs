using System.Buffers.Binary;

namespace HealthBlock.Fuzz;

/// <summary>
/// Byte-level mutations: bit flips, byte replacements (with values that matter to length fields and CBOR heads),
/// 16/32/64-bit integer overwrites in both byte orders, insertions, deletions, truncations, duplicated chunks, splices
/// between two inputs and overwrites with a chunk of another input.
/// </summary>
public static class ByteMutator
{
    /// <summary>Byte values that are boundaries of lengths, CBOR heads (0x17–0x1b, 0x1f, 0xf6, 0xff) and signs.</summary>
    private static readonly byte[] InterestingBytes =
        [0x00, 0x01, 0x02, 0x03, 0x10, 0x14, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x40, 0x41, 0x58, 0x5f, 0x60, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xbf, 0xc0, 0xf4, 0xf6, 0xf7, 0xf9, 0xfb, 0xfe, 0xff];

    /// <summary>Integer values that are boundaries of the formats' fields (sample counts, tag lengths, sizes).</summary>
    private static readonly long[] InterestingInts =
        [0, 1, 2, 3, 15, 16, 17, 20, 23, 24, 31, 32, 33, 36, 64, 65, 127, 128, 255, 256, 2047, 2048, 2049, 4096, 32767, 32768, 65535, 65536, int.MaxValue, uint.MaxValue, -1, -2, long.MaxValue, long.MinValue];

    /// <summary>Applies 1–4 random mutations to a copy of <paramref name="input"/>.</summary>
    public static byte[] Mutate(Random random, byte[] input, IReadOnlyList<byte[]> others)
    {
        var data = (byte[])input.Clone();
        var count = 1 + random.Next(random.Next(2) == 0 ? 1 : 4);
        for (var i = 0; i < count; i++)
        {
            data = MutateOnce(random, data, others);
        }

        return data;
    }

    /// <summary>Purely random bytes, mostly short.</summary>
    public static byte[] RandomBytes(Random random, int maxLength)
    {
        var length = random.Next(4) switch
        {
            0 => random.Next(Math.Min(maxLength, 16) + 1),
            1 => random.Next(Math.Min(maxLength, 64) + 1),
            _ => random.Next(maxLength + 1),
        };
        var data = new byte[length];
        random.NextBytes(data);
        return data;
    }

    private static byte[] MutateOnce(Random random, byte[] data, IReadOnlyList<byte[]> others)
    {
        switch (random.Next(12))
        {
            case 0 when data.Length > 0:
                data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            case 1 when data.Length > 0:
                data[random.Next(data.Length)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return data;
            case 2 when data.Length > 0:
                data[random.Next(data.Length)] = (byte)random.Next(256);
                return data;
            case 3 when data.Length >= 2:
                return OverwriteInteger(random, data);
            case 4:
                return Insert(random, data);
            case 5 when data.Length > 0:
                return Delete(random, data);
            case 6 when data.Length > 0:
                return data[..random.Next(data.Length)];
            case 7 when data.Length > 0:
                return Duplicate(random, data);
            case 8 when others.Count > 0:
                return Splice(random, data, others[random.Next(others.Count)]);
            case 9 when others.Count > 0 && data.Length > 0:
                return OverwriteFrom(random, data, others[random.Next(others.Count)]);
            case 10:
                {
                    var tail = new byte[1 + random.Next(8)];
                    random.NextBytes(tail);
                    return [.. data, .. tail];
                }

            case 11 when data.Length > 1:
                {
                    // Swap two bytes (reorders fields and CBOR keys).
                    int a = random.Next(data.Length), b = random.Next(data.Length);
                    (data[a], data[b]) = (data[b], data[a]);
                    return data;
                }

            default:
                return Insert(random, data);
        }
    }

    private static byte[] OverwriteInteger(Random random, byte[] data)
    {
        var width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        if (data.Length < width)
        {
            width = 2;
        }

        var value = random.Next(3) == 0 ? random.NextInt64() : InterestingInts[random.Next(InterestingInts.Length)];
        Span<byte> bytes = stackalloc byte[8];
        var bigEndian = random.Next(2) == 0;
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            bytes = bytes[(8 - width)..];
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            bytes = bytes[..width];
        }

        bytes.CopyTo(data.AsSpan(random.Next(data.Length - width + 1)));
        return data;
    }

    private static byte[] Insert(Random random, byte[] data)
    {
        var at = random.Next(data.Length + 1);
        var insert = new byte[1 + random.Next(random.Next(2) == 0 ? 4 : 32)];
        if (random.Next(2) == 0)
        {
            random.NextBytes(insert);
        }
        else
        {
            Array.Fill(insert, InterestingBytes[random.Next(InterestingBytes.Length)]);
        }

        return [.. data.AsSpan(0, at), .. insert, .. data.AsSpan(at)];
    }

    private static byte[] Delete(Random random, byte[] data)
    {
        var at = random.Next(data.Length);
        var length = 1 + random.Next(Math.Min(data.Length - at, random.Next(2) == 0 ? 4 : 64));
        return [.. data.AsSpan(0, at), .. data.AsSpan(at + length)];
    }

    private static byte[] Duplicate(Random random, byte[] data)
    {
        var at = random.Next(data.Length);
        var length = 1 + random.Next(Math.Min(data.Length - at, 64));
        var chunk = data.AsSpan(at, length);
        var to = random.Next(data.Length + 1);
        return [.. data.AsSpan(0, to), .. chunk, .. data.AsSpan(to)];
    }

    private static byte[] Splice(Random random, byte[] data, byte[] other)
    {
        var cut = random.Next(data.Length + 1);
        var otherCut = random.Next(other.Length + 1);
        return [.. data.AsSpan(0, cut), .. other.AsSpan(otherCut)];
    }

    private static byte[] OverwriteFrom(Random random, byte[] data, byte[] other)
    {
        if (other.Length == 0)
        {
            return data;
        }

        var from = random.Next(other.Length);
        var length = 1 + random.Next(Math.Min(other.Length - from, 64));
        var to = random.Next(data.Length);
        length = Math.Min(length, data.Length - to);
        other.AsSpan(from, length).CopyTo(data.AsSpan(to));
        return data;
    }
}
