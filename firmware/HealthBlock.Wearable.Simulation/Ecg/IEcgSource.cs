namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>An ECG as seen at the electrodes, sample by sample, at the wearable's sampling rate.</summary>
public interface IEcgSource
{
    /// <summary>Samples per second.</summary>
    int SampleRateHz { get; }

    /// <summary>Number of samples (<see cref="long.MaxValue"/> for an endless source).</summary>
    long Length { get; }

    /// <summary>The electrode voltage of sample <paramref name="index"/> in microvolts.</summary>
    int MicrovoltsAt(long index);

    /// <summary>Whether an electrode is detached at sample <paramref name="index"/>.</summary>
    bool IsLeadOffAt(long index);
}
