using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Fhir;

/// <summary>
/// Name-based UUIDs, version 5 (RFC 9562 §5.5): SHA-1 over a namespace UUID and a name. The same resource gets the
/// same id and <c>urn:uuid:</c> full URL in every export, so two exports of the same data are byte-identical.
/// SHA-1 is what the RFC specifies for version 5; it names things here and protects nothing.
/// </summary>
internal static class DeterministicUuid
{
    /// <summary>HealthBlock's namespace for FHIR resource names (a random version 4 UUID, fixed once).</summary>
    public static readonly Guid HealthBlockNamespace = new("016492a1-4c9e-4396-8507-566164e3829f");

    /// <summary>The version 5 UUID of <paramref name="name"/> in <paramref name="ns"/>, as 36 lowercase characters.</summary>
    public static string Create(Guid ns, string name)
    {
        var length = 16 + Encoding.UTF8.GetByteCount(name);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            ns.TryWriteBytes(rented, bigEndian: true, out _);
            Encoding.UTF8.GetBytes(name, rented.AsSpan(16));
            Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 9562 §5.5 specifies SHA-1 for name-based version 5 UUIDs; not a security use.
            SHA1.HashData(rented.AsSpan(0, length), hash);
#pragma warning restore CA5350
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true).ToString("D");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The version 5 UUID of <paramref name="name"/> in HealthBlock's namespace.</summary>
    public static string Create(string name) => Create(HealthBlockNamespace, name);
}
