namespace HealthBlock.Analysis;

/// <summary>The beats and unreadable spans of one channel of a record, as <c>healthblock ecg detect</c> writes them.</summary>
/// <param name="Record">Record name.</param>
/// <param name="SamplingFrequency">Samples per second.</param>
/// <param name="Channel">Channel analysed.</param>
/// <param name="Beats">Beats with labels (N, V or Q), in time order.</param>
/// <param name="Unreadable">Spans the analyser could not read (no beats there), in time order.</param>
public sealed record EcgRecordDetection(string Record, double SamplingFrequency, int Channel, IReadOnlyList<EcgBeat> Beats, IReadOnlyList<EcgSpan> Unreadable)
{
    /// <summary>The detection as WFDB annotations: one beat annotation per beat, and for each unreadable span a NOISE
    /// annotation with subtype −1 (every signal unreadable: a "shutdown" for <c>bxb</c>) at its start, its reasons in the
    /// AUX text, and a NOISE annotation with subtype 0 ("resume") at its end.</summary>
    /// <returns>Annotations in time order.</returns>
    public IReadOnlyList<WfdbAnnotation> ToAnnotations()
    {
        var list = Beats.Select(b => new WfdbAnnotation(b.Sample, b.Label, 0, 0, 0, null)).ToList();
        foreach (var s in Unreadable)
        {
            list.Add(new WfdbAnnotation(s.StartSample, AnnotationCode.Noise, -1, 0, 0, s.Issues.ToString().Replace(" ", "", StringComparison.Ordinal)));
            list.Add(new WfdbAnnotation(s.EndSample, AnnotationCode.Noise, 0, 0, 0, null));
        }

        return [.. list.OrderBy(a => a.Sample).ThenBy(a => a.Code == AnnotationCode.Noise && a.SubType == 0 ? 0 : 1)];
    }
}
