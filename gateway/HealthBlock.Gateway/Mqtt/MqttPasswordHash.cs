using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Per-device MQTT passwords and their stored form. A password is 24 random bytes in base64url (32 characters, 192 bits),
/// given to the device once in its pairing blob; the gateway keeps only a PBKDF2-HMAC-SHA512 hash (RFC 8018 §5.2) in the
/// format Mosquitto's password files use (<c>$7$iterations$base64 salt$base64 hash</c>, mosquitto_passwd(1)), so the
/// same line serves the embedded broker and a Mosquitto <c>password_file</c>. The password is random, not chosen by a
/// person, so the iteration count guards nothing a brute force could exploit; it stays small to keep a connect cheap.
/// </summary>
public static class MqttPasswordHash
{
    /// <summary>PBKDF2 iterations written into new hashes.</summary>
    public const int Iterations = 1000;

    private const int SaltLength = 12;
    private const int HashLength = 64;
    private const string Tag = "$7$";

    /// <summary>A new random password (base64url, 32 characters).</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>The stored form of <paramref name="password"/> with a fresh salt.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Tag}{Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/> (compared in constant time); false for any malformed hash.</summary>
    public static bool Verify(string? password, string? stored)
    {
        if (password is null || stored is null || !stored.StartsWith(Tag, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Tag.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 100_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[1]);
            var expected = Convert.FromBase64String(parts[2]);
            return expected.Length == HashLength && CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashLength);
}
