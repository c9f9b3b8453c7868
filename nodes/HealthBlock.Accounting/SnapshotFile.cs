using System.Buffers.Binary;
using System.Security.Cryptography;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// The node's state snapshot file: <c>applied Raft index (i64, big-endian) ‖ SHA-256 of the state ‖ canonical state</c>
/// (<see cref="LedgerState.ToSnapshot"/>). Written atomically (temporary file, fsync, rename).
/// </summary>
internal static class SnapshotFile
{
    /// <summary>Its name in the data directory.</summary>
    public const string FileName = "state.snapshot";

    private const int HeaderLength = 40;

    /// <summary>The state and applied index stored at <paramref name="path"/>, or null when there is no file.</summary>
    /// <exception cref="InvalidOperationException">The file is damaged (checksum mismatch).</exception>
    public static (LedgerState State, long AppliedIndex)? Read(string path, Genesis genesis)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderLength || !SHA256.HashData(bytes.AsSpan(HeaderLength)).AsSpan().SequenceEqual(bytes.AsSpan(8, 32)))
        {
            throw new InvalidOperationException($"The state snapshot {path} is damaged (checksum mismatch); move it away to rebuild the state from the Raft log.");
        }

        return (LedgerState.FromSnapshot(genesis, bytes.AsMemory(HeaderLength)), BinaryPrimitives.ReadInt64BigEndian(bytes));
    }

    /// <summary>Replaces the file at <paramref name="path"/> with <paramref name="state"/> at <paramref name="appliedIndex"/>.</summary>
    public static void Write(string path, LedgerState state, long appliedIndex)
    {
        var encoded = state.ToSnapshot();
        var bytes = new byte[HeaderLength + encoded.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, appliedIndex);
        SHA256.HashData(encoded, bytes.AsSpan(8, 32));
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
