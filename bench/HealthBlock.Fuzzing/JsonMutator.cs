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
