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
