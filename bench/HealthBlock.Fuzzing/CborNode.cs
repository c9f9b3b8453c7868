using System.Buffers.Binary;

namespace HealthBlock.Fuzz;

/// <summary>
/// A CBOR item as a tree, kept loose enough to encode what a decoder must refuse: declared lengths that lie,
/// non-shortest heads, indefinite lengths. Byte strings whose content is itself one CBOR item (a transaction body
/// inside a signed transaction, a header inside a block) are parsed as <see cref="Nested"/>, so a mutation deep
/// inside still reaches the inner decoder with the outer lengths fixed up.
/// </summary>
public sealed class CborNode
{
    /// <summary>Major type 0–7.</summary>
    public int Major { get; set; }

    /// <summary>The head's argument (integer value, tag number, or simple value for major 7).</summary>
    public ulong Argument { get; set; }

    /// <summary>For major 7, the raw item bytes (head included).</summary>
    public byte[]? Raw { get; set; }

    /// <summary>Content of a byte or text string.</summary>
    public byte[]? Payload { get; set; }

    /// <summary>Items of an array (a map's keys and values alternate), or the one item of a tag.</summary>
    public List<CborNode>? Children { get; set; }

    /// <summary>The item a byte string holds, when it holds exactly one.</summary>
    public CborNode? Nested { get; set; }

    /// <summary>Write the head with at least this many argument bytes (0, 1, 2, 4, 8): a non-shortest encoding.</summary>
    public int ForcedWidth { get; set; } = -1;

    /// <summary>Declare this length instead of the real one.</summary>
    public ulong? LengthLie { get; set; }

    /// <summary>Write a string, array or map with indefinite length.</summary>
    public bool Indefinite { get; set; }

    /// <summary>A deep copy.</summary>
    public CborNode Clone() => new()
    {
        Major = Major,
        Argument = Argument,
        Raw = Raw is null ? null : (byte[])Raw.Clone(),
        Payload = Payload is null ? null : (byte[])Payload.Clone(),
        Children = Children?.Select(c => c.Clone()).ToList(),
        Nested = Nested?.Clone(),
        ForcedWidth = ForcedWidth,
        LengthLie = LengthLie,
        Indefinite = Indefinite,
    };

    /// <summary>This node and all below it (nested items included).</summary>
    public IEnumerable<CborNode> All()
    {
        yield return this;
        if (Nested is not null)
        {
            foreach (var n in Nested.All())
            {
                yield return n;
            }
        }

        foreach (var child in Children ?? [])
        {
            foreach (var n in child.All())
            {
                yield return n;
            }
        }
    }

    /// <summary>Parses exactly one item filling <paramref name="data"/>, or returns null.</summary>
    public static CborNode? TryParse(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        var node = TryParse(data, ref offset, 0);
        return node is not null && offset == data.Length ? node : null;
    }

