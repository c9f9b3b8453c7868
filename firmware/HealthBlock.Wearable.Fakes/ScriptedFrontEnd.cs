using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>An ECG front end whose output is a function of the sample index (ADC counts, lead-off).</summary>
/// <param name="script">Counts and lead-off state of the n-th read.</param>
public sealed class ScriptedFrontEnd(Func<long, (int Counts, bool LeadOff)> script) : IEcgFrontEnd
{
    /// <summary>Reads so far.</summary>
    public long Reads { get; private set; }

    /// <inheritdoc />
    public int ReadSample(out bool leadOff)
    {
        var (counts, off) = script(Reads++);
        leadOff = off;
        return counts;
    }
}
