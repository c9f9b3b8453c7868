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
