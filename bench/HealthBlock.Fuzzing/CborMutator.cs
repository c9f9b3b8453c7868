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

/// <summary>
/// Structure-aware CBOR mutations on parsed seeds: integer boundary values, declared-length lies, non-shortest and
/// indefinite encodings, changed major types, removed / duplicated / swapped / transplanted items and map entries,
/// resized byte strings (to the sizes ids, hashes, CIDs, keys and signatures have), tags and simple values.
/// </summary>
public sealed class CborMutator
{
    private static readonly ulong[] InterestingValues =
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 20, 23, 24, 31, 32, 36, 64, 65, 100, 255, 256, 1000, 1024, 2048, 4096, 65535, 65536, 100_000, 100_001, int.MaxValue, uint.MaxValue, (ulong)uint.MaxValue + 1, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue];

    private static readonly int[] InterestingSizes = [0, 1, 19, 20, 21, 31, 32, 33, 35, 36, 37, 63, 64, 65, 66, 128, 129, 256, 257];

    private static readonly byte[][] SimpleValues =
        [[0xf4], [0xf5], [0xf6], [0xf7], [0xf8, 0x20], [0xf9, 0x7e, 0x00], [0xfa, 0x7f, 0x80, 0x00, 0x00], [0xfb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], [0xff]];

    private readonly List<CborNode> _seeds;
    private readonly List<CborNode> _pool;

    /// <summary>Parses the seeds that are CBOR (the others are ignored).</summary>
    public CborMutator(IEnumerable<byte[]> seeds)
    {
        _seeds = seeds.Select(s => CborNode.TryParse(s)).OfType<CborNode>().ToList();
        _pool = _seeds.SelectMany(s => s.All()).ToList();
    }

    /// <summary>True when at least one seed parsed.</summary>
    public bool HasSeeds => _seeds.Count > 0;

    /// <summary>A mutated encoding of a random seed (1–3 tree mutations).</summary>
    public byte[] Next(Random random)
    {
        var root = _seeds[random.Next(_seeds.Count)].Clone();
        var nodes = root.All().ToList();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            Mutate(random, nodes[random.Next(nodes.Count)]);
        }

        return root.Encode();
    }

    private void Mutate(Random random, CborNode node)
    {
        switch (random.Next(12))
        {
            case 0 when node.Major is 0 or 1 or 6:
                node.Argument = random.Next(4) == 0 ? (ulong)random.NextInt64() : random.Next(3) == 0 ? node.Argument + 1 : InterestingValues[random.Next(InterestingValues.Length)];
                break;
            case 1 when node.Major is 0 or 1:
                node.Argument = node.Argument == 0 ? 0 : node.Argument - 1;
                break;
            case 2 when node.Major is >= 2 and <= 5:
                node.LengthLie = random.Next(2) == 0
                    ? InterestingValues[random.Next(InterestingValues.Length)]
                    : (ulong)Math.Max(0, Length(node) + random.Next(-2, 3));
                break;
            case 3:
                node.ForcedWidth = random.Next(4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 };
                break;
            case 4 when node.Major is >= 2 and <= 5:
                node.Indefinite = true;
                break;
            case 5 when node.Children is { Count: > 0 } children:
                RemoveChild(random, node, children);
                break;
            case 6 when node.Children is { Count: > 0 } children:
                {
                    var step = node.Major == 5 ? 2 : 1;
                    var at = random.Next(children.Count / step) * step;
                    children.InsertRange(at, children.Skip(at).Take(step).Select(c => c.Clone()).ToList());
                    break;
                }

            case 7 when node.Children is { Count: > 1 } children:
                {
                    int a = random.Next(children.Count), b = random.Next(children.Count);
                    (children[a], children[b]) = (children[b], children[a]);
                    break;
                }

            case 8 when node.Major is 2 or 3:
                Resize(random, node);
                break;
            case 9:
                Replace(node, _pool[random.Next(_pool.Count)].Clone());
                break;
            case 10:
                Replace(node, new CborNode { Major = 7, Raw = SimpleValues[random.Next(SimpleValues.Length)] });
                break;
            case 11:
                {
                    // Change the major type, keeping the argument: an id becomes text, a map an array, a uint negative.
                    var copy = node.Clone();
                    node.Major = random.Next(8);
                    if (node.Major is 2 or 3 && node.Payload is null && node.Nested is null)
                    {
                        node.Payload = copy.Encode();
                    }
                    else if (node.Major is 4 or 5 && node.Children is null)
                    {
                        node.Children = [copy];
                    }
                    else if (node.Major == 6)
                    {
                        node.Argument = random.Next(2) == 0 ? 24UL : 2UL;
                        node.Children = [copy];
                    }
                    else if (node.Major == 7)
                    {
                        node.Raw = SimpleValues[random.Next(SimpleValues.Length)];
                    }

                    break;
                }

            default:
                if (node.Payload is { Length: > 0 } payload && node.Nested is null)
                {
                    payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
                }
                else
                {
                    node.ForcedWidth = 1;
                }

                break;
        }
    }

    private static int Length(CborNode node) => node.Major switch
    {
        2 or 3 => node.Nested?.Encode().Length ?? node.Payload?.Length ?? 0,
        4 => node.Children?.Count ?? 0,
        5 => (node.Children?.Count ?? 0) / 2,
        _ => 0,
    };

    private static void RemoveChild(Random random, CborNode node, List<CborNode> children)
    {
        if (node.Major == 5 && children.Count >= 2)
        {
            var pair = random.Next(children.Count / 2) * 2;
            children.RemoveRange(pair, 2);
        }
        else
        {
            children.RemoveAt(random.Next(children.Count));
        }
    }

    private static void Resize(Random random, CborNode node)
    {
        var size = InterestingSizes[random.Next(InterestingSizes.Length)];
        var old = node.Nested?.Encode() ?? node.Payload ?? [];
        var payload = new byte[size];
        if (random.Next(2) == 0)
        {
            old.AsSpan(0, Math.Min(size, old.Length)).CopyTo(payload);
        }
        else
        {
            random.NextBytes(payload);
        }

        node.Nested = null;
        node.Payload = payload;
    }

    private static void Replace(CborNode node, CborNode with)
    {
        node.Major = with.Major;
        node.Argument = with.Argument;
        node.Raw = with.Raw;
        node.Payload = with.Payload;
        node.Children = with.Children;
        node.Nested = with.Nested;
        node.ForcedWidth = with.ForcedWidth;
        node.LengthLie = with.LengthLie;
        node.Indefinite = with.Indefinite;
    }
}
