// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Pairing
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

        /// <summary>The first field is not <c>hbpair1</c> (another format or version).</summary>
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
    }
}
