using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

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
