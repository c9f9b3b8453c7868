using System.Buffers.Binary;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// One chain's blocks on disk: an append-only file of records <c>length (u32, big-endian) ‖ canonical block bytes</c>
/// and its <see cref="BlockOffsets"/> file (height → record offset), so opening a long chain reads only the tail and no
/// offsets are held in memory. Appends are buffered; <see cref="Flush"/> makes them durable (the Raft log holds every
/// committed block until a state snapshot covers it, so a crash loses nothing). A data folder written before the
/// offsets file existed gets one, from a single scan, at its first open. Safe for concurrent use.
/// </summary>
internal sealed class BlockStore : IDisposable
{
    private const int MaxRecord = 256 * 1024 * 1024;
    private readonly object _sync = new();
    private readonly FileStream _file;
    private readonly BlockOffsets _offsets;
    private long _end;

    public BlockStore(string path, ChainId chain)
    {
        Chain = chain;
        Path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        var offsetsPath = System.IO.Path.ChangeExtension(path, ".offsets");
        var fresh = !File.Exists(offsetsPath);
        _offsets = new BlockOffsets(offsetsPath);
        if (fresh && _file.Length > 0)
        {
            ScanInto(_offsets);
        }

        _end = DropTornTail();
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

    /// <summary>Bytes of the block file (records included).</summary>
    public long Length
    {
        get
        {
            lock (_sync)
            {
                return _end;
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

            var offset = _offsets[(long)height];
            var end = height + 1 < (ulong)_offsets.Count ? _offsets[(long)height + 1] : _end;
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
            _offsets.Append(_end);
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

            _end = _offsets[(long)count];
            _offsets.Truncate((long)count);
            _file.SetLength(_end);
            _file.Flush(true);
            _offsets.Flush();
        }
    }

    /// <summary>Writes buffered appends through to the disk (the blocks first, then their offsets).</summary>
    public void Flush()
    {
        lock (_sync)
        {
            _file.Flush(true);
            _offsets.Flush();
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _file.Flush(true);
            _file.Dispose();
            _offsets.Dispose();
        }
    }

    /// <summary>
    /// Drops offsets whose record is not complete in the block file (a crash between the two files' writes) and block
    /// bytes past the last complete record; returns the end of the last record. Reads only the tail.
    /// </summary>
    private long DropTornTail()
    {
        var length = _file.Length;
        Span<byte> len = stackalloc byte[4];
        while (_offsets.Count > 0)
        {
            var last = _offsets[_offsets.Count - 1];
            if (last + 4 <= length)
            {
                RandomAccess.Read(_file.SafeFileHandle, len, last);
                var n = BinaryPrimitives.ReadUInt32BigEndian(len);
                if (n > 0 && n <= MaxRecord && last + 4 + n <= length)
                {
                    var end = last + 4 + n;
                    if (end != length)
                    {
                        _file.SetLength(end);
                    }

                    return end;
                }
            }

            _offsets.Truncate(_offsets.Count - 1);
        }

        if (length != 0)
        {
            _file.SetLength(0);
        }

        return 0;
    }

    /// <summary>The offsets of a block file written before offsets files existed (one scan, once).</summary>
    private void ScanInto(BlockOffsets offsets)
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

            offsets.Append(offset);
            offset += 4 + n;
        }

        offsets.Flush();
    }
}
