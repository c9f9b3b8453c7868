using CsCheck;
using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

/// <summary>Readers fail only with <see cref="WfdbFormatException"/> on arbitrary input.</summary>
public class WfdbPropertyTests
{
    [Fact]
    public void Annotation_parser_never_throws_anything_but_WfdbFormatException()
    {
        Gen.Byte.Array[0, 400].Sample(
            bytes =>
            {
                try
                {
                    var annotations = WfdbAnnotationReader.Parse(bytes);
                    Assert.All(annotations, a => Assert.True(a.Sample >= 0));
                }
                catch (WfdbFormatException)
                {
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Annotation_parser_survives_valid_files_with_random_corruption()
    {
        var valid = new AnnotationWriter()
            .Beat(AnnotationCode.Normal, 77).Aux("(N").Skip(70_000).Beat(AnnotationCode.AtrialPremature, 3)
            .Word(60, 4).Word(62, 1).Word(61, 2).Beat(AnnotationCode.Normal, 300).End().ToArray();
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]).Sample(
            (position, value, cut) =>
            {
                var bytes = (byte[])valid.Clone();
                bytes[position] = value;
                try
                {
                    WfdbAnnotationReader.Parse(bytes.AsSpan(0, cut));
                }
                catch (WfdbFormatException)
                {
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Header_parser_never_throws_anything_but_WfdbFormatException()
    {
        var tokens = Gen.OneOf<string>(
            "100", "2", "360", "650000", "100.dat", "212", "16", "200", "200(0)/mV", "(", ")", "/", "x", "+", ":",
            "#", "\n", "\r\n", " ", "-1", "1e400", "NaN", "99999999999999999999", "16x2", "212+9", "mV", "");
        var texts = Gen.OneOf<string>(
            tokens.Array[0, 40].Select(t => string.Concat(t)),
            tokens.Array[0, 12].Select(t => string.Join(" ", t)),
            Gen.String);
        texts.Sample(
            text =>
            {
                try
                {
                    var header = WfdbHeaderParser.Parse(text);
                    Assert.True(header.SamplingFrequency > 0);
                }
                catch (WfdbFormatException)
                {
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Signal_decoder_never_throws_anything_but_WfdbFormatException()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.OneOf<int>(212, 16, 8), Gen.Int[0, 4], Gen.Long[-5, 200]).Sample(
            (bytes, format, signals, samples) =>
            {
                try
                {
                    var decoded = SignalDecoder.Decode(bytes, format, signals, samples, "random");
                    Assert.Equal(signals, decoded.Length);
                    Assert.All(decoded, d => Assert.All(d, v => Assert.InRange(v, -32768, 32767)));
                }
                catch (WfdbFormatException)
                {
                }
            },
            iter: 3000);
    }

    [Fact]
    public void Record_reader_on_random_files_fails_only_with_WfdbFormatException()
    {
        using var dir = new TempRecordDirectory();
        var headers = Gen.OneOf<string>(
            "r 1 360 100\nr.dat 212 200 11 1024\n",
            "r 2 360\nr.dat 212\nr.dat 212\n",
            "r 2 250 50\nr.dat 16 200 16 0 0 0\nr.dat 16\n",
            "r 3 500\nr.dat 16+7\nr.dat 16+7\nr.dat 16+7\n");
        var k = 0;
        Gen.Select(headers, Gen.Byte.Array[0, 700]).Sample(
            (header, dat) =>
            {
                var path = dir.Write("r" + Interlocked.Increment(ref k), header.Replace("r.dat", $"r{k}.dat", StringComparison.Ordinal), dat);
                try
                {
                    var record = WfdbReader.ReadRecord(path);
                    Assert.True(record.SampleCount >= 0);
                }
                catch (WfdbFormatException)
                {
                }
            },
            iter: 300,
            threads: 1);
    }
}
