using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

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
