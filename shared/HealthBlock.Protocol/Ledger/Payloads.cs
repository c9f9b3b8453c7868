using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Protocol.Ledger;

/// <summary>The type-specific part of a transaction body, encoded as a CBOR map with ascending integer keys.</summary>
public abstract record TransactionPayload
{
    /// <summary>Limits that keep a transaction small.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Most envelopes (authorised doctors) in one key transaction.</summary>
    public const int MaxEnvelopes = 256;

    /// <summary>Most IoT transactions one diagnosis may cover.</summary>
    public const int MaxCovered = 4096;

    /// <summary>The transaction type this payload belongs to.</summary>
    public abstract TransactionType Type { get; }

    /// <summary>Writes the payload map.</summary>
    internal abstract void Write(CborWriter writer);

    internal static TransactionPayload Read(TransactionType type, CanonicalReader r) => type switch
    {
        TransactionType.Register => RegisterPayload.ReadBody(r),
        TransactionType.Issue => IssuePayload.ReadBody(r),
        TransactionType.Payment => PaymentPayload.ReadBody(r),
        TransactionType.Key => KeyPayload.ReadBody(r),
        TransactionType.Iot => IotPayload.ReadBody(r),
        TransactionType.Diagnosis => DiagnosisPayload.ReadBody(r),
        _ => throw r.Invalid($"unknown transaction type {(byte)type}"),
    };

    internal static IdentityId ReadId(CanonicalReader r) => IdentityId.FromBytes(r.Bytes(IdentityId.Size));

    internal static Cid ReadCid(CanonicalReader r) => Cid.FromBytes(r.Bytes(Cid.BinarySize));
}

/// <summary>Registers an identity: its two public keys, its role and a display name.</summary>
/// <param name="SigningKey">ECDSA P-256 public key, 65-byte SEC1 point.</param>
/// <param name="EncryptionKey">ECDH P-256 public key for envelopes, 65-byte SEC1 point.</param>
/// <param name="Role">The role granted.</param>
/// <param name="Name">A display name (may be empty).</param>
public sealed record RegisterPayload(byte[] SigningKey, byte[] EncryptionKey, Role Role, string Name) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Register;

    /// <summary>The registered identity.</summary>
    public PublicIdentity Identity() => new(SigningKey, EncryptionKey);

    /// <summary>Builds the payload that registers <paramref name="identity"/>.</summary>
    public static RegisterPayload For(PublicIdentity identity, Role role, string name)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(identity.SigningKey.ToArray(), identity.EncryptionKey.ToArray(), role, name);
    }

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(4);
        w.WriteUInt32(0);
        w.WriteByteString(SigningKey);
        w.WriteUInt32(1);
        w.WriteByteString(EncryptionKey);
        w.WriteUInt32(2);
        w.WriteUInt32((byte)Role);
        w.WriteUInt32(3);
        w.WriteTextString(Name);
        w.WriteEndMap();
    }

    internal static RegisterPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(4, 4);
        r.Key(0);
        var signing = r.Bytes(65);
        r.Key(1);
        var encryption = r.Bytes(65);
        r.Key(2);
        var role = r.Byte();
        if (role is < (byte)Role.Patient or > (byte)Role.Admin)
        {
            throw r.Invalid($"unknown role {role}");
        }

        r.Key(3);
        var name = r.Text(MaxNameLength);
        r.EndMap();
        return new(signing, encryption, (Role)role, name);
    }
}

/// <summary>An admin creates <paramref name="Amount"/> Healthcoin in <paramref name="To"/>'s balance.</summary>
/// <param name="To">The receiving identity.</param>
/// <param name="Amount">Amount in Healthcoin units.</param>
public sealed record IssuePayload(IdentityId To, ulong Amount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Issue;

    internal override void Write(CborWriter w) => TransferCodec.Write(w, To, Amount);

    internal static IssuePayload ReadBody(CanonicalReader r)
    {
        var (to, amount) = TransferCodec.Read(r);
        return new(to, amount);
    }
}

