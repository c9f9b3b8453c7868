using CsCheck;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Protocol.Tests;

public class FrameTests
{
    private static readonly FrameVectors Vectors = TestData.Load<FrameVectors>("frames.json");
    private static readonly byte[] Key = Convert.FromHexString(Vectors.Key);

    public static TheoryData<string> ValidNames() => [.. Vectors.Valid.Select(v => v.Name)];

    public static TheoryData<string> InvalidNames() => [.. Vectors.Invalid.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Decoder_reads_every_field_of_the_vectors(string name)
    {
        var v = Vectors.Valid.Single(x => x.Name == name);
        var frame = DeviceFrame.DecodeAndVerify(Convert.FromHexString(v.Frame), Key);

        Assert.Equal((SensorKind)v.Kind, frame.Kind);
        Assert.Equal((FrameFlags)v.Flags, frame.Flags);
        Assert.Equal(v.Device, frame.DeviceName);
        Assert.Equal(v.Sequence, frame.Sequence);
        Assert.Equal(v.TimestampMs, frame.TimestampMs);
        Assert.Equal(v.RateMilliHz, frame.RateMilliHz);
        Assert.Equal(v.Samples, frame.Samples.ToArray());
        Assert.Equal(v.Dropped, frame.Dropped);
        Assert.Equal(v.TagLength, frame.Tag.Length);
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Writer_reproduces_the_vectors_byte_for_byte(string name)
    {
        var v = Vectors.Valid.Single(x => x.Name == name);
        Assert.True(DeviceFrame.TryParseDeviceId(v.Device, out var device));
        var buffer = new byte[FrameLayout.MaxFrameSize + 10];

        var length = FrameWriter.Write(buffer, 5, v.Kind, v.Flags, device, v.Sequence, v.TimestampMs, v.RateMilliHz, v.Samples, 0, v.Samples.Length, v.Dropped, new HmacFrameMac(Key), v.TagLength);

        Assert.Equal(v.Frame, Convert.ToHexStringLower(buffer, 5, length));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Decoder_refuses_invalid_vectors_with_the_specific_reason(string name)
    {
        var v = Vectors.Invalid.Single(x => x.Name == name);
        var e = Assert.Throws<ProtocolException>(() => DeviceFrame.DecodeAndVerify(Convert.FromHexString(v.Frame), Key));
        Assert.Equal(Enum.Parse<ProtocolError>(v.Error), e.Error);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Any_frame_the_writer_makes_decodes_to_the_same_fields()
    {
        var gen =
            from kind in Gen.Int[1, 3].Select(k => (SensorKind)k)
            from groups in Gen.Int[1, FrameLayout.MaxSamples / 3]
            from samples in Gen.Short.Array[kind == SensorKind.BloodPressure ? groups * 3 : groups]
            from device in Gen.ULong
            from sequence in Gen.UInt
            from time in Gen.Long[0, 4_000_000_000_000]
            from rate in Gen.UInt[1, uint.MaxValue]
            from dropped in Gen.Int[0, 70_000]
            from tagLength in Gen.Int[FrameLayout.MinTagLength, FrameLayout.MaxTagLength]
            from lead in Gen.Bool
            select (kind, samples, device, sequence, time, rate, dropped, tagLength, lead);
        var mac = new HmacFrameMac(Key);

        gen.Sample(t =>
        {
            var buffer = new byte[FrameLayout.FrameSize(t.samples.Length, t.tagLength)];
            var flags = t.lead ? FrameLayout.FlagLeadOff : (byte)0;
            FrameWriter.Write(buffer, 0, (byte)t.kind, flags, t.device, t.sequence, t.time, t.rate, t.samples, 0, t.samples.Length, t.dropped, mac, t.tagLength);
            var frame = DeviceFrame.DecodeAndVerify(buffer, Key);
            Assert.Equal(t.kind, frame.Kind);
            Assert.Equal(t.device, frame.DeviceId);
            Assert.Equal(t.sequence, frame.Sequence);
            Assert.Equal(t.time, frame.TimestampMs);
            Assert.Equal(t.rate, frame.RateMilliHz);
            Assert.Equal(Math.Min(t.dropped, ushort.MaxValue), frame.Dropped);
            Assert.Equal(t.samples, frame.Samples.ToArray());
            Assert.Equal(t.lead, frame.Flags.HasFlag(FrameFlags.LeadOff));
        }, iter: 300);
    }

    [Fact]
    public void Random_bytes_never_crash_the_decoder()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                DeviceFrame.DecodeAndVerify(bytes, Key);
            }
            catch (ProtocolException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Mutated_valid_frames_never_crash_and_never_verify()
    {
        var original = Convert.FromHexString(Vectors.Valid[0].Frame);
        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte[1, 255], Gen.Int[0, 3]).Sample(t =>
        {
            var (position, xor, cut) = t;
            var mutated = original.ToArray();
            mutated[position] ^= xor;
            var input = mutated.AsSpan(0, mutated.Length - cut).ToArray();
            var e = Assert.Throws<ProtocolException>(() => DeviceFrame.DecodeAndVerify(input, Key));
            Assert.True(Enum.IsDefined(e.Error));
        }, iter: 5_000);
    }

    [Fact]
    public void Writer_refuses_what_the_format_cannot_carry()
    {
        var mac = new HmacFrameMac(Key);
        var buffer = new byte[FrameLayout.MaxFrameSize * 2];
        var many = new short[FrameLayout.MaxSamples + 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.Write(buffer, 0, 1, 0, 1, 1, 1, 250_000, many, 0, many.Length, 0, mac, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.Write(buffer, 0, 1, 0, 1, 1, 1, 250_000, [1], 0, 1, 0, mac, 15));
        Assert.Throws<ArgumentException>(() => FrameWriter.Write(buffer, 0, 1, 0x80, 1, 1, 1, 250_000, [1], 0, 1, 0, mac, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.Write(new byte[10], 0, 1, 0, 1, 1, 1, 250_000, [1], 0, 1, 0, mac, 32));
    }

    [Theory]
    [InlineData(SensorKind.Ecg, "ecg")]
    [InlineData(SensorKind.BloodPressure, "bp")]
    [InlineData(SensorKind.Temperature, "temp")]
    public void Sensor_topic_names_round_trip(SensorKind kind, string name)
    {
        Assert.Equal(name, SensorKinds.TopicName(kind));
        Assert.True(SensorKinds.TryParseTopicName(name, out var back));
        Assert.Equal(kind, back);
        Assert.False(SensorKinds.TryParseTopicName("ECG", out _));
    }
}
