using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Tests;

public sealed class LiveBatchTests : IDisposable
{
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly byte[] _key = Aead.NewKey();

    public void Dispose() => _patient.Dispose();

    [Fact]
    public void A_sealed_sub_batch_opens_with_its_key_and_names_its_sequence_in_the_nonce()
    {
        var frames = new[] { Frame(1), Frame(2) };
        var sealedBatch = new LiveBatch(_patient.Id, 3, 17, frames).Seal(_key);

        Assert.Equal(17UL, LiveBatch.SequenceOf(sealedBatch));
        Assert.Equal("IOTL"u8.ToArray(), sealedBatch[..4]);
        var opened = LiveBatch.Open(sealedBatch, _key, _patient.Id, 3);
        Assert.Equal(17UL, opened.Sequence);
        Assert.Equal(frames, opened.Frames);
    }

    [Fact]
    public void Another_epoch_patient_or_key_does_not_open_it()
    {
        var sealedBatch = new LiveBatch(_patient.Id, 3, 17, [Frame(1)]).Seal(_key);
        using var other = IdentityKey.Generate();

        Assert.Throws<CryptoException>(() => LiveBatch.Open(sealedBatch, _key, _patient.Id, 4));
        Assert.Throws<CryptoException>(() => LiveBatch.Open(sealedBatch, _key, other.Id, 3));
        Assert.Throws<CryptoException>(() => LiveBatch.Open(sealedBatch, Aead.NewKey(), _patient.Id, 3));
    }

    [Fact]
    public void A_live_nonce_never_equals_a_batch_nonce_under_the_same_key()
    {
        // Same key, same counter value: the fixed fields differ, so the nonces (and the ciphertexts' first bytes) differ.
        var live = new LiveBatch(_patient.Id, 3, 41, [Frame(1)]).Seal(_key);
        var batch = new IotBatch(_patient.Id, 3, 41, [Frame(1)]).Seal(_key);

        Assert.NotEqual(live[..AeadNonce.Size], batch[..AeadNonce.Size]);
        Assert.Throws<ProtocolException>(() => LiveBatch.SequenceOf(batch));
        Assert.Throws<ArgumentException>(() => new LiveBatch(_patient.Id, 3, 0, [Frame(1)]).Seal(_key));
    }

    [Fact]
    public void A_bundle_anchors_its_sub_batches_and_refuses_any_change()
    {
        var batches = new ulong[] { 1, 2, 5 }.Select(s => new LiveBatch(_patient.Id, 3, s, [Frame((uint)s)]).Seal(_key)).ToArray();
        var bundle = new LiveBundle(_patient.Id, 3, batches);
        var decoded = LiveBundle.Decode(bundle.Encode());
        var anchor = decoded.Anchor();

        Assert.Equal((1UL, 5UL, 3u), (anchor.FirstSequence, anchor.LastSequence, anchor.Count));
        Assert.Equal(MerkleTree.ComputeRoot(batches.Select(b => LiveBatch.Hash(b)).ToArray()), anchor.Root);
        Assert.Null(anchor.Problem());
        decoded.Verify(_patient.Id, 3, anchor);

        var swapped = new LiveBundle(_patient.Id, 3, [batches[0], batches[2], batches[1]]);
        Assert.Throws<ProtocolException>(() => swapped.Anchor());
        var shorter = new LiveBundle(_patient.Id, 3, batches[..2]);
        Assert.Equal(ProtocolError.BadProof, Assert.Throws<ProtocolException>(() => shorter.Verify(_patient.Id, 3, anchor)).Error);
        Assert.Throws<ProtocolException>(() => decoded.Verify(_patient.Id, 4, anchor));
    }

