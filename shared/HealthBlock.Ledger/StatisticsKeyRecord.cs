using HealthBlock.Paillier;

namespace HealthBlock.Ledger;

/// <summary>A published statistics key: its canonical encoding (what the snapshot keeps) and the parsed key.</summary>
/// <param name="Encoded">The key's canonical CBOR, as published.</param>
/// <param name="Key">The parsed key.</param>
internal sealed record StatisticsKeyRecord(byte[] Encoded, PaillierPublicKey Key)
{
    /// <summary>Parses a published encoding; throws <see cref="PaillierException"/> for a malformed or weak key.</summary>
    public static StatisticsKeyRecord Parse(byte[] encoded) => new(encoded, PaillierCbor.DecodePublicKey(encoded));
}
