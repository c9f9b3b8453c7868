namespace HealthBlock.Protocol;

/// <summary>Why a decoder refused its input. Each value is a distinct, countable rejection reason.</summary>
public enum ProtocolError
{
    /// <summary>The input ends before a field it declares.</summary>
    Truncated,

    /// <summary>Bytes follow the end of a complete object.</summary>
    TrailingBytes,

    /// <summary>A format version this code does not know.</summary>
    UnsupportedVersion,

    /// <summary>A field holds a value outside its allowed range.</summary>
    InvalidField,

    /// <summary>A sensor kind this code does not know.</summary>
    UnknownKind,

    /// <summary>The frame's HMAC does not verify under the device key.</summary>
    BadMac,

    /// <summary>The encoding is not the canonical CBOR this format requires, or not CBOR at all.</summary>
    NonCanonical,

    /// <summary>A signature does not verify.</summary>
    BadSignature,

    /// <summary>A content identifier is malformed or not the kind we use.</summary>
    InvalidCid,

    /// <summary>A Merkle proof does not lead to the expected root.</summary>
    BadProof,
}

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
