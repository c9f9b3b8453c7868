using System.Globalization;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage.Embedded;

/// <summary>
/// The default content store: blocks as files under a data folder, keyed by CID, written atomically and
/// durably, and verified against their CID on every read.
/// </summary>
/// <remarks>
/// <para>Layout: <c>blocks/XY/CID</c> holds a block, <c>pins/XY/CID</c> (empty) records a pin, where
/// <c>XY</c> are the two characters before the last one of the printed CID (the scheme of Kubo's flatfs
/// <c>next-to-last/2</c>: up to 1,024 evenly filled shard folders).</para>
/// <para>A put writes a temporary file in the shard folder, fsyncs it, renames it over the final name and
/// fsyncs the folder, so a crash leaves either no block or the whole block, never a torn one. A put of a
/// block already present verifies the present copy and rewrites it if it was damaged. Temporary files older
/// than ten minutes (left by a crash) are removed when a store is opened.</para>
/// <para>The store keeps every block; pins are recorded for a later garbage collector. Several instances,
/// in one process or several, may share a data folder: writes are whole-file renames of identical bytes.
/// File I/O runs on the thread pool, so the async methods never block their caller on an fsync.</para>
/// </remarks>
public sealed class EmbeddedContentStore : IContentStore
{
    private const string BlocksFolderName = "blocks";
    private const string PinsFolderName = "pins";
    private const string TemporarySuffix = ".tmp";
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromMinutes(10);

    private readonly string _blocksFolder;
    private readonly string _pinsFolder;

    /// <summary>Opens (creating if needed) the store in <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The store's folder; created with its parents if missing.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="StoreException">The folder could not be created or opened.</exception>
    public EmbeddedContentStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        Name = "embedded store " + DataDirectory;
        _blocksFolder = Path.Combine(DataDirectory, BlocksFolderName);
        _pinsFolder = Path.Combine(DataDirectory, PinsFolderName);

