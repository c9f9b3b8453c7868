using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (an admin) sets the smallest cohort <paramref name="Statistics"/> may decrypt: at least
/// <paramref name="K"/> patients, and no cohort that differs from an earlier one by fewer than K patients.
/// </summary>
/// <param name="Statistics">The statistics identity.</param>
/// <param name="K">The smallest cohort, in patients (2 or more).</param>
public sealed record StatisticsPolicyPayload(IdentityId Statistics, uint K) : TransactionPayload
{
    /// <summary>The k a statistics identity applies before any policy names it.</summary>
    public const uint DefaultK = 10;

    /// <summary>The smallest k a policy may set (a cohort of one is one patient).</summary>
    public const uint MinK = 2;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.StatisticsPolicy;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteByteString(Statistics.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt32(K);
        w.WriteEndMap();
    }

    internal static StatisticsPolicyPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(2, 2);
        r.Key(0);
        var statistics = ReadId(r);
        r.Key(1);
        var k = r.UInt32();
        r.EndMap();
        return new(statistics, k);
    }
}