/// <summary>The signer (a patient) pays <paramref name="Amount"/> Healthcoin to doctor <paramref name="To"/>.</summary>
/// <param name="To">The doctor paid.</param>
/// <param name="Amount">Amount in Healthcoin units.</param>
public sealed record PaymentPayload(IdentityId To, ulong Amount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Payment;

    internal override void Write(CborWriter w) => TransferCodec.Write(w, To, Amount);

    internal static PaymentPayload ReadBody(CanonicalReader r)
    {
        var (to, amount) = TransferCodec.Read(r);
        return new(to, amount);
    }
}

internal static class TransferCodec
{
    public static void Write(CborWriter w, IdentityId to, ulong amount)
    {
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteByteString(to.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt64(amount);
        w.WriteEndMap();
    }

    public static (IdentityId To, ulong Amount) Read(CanonicalReader r)
    {
        r.BeginMap(2, 2);
        r.Key(0);
        var to = TransactionPayload.ReadId(r);
        r.Key(1);
        var amount = r.UInt64();
        r.EndMap();
        if (amount == 0)
        {
            throw r.Invalid("amount of zero");
        }

        return (to, amount);
    }
}

/// <summary>One authorised doctor's envelopes in a key transaction.</summary>
/// <param name="Doctor">The doctor.</param>
/// <param name="IotKey">The epoch's IoT key sealed to the doctor (<see cref="Envelope"/>, purpose IotKey).</param>
/// <param name="DiagnosisKey">That doctor's diagnosis key sealed to the doctor (purpose DiagnosisKey).</param>
public sealed record KeyEnvelope(IdentityId Doctor, byte[] IotKey, byte[] DiagnosisKey);

/// <summary>
/// The signer (a patient) opens key epoch <paramref name="Epoch"/>: the authorised doctors are exactly those with an envelope.
/// </summary>
/// <param name="Epoch">The new epoch; must advance the patient's current one.</param>
/// <param name="Envelopes">One entry per authorised doctor, sorted by doctor id, no duplicates.</param>
public sealed record KeyPayload(uint Epoch, IReadOnlyList<KeyEnvelope> Envelopes) : TransactionPayload
{
    private const int MaxEnvelopeBytes = 256;

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Key;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(1);
        w.WriteStartArray(Envelopes.Count);
        foreach (var e in Envelopes.OrderBy(e => e.Doctor))
        {
            w.WriteStartMap(3);
            w.WriteUInt32(0);
            w.WriteByteString(e.Doctor.Bytes);
            w.WriteUInt32(1);
            w.WriteByteString(e.IotKey);
            w.WriteUInt32(2);
            w.WriteByteString(e.DiagnosisKey);
            w.WriteEndMap();
        }

        w.WriteEndArray();
        w.WriteEndMap();
    }

    internal static KeyPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(2, 2);
        r.Key(0);
        var epoch = r.UInt32();
        r.Key(1);
        var n = r.BeginArray(MaxEnvelopes);
        var list = new List<KeyEnvelope>(n);
        for (var i = 0; i < n; i++)
        {
            r.BeginMap(3, 3);
            r.Key(0);
            var doctor = ReadId(r);
            r.Key(1);
            var iot = r.BytesUpTo(MaxEnvelopeBytes);
            r.Key(2);
            var diag = r.BytesUpTo(MaxEnvelopeBytes);
            r.EndMap();
            if (list.Count > 0 && list[^1].Doctor >= doctor)
            {
                throw r.Invalid("envelopes not sorted by doctor id, or a doctor listed twice");
            }

            list.Add(new KeyEnvelope(doctor, iot, diag));
        }

        r.EndArray();
        r.EndMap();
        return new(epoch, list);
    }
}

