using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HealthBlock.Fuzz;

/// <summary>
/// JSON tree mutations: a property or element becomes null, another type, a boundary number or a long string; a
/// property is removed, renamed, duplicated (at the text level, which JsonObject cannot hold) or deeply nested.
/// </summary>
public sealed class JsonMutator
{
    private static readonly Func<Random, JsonNode?>[] Values =
    [
        _ => null,
        _ => JsonValue.Create(true),
        _ => JsonValue.Create(0),
        _ => JsonValue.Create(-1),
        _ => JsonValue.Create(long.MaxValue),
        _ => JsonValue.Create(ulong.MaxValue),
        _ => JsonNode.Parse("18446744073709551616"),
        _ => JsonNode.Parse("-9223372036854775809"),
        _ => JsonNode.Parse("1e400"),
        _ => JsonValue.Create(1.5),
        _ => JsonValue.Create(double.Epsilon),
        _ => JsonValue.Create(string.Empty),
        _ => JsonValue.Create("NaN"),
        _ => JsonValue.Create("Infinity"),
        r => JsonValue.Create(new string('x', r.Next(1, 5000))),
        _ => JsonValue.Create("\ud800"),
        _ => JsonValue.Create("healthblock-diagnosis/2"),
        _ => new JsonArray(),
        _ => new JsonArray(null, JsonValue.Create(1), JsonValue.Create("a")),
        _ => new JsonObject(),
        r => Deep(r.Next(10, 200)),
    ];

    private readonly List<JsonNode> _seeds;

    /// <summary>Parses the seeds that are JSON.</summary>
    public JsonMutator(IEnumerable<byte[]> seeds)
    {
        _seeds = [];
        foreach (var seed in seeds)
        {
            try
            {
                if (JsonNode.Parse(seed) is { } node)
                {
                    _seeds.Add(node);
                }
            }
            catch (JsonException)
            {
            }
        }
    }

    /// <summary>True when at least one seed parsed.</summary>
    public bool HasSeeds => _seeds.Count > 0;

