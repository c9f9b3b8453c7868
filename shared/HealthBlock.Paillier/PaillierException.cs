namespace HealthBlock.Paillier;

/// <summary>The one exception HealthBlock.Paillier throws for input it refuses.</summary>
public sealed class PaillierException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PaillierException(PaillierError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>Creates an exception with a generic message.</summary>
    public PaillierException()
        : this(PaillierError.InvalidCiphertext, "Paillier operation refused its input.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public PaillierException(string message)
        : this(PaillierError.InvalidCiphertext, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public PaillierException(string message, Exception innerException)
        : this(PaillierError.InvalidCiphertext, message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public PaillierError Error { get; }
}
