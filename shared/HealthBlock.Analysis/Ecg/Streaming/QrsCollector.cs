namespace HealthBlock.Analysis;

/// <summary>Collects the output of a whole-array run of the streaming detector.</summary>
internal sealed class QrsCollector : IQrsSink
{
    private readonly List<QrsBeat> _beats = [];
    private readonly List<EcgSpan> _unreadable = [];

    public IReadOnlyList<QrsBeat> Beats => _beats;

    public void Beat(QrsBeat beat) => _beats.Add(beat);

    public void Unreadable(long start, long end, SignalIssue issue)
    {
        if (end <= start)
        {
            return;
        }

        if (_unreadable.Count > 0 && _unreadable[^1].EndSample >= start)
        {
            var last = _unreadable[^1];
            _unreadable[^1] = new EcgSpan(last.StartSample, Math.Max(end, last.EndSample), last.Issues | issue);
        }
        else
        {
            _unreadable.Add(new EcgSpan(start, end, issue));
        }
    }

    public QrsDetection ToDetection() => new([.. _beats.Select(b => b.Sample)], [.. _unreadable]);
}
