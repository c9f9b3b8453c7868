using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class WfdbReaderTests
{
    [Fact]
    public void Record_100_is_read_with_both_channels_and_verified_checksums()
    {
        var record = TestData.Record100;

        Assert.Equal(2, record.SignalCount);
        Assert.Equal(650_000, record.SampleCount);
        Assert.Equal(360.0, record.SamplingFrequency);
        Assert.Equal(200.0, record.GetGain(0));
        Assert.Equal(1024, record.GetBaseline(1));

        // Initial values from the header; the checksums were verified while reading.
        Assert.Equal(995, record.GetSamples(0)[0]);
        Assert.Equal(1011, record.GetSamples(1)[0]);
        var mv = record.ToPhysical(0);
        Assert.Equal((995 - 1024) / 200.0, mv[0], 12);
    }

    [Theory]
    [InlineData(212)]
    [InlineData(16)]
    public void Written_records_round_trip_in_both_formats(int format)
    {
        int[][] signals =
        [
            [0, 1, -1, 2047, -2047, 100, -100],
            [5, -5, 1000, -1000, 7, 8, 9],
            [-3, 3, 0, 1, 2, 3, 4],
        ];
        var dat = format == 212 ? TempRecordDirectory.Format212(signals) : TempRecordDirectory.Format16(signals);
        var lines = string.Join(
            "\n",
            signals.Select((s, i) => $"r.dat {format} 100(1)/mV 12 0 {s[0]} {TempRecordDirectory.Checksum(s)} 0 sig{i}"));
        using var dir = new TempRecordDirectory();
        var path = dir.Write("r", $"r 3 500 7\n{lines}\n", dat);

        var record = WfdbReader.ReadRecord(path);

        for (var s = 0; s < 3; s++)
        {
            Assert.Equal(signals[s], record.GetSamples(s).ToArray());
        }

        Assert.Equal((2047 - 1) / 100.0, record.ToPhysical(0)[3], 12);
    }

    [Fact]
    public void Signals_in_separate_files_and_unknown_length_are_supported()
    {
        int[] a = [1, 2, 3, 4, 5];
        int[] b = [-1, -2, -3, -4, -5];
        using var dir = new TempRecordDirectory();
        File.WriteAllBytes(Path.Combine(dir.Path, "b.dat"), TempRecordDirectory.Format16([b]));
        var path = dir.Write("r", "r 2 250\na.dat 212\nb.dat 16\n", TempRecordDirectory.Format212([a]), "a.dat");

        var record = WfdbReader.ReadRecord(path);

        Assert.Equal(a, record.GetSamples(0).ToArray());
        Assert.Equal(b, record.GetSamples(1).ToArray());
    }

    [Fact]
    public void Truncated_signal_file_raises_WfdbFormatException()
    {
        using var dir = new TempRecordDirectory();
        var path = dir.Write("r", "r 2 360 1000\nr.dat 212 200 11 1024\nr.dat 212 200 11 1024\n", new byte[2999]);

        var ex = Assert.Throws<WfdbFormatException>(() => WfdbReader.ReadRecord(path));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksum_mismatch_raises_WfdbFormatException()
    {
        int[] s = [10, 20, 30];
        using var dir = new TempRecordDirectory();
        var path = dir.Write("r", "r 1 360 3\nr.dat 16 200 16 0 10 999 0 x\n", TempRecordDirectory.Format16([s]));

        var ex = Assert.Throws<WfdbFormatException>(() => WfdbReader.ReadRecord(path));

        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
        Assert.Equal(s, WfdbReader.ReadRecord(path, verifyChecksums: false).GetSamples(0).ToArray());
    }

    [Theory]
    [InlineData("r 1 360 3\nr.dat 8 200\n", "only formats 212 and 16")]
    [InlineData("r 1 360 3\n../outside.dat 16 200\n", "outside")]
    [InlineData("r 1 360 3\n/etc/passwd 16 200\n", "relative")]
    [InlineData("r 2 360 3\nr.dat 16 200\nr.dat 212 200\n", "disagree")]
    public void Unsupported_or_unsafe_signal_specifications_are_rejected(string header, string expected)
    {
        using var dir = new TempRecordDirectory();
        var path = dir.Write("r", header, new byte[64]);

        var ex = Assert.Throws<WfdbFormatException>(() => WfdbReader.ReadRecord(path));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_212_sign_extends_twelve_bit_values()
    {
        // 0x800 = -2048, 0x7FF = 2047, packed as one pair.
        byte[] data = [0x00, 0x78, 0xFF];

        var decoded = SignalDecoder.Decode(data, 212, 1, 2, "test");

        Assert.Equal([-2048, 2047], decoded[0]);
    }
}
