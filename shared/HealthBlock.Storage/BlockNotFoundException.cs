using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

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
