namespace HealthBlock.Crypto;

/// <summary>Why a cryptographic operation refused its input.</summary>
public enum CryptoError
{
    /// <summary>An authentication tag, MAC or signature did not verify (wrong key, flipped bit or wrong AAD).</summary>
    AuthenticationFailed,

    /// <summary>The input is shorter than the smallest valid encoding.</summary>
    Truncated,

    /// <summary>A key has the wrong size or is not a valid point or encoding.</summary>
    InvalidKey,

    /// <summary>An argument is outside the range the operation allows.</summary>
    InvalidArgument,

    /// <summary>A key file could not be read or decrypted (wrong passphrase or corrupt file).</summary>
    KeyFile,
}

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