        Guard(null, "open", () =>
        {
            var existed = Directory.Exists(DataDirectory);
            Directory.CreateDirectory(_blocksFolder);
            Directory.CreateDirectory(_pinsFolder);
            DirectorySync.Flush(DataDirectory);
            if (!existed && Path.GetDirectoryName(DataDirectory) is { } parent)
            {
                DirectorySync.Flush(parent);
            }

            RemoveStaleTemporaryFiles();
            return 0;
        });
    }

    /// <summary>The store's folder (absolute path).</summary>
    public string DataDirectory { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The path of the file that holds (or would hold) <paramref name="cid"/>'s block.</summary>
    public string GetBlockPath(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var text = cid.ToString();
        return Path.Combine(_blocksFolder, ShardOf(text), text);
    }

    /// <inheritdoc />
    public Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        if (block.Length > ContentStoreLimits.MaxBlockSize)
        {
            return Task.FromException<Cid>(new BlockTooLargeException(block.Length, Name));
        }

        return Task.Run(() => Put(block.Span), cancellationToken);
    }

    /// <inheritdoc />
    public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return Task.Run(() => Guard(cid, "read", () => ReadVerified(cid, GetBlockPath(cid))), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(GetBlockPath(cid)));
    }

    /// <inheritdoc />
    public Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return Task.Run(() => Guard(cid, "pin", () => Pin(cid)), cancellationToken);
    }

    /// <summary>True when <paramref name="cid"/> has been pinned in this store.</summary>
    public bool IsPinned(Cid cid) => File.Exists(PinPath(cid));

    /// <summary>
    /// The CIDs of the blocks in the store, in no particular order, read lazily from the folders (blocks put
    /// while enumerating may or may not appear). Files that are not blocks are skipped; see
    /// <see cref="VerifyAllAsync"/> to have them reported.
    /// </summary>
    public IEnumerable<Cid> EnumerateCids() => EnumerateKeyed(_blocksFolder);

    /// <summary>The CIDs pinned in this store, in no particular order.</summary>
    public IEnumerable<Cid> EnumeratePinnedCids() => EnumerateKeyed(_pinsFolder);

    /// <summary>
    /// Re-reads and re-hashes every block in the store and reports those that no longer match their CID,
    /// and files in the blocks folder that are not blocks (for <c>healthblock store verify</c>).
    /// </summary>
    /// <param name="cancellationToken">Stops the scan between two blocks.</param>
    public Task<StoreVerificationReport> VerifyAllAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Guard(null, "verify", () => VerifyAll(cancellationToken)), cancellationToken);

    private Cid Put(ReadOnlySpan<byte> block)
    {
        var cid = Cid.Compute(block);
        var text = cid.ToString();
        var folder = Path.Combine(_blocksFolder, ShardOf(text));
        var path = Path.Combine(folder, text);
        try
        {
            if (File.Exists(path) && IsIntact(cid, path))
            {
                return cid;
            }

            EnsureFolder(folder, _blocksFolder);
            WriteDurably(folder, path, text, block);
            return cid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"Could not write block {cid} to {Name}: {e.Message}", Name, cid, e);
        }
    }

    private static void WriteDurably(string folder, string path, string text, ReadOnlySpan<byte> block)
    {
        var temporary = Path.Combine(folder, $"{text}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, block.Length))
            {
                RandomAccess.Write(handle, block, 0);
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        DirectorySync.Flush(folder);
    }

    private int Pin(Cid cid)
    {
        if (!File.Exists(GetBlockPath(cid)))
        {
            throw new BlockNotFoundException(cid, Name);
        }

        var marker = PinPath(cid);
        if (File.Exists(marker))
        {
            return 0;
        }

        var folder = Path.GetDirectoryName(marker)!;
        EnsureFolder(folder, _pinsFolder);
        using (File.Open(marker, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        DirectorySync.Flush(folder);
        return 0;
    }

    private byte[] ReadVerified(Cid cid, string path)
    {
        byte[] bytes;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length > ContentStoreLimits.MaxBlockSize)
            {
                throw new BlockTamperedException(cid, Name, string.Create(CultureInfo.InvariantCulture, $"The file {path} holds {length:N0} bytes, more than any block."));
            }

            bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0)
                {
                    throw new BlockTamperedException(cid, Name, $"The file {path} shrank while being read.");
                }

                read += n;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlockNotFoundException(cid, Name, e);
        }

        if (!cid.Matches(bytes))
        {
            throw new BlockTamperedException(cid, Name, string.Create(CultureInfo.InvariantCulture, $"File: {path} ({bytes.Length:N0} bytes)."));
        }

        return bytes;
    }

    private bool IsIntact(Cid cid, string path)
    {
        try
        {
            _ = ReadVerified(cid, path);
            return true;
        }
        catch (StoreException e) when (e is BlockTamperedException or BlockNotFoundException)
        {
            return false;
        }
    }

    private StoreVerificationReport VerifyAll(CancellationToken cancellationToken)
    {
        var checkedCount = 0;
        var tampered = new List<Cid>();
        var unrecognised = new List<string>();
        foreach (var shard in Directory.EnumerateDirectories(_blocksFolder))
        {
            var shardName = Path.GetFileName(shard);
            foreach (var file in Directory.EnumerateFiles(shard))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetFileName(file);
                if (name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!Cid.TryParse(name, out var cid, out _) || !string.Equals(ShardOf(name), shardName, StringComparison.Ordinal))
                {
                    unrecognised.Add(file);
                    continue;
                }

                checkedCount++;
                try
                {
                    _ = ReadVerified(cid, file);
                }
                catch (BlockTamperedException)
                {
                    tampered.Add(cid);
                }
                catch (BlockNotFoundException)
                {
                    checkedCount--; // removed while scanning
                }
            }
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(_blocksFolder))
        {
            if (!Directory.Exists(entry))
            {
                unrecognised.Add(entry);
            }
        }

        return new StoreVerificationReport(Name, checkedCount, tampered, unrecognised);
    }

    private IEnumerable<Cid> EnumerateKeyed(string root)
    {
        foreach (var shard in Directory.EnumerateDirectories(root))
        {
            var shardName = Path.GetFileName(shard);
            foreach (var file in Directory.EnumerateFiles(shard))
            {
                var name = Path.GetFileName(file);
                if (Cid.TryParse(name, out var cid, out _) && string.Equals(ShardOf(name), shardName, StringComparison.Ordinal))
                {
                    yield return cid;
                }
            }
        }
    }

    private void RemoveStaleTemporaryFiles()
    {
        var cutoff = DateTime.UtcNow - StaleTemporaryAge;
        foreach (var file in Directory.EnumerateFiles(_blocksFolder, "*" + TemporarySuffix, SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private string PinPath(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var text = cid.ToString();
        return Path.Combine(_pinsFolder, ShardOf(text), text);
    }

    private static string ShardOf(string cidText) => cidText.Length >= 3 ? cidText[^3..^1] : "_";

    private static void EnsureFolder(string folder, string parent)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        DirectorySync.Flush(parent);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next open to remove.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for the next open to remove.
        }
    }

    private T Guard<T>(Cid? cid, string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var about = cid is null ? string.Empty : $" block {cid} of";
            throw new StoreException($"Could not {operation}{about} {Name}: {e.Message}", Name, cid, e);
        }
    }
}
