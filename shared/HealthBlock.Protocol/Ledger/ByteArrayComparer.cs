namespace HealthBlock.Protocol.Ledger;

/// <summary>Orders byte arrays lexicographically.</summary>
public sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    /// <summary>The shared instance.</summary>
    public static readonly ByteArrayComparer Instance = new();

    /// <inheritdoc />
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    /// <inheritdoc />
    public int GetHashCode(byte[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var h = default(HashCode);
        h.AddBytes(obj);
        return h.ToHashCode();
    }
}
