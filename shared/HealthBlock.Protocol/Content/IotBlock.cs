using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// The one way to read the frames an IoT transaction commits, whichever design sealed them: a per-batch
/// <see cref="IotBatch"/> (AAD of patient, epoch, batch) or, for a transaction with a live anchor, a
/// <see cref="LiveBundle"/> of sealed <see cref="LiveBatch"/>es (AAD of patient, epoch and each sub-batch's sequence).
/// </summary>
public static class IotBlock
{
    /// <summary>The encoded frames of the stored block, in journal order.</summary>
    /// <param name="block">The block the transaction's CID names (checked by the caller's store).</param>
    /// <param name="iotKey">The patient's IoT key of <paramref name="epoch"/>.</param>
    /// <param name="patient">The patient.</param>
    /// <param name="epoch">The transaction's epoch.</param>
    /// <param name="batch">The transaction's batch number (per-batch design).</param>
    /// <param name="live">True when the transaction carries a live anchor (the block is a live bundle).</param>
    /// <exception cref="CryptoException">A batch fails authentication under this key and AAD.</exception>
    /// <exception cref="ProtocolException">The block does not decode.</exception>
    public static IReadOnlyList<byte[]> OpenFrames(ReadOnlyMemory<byte> block, ReadOnlySpan<byte> iotKey, IdentityId patient, uint epoch, ulong batch, bool live)
    {
        if (!live)
        {
            return IotBatch.Open(block.Span, iotKey, patient, epoch, batch).Frames;
        }

        var frames = new List<byte[]>();
        foreach (var sealedBatch in LiveBundle.Decode(block).SealedBatches)
        {
            frames.AddRange(LiveBatch.Open(sealedBatch, iotKey, patient, epoch).Frames);
        }

        return frames;
    }
}
