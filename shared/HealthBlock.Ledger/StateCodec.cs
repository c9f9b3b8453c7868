using System.Collections.Immutable;
using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The canonical CBOR form of a committed <see cref="LedgerState"/>: an array
/// <c>[version, genesis hash, userchain tip, docchain tip, identities, nonces, balances, credits, patients]</c>, with a
/// tenth part, the statistics (<see cref="StatisticsCodec"/>), when the state has any; every collection sorted by key, so
/// equal states have equal bytes (and equal state hashes). Version 2 adds each patient's last live sequence number;
/// version 1 snapshots (without it) still load.
/// </summary>
internal static class StateCodec
{
    private const uint Version = 2;

    internal sealed record Snapshot(
        byte[] GenesisHash,
        ChainTip Userchain,
        ChainTip Docchain,
        List<IdentityRecord> Identities,
        List<(IdentityId, ulong)> Nonces,
        List<(IdentityId, ulong)> Balances,
        List<((IdentityId, IdentityId), ulong)> Credits,
        List<(IdentityId, PatientState)> Patients,
        StatisticsTables Statistics);

    public static byte[] Encode(LedgerState state)
    {
        var w = CanonicalCbor.NewWriter();
        var statistics = state.AllStatistics;
        w.WriteStartArray(statistics.IsEmpty ? 9 : 10);
        w.WriteUInt32(Version);
        w.WriteByteString(state.Genesis.Hash);
        WriteTip(w, state.Tip(ChainId.Userchain));
        WriteTip(w, state.Tip(ChainId.Docchain));

        var identities = state.AllIdentities.OrderBy(i => i.Id).ToList();
        w.WriteStartArray(identities.Count);
        foreach (var i in identities)
        {
            w.WriteStartArray(5);
            w.WriteByteString(i.Keys.SigningKey);
            w.WriteByteString(i.Keys.EncryptionKey);
            w.WriteUInt32((byte)i.Role);
            w.WriteTextString(i.Name);
            if (i.RegisteredBy is { } by)
            {
                w.WriteByteString(by.Bytes);
            }
            else
            {
                w.WriteNull();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        WriteAmounts(w, state.AllNonces);
        WriteAmounts(w, state.AllBalances);

        var credits = state.AllCredits.OrderBy(c => c.Key.Doctor).ThenBy(c => c.Key.Patient).ToList();
        w.WriteStartArray(credits.Count);
        foreach (var c in credits)
        {
            w.WriteStartArray(3);
            w.WriteByteString(c.Key.Doctor.Bytes);
            w.WriteByteString(c.Key.Patient.Bytes);
            w.WriteUInt64(c.Value);
            w.WriteEndArray();
        }

        w.WriteEndArray();

        var patients = state.AllPatients.OrderBy(p => p.Key).ToList();
        w.WriteStartArray(patients.Count);
        foreach (var (id, p) in patients)
        {
            w.WriteStartArray(6);
            w.WriteByteString(id.Bytes);
            w.WriteUInt32(p.Epoch);
            w.WriteStartArray(p.Epochs.Count);
            foreach (var (epoch, doctors) in p.Epochs)
            {
                w.WriteStartArray(2);
                w.WriteUInt32(epoch);
                w.WriteStartArray(doctors.Length);
                foreach (var d in doctors)
                {
                    w.WriteByteString(d.Bytes);
                }

                w.WriteEndArray();
                w.WriteEndArray();
            }

            w.WriteEndArray();
            if (p.LatestKeyTransaction is { } k)
            {
                w.WriteByteString(k);
            }
            else
            {
                w.WriteNull();
            }

            WriteOptional(w, p.LastBatch);
            WriteOptional(w, p.LastLive);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        if (!statistics.IsEmpty)
        {
            StatisticsCodec.Write(w, statistics);
        }

        w.WriteEndArray();
        return w.Encode();
    }

    public static Snapshot Decode(ReadOnlyMemory<byte> data) => CanonicalCbor.Decode(data, "state snapshot", r =>
    {
        var parts = r.BeginArray(10);
        if (parts < 9)
        {
            throw r.Invalid("a state snapshot has 9 parts, 10 with statistics");
        }

        var version = r.UInt32();
        if (version is not (1 or Version))
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"State snapshot version {version} is not supported.");
        }

        var genesisHash = r.Bytes(32);
        var user = ReadTip(r, ChainId.Userchain);
        var doc = ReadTip(r, ChainId.Docchain);

        var n = r.BeginArray(int.MaxValue);
        var identities = new List<IdentityRecord>(n);
        for (var i = 0; i < n; i++)
        {
            r.BeginArray(5);
            var signing = r.Bytes(65);
            var encryption = r.Bytes(65);
            var role = (Role)r.Byte();
            var name = r.Text(TransactionPayload.MaxNameLength);
            IdentityId? by = r.Null() ? null : IdentityId.FromBytes(r.Bytes(IdentityId.Size));
            r.EndArray();
            identities.Add(new IdentityRecord(new PublicIdentity(signing, encryption), role, name, by));
        }

        r.EndArray();
        var nonces = ReadAmounts(r);
        var balances = ReadAmounts(r);

        n = r.BeginArray(int.MaxValue);
        var credits = new List<((IdentityId, IdentityId), ulong)>(n);
        for (var i = 0; i < n; i++)
        {
            r.BeginArray(3);
            var doctor = Id(r);
            var patient = Id(r);
            credits.Add(((doctor, patient), r.UInt64()));
            r.EndArray();
        }

        r.EndArray();

        n = r.BeginArray(int.MaxValue);
        var patients = new List<(IdentityId, PatientState)>(n);
        for (var i = 0; i < n; i++)
        {
            var entryParts = r.BeginArray(6);
            if (entryParts != (version == 1 ? 5 : 6))
            {
                throw r.Invalid($"a version {version} patient entry has {(version == 1 ? 5 : 6)} parts");
            }

            var id = Id(r);
            var epoch = r.UInt32();
            var m = r.BeginArray(int.MaxValue);
            var epochs = ImmutableSortedDictionary.CreateBuilder<uint, ImmutableArray<IdentityId>>();
            for (var j = 0; j < m; j++)
            {
                r.BeginArray(2);
                var e = r.UInt32();
                var k = r.BeginArray(TransactionPayload.MaxEnvelopes);
                var doctors = ImmutableArray.CreateBuilder<IdentityId>(k);
                for (var d = 0; d < k; d++)
                {
                    doctors.Add(Id(r));
                }

                r.EndArray();
                r.EndArray();
                epochs[e] = doctors.MoveToImmutable();
            }

            r.EndArray();
            var latest = r.Null() ? null : r.Bytes(32);
            ulong? lastBatch = r.Null() ? null : r.UInt64();
            ulong? lastLive = version == 1 || r.Null() ? null : r.UInt64();
            r.EndArray();
            patients.Add((id, new PatientState(epoch, epochs.ToImmutable(), latest, lastBatch, lastLive)));
        }

        r.EndArray();
        var statistics = parts == 10 ? StatisticsCodec.Read(r) : new StatisticsTables();
        r.EndArray();
        return new Snapshot(genesisHash, user, doc, identities, nonces, balances, credits, patients, statistics);
    });

    private static IdentityId Id(CanonicalReader r) => IdentityId.FromBytes(r.Bytes(IdentityId.Size));

    private static void WriteOptional(CborWriter w, ulong? value)
    {
        if (value is { } v)
        {
            w.WriteUInt64(v);
        }
        else
        {
            w.WriteNull();
        }
    }

    private static void WriteTip(CborWriter w, ChainTip tip)
    {
        w.WriteStartArray(3);
        w.WriteUInt64(tip.BlockCount);
        w.WriteByteString(tip.LastHash);
        w.WriteInt64(tip.LastTimeMs);
        w.WriteEndArray();
    }

    private static ChainTip ReadTip(CanonicalReader r, ChainId chain)
    {
        r.BeginArray(3);
        var tip = new ChainTip(chain, r.UInt64(), r.Bytes(32), r.Int64());
        r.EndArray();
        return tip;
    }

    private static void WriteAmounts(CborWriter w, IReadOnlyDictionary<IdentityId, ulong> amounts)
    {
        var list = amounts.OrderBy(a => a.Key).ToList();
        w.WriteStartArray(list.Count);
        foreach (var (id, v) in list)
        {
            w.WriteStartArray(2);
            w.WriteByteString(id.Bytes);
            w.WriteUInt64(v);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static List<(IdentityId, ulong)> ReadAmounts(CanonicalReader r)
    {
        var n = r.BeginArray(int.MaxValue);
        var list = new List<(IdentityId, ulong)>(n);
        for (var i = 0; i < n; i++)
        {
            r.BeginArray(2);
            list.Add((Id(r), r.UInt64()));
            r.EndArray();
        }

        r.EndArray();
        return list;
    }
}
