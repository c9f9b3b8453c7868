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
