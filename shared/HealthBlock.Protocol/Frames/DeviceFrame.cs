using System.Buffers.Binary;
using System.Globalization;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Frames;

/// <summary>A decoded device frame. <see cref="Encoded"/> keeps the exact bytes that were authenticated.</summary>
public sealed class DeviceFrame
{
    private readonly byte[] _encoded;
    private readonly short[] _samples;

    private DeviceFrame(byte[] encoded, short[] samples)
    {
        _encoded = encoded;
        _samples = samples;
    }

    /// <summary>Format version.</summary>
    public byte Version => _encoded[FrameLayout.VersionOffset];

    /// <summary>Sensor kind.</summary>
    public SensorKind Kind => (SensorKind)_encoded[FrameLayout.KindOffset];

    /// <summary>Flags.</summary>
    public FrameFlags Flags => (FrameFlags)_encoded[FrameLayout.FlagsOffset];

    /// <summary>Device id assigned at pairing.</summary>
    public ulong DeviceId => BinaryPrimitives.ReadUInt64LittleEndian(_encoded.AsSpan(FrameLayout.DeviceIdOffset));

    /// <summary>Device id as 16 lowercase hex digits (as in MQTT topics).</summary>
    public string DeviceName => FormatDeviceId(DeviceId);

    /// <summary>Sequence number, monotonic per device across reboots.</summary>
    public uint Sequence => BinaryPrimitives.ReadUInt32LittleEndian(_encoded.AsSpan(FrameLayout.SequenceOffset));

    /// <summary>Time of the first sample, ms since the Unix epoch.</summary>
    public long TimestampMs => BinaryPrimitives.ReadInt64LittleEndian(_encoded.AsSpan(FrameLayout.TimestampOffset));

    /// <summary>Sample rate in millihertz.</summary>
    public uint RateMilliHz => BinaryPrimitives.ReadUInt32LittleEndian(_encoded.AsSpan(FrameLayout.RateOffset));

    /// <summary>Frames the device dropped from its offline queue before this one.</summary>
    public ushort Dropped => BinaryPrimitives.ReadUInt16LittleEndian(_encoded.AsSpan(FrameLayout.DroppedOffset));

    /// <summary>Samples (meaning depends on <see cref="Kind"/>).</summary>
    public ReadOnlySpan<short> Samples => _samples;

    /// <summary>The authentication tag.</summary>
    public ReadOnlySpan<byte> Tag => _encoded.AsSpan(FrameLayout.HeaderSize + (2 * _samples.Length));

    /// <summary>The exact encoded frame.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>The authenticated part (header and samples).</summary>
    public ReadOnlySpan<byte> SignedPart => _encoded.AsSpan(0, FrameLayout.HeaderSize + (2 * _samples.Length));

    /// <summary>Formats a device id as 16 lowercase hex digits.</summary>
    public static string FormatDeviceId(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses 16 hex digits into a device id.</summary>
    public static bool TryParseDeviceId(string? text, out ulong id)
    {
        id = 0;
        return text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>
    /// Decodes a frame, checking every length and field; does not check the tag (see <see cref="VerifyTag"/>).
    /// </summary>
    /// <exception cref="ProtocolException">The input is not a valid version 1 frame.</exception>
    public static DeviceFrame Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < FrameLayout.HeaderSize)
        {
            throw new ProtocolException(ProtocolError.Truncated, $"A frame has a {FrameLayout.HeaderSize}-byte header; got {data.Length} bytes.");
        }

        if (data[FrameLayout.VersionOffset] != FrameLayout.Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"Frame format version {data[0]} is not supported (expected {FrameLayout.Version}).");
        }

        var kind = data[FrameLayout.KindOffset];
        if (kind is not (FrameLayout.KindEcg or FrameLayout.KindBloodPressure or FrameLayout.KindTemperature))
        {
            throw new ProtocolException(ProtocolError.UnknownKind, $"Unknown sensor kind {kind}.");
        }

        var flags = data[FrameLayout.FlagsOffset];
        if ((flags & ~FrameLayout.KnownFlags) != 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"Unknown flag bits 0x{flags & ~FrameLayout.KnownFlags:x2}.");
        }

        int tagLength = data[FrameLayout.TagLengthOffset];
        if (tagLength is < FrameLayout.MinTagLength or > FrameLayout.MaxTagLength)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"Tag length {tagLength} is outside {FrameLayout.MinTagLength}..{FrameLayout.MaxTagLength}.");
        }

        var rate = BinaryPrimitives.ReadUInt32LittleEndian(data[FrameLayout.RateOffset..]);
        if (rate == 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "Sample rate is zero.");
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[FrameLayout.CountOffset..]);
        if (count > FrameLayout.MaxSamples)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"Sample count {count} exceeds {FrameLayout.MaxSamples}.");
        }

        if (count == 0 || (kind == FrameLayout.KindBloodPressure && count % 3 != 0))
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"Sample count {count} is not valid for {(SensorKind)kind}.");
        }

        var size = FrameLayout.FrameSize(count, tagLength);
        if (data.Length < size)
        {
            throw new ProtocolException(ProtocolError.Truncated, $"Frame declares {size} bytes; got {data.Length}.");
        }

        if (data.Length > size)
        {
            throw new ProtocolException(ProtocolError.TrailingBytes, $"Frame declares {size} bytes; got {data.Length}.");
        }

        var samples = new short[count];
        var raw = data.Slice(FrameLayout.HeaderSize, 2 * count);
        for (var i = 0; i < count; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(raw[(2 * i)..]);
        }

        return new DeviceFrame(data.ToArray(), samples);
    }

    /// <summary>Checks the HMAC-SHA256 tag under the device key in constant time.</summary>
    public bool VerifyTag(ReadOnlySpan<byte> deviceKey) => DeviceMac.Verify(deviceKey, SignedPart, Tag);

    /// <summary>Decodes and verifies in one step.</summary>
    /// <exception cref="ProtocolException">Malformed, or <see cref="ProtocolError.BadMac"/>.</exception>
    public static DeviceFrame DecodeAndVerify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> deviceKey)
    {
        var frame = Decode(data);
        if (!frame.VerifyTag(deviceKey))
        {
            throw new ProtocolException(ProtocolError.BadMac, $"Frame {frame.Sequence} of device {frame.DeviceName} fails HMAC verification.");
        }

        return frame;
    }

    /// <summary>Duration the samples cover, in ms (0 for a single reading).</summary>
    public long DurationMs => _samples.Length <= 1 || Kind == SensorKind.BloodPressure
        ? 0
        : (long)((_samples.Length - 1) * 1_000_000L / RateMilliHz);
}
