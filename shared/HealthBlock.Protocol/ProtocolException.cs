namespace HealthBlock.Protocol;

/// <summary>The one exception every HealthBlock decoder throws for malformed input.</summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException(ProtocolError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>Creates an exception with a generic message.</summary>
    public ProtocolException()
        : this(ProtocolError.InvalidField, "Malformed input.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ProtocolException(string message)
        : this(ProtocolError.InvalidField, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public ProtocolException(string message, Exception innerException)
        : this(ProtocolError.InvalidField, message, innerException)
    {
    }

    /// <summary>The reason, for counting rejections.</summary>
    public ProtocolError Error { get; }
}
