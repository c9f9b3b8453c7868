namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// What an IoT transaction commits about the live sub-batches of one stored bundle: the Merkle root (RFC 6962, the
/// block tree's construction) over the SHA-256 of each sealed sub-batch in ascending sequence order, the first and last
/// live sequence numbers and how many sub-batches there are (sequence numbers may have gaps).
/// </summary>
/// <param name="Root">The Merkle root, 32 bytes.</param>
/// <param name="FirstSequence">The first sub-batch's live sequence number (≥ 1).</param>
/// <param name="LastSequence">The last sub-batch's live sequence number (≥ <paramref name="FirstSequence"/>).</param>
/// <param name="Count">Sub-batches in the bundle (1 … <c>LastSequence − FirstSequence + 1</c>).</param>
public sealed record LiveAnchor(byte[] Root, ulong FirstSequence, ulong LastSequence, uint Count)
{
    /// <summary>Why the anchor's fields cannot describe a bundle, or null when they can.</summary>
    public string? Problem() =>
        Root is not { Length: MerkleTree.HashSize } ? "the live root is not 32 bytes"
        : FirstSequence == 0 ? "live sequence numbers start at 1"
        : LastSequence < FirstSequence ? "the last live sequence number is below the first"
        : Count == 0 ? "a bundle holds at least one live sub-batch"
        : Count - 1 > LastSequence - FirstSequence ? "more live sub-batches than sequence numbers in the range"
        : null;

    /// <summary>True when <paramref name="sequence"/> lies in the anchored range.</summary>
    public bool Spans(ulong sequence) => sequence >= FirstSequence && sequence <= LastSequence;

    /// <summary>True when both describe the same bundle.</summary>
    public bool SameAs(LiveAnchor other) =>
        other is not null && Root.AsSpan().SequenceEqual(other.Root) && FirstSequence == other.FirstSequence && LastSequence == other.LastSequence && Count == other.Count;
}
