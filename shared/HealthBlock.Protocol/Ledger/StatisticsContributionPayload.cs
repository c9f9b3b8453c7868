using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a patient; its gateway signs) contributes one period's vital-sign counters to the cohort statistics of
/// <paramref name="Statistics"/>: packed and encrypted under that identity's Paillier key, so nobody but the statistics
/// node can read them, and it only decrypts sums.
/// </summary>
/// <param name="Statistics">The statistics identity whose key encrypts the counters.</param>
/// <param name="PeriodStartMs">Start of the period (inclusive), ms since the Unix epoch.</param>
/// <param name="PeriodEndMs">End of the period (exclusive).</param>
/// <param name="Ciphertexts">The packed counters: Paillier ciphertexts in HealthBlock.Paillier's canonical CBOR (<c>{0: 3, 4: key fingerprint, 5: c}</c>).</param>
public sealed record StatisticsContributionPayload(IdentityId Statistics, long PeriodStartMs, long PeriodEndMs, IReadOnlyList<byte[]> Ciphertexts) : TransactionPayload
{
    /// <summary>Most ciphertexts one contribution carries.</summary>
    public const int MaxCiphertexts = 2;

    /// <summary>Longest ciphertext encoding accepted (an 8192-bit modulus: c below n², and its framing).</summary>
    public const int MaxCiphertextBytes = 2100;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.StatisticsContribution;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(4);
        w.WriteUInt32(0);
        w.WriteByteString(Statistics.Bytes);
        w.WriteUInt32(1);
        w.WriteInt64(PeriodStartMs);
        w.WriteUInt32(2);
        w.WriteInt64(PeriodEndMs);
        w.WriteUInt32(3);
        w.WriteStartArray(Ciphertexts.Count);
        foreach (var c in Ciphertexts)
        {
            w.WriteByteString(c);
        }

        w.WriteEndArray();
        w.WriteEndMap();
    }

    internal static StatisticsContributionPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(4, 4);
        r.Key(0);
        var statistics = ReadId(r);
        r.Key(1);
        var start = r.Int64();
        r.Key(2);
        var end = r.Int64();
        if (end <= start)
        {
            throw r.Invalid("period does not end after it starts");
        }

        r.Key(3);
        var n = r.BeginArray(MaxCiphertexts);
        if (n == 0)
        {
            throw r.Invalid("a contribution carries at least one ciphertext");
        }

        var ciphertexts = new List<byte[]>(n);
        for (var i = 0; i < n; i++)
        {
            ciphertexts.Add(r.BytesUpTo(MaxCiphertextBytes));
        }

        r.EndArray();
        r.EndMap();
        return new(statistics, start, end, ciphertexts);
    }
}
