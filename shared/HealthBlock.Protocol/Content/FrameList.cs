using System.Formats.Cbor;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Content;

/// <summary>The CBOR array of encoded device frames that <see cref="IotBatch"/> and <see cref="LiveBatch"/> carry.</summary>
internal static class FrameList
{
    public static void Write(CborWriter w, IReadOnlyList<byte[]> frames)
    {
        w.WriteStartArray(frames.Count);
        foreach (var f in frames)
        {
            w.WriteByteString(f);
        }

        w.WriteEndArray();
    }

    public static byte[][] Read(CanonicalReader r, int maxPlaintext)
    {
        var n = r.BeginArray(maxPlaintext / FrameLayout.HeaderSize);
        var frames = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            frames[i] = r.BytesUpTo(FrameLayout.MaxFrameSize);
        }

        r.EndArray();
        return frames;
    }
}
