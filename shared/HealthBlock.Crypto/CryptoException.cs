namespace HealthBlock.Crypto;

/// <summary>The one exception every HealthBlock.Crypto operation throws for bad input or failed authentication.</summary>
public sealed class CryptoException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CryptoException(CryptoError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>Creates an exception with a generic message.</summary>
    public CryptoException()
        : this(CryptoError.InvalidArgument, "Cryptographic operation failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public CryptoException(string message)
        : this(CryptoError.InvalidArgument, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public CryptoException(string message, Exception innerException)
        : this(CryptoError.InvalidArgument, message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public CryptoError Error { get; }
}
