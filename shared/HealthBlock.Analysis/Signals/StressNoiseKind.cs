namespace HealthBlock.Analysis;

/// <summary>The generated noise records of the noise stress test (see <see cref="StressNoise"/>).</summary>
public enum StressNoiseKind
{
    /// <summary>Baseline wander: respiration and slow drift below 1 Hz.</summary>
    BaselineWander,

    /// <summary>Muscle artefact (EMG): broadband 10-100 Hz noise in bursts.</summary>
    MuscleArtefact,

    /// <summary>Electrode motion: baseline jumps with fast edges, QRS-like bumps and 2-9 Hz ringing, plus drift and some EMG.</summary>
    ElectrodeMotion,

    /// <summary>Mains interference: 50 Hz with a third harmonic, slowly varying in amplitude and frequency.</summary>
    Mains,

    /// <summary>A chest-worn wearable's mix: electrode motion, muscle, wander and mains together.</summary>
    Wearable,

    /// <summary>The wearable mix plus unflagged lead-off drop-outs (signal at the amplifier rail, then a reconnection transient).</summary>
    LeadOff,
}
