using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a patient) opts in to, or out of, the cohort statistics of <paramref name="Statistics"/>. An opt-in takes
/// effect for periods that start at or after the transaction's time; an opt-out stops contributions at once and
/// withdraws the patient's earlier contributions from every later decryption.
/// </summary>
/// <param name="Statistics">The statistics identity.</param>
/// <param name="OptIn">True to opt in, false to opt out.</param>
public sealed record StatisticsConsentPayload(IdentityId Statistics, bool OptIn) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.StatisticsConsent;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteByteString(Statistics.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt32(OptIn ? 1u : 0u);
        w.WriteEndMap();
    }

    internal static StatisticsConsentPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(2, 2);
        r.Key(0);
        var statistics = ReadId(r);
        r.Key(1);
        var flag = r.Byte();
        if (flag > 1)
        {
            throw r.Invalid($"consent {flag} (1 opts in, 0 opts out)");
        }

        r.EndMap();
        return new(statistics, flag == 1);
    }
}
