using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class WfdbAnnotationReaderTests
{
    [Fact]
    public void Record_100_reference_annotations_have_2273_beats()
    {
        var annotations = TestData.Record100Annotations;

        Assert.Equal(2274, annotations.Count);
        Assert.Equal(2273, annotations.Count(a => a.IsBeat));
        Assert.Equal(2239, annotations.Count(a => a.Code == AnnotationCode.Normal));
        Assert.Equal(33, annotations.Count(a => a.Code == AnnotationCode.AtrialPremature));
        Assert.Equal(1, annotations.Count(a => a.Code == AnnotationCode.PrematureVentricular));

        var first = annotations[0];
        Assert.Equal(18, first.Sample);
        Assert.Equal("+", first.Mnemonic);
        Assert.Equal("(N", first.Aux);
        Assert.False(first.IsBeat);
        Assert.Equal(77, annotations[1].Sample);
        Assert.Equal("N", annotations[1].Mnemonic);
        Assert.True(annotations.Zip(annotations.Skip(1)).All(p => p.First.Sample <= p.Second.Sample));
    }

    [Fact]
    public void Skip_num_sub_chn_and_aux_fields_are_decoded()
    {
        var bytes = new AnnotationWriter()
            .Beat(AnnotationCode.Normal, 100)
            .Word(61, 3)                    // SUB = 3 for this annotation
            .Skip(100_000)
            .Beat(AnnotationCode.PrematureVentricular, 5)
            .Word(62, 1)                    // CHN = 1 (sticky)
            .Word(60, 1023)                 // NUM = -1 (10-bit signed, sticky)
            .Aux("abc")                     // odd length: padded
            .Beat(AnnotationCode.Rhythm, 1)
            .Aux("(AF")
            .Beat(AnnotationCode.Normal, 1023)
            .End()
            .Beat(AnnotationCode.Normal, 1) // after the end marker: ignored
            .ToArray();

        var a = WfdbAnnotationReader.Parse(bytes);

        Assert.Equal(4, a.Count);
        Assert.Equal(new WfdbAnnotation(100, AnnotationCode.Normal, 3, 0, 0, null), a[0]);
        Assert.Equal(new WfdbAnnotation(100_105, AnnotationCode.PrematureVentricular, 0, 1, -1, "abc"), a[1]);
        Assert.Equal(new WfdbAnnotation(100_106, AnnotationCode.Rhythm, 0, 1, -1, "(AF"), a[2]);
        Assert.Equal(new WfdbAnnotation(101_129, AnnotationCode.Normal, 0, 1, -1, null), a[3]);
    }

    [Fact]
    public void Missing_end_marker_is_accepted_at_a_word_boundary()
    {
        var bytes = new AnnotationWriter().Beat(AnnotationCode.Normal, 10).Beat(AnnotationCode.Normal, 10).ToArray();

        Assert.Equal([10L, 20L], WfdbAnnotationReader.Parse(bytes).Select(a => a.Sample));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A }, "truncated annotation word")]
    [InlineData(new byte[] { 0x00, 0xEC, 0x01 }, "truncated SKIP")]
    [InlineData(new byte[] { 0x05, 0xFC, 0x41 }, "AUX field")]
    [InlineData(new byte[] { 0x01, 0xD0 }, "undefined annotation code 52")]
    public void Corrupt_annotation_files_raise_WfdbFormatException(byte[] bytes, string expected)
    {
        var ex = Assert.Throws<WfdbFormatException>(() => WfdbAnnotationReader.Parse(bytes, "x.atr"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("N", true)]
    [InlineData("L", true)]
    [InlineData("R", true)]
    [InlineData("a", true)]
    [InlineData("V", true)]
    [InlineData("F", true)]
    [InlineData("J", true)]
    [InlineData("A", true)]
    [InlineData("S", true)]
    [InlineData("E", true)]
    [InlineData("j", true)]
    [InlineData("/", true)]
    [InlineData("Q", true)]
    [InlineData("B", true)]
    [InlineData("?", true)]
    [InlineData("!", true)]
    [InlineData("e", true)]
    [InlineData("n", true)]
    [InlineData("f", true)]
    [InlineData("r", true)]
    [InlineData("+", false)]
    [InlineData("~", false)]
    [InlineData("|", false)]
    [InlineData("x", false)]
    [InlineData("\"", false)]
    [InlineData("=", false)]
    [InlineData("[", false)]
    [InlineData("]", false)]
    [InlineData("p", false)]
    [InlineData("t", false)]
    [InlineData("u", false)]
    [InlineData("^", false)]
    [InlineData("s", false)]
    [InlineData("T", false)]
    [InlineData("*", false)]
    [InlineData("D", false)]
    [InlineData("@", false)]
    [InlineData("(", false)]
    [InlineData(")", false)]
    public void Beat_classification_follows_the_wfdb_isqrs_table(string mnemonic, bool isBeat)
    {
        Assert.True(AnnotationCodes.TryParse(mnemonic, out var code));

        Assert.Equal(isBeat, AnnotationCodes.IsBeat(code));
        Assert.Equal(mnemonic, AnnotationCodes.Mnemonic(code));
    }

    [Fact]
    public void Exactly_twenty_codes_are_beats()
    {
        var beats = Enumerable.Range(0, AnnotationCodes.MaxCode + 1).Count(c => AnnotationCodes.IsBeat((AnnotationCode)c));

        Assert.Equal(20, beats);
        Assert.False(AnnotationCodes.IsBeat(AnnotationCode.NotQrs));
        Assert.False(AnnotationCodes.IsBeat((AnnotationCode)200));
    }
}