/// <summary>The signer (a patient) announces one encrypted batch of IoT frames stored under <paramref name="Cid"/>.</summary>
/// <param name="Epoch">Key epoch the batch is encrypted under.</param>
/// <param name="Batch">The patient's batch number (unique, never reused; also the AES-GCM nonce counter).</param>
/// <param name="Cid">Where the ciphertext is stored.</param>
/// <param name="WindowStartMs">Time of the earliest sample in the batch (ms since the Unix epoch).</param>
/// <param name="WindowEndMs">Time of the latest sample.</param>
/// <param name="Kinds">Sensor kinds present, ascending, no duplicates.</param>
/// <param name="FrameCount">Number of frames in the batch.</param>
public sealed record IotPayload(uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs, IReadOnlyList<SensorKind> Kinds, uint FrameCount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Iot;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(1);
        w.WriteUInt64(Batch);
        w.WriteUInt32(2);
        w.WriteByteString(Cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteInt64(WindowStartMs);
        w.WriteUInt32(4);
        w.WriteInt64(WindowEndMs);
        w.WriteUInt32(5);
        w.WriteStartArray(Kinds.Count);
        foreach (var k in Kinds.Order())
        {
            w.WriteUInt32((byte)k);
        }

        w.WriteEndArray();
        w.WriteUInt32(6);
        w.WriteUInt32(FrameCount);
        w.WriteEndMap();
    }

    internal static IotPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(7, 7);
        r.Key(0);
        var epoch = r.UInt32();
        r.Key(1);
        var batch = r.UInt64();
        r.Key(2);
        var cid = ReadCid(r);
        r.Key(3);
        var start = r.Int64();
        r.Key(4);
        var end = r.Int64();
        if (end < start)
        {
            throw r.Invalid("window ends before it starts");
        }

        r.Key(5);
        var n = r.BeginArray(16);
        var kinds = new List<SensorKind>(n);
        for (var i = 0; i < n; i++)
        {
            var k = r.Byte();
            if (kinds.Count > 0 && (byte)kinds[^1] >= k)
            {
                throw r.Invalid("sensor kinds not ascending");
            }

            kinds.Add((SensorKind)k);
        }

        r.EndArray();
        r.Key(6);
        var frames = r.UInt32();
        r.EndMap();
        return new(epoch, batch, cid, start, end, kinds, frames);
    }
}

/// <summary>
/// The signer (a doctor) publishes a diagnosis about <paramref name="Patient"/>, encrypted under the diagnosis key
/// of <paramref name="Epoch"/> and stored under <paramref name="Cid"/>.
/// </summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch whose diagnosis key encrypts it.</param>
/// <param name="Cid">Where the encrypted diagnosis document is stored.</param>
/// <param name="Covers">Ids of the IoT transactions it covers, ascending, no duplicates.</param>
/// <param name="WindowStartMs">Start of the time window covered.</param>
/// <param name="WindowEndMs">End of the time window covered.</param>
/// <param name="Follows">For a follow-up (e.g. a clinician note), the id of the diagnosis it follows; else null.</param>
public sealed record DiagnosisPayload(
    IdentityId Patient,
    uint Epoch,
    Cid Cid,
    IReadOnlyList<byte[]> Covers,
    long WindowStartMs,
    long WindowEndMs,
    byte[]? Follows) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Diagnosis;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteByteString(Patient.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(2);
        w.WriteByteString(Cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteStartArray(Covers.Count);
        foreach (var id in Covers.OrderBy(c => c, ByteArrayComparer.Instance))
        {
            w.WriteByteString(id);
        }

        w.WriteEndArray();
        w.WriteUInt32(4);
        w.WriteInt64(WindowStartMs);
        w.WriteUInt32(5);
        w.WriteInt64(WindowEndMs);
        w.WriteUInt32(6);
        if (Follows is null)
        {
            w.WriteNull();
        }
        else
        {
            w.WriteByteString(Follows);
        }

        w.WriteEndMap();
    }

    internal static DiagnosisPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(7, 7);
        r.Key(0);
        var patient = ReadId(r);
        r.Key(1);
        var epoch = r.UInt32();
        r.Key(2);
        var cid = ReadCid(r);
        r.Key(3);
        var n = r.BeginArray(MaxCovered);
        var covers = new List<byte[]>(n);
        for (var i = 0; i < n; i++)
        {
            var id = r.Bytes(32);
            if (covers.Count > 0 && ByteArrayComparer.Instance.Compare(covers[^1], id) >= 0)
            {
                throw r.Invalid("covered transaction ids not ascending");
            }

            covers.Add(id);
        }

        r.EndArray();
        r.Key(4);
        var start = r.Int64();
        r.Key(5);
        var end = r.Int64();
        if (end < start)
        {
            throw r.Invalid("window ends before it starts");
        }

        r.Key(6);
        var follows = r.Null() ? null : r.Bytes(32);
        r.EndMap();
        return new(patient, epoch, cid, covers, start, end, follows);
    }
}

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
