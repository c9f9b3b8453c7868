using System.Formats.Cbor;

namespace HealthBlock.Protocol.Ledger;

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
