using CsCheck;

namespace HealthBlock.Analysis.Tests;

public class WfdbAnnotationWriterTests
{
    [Fact]
    public void Record_100_reference_annotations_written_back_are_byte_for_byte_100_atr()
    {
        var original = File.ReadAllBytes(TestData.Record100Path + ".atr");

        var written = WfdbAnnotationWriter.ToBytes(TestData.Record100Annotations);

        Assert.Equal(original, written);
        Assert.Equal(TestData.Record100Annotations, WfdbAnnotationReader.Parse(written));
    }

    [Fact]
    public void Without_nul_terminated_aux_the_text_reads_back_the_same_but_the_bytes_differ()
    {
        var written = WfdbAnnotationWriter.ToBytes(TestData.Record100Annotations, nulTerminatedAux: false);

        Assert.Equal(TestData.Record100Annotations, WfdbAnnotationReader.Parse(written));
        Assert.NotEqual(File.ReadAllBytes(TestData.Record100Path + ".atr"), written);
    }

    [Fact]
    public void Any_annotation_list_reads_back_identically()
    {
        var codes = Gen.Int[1, 41].Where(c => c is not 15 and not 17).Select(c => (AnnotationCode)c);
        var annotation = Gen.Select(Gen.Long[0, 5_000_000], codes, Gen.Int[-512, 511], Gen.Int[0, 3], Gen.Int[-3, 3], Gen.OneOf(Gen.Const((string?)null), Gen.String[Gen.Char['a', 'z'], 1, 20].Select(s => (string?)s)))
            .Select((t, code, sub, chan, num, aux) => new WfdbAnnotation(t, code, sub, chan, num, aux));
        annotation.List[0, 60].Sample(list =>
        {
            var sorted = list.OrderBy(a => a.Sample).ToList();
            Assert.Equal(sorted, WfdbAnnotationReader.Parse(WfdbAnnotationWriter.ToBytes(sorted)));
        }, iter: 300);
    }

    [Fact]
    public void Long_intervals_use_skip_and_shutdown_spans_round_trip()
    {
        var annotations = new List<WfdbAnnotation>
        {
            new(10, AnnotationCode.Normal, 0, 0, 0, null),
            new(5_000_000, AnnotationCode.Noise, -1, 0, 0, "lead-off"),
            new(5_000_900, AnnotationCode.Noise, 0, 0, 0, null),
            new(5_001_000, AnnotationCode.PrematureVentricular, 0, 0, 0, null),
        };

        var back = WfdbAnnotationReader.Parse(WfdbAnnotationWriter.ToBytes(annotations));

        Assert.Equal(annotations, back);
        Assert.Equal([new EcgSpan(5_000_000, 5_000_900, SignalIssue.Artefact)], Ec57Scorer.ShutdownSpans(back));
    }

    [Fact]
    public void Negative_times_and_undefined_codes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WfdbAnnotationWriter.ToBytes([new WfdbAnnotation(-1, AnnotationCode.Normal, 0, 0, 0, null)]));
        Assert.Throws<ArgumentException>(() => WfdbAnnotationWriter.ToBytes([new WfdbAnnotation(1, (AnnotationCode)55, 0, 0, 0, null)]));
        Assert.Throws<ArgumentException>(() => WfdbAnnotationWriter.ToBytes([new WfdbAnnotation(1, AnnotationCode.Note, 0, 0, 0, new string('x', 300))]));
    }
}
