// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
namespace HealthBlock.Protocol.Pairing
{
    /// <summary>Why a pairing blob was refused (the first problem found, in this order of checks).</summary>
    public enum PairingError
    {
        /// <summary>The blob is valid.</summary>
        None = 0,

        /// <summary>Nothing but white space.</summary>
        Empty,

        /// <summary>Longer than <see cref="PairingBlob.MaxLength"/> characters.</summary>
        TooLong,

        /// <summary>A character outside printable ASCII (space and control characters included) inside the blob.</summary>
        BadCharacter,

        /// <summary><c>hbpair1</c>, the format before TLS: the device must be paired again.</summary>
        OldFormat,

        /// <summary>The first field is not <c>hbpair2</c> (another format or version).</summary>
        BadPrefix,

        /// <summary>A field is empty or has no <c>=</c>, or an empty name.</summary>
        MalformedField,

        /// <summary>A field name this version does not define.</summary>
        UnknownField,

        /// <summary>A field appears twice.</summary>
        DuplicateField,

        /// <summary>A required field is absent.</summary>
        MissingField,

        /// <summary><c>device</c> is not 16 lowercase hex digits.</summary>
        BadDeviceId,

        /// <summary><c>patient</c> is not 1 to 64 characters of <c>A–Z a–z 0–9 . _ -</c>.</summary>
        BadPatient,

        /// <summary><c>key</c> is not 64 hex digits or 44 characters of padded base64, or not 32 bytes.</summary>
        BadKey,

        /// <summary><c>broker</c> is not <c>host:port</c> with a host name, an IPv4 address or a bracketed IPv6 address and a port 1–65535.</summary>
        BadBroker,

        /// <summary><c>topic</c> is not exactly <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</summary>
        BadTopic,

        /// <summary><c>transport</c> is not <c>tls</c> or <c>plaintext</c>.</summary>
        BadTransport,

        /// <summary><c>user</c> is not 1 to 64 characters of <c>A–Z a–z 0–9 . _ -</c>.</summary>
        BadUsername,

        /// <summary><c>pass</c> is not 1 to 64 printable ASCII characters (no space, no <c>;</c>).</summary>
        BadPassword,

        /// <summary>Only one of <c>user</c> and <c>pass</c> is given.</summary>
        IncompleteCredentials,

        /// <summary><c>transport=tls</c> without a <c>ca</c> certificate.</summary>
        MissingCertificate,

        /// <summary><c>transport=plaintext</c> with a <c>ca</c> certificate (which would never be used).</summary>
        UnexpectedCertificate,

        /// <summary><c>ca</c> is not canonical padded base64 of one DER SEQUENCE of at most <see cref="PairingBlob.MaxCaCertificateLength"/> bytes.</summary>
        BadCertificate,
    }
}
