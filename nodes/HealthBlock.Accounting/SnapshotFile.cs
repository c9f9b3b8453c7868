using System.Buffers.Binary;
using System.Security.Cryptography;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting;

/// <summary>A state snapshot as read from disk: the state and the Raft entry (index and term) it covers.</summary>
/// <param name="State">The committed state.</param>
/// <param name="AppliedIndex">The last Raft index applied to it.</param>
/// <param name="AppliedTerm">That entry's term (0 in a file written before terms were kept: no Raft snapshot is offered from it).</param>
internal sealed record StoredSnapshot(LedgerState State, long AppliedIndex, long AppliedTerm);

/// <summary>
/// The node's state snapshot file: <c>"HBS2" ‖ applied Raft index (i64 BE) ‖ its term (i64 BE) ‖ SHA-256 of the state ‖
/// canonical state</c> (<see cref="LedgerState.ToSnapshot"/>). Files of the first layout (<c>index ‖ SHA-256 ‖ state</c>,
/// no term) still load. Written atomically (temporary file, fsync, rename).
/// </summary>
internal static class SnapshotFile
{
    /// <summary>Its name in the data directory.</summary>
    public const string FileName = "state.snapshot";

    private const int LegacyHeaderLength = 40;
    private const int HeaderLength = 52;
    private static ReadOnlySpan<byte> Magic => "HBS2"u8;

    /// <summary>The snapshot stored at <paramref name="path"/>, or null when there is no file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="genesis">The genesis the state grew from.</param>
    /// <param name="index">The transaction index holding the snapshot's transactions (null: an empty one in memory).</param>
    /// <exception cref="InvalidOperationException">The file is damaged (checksum mismatch).</exception>
    public static StoredSnapshot? Read(string path, Genesis genesis, ITransactionIndex? index = null)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var current = bytes.AsSpan().StartsWith(Magic);
        var header = current ? HeaderLength : LegacyHeaderLength;
        var hashAt = header - 32;
        if (bytes.Length < header || !SHA256.HashData(bytes.AsSpan(header)).AsSpan().SequenceEqual(bytes.AsSpan(hashAt, 32)))
        {
            throw new InvalidOperationException(
                $"The state snapshot {path} is damaged (checksum mismatch); move it away: the node then rebuilds its state by re-applying its stored blocks.");
        }

        var state = LedgerState.FromSnapshot(genesis, bytes.AsMemory(header), index);
        return current
            ? new StoredSnapshot(state, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(4)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(12)))
            : new StoredSnapshot(state, BinaryPrimitives.ReadInt64BigEndian(bytes), 0);
    }

    /// <summary>Replaces the file at <paramref name="path"/> with <paramref name="state"/> at Raft entry (<paramref name="appliedIndex"/>, <paramref name="appliedTerm"/>).</summary>
    public static void Write(string path, LedgerState state, long appliedIndex, long appliedTerm = 0)
    {
        var encoded = state.ToSnapshot();
        var bytes = new byte[HeaderLength + encoded.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), appliedIndex);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(12), appliedTerm);
        SHA256.HashData(encoded, bytes.AsSpan(20, 32));
        encoded.CopyTo(bytes, HeaderLength);
        var temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
            f.Flush(true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
