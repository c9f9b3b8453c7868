namespace HealthBlock.Analysis;

/// <summary>
/// Watches candidates rejected as artefacts: a rejected shape that recurs at a rhythm's pace is a new beat shape (a
/// conduction change, a new ectopic focus), not an artefact. When the last <see cref="Members"/> rejected candidates
/// share one shape (correlation ≥ 0.9) and came at steady intervals (longest ≤ 1.25 × shortest, and ≤ twice the
/// recent RR), the shape is learnt as a template and the candidate is a beat. Artefacts come at random.
/// </summary>
internal sealed class ShapeRecurrence(BeatTemplateBank bank)
{
    /// <summary>Rejected candidates that must agree.</summary>
    internal const int Members = 3;

    private const double MinCorrelation = 0.9;

    private readonly List<QrsCandidate> _recent = [];

    public int Count => _recent.Count;

    public void Clear() => _recent.Clear();

    /// <summary>Records a rejected candidate; true when it completes a recurring shape (then learnt as a template).</summary>
    public bool Recurs(QrsCandidate c, double? medianRr)
    {
        _recent.Add(c);
        if (_recent.Count > Members)
        {
            _recent.RemoveAt(0);
        }

        if (_recent.Count < Members || medianRr is not { } rr)
        {
            return false;
        }

        long shortest = long.MaxValue, longest = 0;
        for (var i = 1; i < _recent.Count; i++)
        {
            var interval = _recent[i].Index - _recent[i - 1].Index;
            shortest = Math.Min(shortest, interval);
            longest = Math.Max(longest, interval);
            if (BeatTemplateBank.BestCorrelation(_recent[i].Morphology, _recent[0].Morphology, bank.MaxLag) < MinCorrelation)
            {
                return false;
            }
        }

        if (longest > 1.25 * shortest || longest > 2 * rr)
        {
            return false;
        }

        bank.Establish(c.Morphology, BeatShapeJudge.EstablishedMembers, MinCorrelation);
        _recent.Clear();
        return true;
    }
}