    [Theory]
    [InlineData(0UL, 5UL, 3u)]
    [InlineData(6UL, 5UL, 1u)]
    [InlineData(1UL, 5UL, 0u)]
    [InlineData(1UL, 5UL, 6u)]
    public void An_iot_payload_with_an_impossible_live_range_does_not_encode_or_decode(ulong first, ulong last, uint count)
    {
        var anchor = new LiveAnchor(new byte[32], first, last, count);
        var payload = new IotPayload(3, 1, Cid.Compute("x"u8), 0, 1, [SensorKind.Ecg], 1, anchor);
        using var key = IdentityKey.Generate();
        var network = NetworkId.FromGenesisHash(new byte[32]);

        Assert.NotNull(anchor.Problem());
        Assert.Throws<ArgumentException>(() => new TransactionBody(network, key.Id, 1, 1, payload).Encode());
        var valid = new TransactionBody(network, key.Id, 1, 1, payload with { Live = new LiveAnchor(new byte[32], 1, 9, 3) }).Encode();
        var patched = Patch(valid, first, last, count);
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(patched));
    }

    [Fact]
    public void Citations_must_ascend_be_few_and_never_be_an_empty_list()
    {
        using var key = IdentityKey.Generate();
        var network = NetworkId.FromGenesisHash(new byte[32]);
        var cid = Cid.Compute("x"u8);
        DiagnosisPayload Cite(params ulong[] sequences) => new(key.Id, 1, cid, [], 0, 1, null, [.. sequences.Select(s => new LiveCitation(s, new byte[32]))]);

        var none = new TransactionBody(network, key.Id, 1, 1, Cite()).Encode();
        Assert.Equal(new TransactionBody(network, key.Id, 1, 1, Cite() with { Cites = null }).Encode(), none);
        var two = TransactionBody.Decode(new TransactionBody(network, key.Id, 1, 1, Cite(9, 3)).Encode());
        Assert.Equal([3UL, 9UL], ((DiagnosisPayload)two.Payload).Citations.Select(c => c.Sequence));
        Assert.Throws<ArgumentException>(() => new TransactionBody(network, key.Id, 1, 1, Cite(3, 3)).Encode());
        Assert.Throws<ArgumentException>(() => new TransactionBody(network, key.Id, 1, 1, Cite(0)).Encode());
        Assert.Throws<ArgumentException>(() => new TransactionBody(network, key.Id, 1, 1, Cite([.. Enumerable.Range(1, DiagnosisPayload.MaxCitations + 1).Select(i => (ulong)i)])).Encode());

        // A hand-made body with the citations out of order, or an empty list under key 7, is refused.
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(DiagnosisBody(key.Id, network, cid, [(9, new byte[32]), (3, new byte[32])])));
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(DiagnosisBody(key.Id, network, cid, [])));
        Assert.Throws<ProtocolException>(() => TransactionBody.Decode(DiagnosisBody(key.Id, network, cid, [(3, new byte[31])])));
    }

    private static byte[] Frame(uint sequence)
    {
        var buffer = new byte[FrameLayout.MaxFrameSize];
        var length = FrameWriter.Write(buffer, 0, (byte)SensorKind.Temperature, 0, 0x10, sequence, 1_764_000_000_000 + sequence, 100, [3700], 0, 1, 0, new HmacFrameMac(new byte[32]), 32);
        return buffer[..length];
    }

    /// <summary>An IoT body re-encoded with the given live range (the encoder itself refuses it).</summary>
    private static byte[] Patch(byte[] body, ulong first, ulong last, uint count)
    {
        var decoded = TransactionBody.Decode(body);
        var p = (IotPayload)decoded.Payload;
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteUInt32(2);
        w.WriteUInt32(1);
        w.WriteUInt32((uint)TransactionType.Iot);
        w.WriteUInt32(2);
        w.WriteByteString(decoded.Signer.Bytes);
        w.WriteUInt32(3);
        w.WriteUInt64(decoded.Nonce);
        w.WriteUInt32(4);
        w.WriteInt64(decoded.TimeMs);
        w.WriteUInt32(5);
        w.WriteStartMap(11);
        w.WriteUInt32(0);
        w.WriteUInt32(p.Epoch);
        w.WriteUInt32(1);
        w.WriteUInt64(p.Batch);
        w.WriteUInt32(2);
        w.WriteByteString(p.Cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteInt64(p.WindowStartMs);
        w.WriteUInt32(4);
        w.WriteInt64(p.WindowEndMs);
        w.WriteUInt32(5);
        w.WriteStartArray(1);
        w.WriteUInt32(1);
        w.WriteEndArray();
        w.WriteUInt32(6);
        w.WriteUInt32(p.FrameCount);
        w.WriteUInt32(7);
        w.WriteByteString(new byte[32]);
        w.WriteUInt32(8);
        w.WriteUInt64(first);
        w.WriteUInt32(9);
        w.WriteUInt64(last);
        w.WriteUInt32(10);
        w.WriteUInt32(count);
        w.WriteEndMap();
        w.WriteUInt32(6);
        w.WriteByteString(decoded.Network.Bytes);
        w.WriteEndMap();
        return w.Encode();
    }

    private static byte[] DiagnosisBody(IdentityId doctor, NetworkId network, Cid cid, (ulong Sequence, byte[] Hash)[] cites)
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteUInt32(2);
        w.WriteUInt32(1);
        w.WriteUInt32((uint)TransactionType.Diagnosis);
        w.WriteUInt32(2);
        w.WriteByteString(doctor.Bytes);
        w.WriteUInt32(3);
        w.WriteUInt64(1);
        w.WriteUInt32(4);
        w.WriteInt64(1);
        w.WriteUInt32(5);
        w.WriteStartMap(8);
        w.WriteUInt32(0);
        w.WriteByteString(doctor.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt32(1);
        w.WriteUInt32(2);
        w.WriteByteString(cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteStartArray(0);
        w.WriteEndArray();
        w.WriteUInt32(4);
        w.WriteInt64(0);
        w.WriteUInt32(5);
        w.WriteInt64(1);
        w.WriteUInt32(6);
        w.WriteNull();
        w.WriteUInt32(7);
        w.WriteStartArray(cites.Length);
        foreach (var (sequence, hash) in cites)
        {
            w.WriteStartArray(2);
            w.WriteUInt64(sequence);
            w.WriteByteString(hash);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndMap();
        w.WriteUInt32(6);
        w.WriteByteString(network.Bytes);
        w.WriteEndMap();
        return w.Encode();
    }
}
