namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The network a transaction or block belongs to: the SHA-256 hash of its genesis (32 bytes). Every signed transaction
/// body and every block header names it, so nothing signed for one network is valid on another.
/// </summary>
public readonly struct NetworkId : IEquatable<NetworkId>
{
    /// <summary>Bytes of a network id.</summary>
    public const int Size = 32;

    private readonly byte[]? _bytes;

    private NetworkId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 bytes (zeros for the default value, which names no network).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Size];

    /// <summary>The id of the network whose genesis hashes to <paramref name="genesisHash"/>.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public static NetworkId FromGenesisHash(ReadOnlySpan<byte> genesisHash) =>
        genesisHash.Length == Size ? new NetworkId(genesisHash.ToArray()) : throw new ArgumentException($"A genesis hash is {Size} bytes; got {genesisHash.Length}.", nameof(genesisHash));

    /// <summary>Lowercase hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>The first 8 hex digits, for messages.</summary>
    public string Short => ToString()[..8];

    /// <inheritdoc />
    public bool Equals(NetworkId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NetworkId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <summary>Equality.</summary>
    public static bool operator ==(NetworkId left, NetworkId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NetworkId left, NetworkId right) => !left.Equals(right);
}
