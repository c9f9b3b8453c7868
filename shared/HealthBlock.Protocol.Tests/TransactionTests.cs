using System.Formats.Cbor;
using CsCheck;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Tests;

public sealed class TransactionTests : IDisposable
{
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly IdentityKey _doctor = IdentityKey.Generate();

    /// <summary>A network to sign for: any 32 bytes (the protocol does not know genesis files).</summary>
    private static readonly NetworkId Network = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("protocol tests"u8));

    public static TheoryData<string> VectorNames() => [.. TestData.Load<TxVector[]>("transactions.json").Select(v => v.Name)];

    public void Dispose()
    {
        _patient.Dispose();
        _doctor.Dispose();
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Bodies_decode_and_re_encode_to_the_independent_vectors(string name)
    {
        var v = TestData.Load<TxVector[]>("transactions.json").Single(x => x.Name == name);
        var bytes = Convert.FromHexString(v.BodyHex);

        var body = TransactionBody.Decode(bytes);

        Assert.Equal(v.BodyHex, Convert.ToHexStringLower(body.Encode()));
        Assert.Equal(v.IdHex, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body.Encode())));
    }

    [Fact]
    public void Every_payload_kind_round_trips_signed()
    {
        foreach (var payload in SamplePayloads())
        {
            var tx = Transaction.Sign(new TransactionBody(Network, _patient.Id, 5, 1_764_000_000_000, payload), _patient);
            var back = Transaction.Decode(tx.Encode());

            Assert.Equal(tx.IdHex, back.IdHex);
            Assert.Equal(tx.Encode(), back.Encode());
            Assert.Equal(payload.Type, back.Body.Type);
            Assert.True(back.VerifySignature(_patient.Public));
            Assert.False(back.VerifySignature(_doctor.Public));
        }
    }

    [Fact]
    public void Diagnosis_goes_to_docchain_and_the_rest_to_userchain()
    {
        foreach (var payload in SamplePayloads())
        {
            var expected = payload is DiagnosisPayload ? ChainId.Docchain : ChainId.Userchain;
            Assert.Equal(expected, new TransactionBody(Network, _patient.Id, 1, 1, payload).Chain);
        }
    }

    [Fact]
    public void A_signature_over_another_body_does_not_verify()
    {
        var a = Transaction.Sign(new TransactionBody(Network, _patient.Id, 1, 1, new PaymentPayload(_doctor.Id, 10)), _patient);
        var b = Transaction.Sign(new TransactionBody(Network, _patient.Id, 1, 1, new PaymentPayload(_doctor.Id, 11)), _patient);
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(2);
        w.WriteByteString(b.BodyBytes);
        w.WriteByteString(a.Signature);
        w.WriteEndArray();

        var forged = Transaction.Decode(w.Encode());

        Assert.False(forged.VerifySignature(_patient.Public));
    }

    [Fact]
    public void Signing_with_a_key_other_than_the_named_signer_is_refused()
    {
        var body = new TransactionBody(Network, _patient.Id, 1, 1, new PaymentPayload(_doctor.Id, 10));
        Assert.Throws<ArgumentException>(() => Transaction.Sign(body, _doctor));
    }

    [Fact]
    public void Non_canonical_encodings_are_refused()
    {
        var v = TestData.Load<TxVector[]>("transactions.json")[0];
        var canonical = Convert.FromHexString(v.BodyHex);

        // The same map written with a non-shortest integer for the version (0x18 0x01 instead of 0x01).
        var longInt = canonical.Take(2).Concat(new byte[] { 0x18, 0x01 }).Concat(canonical.Skip(3)).ToArray();
        Assert.Equal(ProtocolError.NonCanonical, Assert.Throws<ProtocolException>(() => TransactionBody.Decode(longInt)).Error);

        // Keys out of order.
        var lax = new CborWriter(CborConformanceMode.Lax);
        lax.WriteStartMap(2);
        lax.WriteUInt32(1);
        lax.WriteUInt32(3);
        lax.WriteUInt32(0);
        lax.WriteUInt32(1);
        lax.WriteEndMap();
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(lax.Encode()));

        Assert.Equal(ProtocolError.TrailingBytes, Assert.Throws<ProtocolException>(() => TransactionBody.Decode(canonical.Append((byte)0).ToArray())).Error);
    }

    [Fact]
    public void Semantic_field_errors_are_reported_as_protocol_errors()
    {
        var zero = Transaction.Sign(new TransactionBody(Network, _patient.Id, 1, 1, new PaymentPayload(_doctor.Id, 1)), _patient).Encode();
        var body = TransactionBody.Decode(Transaction.Decode(zero).BodyBytes.ToArray()) with { Payload = new PaymentPayload(_doctor.Id, 0) };
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(body.Encode()));

        var backwards = new TransactionBody(Network, _patient.Id, 1, 1, new IotPayload(1, 1, Cid.Compute([]), 10, 5, [SensorKind.Ecg], 1));
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(backwards.Encode()));
    }

    [Fact]
    public void Random_and_mutated_bytes_never_crash_the_decoders()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            Try(() => Transaction.Decode(bytes));
            Try(() => TransactionBody.Decode(bytes));
            Try(() => Block.Decode(bytes));
            Try(() => BlockHeader.Decode(bytes));
        }, iter: 10_000);

        var samples = SamplePayloads().Select(p => Transaction.Sign(new TransactionBody(Network, _patient.Id, 1, 1, p), _patient).Encode()).ToArray();
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 10_000], Gen.Byte[1, 255]).Sample(t =>
        {
            var bytes = samples[t.Item1].ToArray();
            bytes[t.Item2 % bytes.Length] ^= t.Item3;
            Try(() => Transaction.Decode(bytes));
        }, iter: 10_000);

        static void Try(Action decode)
        {
            try
            {
                decode();
            }
            catch (ProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Blocks_round_trip_and_carry_verifiable_merkle_proofs()
    {
        using var node = IdentityKey.Generate();
        var txs = SamplePayloads().Select((p, i) => Transaction.Sign(new TransactionBody(Network, _patient.Id, (ulong)i + 1, 1, p), _patient)).ToArray();

        var block = Block.Create(Network, ChainId.Userchain, 7, new byte[32], 1_764_000_000_000, node, txs);
        var back = Block.Decode(block.Encode());

        Assert.Equal(block.Hash, back.Hash);
        Assert.True(back.MerkleRootMatches());
        Assert.True(back.VerifyProposer(node.Public));
        Assert.False(back.VerifyProposer(_patient.Public));
        Assert.Equal(7UL, back.Header.Height);
        for (var i = 0; i < txs.Length; i++)
        {
            Assert.True(MerkleTree.Verify(txs[i].Id, back.Prove(i), back.Header.MerkleRoot));
        }
    }

    [Fact]
    public void A_block_whose_count_disagrees_with_its_header_is_refused()
    {
        using var node = IdentityKey.Generate();
        var tx = Transaction.Sign(new TransactionBody(Network, _patient.Id, 1, 1, new PaymentPayload(_doctor.Id, 3)), _patient);
        var block = Block.Create(Network, ChainId.Userchain, 0, new byte[32], 1, node, [tx]);
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(3);
        w.WriteByteString(block.HeaderBytes);
        w.WriteByteString(block.Signature);
        w.WriteStartArray(0);
        w.WriteEndArray();
        w.WriteEndArray();

        Assert.Throws<ProtocolException>(() => Block.Decode(w.Encode()));
    }

    private IEnumerable<TransactionPayload> SamplePayloads()
    {
        var cid = Cid.Compute("batch"u8);
        yield return RegisterPayload.For(_doctor.Public, Role.Doctor, "Dr. Example");
        yield return new IssuePayload(_patient.Id, 1_000);
        yield return new PaymentPayload(_doctor.Id, 250);
        yield return new KeyPayload(2, [new KeyEnvelope(_doctor.Id, Envelope.Seal(_doctor.Public, 2, EnvelopePurpose.IotKey, Aead.NewKey()), Envelope.Seal(_doctor.Public, 2, EnvelopePurpose.DiagnosisKey, Aead.NewKey()))]);
        yield return new IotPayload(2, 41, cid, 1_764_000_000_000, 1_764_000_009_996, [SensorKind.Ecg, SensorKind.Temperature], 12);
        yield return new DiagnosisPayload(_patient.Id, 2, cid, [new byte[32]], 1_764_000_000_000, 1_764_000_009_996, null);
        yield return new DiagnosisPayload(_patient.Id, 2, cid, [], 0, 0, new byte[32]);
        yield return new IotPayload(3, 42, cid, 1_764_000_000_000, 1_764_000_899_996, [SensorKind.Ecg], 900, new LiveAnchor(new byte[32], 1, 1000, 900));
        yield return new DiagnosisPayload(_patient.Id, 3, cid, [], 1_764_000_000_000, 1_764_000_001_000, null, [new LiveCitation(7, new byte[32]), new LiveCitation(9, new byte[32])]);
    }
}

internal sealed record TxVector(string Name, string BodyHex, string IdHex);
