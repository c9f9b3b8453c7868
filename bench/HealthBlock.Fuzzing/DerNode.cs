namespace HealthBlock.Fuzz;

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
