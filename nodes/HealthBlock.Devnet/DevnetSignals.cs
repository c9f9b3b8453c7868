using HealthBlock.Wearable.Simulation.Ecg;

namespace HealthBlock.Devnet;

/// <summary>What the emulated wearables play: the recorded MIT-BIH record 100 and a few synthetic rhythms.</summary>
internal static class DevnetSignals
{
    /// <summary>
    /// MIT-BIH record 100 at the wearables' 250 Hz, resampled once and shared by every wearable that plays it.
    /// Missing or corrupt data ends devnet with one line naming the file, never a silent fallback.
    /// </summary>
    public static ResampledEcgSource LoadRecordedEcg()
    {
        try
        {
            return new ResampledEcgSource(MitBihRecord100.Record);
        }
        catch (HealthBlock.Analysis.WfdbFormatException e)
        {
            throw new InvalidDataException($"MIT-BIH record {MitBihRecord100.Name} is corrupt: {e.Message}", e);
        }
    }

    public static IEcgSource EcgFor(int i, ResampledEcgSource recordedEcg) => (i % 5) switch
    {
        0 => recordedEcg,
        1 => new SyntheticEcgSource(new SyntheticEcgSourceOptions { HeartRateBpm = 72, NoiseMicrovolts = 20, BaselineWanderMicrovolts = 150, Seed = i }),
        2 => new SyntheticEcgSource(new SyntheticEcgSourceOptions { HeartRateBpm = 48, NoiseMicrovolts = 20, Seed = i }),
        3 => new SyntheticEcgSource(new SyntheticEcgSourceOptions { HeartRateBpm = 118, NoiseMicrovolts = 25, Seed = i }),
        _ => new SyntheticEcgSource(new SyntheticEcgSourceOptions { HeartRateBpm = 95, RrIrregularity = 0.25, NoiseMicrovolts = 20, Seed = i }),
    };
}