    private static CborNode? TryParse(ReadOnlySpan<byte> data, ref int offset, int depth)
    {
        if (depth > 64 || offset >= data.Length)
        {
            return null;
        }

        var start = offset;
        var initial = data[offset++];
        var major = initial >> 5;
        var ai = initial & 0x1f;
        ulong arg;
        if (ai < 24)
        {
            arg = (ulong)ai;
        }
        else if (ai is >= 24 and <= 27)
        {
            var width = 1 << (ai - 24);
            if (offset + width > data.Length)
            {
                return null;
            }

            arg = width switch
            {
                1 => data[offset],
                2 => BinaryPrimitives.ReadUInt16BigEndian(data[offset..]),
                4 => BinaryPrimitives.ReadUInt32BigEndian(data[offset..]),
                _ => BinaryPrimitives.ReadUInt64BigEndian(data[offset..]),
            };
            offset += width;
        }
        else
        {
            return null; // indefinite lengths and reserved values are not in the seeds
        }

        var node = new CborNode { Major = major, Argument = arg };
        switch (major)
        {
            case 0 or 1:
                return node;
            case 2 or 3:
                if (arg > (ulong)(data.Length - offset))
                {
                    return null;
                }

                node.Payload = data.Slice(offset, (int)arg).ToArray();
                offset += (int)arg;
                if (major == 2 && node.Payload.Length > 1)
                {
                    node.Nested = TryParse(node.Payload);
                }

                return node;
            case 4 or 5:
                {
                    var items = major == 5 ? arg * 2 : arg;
                    if (items > (ulong)(data.Length - offset))
                    {
                        return null;
                    }

                    node.Children = [];
                    for (ulong i = 0; i < items; i++)
                    {
                        var child = TryParse(data, ref offset, depth + 1);
                        if (child is null)
                        {
                            return null;
                        }

                        node.Children.Add(child);
                    }

                    return node;
                }

            case 6:
                {
                    var child = TryParse(data, ref offset, depth + 1);
                    if (child is null)
                    {
                        return null;
                    }

                    node.Children = [child];
                    return node;
                }

            default:
                node.Raw = data[start..offset].ToArray();
                return node;
        }
    }

    /// <summary>Encodes the tree (declared lengths follow the content unless a lie is set).</summary>
    public byte[] Encode()
    {
        var output = new List<byte>(64);
        Write(output);
        return [.. output];
    }

    private void Write(List<byte> o)
    {
        switch (Major)
        {
            case 0 or 1:
                Head(o, Major, Argument, ForcedWidth);
                break;
            case 2 or 3:
                {
                    var payload = Nested is not null ? Nested.Encode() : Payload ?? [];
                    if (Indefinite)
                    {
                        o.Add((byte)((Major << 5) | 31));
                        Head(o, Major, LengthLie ?? (ulong)payload.Length, ForcedWidth);
                        o.AddRange(payload);
                        o.Add(0xff);
                    }
                    else
                    {
                        Head(o, Major, LengthLie ?? (ulong)payload.Length, ForcedWidth);
                        o.AddRange(payload);
                    }

                    break;
                }

            case 4 or 5:
                {
                    var children = Children ?? [];
                    var count = (ulong)(Major == 5 ? children.Count / 2 : children.Count);
                    if (Indefinite)
                    {
                        o.Add((byte)((Major << 5) | 31));
                    }
                    else
                    {
                        Head(o, Major, LengthLie ?? count, ForcedWidth);
                    }

                    foreach (var child in children)
                    {
                        child.Write(o);
                    }

                    if (Indefinite)
                    {
                        o.Add(0xff);
                    }

                    break;
                }

            case 6:
                Head(o, 6, Argument, ForcedWidth);
                foreach (var child in Children ?? [])
                {
                    child.Write(o);
                }

                break;
            default:
                o.AddRange(Raw ?? [0xf6]);
                break;
        }
    }

    private static void Head(List<byte> o, int major, ulong value, int forcedWidth)
    {
        var m = (byte)(major << 5);
        var width = value < 24 ? 0 : value <= byte.MaxValue ? 1 : value <= ushort.MaxValue ? 2 : value <= uint.MaxValue ? 4 : 8;
        if (forcedWidth > width)
        {
            width = forcedWidth;
        }

        switch (width)
        {
            case 0:
                o.Add((byte)(m | (byte)value));
                break;
            case 1:
                o.Add((byte)(m | 24));
                o.Add((byte)value);
                break;
            case 2:
                o.Add((byte)(m | 25));
                o.Add((byte)(value >> 8));
                o.Add((byte)value);
                break;
            case 4:
                o.Add((byte)(m | 26));
                for (var s = 24; s >= 0; s -= 8)
                {
                    o.Add((byte)(value >> s));
                }

                break;
            default:
                o.Add((byte)(m | 27));
                for (var s = 56; s >= 0; s -= 8)
                {
                    o.Add((byte)(value >> s));
                }

                break;
        }
    }
}
