namespace HealthBlock.Analysis;

/// <summary>Counts the unreadable spans of one kind (lead-off and missing samples, or poor quality) for the
/// signal-quality finding made at the end of a stream.</summary>
internal sealed class QualityTally
{
    private int _count;
    private long _samples;
    private long _first;
    private long _last;
    private SignalIssue _reasons;

    public void Add(EcgSpan span)
    {
        _first = _count == 0 ? span.StartSample : _first;
        _last = span.EndSample;
        _samples += span.Length;
        _reasons |= span.Issues;
        _count++;
    }

    public void Report(Action<Finding> emit, double fs, bool leadOff)
    {
        if (_count == 0)
        {
            return;
        }

        var seconds = _samples / fs;
        string text;
        if (leadOff)
        {
            var what = (_reasons & SignalIssue.Missing) != 0 ? "Lead-off or missing samples" : "Lead-off";
            text = $"{what}: {RhythmFinding.F1(seconds)} s of ECG in {_count} stretch(es) excluded from analysis.";
        }
        else
        {
            text = $"Poor signal quality ({RhythmFinding.Describe(_reasons)}): {RhythmFinding.F1(seconds)} s of ECG in {_count} stretch(es) excluded from analysis.";
        }

        if ((_reasons & SignalIssue.Flatline) != 0)
        {
            text += " A flat signal was not analysed; asystole cannot be excluded automatically - check the electrodes and the tracing.";
        }

        emit(RhythmFinding.Quality(
            leadOff ? FindingKind.LeadOff : FindingKind.PoorSignalQuality,
            text,
            TimeWindow.FromSamples(_first, _last, fs),
            new FindingValues().Add("excludedSeconds", seconds).Add("segmentCount", _count).Build()));
    }
}
