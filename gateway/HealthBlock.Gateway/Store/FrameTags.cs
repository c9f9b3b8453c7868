using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Store;

/// <summary>
/// What the journal keeps of a frame once its batch is committed: the frame's MAC tag (its last <c>T</c> bytes, T from
/// header byte 3, docs/protocol.md §1). The tag is an HMAC over the whole frame under the device key, so two frames of one
/// device with equal tags are the same frame: a retransmission is still told from a replay, and no reading stays.
/// </summary>
internal static class FrameTags
{
    /// <summary>The longest tag; anything longer in the journal is a whole frame.</summary>
    public const int MaxLength = 32;

    /// <summary>The tag of an encoded frame.</summary>
    public static byte[] Of(ReadOnlySpan<byte> frame) => frame[^frame[3]..].ToArray();

    /// <summary>True when <paramref name="stored"/> (a whole frame, or a committed frame's tag) is <paramref name="frame"/>.</summary>
    public static bool SameFrame(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> frame) =>
        stored.Length <= MaxLength && frame.Length >= FrameLayout.HeaderSize
            ? stored.SequenceEqual(frame[^frame[3]..])
            : stored.SequenceEqual(frame);
}
