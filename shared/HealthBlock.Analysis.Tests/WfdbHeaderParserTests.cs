using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class WfdbHeaderParserTests
{
    [Fact]
    public void Record_100_header_is_parsed_including_leading_comment_and_blank_lines()
    {
        var header = WfdbReader.ReadHeader(TestData.Record100Path);

        Assert.Equal("100", header.RecordName);
        Assert.Equal(360.0, header.SamplingFrequency);
        Assert.Equal(650_000, header.SampleCount);
        Assert.Equal(2, header.Signals.Count);
        Assert.Equal("MLII", header.Signals[0].Description);
        Assert.Equal("V5", header.Signals[1].Description);
        Assert.All(header.Signals, s =>
        {
            Assert.Equal("100.dat", s.FileName);
            Assert.Equal(212, s.Format);
            Assert.Equal(200.0, s.Gain);
            Assert.Equal(1024, s.Baseline);
            Assert.Equal(1024, s.AdcZero);
            Assert.Equal(11, s.AdcResolution);
            Assert.Equal("mV", s.Units);
        });
        Assert.Equal(-22131, header.Signals[0].Checksum);
        Assert.Equal(20052, header.Signals[1].Checksum);
        Assert.Contains("unnecessary comment", header.Comments);
        Assert.Contains("69 M 1085 1629 x1", header.Comments);
    }

    [Fact]
    public void Gain_field_with_baseline_and_units_is_parsed()
    {
        var header = WfdbHeaderParser.Parse("r 1 250 10\nr.dat 16 400(-12)/uV 16 5 0 0 0 ECG lead I\n");

        var s = header.Signals[0];
        Assert.Equal(400.0, s.Gain);
        Assert.Equal(-12, s.Baseline);
        Assert.Equal(5, s.AdcZero);
        Assert.Equal("uV", s.Units);
        Assert.Equal("ECG lead I", s.Description);
    }

    [Fact]
    public void Missing_optional_fields_take_wfdb_defaults()
    {
        var header = WfdbHeaderParser.Parse("# only a comment\n\nrec 1\nrec.dat 212\n");

        Assert.Equal(250.0, header.SamplingFrequency);
        Assert.Null(header.SampleCount);
        var s = header.Signals[0];
        Assert.Equal(200.0, s.Gain);
        Assert.Equal(0, s.Baseline);
        Assert.Equal(12, s.AdcResolution);
        Assert.Null(s.Checksum);
        Assert.Equal(string.Empty, s.Description);
    }

    [Fact]
    public void Baseline_defaults_to_adc_zero_and_zero_gain_means_default_gain()
    {
        var header = WfdbHeaderParser.Parse("rec 1 360/10(3) 100 10:00:00\nrec.dat 16+24 0/mV 12 2048\n");

        Assert.Equal(360.0, header.SamplingFrequency);
        Assert.Equal(2048, header.Signals[0].Baseline);
        Assert.Equal(200.0, header.Signals[0].Gain);
        Assert.Equal(24, header.Signals[0].ByteOffset);
    }

    [Theory]
    [InlineData("", "no record line")]
    [InlineData("# just comments\n", "no record line")]
    [InlineData("rec\n", "expected")]
    [InlineData("rec x\n", "number of signals")]
    [InlineData("rec 2 360 100\nrec.dat 212 200\n", "2 signals")]
    [InlineData("rec 1 fast\nrec.dat 212\n", "sampling frequency")]
    [InlineData("rec 1 -5\nrec.dat 212\n", "sampling frequency")]
    [InlineData("rec 1 360 many\nrec.dat 212\n", "number of samples")]
    [InlineData("rec/2 1 360\n", "multi-segment")]
    [InlineData("rec 1 360\nrec.dat abc\n", "format")]
    [InlineData("rec 1 360\nrec.dat 16x4\n", "samples per frame")]
    [InlineData("rec 1 360\nrec.dat 16 2x0(0)/mV\n", "gain")]
    [InlineData("rec 1 360\nrec.dat 16 200(0/mV\n", "gain")]
    [InlineData("rec 1 360\nrec.dat 16 200 12 zero\n", "ADC zero")]
    public void Malformed_headers_raise_WfdbFormatException_with_a_clear_message(string text, string expected)
    {
        var ex = Assert.Throws<WfdbFormatException>(() => WfdbHeaderParser.Parse(text, "test.hea"));

        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("test.hea", ex.Message, StringComparison.Ordinal);
    }
}
