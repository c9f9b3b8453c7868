using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Fuzz;

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
