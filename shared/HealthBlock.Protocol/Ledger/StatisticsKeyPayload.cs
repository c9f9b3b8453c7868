using System.Formats.Cbor;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a statistics identity) publishes its Paillier public key, once: contributions are encrypted under it and
/// only the statistics node can decrypt their sums.
/// </summary>
/// <param name="PublicKey">The Paillier public key in the canonical CBOR of HealthBlock.Paillier (<c>{0: 1, 1: n}</c>).</param>
public sealed record StatisticsKeyPayload(byte[] PublicKey) : TransactionPayload
{
    /// <summary>Longest public-key encoding accepted (an 8192-bit modulus and its framing).</summary>
    public const int MaxKeyBytes = 1100;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.StatisticsKey;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(1);
        w.WriteUInt32(0);
        w.WriteByteString(PublicKey);
        w.WriteEndMap();
    }

    internal static StatisticsKeyPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(1, 1);
        r.Key(0);
        var key = r.BytesUpTo(MaxKeyBytes);
        r.EndMap();
        return new(key);
    }
}
