using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a statistics identity) records a decryption it is about to answer: who asked, for which metric, over
/// which period window and cohort, under which k. Every decryption the statistics node answers has one, committed first.
/// </summary>
/// <param name="Requester">The identity that asked (its signed request).</param>
/// <param name="Metric">The metric answered (e.g. <c>heart_rate</c>).</param>
/// <param name="FromMs">Start of the window: contributions whose period starts at or after it.</param>
/// <param name="ToMs">End of the window: contributions whose period ends at or before it.</param>
/// <param name="K">The k the cohort was checked against.</param>
/// <param name="Contributions">How many contributions the decrypted sum adds up.</param>
/// <param name="Patients">The cohort, ascending, no duplicates.</param>
public sealed record StatisticsDecryptionPayload(
    IdentityId Requester,
    string Metric,
    long FromMs,
    long ToMs,
    uint K,
    ulong Contributions,
    IReadOnlyList<IdentityId> Patients) : TransactionPayload
{
    /// <summary>Most patients one decryption record lists (what fits a transaction).</summary>
    public const int MaxPatients = 2500;

    /// <summary>Longest metric name.</summary>
    public const int MaxMetricLength = 32;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.StatisticsDecryption;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteByteString(Requester.Bytes);
        w.WriteUInt32(1);
        w.WriteTextString(Metric);
        w.WriteUInt32(2);
        w.WriteInt64(FromMs);
        w.WriteUInt32(3);
        w.WriteInt64(ToMs);
        w.WriteUInt32(4);
        w.WriteUInt32(K);
        w.WriteUInt32(5);
        w.WriteUInt64(Contributions);
        w.WriteUInt32(6);
        w.WriteStartArray(Patients.Count);
        foreach (var p in Patients.Order())
        {
            w.WriteByteString(p.Bytes);
        }

        w.WriteEndArray();
        w.WriteEndMap();
    }

    internal static StatisticsDecryptionPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(7, 7);
        r.Key(0);
        var requester = ReadId(r);
        r.Key(1);
        var metric = r.Text(MaxMetricLength);
        r.Key(2);
        var from = r.Int64();
        r.Key(3);
        var to = r.Int64();
        if (to <= from)
        {
            throw r.Invalid("window does not end after it starts");
        }

        r.Key(4);
        var k = r.UInt32();
        r.Key(5);
        var contributions = r.UInt64();
        r.Key(6);
        var n = r.BeginArray(MaxPatients);
        var patients = new List<IdentityId>(n);
        for (var i = 0; i < n; i++)
        {
            var id = ReadId(r);
            if (patients.Count > 0 && patients[^1] >= id)
            {
                throw r.Invalid("patients not ascending, or a patient listed twice");
            }

            patients.Add(id);
        }

        r.EndArray();
        r.EndMap();
        return new(requester, metric, from, to, k, contributions, patients);
    }
}
