namespace HealthBlock.Crypto.Requests;

/// <summary>Why a signed request was refused (a metric label and log field).</summary>
public enum SignedRequestFault
{
    /// <summary>A header of the scheme is missing.</summary>
    Unsigned = 1,

    /// <summary>A header is malformed (time not a number, nonce not 32 lowercase hex digits, unknown caller id).</summary>
    Malformed = 2,

    /// <summary>The request time is outside the freshness window.</summary>
    Stale = 3,

    /// <summary>The signature does not verify under the signer's key.</summary>
    BadSignature = 4,

    /// <summary>The nonce was seen before: a replayed request.</summary>
    Replayed = 5,

    /// <summary>The nonce memory is full; the request is refused until old nonces expire.</summary>
    Overloaded = 6,

    /// <summary>The caller is no registered identity.</summary>
    UnknownCaller = 7,
}
