using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The statistics part of a state snapshot: <c>[keys, policies, consents, last period ends]</c>, each sorted by key —
/// keys <c>[statistics id, key encoding]</c>, policies <c>[statistics id, k]</c>, consents <c>[patient, statistics id,
/// opted in since (or null), last change]</c>, period ends <c>[patient, statistics id, end]</c>. <see cref="StateCodec"/>
/// appends it only to states that have any, so a state without statistics keeps the bytes (and hash) it always had.
/// </summary>
internal static class StatisticsCodec
{
    public static void Write(CborWriter w, StatisticsTables tables)
    {
        w.WriteStartArray(4);
        var keys = tables.Keys.OrderBy(k => k.Key).ToList();
        w.WriteStartArray(keys.Count);
        foreach (var (id, key) in keys)
        {
            w.WriteStartArray(2);
            w.WriteByteString(id.Bytes);
            w.WriteByteString(key.Encoded);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        var policies = tables.Policies.OrderBy(p => p.Key).ToList();
        w.WriteStartArray(policies.Count);
        foreach (var (id, k) in policies)
        {
            w.WriteStartArray(2);
            w.WriteByteString(id.Bytes);
            w.WriteUInt32(k);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        var consents = tables.Consents.OrderBy(c => c.Key.Patient).ThenBy(c => c.Key.Statistics).ToList();
        w.WriteStartArray(consents.Count);
        foreach (var ((patient, statistics), consent) in consents)
        {
            w.WriteStartArray(4);
            w.WriteByteString(patient.Bytes);
            w.WriteByteString(statistics.Bytes);
            if (consent.InSinceMs is { } since)
            {
                w.WriteInt64(since);
            }
            else
            {
                w.WriteNull();
            }

            w.WriteInt64(consent.LastChangeMs);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        var ends = tables.LastPeriodEnds.OrderBy(e => e.Key.Patient).ThenBy(e => e.Key.Statistics).ToList();
        w.WriteStartArray(ends.Count);
        foreach (var ((patient, statistics), end) in ends)
        {
            w.WriteStartArray(3);
            w.WriteByteString(patient.Bytes);
            w.WriteByteString(statistics.Bytes);
            w.WriteInt64(end);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndArray();
    }

    public static StatisticsTables Read(CanonicalReader r)
    {
        var tables = new StatisticsTables();
        if (r.BeginArray(4) != 4)
        {
            throw r.Invalid("the statistics part of a snapshot has 4 parts");
        }

        ReadEach(r, 2, () =>
        {
            var id = Id(r);
            var encoded = r.BytesUpTo(StatisticsKeyPayload.MaxKeyBytes);
            try
            {
                tables.Keys[id] = StatisticsKeyRecord.Parse(encoded);
            }
            catch (PaillierException e)
            {
                throw r.Invalid($"statistics key of {id}: {e.Message}");
            }
        });
        ReadEach(r, 2, () => tables.Policies[Id(r)] = r.UInt32());
        ReadEach(r, 4, () =>
        {
            var key = (Id(r), Id(r));
            long? since = r.Null() ? null : r.Int64();
            tables.Consents[key] = new StatisticsConsent(since, r.Int64());
        });
        ReadEach(r, 3, () => tables.LastPeriodEnds[(Id(r), Id(r))] = r.Int64());
        r.EndArray();
        if (tables.IsEmpty)
        {
            throw new ProtocolException(ProtocolError.NonCanonical, "state snapshot: an empty statistics part is never written.");
        }

        return tables;
    }

    private static void ReadEach(CanonicalReader r, int fields, Action read)
    {
        var n = r.BeginArray(int.MaxValue);
        for (var i = 0; i < n; i++)
        {
            if (r.BeginArray(fields) != fields)
            {
                throw r.Invalid($"a statistics entry has {fields} fields");
            }

            read();
            r.EndArray();
        }

        r.EndArray();
    }

    private static IdentityId Id(CanonicalReader r) => IdentityId.FromBytes(r.Bytes(IdentityId.Size));
}
