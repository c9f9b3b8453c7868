namespace HealthBlock.Fuzz;

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
