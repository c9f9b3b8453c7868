using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Crypto;

namespace HealthBlock.Statistics;

/// <summary>
/// A signed request to decrypt a cohort's sum. The signed message is the concatenation of length-prefixed UTF-8 fields
/// (each: its byte length as a 32-bit big-endian integer, then the bytes): <c>"HB-COHORT-1"</c>, the requester id, the
/// metric, the window's start and end (Unix ms, decimal), the patients' ids joined by commas (empty for "every eligible
/// patient"), the lowercase hex SHA-256 of the sum's encoding, and the request time (Unix ms). The requester signs the
/// SHA-256 digest of that message with its identity key (ECDSA P-256, r ‖ s), the key that signs its transactions; the
/// prefix keeps the two apart.
/// </summary>
/// <param name="Requester">Who asks (a registered doctor or admin).</param>
/// <param name="Metric">One of <see cref="CohortMetric.All"/>.</param>
/// <param name="FromMs">Window start: contributions whose period starts at or after it.</param>
/// <param name="ToMs">Window end: contributions whose period ends at or before it.</param>
/// <param name="Patients">The cohort asked for, or null for every opted-in patient with a contribution in the window.</param>
/// <param name="Sum">The requester's homomorphic sum of the cohort's ciphertexts, in HealthBlock.Paillier's canonical CBOR.</param>
/// <param name="TimeMs">When it was signed.</param>
/// <param name="Signature">The requester's signature (64 bytes).</param>
public sealed record CohortRequest(
    IdentityId Requester,
    string Metric,
    long FromMs,
    long ToMs,
    IReadOnlyList<IdentityId>? Patients,
    byte[] Sum,
    long TimeMs,
    byte[] Signature)
{
    private const string Domain = "HB-COHORT-1";

    /// <summary>Signs a request with <paramref name="requester"/>'s key.</summary>
    public static CohortRequest Sign(IdentityKey requester, string metric, long fromMs, long toMs, IReadOnlyList<IdentityId>? patients, byte[] sum, long timeMs)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var unsigned = new CohortRequest(requester.Id, metric, fromMs, toMs, patients, sum, timeMs, []);
        return unsigned with { Signature = requester.Sign(unsigned.Digest()) };
    }

    /// <summary>The SHA-256 digest that is signed.</summary>
    public byte[] Digest()
    {
        using var message = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        string[] fields =
        [
            Domain, Requester.ToString(), Metric, FromMs.ToString(CultureInfo.InvariantCulture), ToMs.ToString(CultureInfo.InvariantCulture),
            Patients is null ? "" : string.Join(',', Patients), Convert.ToHexStringLower(SHA256.HashData(Sum)), TimeMs.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            message.Write(length);
            message.Write(bytes);
        }

        return SHA256.HashData(message.ToArray());
    }
}
