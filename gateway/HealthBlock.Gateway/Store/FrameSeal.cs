using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Keys;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Store;

/// <summary>
/// The journal's frames at rest (docs/security.md G7). Each <c>frames.bytes</c> holds the encoded frame sealed with
/// AES-256-GCM (NIST SP 800-38D) under the store's local key (<see cref="SecretSealer"/>: random 96-bit nonce, the key
/// itself kept only as an envelope to the patient's key), with the row's identity — device, pairing, sequence number —
/// as associated data, so a sealed frame cannot be moved to another row. Once its batch is committed a row keeps only the
/// frame's MAC tag (<see cref="FrameTags"/>, at most <see cref="FrameTags.MaxLength"/> bytes, no reading in it), which is
/// how a stored value is told from a sealed one. Every reader of <c>frames.bytes</c> opens rows here
/// (<see cref="OpenRow"/>); a row that fails to open was altered on disk and raises <see cref="TamperedFrameException"/>.
/// </summary>
internal sealed class FrameSeal(SecretSealer sealer)
{
    /// <summary>The columns <see cref="OpenRow"/> reads, in its order.</summary>
    public const string Columns = "id, device, pairing, seq, bytes";

    /// <summary>What sealing adds to a frame's length (nonce and GCM tag); sizes of sealed rows subtract it.</summary>
    public const long Overhead = Aead.Overhead;

    private long _tampered;

    /// <summary>Rows that failed to open since the store was opened.</summary>
    public long Tampered => Interlocked.Read(ref _tampered);

    /// <summary>Seals a frame for the row (<paramref name="device"/>, <paramref name="pairing"/>, <paramref name="sequence"/>).</summary>
    public byte[] Seal(ulong device, long pairing, long sequence, ReadOnlySpan<byte> frame) =>
        sealer.Seal(frame, Label(device, pairing, sequence));

    /// <summary>
    /// Reads <see cref="Columns"/> from <paramref name="row"/> starting at column <paramref name="first"/>: the row's id and
    /// its frame (opened), or a committed row's tag as stored.
    /// </summary>
    public (long Id, byte[] Bytes) OpenRow(SqliteDataReader row, int first = 0)
    {
        var id = row.GetInt64(first);
        return (id, Open(id, Sql.Device(row.GetInt64(first + 1)), row.GetInt64(first + 2), row.GetInt64(first + 3), (byte[])row[first + 4]));
    }

    /// <summary>The frame of a sealed row, or a committed row's tag as stored.</summary>
    public byte[] Open(long id, ulong device, long pairing, long sequence, byte[] stored)
    {
        if (stored.Length <= FrameTags.MaxLength)
        {
            return stored;
        }

        try
        {
            return sealer.Open(stored, Label(device, pairing, sequence));
        }
        catch (CryptoException e)
        {
            Interlocked.Increment(ref _tampered);
            throw new TamperedFrameException(id, device, sequence, e);
        }
    }

    /// <summary>
    /// <see cref="OpenRow"/> for readers that follow the journal and skip what they cannot decode: a row that fails to open
    /// comes back empty (counted in <see cref="Tampered"/>) instead of stopping the reader at it.
    /// </summary>
    public (long Id, byte[] Bytes) OpenRowOrEmpty(SqliteDataReader row)
    {
        try
        {
            return OpenRow(row);
        }
        catch (TamperedFrameException e)
        {
            return (e.FrameId, []);
        }
    }

    /// <summary>
    /// For a committed row read as <see cref="Columns"/>: the MAC tag to cut it to, or null when it is cut already or fails
    /// to open (an altered row stays as it is, counted in <see cref="Tampered"/>; its batch was read before its commit).
    /// </summary>
    public (long Id, byte[]? Tag) TagToCut(SqliteDataReader row)
    {
        var (id, bytes) = OpenRowOrEmpty(row);
        return (id, bytes.Length > FrameTags.MaxLength ? FrameTags.Of(bytes) : null);
    }

    private static string Label(ulong device, long pairing, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"frame:{device:x16}:{pairing}:{sequence}");
}
