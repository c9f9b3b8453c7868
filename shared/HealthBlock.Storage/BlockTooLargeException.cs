using System.Globalization;

namespace HealthBlock.Storage;

/// <summary>
/// A block exceeds <see cref="ContentStoreLimits.MaxBlockSize"/> (1 MiB, the IPFS block limit). Nothing was
/// written. Split the data into smaller batches.
/// </summary>
public sealed class BlockTooLargeException : StoreException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public BlockTooLargeException()
        : base(MessageFor(null))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlockTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BlockTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a block of <paramref name="size"/> bytes refused by <paramref name="store"/>.</summary>
    /// <param name="size">The size of the refused block in bytes.</param>
    /// <param name="store">The store that refused it (<see cref="IContentStore.Name"/>).</param>
    public BlockTooLargeException(long size, string store)
        : base(MessageFor(size), store, null)
    {
        Size = size;
    }

    /// <summary>The size of the refused block in bytes (0 when not given).</summary>
    public long Size { get; }

    /// <summary>The largest accepted block, <see cref="ContentStoreLimits.MaxBlockSize"/>.</summary>
    public static int Limit => ContentStoreLimits.MaxBlockSize;

    private static string MessageFor(long? size) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(size is { } s ? $"A block of {s:N0} bytes" : "A block")} exceeds the {ContentStoreLimits.MaxBlockSize:N0}-byte (1 MiB) block limit of IPFS and HealthBlock stores; nothing was stored. Size batches so that each block, including encryption overhead, is at most {ContentStoreLimits.MaxBlockSize:N0} bytes (split a window into several batches).");
}
