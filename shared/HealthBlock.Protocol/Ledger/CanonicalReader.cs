using System.Formats.Cbor;

namespace HealthBlock.Protocol.Ledger;

/// <summary>A thin reader over <see cref="CborReader"/> for maps with ascending integer keys.</summary>
public sealed class CanonicalReader
{
    private readonly string _what;

    internal CanonicalReader(CborReader inner, string what)
    {
        Inner = inner;
        _what = what;
    }

    /// <summary>The underlying reader.</summary>
    public CborReader Inner { get; }

    /// <summary>Starts a definite-length map and returns its entry count, which must lie in the given range.</summary>
    public int BeginMap(int minEntries, int maxEntries)
    {
        var count = Inner.ReadStartMap() ?? throw Invalid("indefinite-length map");
        if (count < minEntries || count > maxEntries)
        {
            throw Invalid($"map with {count} entries (expected {minEntries}..{maxEntries})");
        }

        return count;
    }

    /// <summary>Ends a map.</summary>
    public void EndMap() => Inner.ReadEndMap();

    /// <summary>Starts a definite-length array of at most <paramref name="maxItems"/> items.</summary>
    public int BeginArray(int maxItems)
    {
        var count = Inner.ReadStartArray() ?? throw Invalid("indefinite-length array");
        if (count > maxItems)
        {
            throw Invalid($"array of {count} items (at most {maxItems})");
        }

        return count;
    }

    /// <summary>Ends an array.</summary>
    public void EndArray() => Inner.ReadEndArray();

    /// <summary>Reads the next key, which must be <paramref name="key"/>.</summary>
    public void Key(uint key)
    {
        var k = Inner.ReadUInt32();
        if (k != key)
        {
            throw Invalid($"key {k} where key {key} was expected");
        }
    }

    /// <summary>If the next item is CBOR null (an absent optional value), consumes it and returns true.</summary>
    public bool Null()
    {
        if (Inner.PeekState() != CborReaderState.Null)
        {
            return false;
        }

        Inner.ReadNull();
        return true;
    }

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong UInt64() => Inner.ReadUInt64();

    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint UInt32() => Inner.ReadUInt32();

    /// <summary>Reads a signed 64-bit integer.</summary>
    public long Int64() => Inner.ReadInt64();

    /// <summary>Reads a byte in a range.</summary>
    public byte Byte() => checked((byte)Inner.ReadUInt32());

    /// <summary>Reads a byte string of exactly <paramref name="length"/> bytes.</summary>
    public byte[] Bytes(int length)
    {
        var b = Inner.ReadByteString();
        if (b.Length != length)
        {
            throw Invalid($"byte string of {b.Length} bytes where {length} were expected");
        }

        return b;
    }

    /// <summary>Reads a byte string of at most <paramref name="maxLength"/> bytes.</summary>
    public byte[] BytesUpTo(int maxLength)
    {
        var b = Inner.ReadByteString();
        if (b.Length > maxLength)
        {
            throw Invalid($"byte string of {b.Length} bytes (at most {maxLength})");
        }

        return b;
    }

    /// <summary>Reads a text string of at most <paramref name="maxLength"/> characters.</summary>
    public string Text(int maxLength)
    {
        var t = Inner.ReadTextString();
        if (t.Length > maxLength)
        {
            throw Invalid($"text of {t.Length} characters (at most {maxLength})");
        }

        return t;
    }

    /// <summary>A <see cref="ProtocolException"/> naming the object being read.</summary>
    public ProtocolException Invalid(string detail) => new(ProtocolError.InvalidField, $"{_what}: {detail}.");
}
