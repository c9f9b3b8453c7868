using System.Text;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fuzz;

/// <summary>
/// The fuzz targets of the plain decoders: device frames (with and without the MAC), transactions, transaction bodies,
/// blocks, block headers, CIDs in text and binary, IoT batch plaintexts. Canonical formats must re-encode to the bytes
/// they were decoded from.
/// </summary>
internal static class DecoderTargets
{
    /// <summary>The targets, in report order, seeded from <paramref name="t"/>.</summary>
    public static IEnumerable<FuzzTarget> Create(HealthBlockTargets t, IReadOnlyList<byte[]> batches)
    {
        var frames = t.Frames;
        var txs = t.Transactions.Select(x => x.Encode()).ToArray();
        var bodies = t.Transactions.Select(x => x.BodyBytes.ToArray()).ToArray();
        var blocks = t.Blocks.Select(b => b.Encode()).ToArray();
        var headers = t.Blocks.Select(b => b.HeaderBytes).ToArray();
        var cids = Enumerable.Range(0, 6).Select(i => Cid.Compute(t.Bytes(i * 37))).ToArray();
        return
        [
            new()
            {
                Name = "frame.decode",
                Decoder = "DeviceFrame.Decode",
                Seeds = frames,
                Shape = InputShape.Binary,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 300,
                Run = input =>
                {
                    var frame = DeviceFrame.Decode(input);
                    HealthBlockTargets.Require(frame.Encoded.SequenceEqual(input), "the decoded frame keeps other bytes than it was given");
                    HealthBlockTargets.Require(frame.Samples.Length * 2 + 32 + frame.Tag.Length == input.Length, "sizes do not add up");
                    _ = (frame.DeviceName, frame.Sequence, frame.TimestampMs, frame.DurationMs, frame.Dropped, frame.Kind, frame.Flags);
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "frame.decode-verify",
                Decoder = "DeviceFrame.DecodeAndVerify",
                Seeds = frames,
                Shape = InputShape.Binary,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 300,
                Run = input =>
                {
                    DeviceFrame.DecodeAndVerify(input, t.DeviceKey);
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                // The mutated frame's tag is recomputed, so the mutation gets past the MAC: whatever decodes must verify.
                Name = "frame.decode-verify-retagged",
                Decoder = "DeviceFrame.DecodeAndVerify (tag recomputed)",
                Seeds = frames,
                Shape = InputShape.Binary,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 300,
                Run = input =>
                {
                    t.Retag(input);
                    var decodes = TryDecodeFrame(input);
                    var frame = DeviceFrame.DecodeAndVerify(input, t.DeviceKey);
                    HealthBlockTargets.Require(decodes, "DecodeAndVerify accepted what Decode refuses");
                    HealthBlockTargets.Require(frame.VerifyTag(t.DeviceKey), "VerifyTag disagrees with DecodeAndVerify");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "tx.decode",
                Decoder = "Transaction.Decode",
                Seeds = txs,
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                Run = input =>
                {
                    var tx = Transaction.Decode(input);
                    HealthBlockTargets.Require(tx.Encode().AsSpan().SequenceEqual(input), "a transaction re-encodes to other bytes (two byte forms, two ids)");
                    HealthBlockTargets.Require(tx.Body.Encode().AsSpan().SequenceEqual(tx.BodyBytes), "a transaction body re-encodes to other bytes");
                    _ = (tx.IdHex, tx.Body.Chain, tx.Body.Type);
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "txbody.decode",
                Decoder = "TransactionBody.Decode",
                Seeds = bodies,
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                Run = input =>
                {
                    var body = TransactionBody.Decode(input);
                    HealthBlockTargets.Require(body.Encode().AsSpan().SequenceEqual(input), "a transaction body re-encodes to other bytes");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "block.decode",
                Decoder = "Block.Decode",
                Seeds = blocks,
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 1200,
                Run = input =>
                {
                    var block = Block.Decode(input);
                    HealthBlockTargets.Require(block.Encode().AsSpan().SequenceEqual(input), "a block re-encodes to other bytes");
                    HealthBlockTargets.Require(block.Header.Encode().AsSpan().SequenceEqual(block.HeaderBytes), "a block header re-encodes to other bytes");
                    _ = block.MerkleRootMatches();
                    if (block.Transactions.Count > 0)
                    {
                        _ = block.Prove(block.Transactions.Count - 1);
                    }

                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "blockheader.decode",
                Decoder = "BlockHeader.Decode",
                Seeds = headers,
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                Run = input =>
                {
                    var header = BlockHeader.Decode(input);
                    HealthBlockTargets.Require(header.Encode().AsSpan().SequenceEqual(input), "a block header re-encodes to other bytes");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "cid.parse",
                Decoder = "Cid.Parse / Cid.TryParse",
                Seeds = [.. cids.Select(c => Encoding.ASCII.GetBytes(c.ToString())), .. InvalidCidTexts()],
                Shape = InputShape.Text,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 120,
                Run = input =>
                {
                    var text = Encoding.Latin1.GetString(input);
                    var parsed = Cid.TryParse(text, out var tried, out var error);
                    HealthBlockTargets.Require(parsed || error.Length > 0, "TryParse refused without saying why");
                    var cid = Cid.Parse(text);
                    HealthBlockTargets.Require(parsed && cid.Equals(tried), "Parse accepted what TryParse refused");
                    HealthBlockTargets.Require(cid.ToString() == text, "a CID prints differently from the text it was parsed from");
                    HealthBlockTargets.Require(Cid.FromBytes(cid.ToBytes()).Equals(cid), "binary round trip failed");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "cid.frombytes",
                Decoder = "Cid.FromBytes",
                Seeds = [.. cids.Select(c => c.ToBytes())],
                Shape = InputShape.Binary,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 64,
                Run = input =>
                {
                    var cid = Cid.FromBytes(input);
                    HealthBlockTargets.Require(cid.ToBytes().AsSpan().SequenceEqual(input), "a CID re-encodes to other bytes");
                    HealthBlockTargets.Require(Cid.Parse(cid.ToString()).Equals(cid), "text round trip failed");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "iotbatch.decode",
                Decoder = "IotBatch.Decode",
                Seeds = batches,
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 1200,
                Run = input =>
                {
                    var batch = IotBatch.Decode(input);
                    HealthBlockTargets.Require(batch.Encode().AsSpan().SequenceEqual(input), "an IoT batch re-encodes to other bytes");
                    return FuzzOutcome.Accepted;
                },
            },
            new()
            {
                Name = "livebundle.decode",
                Decoder = "LiveBundle.Decode + Anchor",
                Seeds = [new LiveBundle(t.Patient.Id, HealthBlockTargets.Epoch, t.MakeLiveBatches()).Encode()],
                Shape = InputShape.Cbor,
                Expected = HealthBlockTargets.Protocol,
                MaxRandomLength = 4096,
                Run = input =>
                {
                    var bundle = LiveBundle.Decode(input);
                    HealthBlockTargets.Require(bundle.Encode().AsSpan().SequenceEqual(input), "a live bundle re-encodes to other bytes");
                    var anchor = bundle.Anchor();
                    HealthBlockTargets.Require(anchor.Problem() is null && anchor.Count == bundle.SealedBatches.Count, "a bundle's anchor is inconsistent");
                    return FuzzOutcome.Accepted;
                },
            },
        ];
    }

    private static bool TryDecodeFrame(byte[] input)
    {
        try
        {
            DeviceFrame.Decode(input);
            return true;
        }
        catch (ProtocolException)
        {
            return false;
        }
    }

    private static IEnumerable<byte[]> InvalidCidTexts() =>
    [
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"u8.ToArray(),
        "BAFKREIFZJUT3TE2NHYEKKLSS27NH3K72YSCO7Y32KOAO5EEI66WOF36N5E"u8.ToArray(),
        "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"u8.ToArray(),
        "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA"u8.ToArray(),
    ];
}
