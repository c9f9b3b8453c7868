using System.Formats.Cbor;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// Reads and writes the canonical CBOR (RFC 8949 §4.2.1 core deterministic encoding: shortest integers, definite
/// lengths, sorted map keys) that ledger objects use. Maps have small unsigned integer keys written in ascending
/// order; a decoder accepts only the canonical encoding, so every object has exactly one byte form and one hash.
/// </summary>
public static class CanonicalCbor
{
    /// <summary>A writer in canonical mode.</summary>
    public static CborWriter NewWriter() => new(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: false);

    /// <summary>
    /// Decodes one whole canonical CBOR item with <paramref name="read"/>; any CBOR error, non-canonical form, wrong
    /// type or trailing byte becomes a <see cref="ProtocolException"/>.
    /// </summary>
    public static T Decode<T>(ReadOnlyMemory<byte> data, string what, Func<CanonicalReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            var reader = new CanonicalReader(new CborReader(data, CborConformanceMode.Canonical), what);
            var value = read(reader);
            if (reader.Inner.BytesRemaining != 0)
            {
                throw new ProtocolException(ProtocolError.TrailingBytes, $"{what}: {reader.Inner.BytesRemaining} bytes follow the object.");
            }

            return value;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new ProtocolException(ProtocolError.NonCanonical, $"{what}: not canonical CBOR of the expected shape ({e.Message})", e);
        }
    }
}
