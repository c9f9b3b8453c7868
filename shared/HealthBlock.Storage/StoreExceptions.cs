using System.Globalization;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

/// <summary>
/// The base of every content-store failure. Catch it to handle any store error; catch a subtype to react to
/// one cause (<see cref="BlockNotFoundException"/>, <see cref="BlockTamperedException"/>,
/// <see cref="BlockTooLargeException"/>, <see cref="StoreUnavailableException"/>).
/// </summary>
public class StoreException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public StoreException()
        : this("The content store failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the store and, where one is concerned, the block.</summary>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="store">The store or node concerned (<see cref="IContentStore.Name"/>).</param>
    /// <param name="cid">The block concerned, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StoreException(string message, string? store, Cid? cid, Exception? innerException = null)
        : base(message, innerException)
    {
        Store = store;
        Cid = cid;
    }

    /// <summary>The store or node concerned (<see cref="IContentStore.Name"/>), when known.</summary>
    public string? Store { get; }

    /// <summary>The block concerned, when the failure is about one block.</summary>
    public Cid? Cid { get; }
}

/// <summary>The store does not hold the requested block.</summary>
public sealed class BlockNotFoundException : StoreException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public BlockNotFoundException()
        : base("The block was not found.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlockNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BlockNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one block missing from one store.</summary>
    /// <param name="cid">The missing block.</param>
    /// <param name="store">The store asked (<see cref="IContentStore.Name"/>).</param>
    /// <param name="innerException">The cause, if any.</param>
    public BlockNotFoundException(Cid cid, string store, Exception? innerException = null)
        : base($"Block {cid} was not found in {store}.", store, cid, innerException)
    {
    }
}

/// <summary>
/// A stored block no longer hashes to its CID: it was modified or corrupted at rest or in transit. The bytes
/// are never returned. Raise an alert naming <see cref="StoreException.Store"/> and <see cref="StoreException.Cid"/>.
/// </summary>
public sealed class BlockTamperedException : StoreException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public BlockTamperedException()
        : base("A block does not hash to its CID.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BlockTamperedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BlockTamperedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one block of one store.</summary>
    /// <param name="cid">The block that does not verify.</param>
    /// <param name="store">The store or node that served it (<see cref="IContentStore.Name"/>).</param>
    /// <param name="detail">What was found instead (sizes, location), appended to the message.</param>
    public BlockTamperedException(Cid cid, string store, string? detail = null)
        : base(
            $"Block {cid} in {store} does not hash to its CID: it was modified or corrupted and was not returned." +
            (string.IsNullOrEmpty(detail) ? string.Empty : " " + detail),
            store,
            cid)
    {
    }
}

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

/// <summary>
/// A store could not be reached, refused the connection, or did not answer within its timeout. The operation
/// may succeed later; the block's state on that store is unknown.
/// </summary>
public class StoreUnavailableException : StoreException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public StoreUnavailableException()
        : base("The content store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an endpoint that did not serve an operation.</summary>
    /// <param name="endpoint">The URL (or name) of the unreachable store.</param>
    /// <param name="message">What happened, naming the endpoint.</param>
    /// <param name="cid">The block concerned, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StoreUnavailableException(string endpoint, string message, Cid? cid, Exception? innerException = null)
        : base(message, endpoint, cid, innerException) => Endpoint = endpoint;

    /// <summary>The URL (or name) of the store that was unavailable.</summary>
    public string? Endpoint { get; }
}

/// <summary>
/// A replicated write reached fewer nodes than its write quorum. The block may be on some nodes
/// (<see cref="WrittenTo"/>); retrying the put is safe (puts are idempotent).
/// </summary>
public sealed class WriteQuorumException : StoreUnavailableException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public WriteQuorumException()
        : base("A replicated write did not reach its quorum.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WriteQuorumException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WriteQuorumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one block.</summary>
    /// <param name="store">The replicated store (<see cref="IContentStore.Name"/>).</param>
    /// <param name="cid">The block that was being written.</param>
    /// <param name="required">The write quorum.</param>
    /// <param name="writtenTo">The nodes that did store it.</param>
    /// <param name="failures">Why the other nodes did not.</param>
    public WriteQuorumException(string store, Cid cid, int required, IReadOnlyList<string> writtenTo, IReadOnlyList<Exception> failures)
        : base(
            store,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Block {cid} was written to {writtenTo.Count} of the {required} nodes required by {store} (written: {(writtenTo.Count == 0 ? "none" : string.Join(", ", writtenTo))}); failures: {string.Join("; ", failures.Select(f => f.Message))}"),
            cid,
            new AggregateException(failures))
    {
        Required = required;
        WrittenTo = writtenTo;
    }

    /// <summary>The number of nodes that had to store the block.</summary>
    public int Required { get; }

    /// <summary>The names of the nodes that did store it.</summary>
    public IReadOnlyList<string> WrittenTo { get; } = [];
}
