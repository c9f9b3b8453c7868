using System.Buffers.Binary;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// One chain's blocks on disk: an append-only file of records <c>length (u32, big-endian) ‖ canonical block bytes</c>,
/// with the record offsets kept in memory. Appends are buffered; <see cref="Flush"/> makes them durable (the Raft log
/// holds every committed block until a state snapshot covers it, so a crash loses nothing). Safe for concurrent use.
/// </summary>
internal sealed class BlockStore : IDisposable
{
    private const int MaxRecord = 256 * 1024 * 1024;
    private readonly object _sync = new();
    private readonly FileStream _file;
    private readonly List<long> _offsets = [];
    private long _end;

    public BlockStore(string path, ChainId chain)
    {
        Chain = chain;
        Path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        Scan();
    }

    public ChainId Chain { get; }

    public string Path { get; }

    /// <summary>Number of complete records.</summary>
    public ulong Count
    {
        get
        {
            lock (_sync)
            {
                return (ulong)_offsets.Count;
            }
        }
    }

    /// <summary>The raw bytes of the block at <paramref name="height"/>, or null beyond the end.</summary>
    public byte[]? ReadRaw(ulong height)
    {
        lock (_sync)
        {
            if (height >= (ulong)_offsets.Count)
            {
                return null;
            }

            var offset = _offsets[(int)height];
            var end = height + 1 < (ulong)_offsets.Count ? _offsets[(int)height + 1] : _end;
            var bytes = new byte[end - offset - 4];
            _file.Flush();
            RandomAccess.Read(_file.SafeFileHandle, bytes, offset + 4);
            return bytes;
        }
    }

    /// <summary>Appends a block; its height must be <see cref="Count"/>.</summary>
    public void Append(Block block)
    {
        var bytes = block.Encode();
        lock (_sync)
        {
            if (block.Header.Height != (ulong)_offsets.Count)
            {
                throw new InvalidOperationException($"{Chain} store holds {_offsets.Count} blocks; cannot append height {block.Header.Height}.");
            }

            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(len, (uint)bytes.Length);
            _file.Position = _end;
            _file.Write(len);
            _file.Write(bytes);
            _offsets.Add(_end);
            _end += 4 + bytes.Length;
        }
    }

    /// <summary>Drops every block from <paramref name="count"/> on.</summary>
    public void Truncate(ulong count)
    {
        lock (_sync)
        {
            if (count >= (ulong)_offsets.Count)
            {
                return;
            }

            _end = _offsets[(int)count];
            _offsets.RemoveRange((int)count, _offsets.Count - (int)count);
            _file.SetLength(_end);
            _file.Flush(true);
        }
    }

    /// <summary>Writes buffered appends through to the disk.</summary>
    public void Flush()
    {
        lock (_sync)
        {
            _file.Flush(true);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _file.Flush(true);
            _file.Dispose();
        }
    }

    private void Scan()
    {
        var length = _file.Length;
        long offset = 0;
        Span<byte> len = stackalloc byte[4];
        while (offset + 4 <= length)
        {
            RandomAccess.Read(_file.SafeFileHandle, len, offset);
            var n = BinaryPrimitives.ReadUInt32BigEndian(len);
            if (n == 0 || n > MaxRecord || offset + 4 + n > length)
            {
                break;
            }

            _offsets.Add(offset);
            offset += 4 + n;
        }

        // A torn record at the end (a crash mid-append) is dropped; the Raft log still has that block.
        _end = offset;
        if (_end != length)
        {
            _file.SetLength(_end);
        }
    }
}
