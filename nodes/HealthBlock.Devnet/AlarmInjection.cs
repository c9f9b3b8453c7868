using HealthBlock.Analysis;
using HealthBlock.Wearable.Simulation.Ecg;

namespace HealthBlock.Devnet;

/// <summary>
/// The alarm conditions devnet injects on the live path so that alarm latencies are measured: the first patient's first
/// wearable plays a synthetic rhythm with sinus pauses of 3.5–5 s, the second patient's first wearable reads a fever of
/// 39.8 °C and the third patient's first wearable a hypertensive crisis (192/124 mmHg).
/// </summary>
internal static class AlarmInjection
{
    /// <summary>A fever above the 39.5 °C alarm threshold.</summary>
    public const double FeverCelsius = 39.8;

    /// <summary>A hypertensive crisis (ACC/AHA 2017: systolic above 180 and/or diastolic above 120).</summary>
    public static readonly (int Systolic, int Diastolic, int Pulse) CrisisPressure = (192, 124, 96);

    /// <summary>Sinus rhythm at 70 bpm where about one beat in 25 is followed by a pause of 3.5–5 s.</summary>
    public static IEcgSource PauseRhythm => new SyntheticEcgSource(new SyntheticEcgSourceOptions
    {
        HeartRateBpm = 70,
        NoiseMicrovolts = 15,
        Seed = 17,
        Rhythm = new SyntheticRhythm { PauseProbability = 0.04, PauseMinSeconds = 3.5, PauseMaxSeconds = 5.0 },
    });
}