    /// <summary>A mutated document (UTF-8).</summary>
    public byte[] Next(Random random)
    {
        var root = _seeds[random.Next(_seeds.Count)].DeepClone();
        var count = 1 + random.Next(3);
        string? duplicate = null;
        for (var i = 0; i < count; i++)
        {
            var nodes = Walk(root).ToList();
            var (parent, key, index) = nodes[random.Next(nodes.Count)];
            switch (random.Next(6))
            {
                case 0 when parent is JsonObject o && key is not null:
                    o.Remove(key);
                    break;
                case 1 when parent is JsonObject o && key is not null:
                    {
                        var value = o[key]?.DeepClone();
                        o.Remove(key);
                        o[random.Next(2) == 0 ? key.ToUpperInvariant() : key + "x"] = value;
                        break;
                    }

                case 2 when parent is JsonObject && key is not null:
                    duplicate = key;
                    break;
                case 3 when parent is JsonArray a && index >= 0:
                    a.RemoveAt(index);
                    break;
                default:
                    Set(parent, key, index, Values[random.Next(Values.Length)](random));
                    break;
            }
        }

        var text = root.ToJsonString();
        if (duplicate is not null && text.StartsWith('{'))
        {
            // Duplicate keys: the second value wins in System.Text.Json unless it refuses duplicates.
            text = "{" + JsonSerializer.Serialize(duplicate) + ":null," + text[1..];
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    yield return (o, key, -1);
                    if (value is not null)
                    {
                        foreach (var inner in Walk(value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i);
                    if (a[i] is { } value)
                    {
                        foreach (var inner in Walk(value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject o && key is not null)
        {
            o[key] = value;
        }
        else if (parent is JsonArray a && index >= 0)
        {
            a[index] = value;
        }
    }
}

/// <summary>
/// PEM mutations: the DER inside a PEM block is parsed into a TLV tree, mutated (an INTEGER such as PBKDF2's iteration
/// count set to a boundary value, a tag changed, an element removed / duplicated / swapped, content bytes flipped, a
/// length that lies, a long-form or indefinite length) and re-encoded with the enclosing lengths fixed and valid
/// base64, so the mutation reaches the ASN.1, PBES2 and key parsers instead of the base64 decoder.
/// </summary>
public static class PemMutator
{
    /// <summary>INTEGER contents written by mutations (1 … 2^31-1 iterations, negative, zero, oversize).</summary>
    public static readonly byte[][] IntegerValues =
        [[0x00], [0x01], [0x02], [0xff], [0x7f, 0xff], [0x00, 0x80, 0x00, 0x00], [0x7f, 0xff, 0xff, 0xff], [0x01, 0x00, 0x00, 0x00, 0x00], [0x80, 0x00, 0x00, 0x00]];

    /// <summary>A mutated key file text (UTF-8), or null when the seed has no PEM block.</summary>
    public static byte[]? Next(Random random, byte[] seed, IReadOnlyList<byte[]> others)
    {
        ArgumentNullException.ThrowIfNull(random);
        var text = Encoding.UTF8.GetString(seed);
        var blocks = FindBlocks(text);
        if (blocks.Count == 0)
        {
            return null;
        }

        var (start, end, label, original) = blocks[random.Next(blocks.Count)];
        byte[] mutated;
        if (random.Next(3) == 0 || DerNode.TryParse(original) is not { } root)
        {
            mutated = ByteMutator.Mutate(random, original, others);
        }
        else
        {
            var nodes = root.All().ToList();
            var count = 1 + random.Next(2);
            for (var i = 0; i < count; i++)
            {
                Mutate(random, nodes[random.Next(nodes.Count)]);
            }

            mutated = root.Encode();
        }

        var pem = new string(PemEncoding.Write(random.Next(8) == 0 ? "PRIVATE KEY" : label, mutated));
        return Encoding.UTF8.GetBytes(text[..start] + pem + text[end..]);
    }

    /// <summary>The PEM blocks of a text: where each is and its decoded DER.</summary>
    public static List<(int Start, int End, string Label, byte[] Der)> FindBlocks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new List<(int Start, int End, string Label, byte[] Der)>();
        var offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var rest = text.AsSpan(offset);
            var der = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
            {
                blocks.Add((offset + fields.Location.Start.Value, offset + fields.Location.End.Value, rest[fields.Label].ToString(), der[..written]));
            }

            offset += fields.Location.End.Value;
        }

        return blocks;
    }

    private static void Mutate(Random random, DerNode node)
    {
        switch (random.Next(9))
        {
            case 0 when node.Tag == 0x02:
            case 1 when node.Tag == 0x02:
                node.Content = IntegerValues[random.Next(IntegerValues.Length)];
                break;
            case 2:
                {
                    byte[] tags = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x30, 0x31, 0xa0, 0xa1, 0x80];
                    node.Tag = tags[random.Next(tags.Length)];
                    if ((node.Tag & 0x20) == 0 && node.Children is not null)
                    {
                        node.Content = node.Encode()[2..];
                        node.Children = null;
                    }

                    break;
                }

            case 3 when node.Children is { Count: > 0 } children:
                children.RemoveAt(random.Next(children.Count));
                break;
            case 4 when node.Children is { Count: > 0 } children:
                {
                    var at = random.Next(children.Count);
                    children.Insert(at, children[at].Clone());
                    break;
                }

            case 5 when node.Children is { Count: > 1 } children:
                {
                    int a = random.Next(children.Count), b = random.Next(children.Count);
                    (children[a], children[b]) = (children[b], children[a]);
                    break;
                }

            case 6 when node.Content is { Length: > 0 } content:
                content[random.Next(content.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 7 when node.Content is not null:
                {
                    int[] sizes = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 64, 200];
                    var resized = new byte[sizes[random.Next(sizes.Length)]];
                    node.Content.AsSpan(0, Math.Min(resized.Length, node.Content.Length)).CopyTo(resized);
                    node.Content = resized;
                    break;
                }

            default:
                node.Length = random.Next(3) switch
                {
                    0 => DerLength.Lie,
                    1 => DerLength.LongForm,
                    _ => DerLength.Indefinite,
                };
                break;
        }
    }
}

/// <summary>How a DER element's length is written.</summary>
public enum DerLength
{
    /// <summary>Definite, minimal (what DER requires).</summary>
    Minimal,

    /// <summary>Definite but one more than the content.</summary>
    Lie,

    /// <summary>Definite in two bytes even when one would do (BER, not DER).</summary>
    LongForm,

    /// <summary>Indefinite (BER only), closed by 00 00.</summary>
    Indefinite,
}

/// <summary>One DER element: a tag and either primitive content or constructed children.</summary>
public sealed class DerNode
{
    /// <summary>The identifier octet (single-byte tags only).</summary>
    public byte Tag { get; set; }

    /// <summary>Primitive content.</summary>
    public byte[]? Content { get; set; }

    /// <summary>Constructed content.</summary>
    public List<DerNode>? Children { get; set; }

    /// <summary>How the length is written.</summary>
    public DerLength Length { get; set; }

    /// <summary>A deep copy.</summary>
    public DerNode Clone() => new()
    {
        Tag = Tag,
        Content = Content is null ? null : (byte[])Content.Clone(),
        Children = Children?.Select(c => c.Clone()).ToList(),
        Length = Length,
    };

    /// <summary>This element and all below it.</summary>
    public IEnumerable<DerNode> All()
    {
        yield return this;
        foreach (var child in Children ?? [])
        {
            foreach (var n in child.All())
            {
                yield return n;
            }
        }
    }

    /// <summary>Parses exactly one element filling <paramref name="der"/>, or null.</summary>
    public static DerNode? TryParse(ReadOnlySpan<byte> der)
    {
        var offset = 0;
        var node = TryParse(der, ref offset, 0);
        return node is not null && offset == der.Length ? node : null;
    }

    private static DerNode? TryParse(ReadOnlySpan<byte> der, ref int offset, int depth)
    {
        if (depth > 32 || offset + 2 > der.Length || (der[offset] & 0x1f) == 0x1f)
        {
            return null;
        }

        var tag = der[offset];
        int length = der[offset + 1];
        var header = 2;
        if (length >= 0x80)
        {
            var n = length & 0x7f;
            if (n is 0 or > 3 || offset + 2 + n > der.Length)
            {
                return null;
            }

            length = 0;
            for (var i = 0; i < n; i++)
            {
                length = (length << 8) | der[offset + 2 + i];
            }

            header += n;
        }

        if (length > der.Length - offset - header)
        {
            return null;
        }

        var content = der.Slice(offset + header, length);
        offset += header + length;
        var node = new DerNode { Tag = tag };
        if ((tag & 0x20) != 0)
        {
            node.Children = [];
            var inner = 0;
            while (inner < content.Length)
            {
                var child = TryParse(content, ref inner, depth + 1);
                if (child is null)
                {
                    return null;
                }

                node.Children.Add(child);
            }
        }
        else
        {
            node.Content = content.ToArray();
        }

        return node;
    }

    /// <summary>Encodes the element, enclosing lengths following the content.</summary>
    public byte[] Encode()
    {
        var content = Children is not null ? Children.SelectMany(c => c.Encode()).ToArray() : Content ?? [];
        var length = content.Length + (Length == DerLength.Lie ? 1 : 0);
        byte[] head = Length switch
        {
            DerLength.Indefinite => [Tag, 0x80],
            DerLength.LongForm => [Tag, 0x82, (byte)(length >> 8), (byte)length],
            _ when length < 0x80 => [Tag, (byte)length],
            _ when length <= 0xff => [Tag, 0x81, (byte)length],
            _ when length <= 0xffff => [Tag, 0x82, (byte)(length >> 8), (byte)length],
            _ => [Tag, 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
        };
        return Length == DerLength.Indefinite ? [.. head, .. content, 0x00, 0x00] : [.. head, .. content];
    }
}
