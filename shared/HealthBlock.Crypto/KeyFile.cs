using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Crypto;

/// <summary>
/// Identity key files: two PKCS#8 <c>ENCRYPTED PRIVATE KEY</c> PEM blocks (signing, then encryption), each under
/// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, preceded by comment lines naming the role and the id.
/// No plaintext private key is ever written.
/// </summary>
public static class KeyFile
{
    /// <summary>PBKDF2 iterations used by default (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>
    /// Most PBKDF2 iterations a key file may ask for (10× the default). The count comes from the file itself, so
    /// without a cap a crafted file could keep the importer busy for hours before the passphrase is even checked.
    /// </summary>
    public const int MaxIterations = 10 * DefaultIterations;

    /// <summary>The environment variable a passphrase may be read from.</summary>
    public const string PassphraseVariable = "HEALTHBLOCK_PASSPHRASE";

    /// <summary>Serialises <paramref name="key"/> encrypted under <paramref name="passphrase"/>.</summary>
    public static string Export(IdentityKey key, string role, ReadOnlySpan<char> passphrase, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        if (passphrase.IsEmpty)
        {
            throw new CryptoException(CryptoError.KeyFile, "An empty passphrase would leave the private key readable; give one.");
        }

        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, iterations);
        var text = new StringBuilder();
        text.Append("# HealthBlock identity key\n");
        text.Append("# role: ").Append(role).Append('\n');
        text.Append("# id: ").Append(key.Id).Append('\n');
        text.Append(key.Signing.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe)).Append('\n');
        text.Append(key.Encryption.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe)).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads a key file's text; a wrong passphrase or damaged file fails with <see cref="CryptoError.KeyFile"/>.</summary>
    public static IdentityKey Import(string text, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new List<string>(2);
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("ENCRYPTED PRIVATE KEY"))
            {
                CheckKdf(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                blocks.Add(rest[fields.Location].ToString());
            }

            rest = rest[fields.Location.End..];
        }

        if (blocks.Count != 2)
        {
            throw new CryptoException(CryptoError.KeyFile, $"A key file holds two encrypted private keys; found {blocks.Count}.");
        }

        var signing = ECDsa.Create();
        var encryption = ECDiffieHellman.Create();
        try
        {
            signing.ImportFromEncryptedPem(blocks[0], passphrase);
            encryption.ImportFromEncryptedPem(blocks[1], passphrase);
            if (signing.KeySize != 256 || encryption.KeySize != 256)
            {
                throw new CryptoException(CryptoError.KeyFile, "Key file keys must be P-256.");
            }

            return new IdentityKey(signing, encryption);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            signing.Dispose();
            encryption.Dispose();
            throw new CryptoException(CryptoError.KeyFile, "Cannot decrypt the key file: wrong passphrase or damaged file.", e);
        }
    }

    /// <summary>
    /// Accepts only what <see cref="Export"/> writes: PKCS#8 EncryptedPrivateKeyInfo under PBES2 with PBKDF2 and at most
    /// <see cref="MaxIterations"/> iterations; reads the count before any key derivation runs.
    /// </summary>
    private static void CheckKdf(byte[] der)
    {
        const string Pbes2 = "1.2.840.113549.1.5.13";
        const string Pbkdf2 = "1.2.840.113549.1.5.12";
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var algorithm = info.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != Pbes2)
            {
                throw new CryptoException(CryptoError.KeyFile, "The key file is not encrypted with PBES2; HealthBlock key files use PBES2 with PBKDF2.");
            }

            var kdf = algorithm.ReadSequence().ReadSequence();
            if (kdf.ReadObjectIdentifier() != Pbkdf2)
            {
                throw new CryptoException(CryptoError.KeyFile, "The key file does not derive its key with PBKDF2.");
            }

            var parameters = kdf.ReadSequence();
            parameters.ReadOctetString();
            var iterations = parameters.ReadInteger();
            if (iterations < BigInteger.One || iterations > MaxIterations)
            {
                throw new CryptoException(CryptoError.KeyFile, $"The key file asks for {iterations} PBKDF2 iterations; at most {MaxIterations} are accepted.");
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptoException(CryptoError.KeyFile, "The key file's encryption parameters are malformed.", e);
        }
    }

    /// <summary>Reads the role named in a key file's comment lines, or null.</summary>
    public static string? ReadRole(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# role: ", StringComparison.Ordinal))
            {
                return line["# role: ".Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>Writes a key file with owner-only permissions where the platform has them.</summary>
    public static void Write(string path, IdentityKey key, string role, ReadOnlySpan<char> passphrase, int iterations = DefaultIterations) =>
        PrivateFiles.WriteAllText(path, Export(key, role, passphrase, iterations), overwrite: false);

    /// <summary>Reads and decrypts a key file.</summary>
    public static IdentityKey Read(string path, ReadOnlySpan<char> passphrase) => Import(File.ReadAllText(path), passphrase);
}
