using HealthBlock.Analysis;

namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>Settings of a <see cref="SyntheticEcgSource"/>: the analysis library's synthetic ECG plus what electrodes add.</summary>
public sealed class SyntheticEcgSourceOptions
{
    /// <summary>Mean heart rate.</summary>
    public double HeartRateBpm { get; init; } = 72;

    /// <summary>Each RR interval is the mean times a uniform factor in [1 − x, 1 + x] (0 = regular; 0.2 looks like atrial fibrillation).</summary>
    public double RrIrregularity { get; init; }

    /// <summary>Ectopy, pauses and conduction changes (see <see cref="SyntheticRhythm"/>); null for none.</summary>
    public SyntheticRhythm? Rhythm { get; init; }

    /// <summary>Shape of the conducted beats; null for a normal beat.</summary>
    public SyntheticBeatMorphology? Morphology { get; init; }

    /// <summary>Standard deviation of white noise, µV.</summary>
    public double NoiseMicrovolts { get; init; }

    /// <summary>Amplitude of a sinusoidal baseline wander, µV.</summary>
    public double BaselineWanderMicrovolts { get; init; }

    /// <summary>Frequency of the baseline wander (breathing), Hz.</summary>
    public double BaselineWanderHz { get; init; } = 0.25;

    /// <summary>Height of the R wave, µV.</summary>
    public double RAmplitudeMicrovolts { get; init; } = 1200;

    /// <summary>Time of the first R peak, seconds.</summary>
    public double FirstBeatSeconds { get; init; } = 0.5;

    /// <summary>Lead-off intervals (start, duration) in seconds.</summary>
    public IReadOnlyList<(double StartSeconds, double DurationSeconds)> LeadOff { get; init; } = [];

    /// <summary>Sample rate, Hz.</summary>
    public int SampleRateHz { get; init; } = 250;

    /// <summary>Seed of the rhythm and the noise.</summary>
    public int Seed { get; init; } = 1;
}
