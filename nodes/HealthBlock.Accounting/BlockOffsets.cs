using System.Buffers.Binary;

namespace HealthBlock.Accounting;

/// <summary>
/// A chain's offsets file: the byte offset of each block's record in the block file, one big-endian u64 per height, so
/// that opening a chain of millions of blocks reads nothing but the file's length and reading a block costs one 16-byte
/// read. Appends are buffered with the block file's and made durable by <see cref="Flush"/>. Not thread-safe: the
/// <see cref="BlockStore"/> serialises access.
/// </summary>
internal sealed class BlockOffsets : IDisposable
{
    private const int Width = 8;
    private readonly FileStream _file;
    private long _count;
    private long _flushed;

    public BlockOffsets(string path)
    {
        Path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 14);
        _count = _file.Length / Width;
        if (_file.Length % Width != 0)
        {
            // A torn entry at the end (a crash mid-append): its block is beyond the last complete one and the Raft log
            // (or the snapshot's catch-up) brings it again.
            _file.SetLength(_count * Width);
        }

        _flushed = _count;
    }

    public string Path { get; }

    /// <summary>Entries (blocks) recorded.</summary>
    public long Count => _count;

    /// <summary>The offset of block <paramref name="height"/>.</summary>
    public long this[long height]
    {
        get
        {
            if (height >= _flushed)
            {
                _file.Flush();
                _flushed = _count;
            }

            Span<byte> b = stackalloc byte[Width];
            RandomAccess.Read(_file.SafeFileHandle, b, height * Width);
            return BinaryPrimitives.ReadInt64BigEndian(b);
        }
    }

    public void Append(long offset)
    {
        Span<byte> b = stackalloc byte[Width];
        BinaryPrimitives.WriteInt64BigEndian(b, offset);
        _file.Position = _count * Width;
        _file.Write(b);
        _count++;
    }

    /// <summary>Keeps the first <paramref name="count"/> entries.</summary>
    public void Truncate(long count)
    {
        _file.Flush();
        _count = Math.Min(_count, count);
        _flushed = Math.Min(_flushed, _count);
        _file.SetLength(_count * Width);
    }

    /// <summary>Writes buffered entries through to the disk.</summary>
    public void Flush()
    {
        _file.Flush(true);
        _flushed = _count;
    }

    public void Dispose()
    {
        _file.Flush(true);
        _file.Dispose();
    }
}
