using HealthBlock.Crypto;
using HealthBlock.Paillier;

namespace HealthBlock.Gateway.Statistics;

/// <summary>How a gateway contributes its patient's vital signs to a statistics identity's cohort statistics.</summary>
public sealed record StatisticsOptions
{
    /// <summary>The statistics identity contributed to (the patient opts in to it on the ledger).</summary>
    public required IdentityId Statistics { get; init; }

    /// <summary>
    /// The period one contribution covers: whole seconds, at most an hour (default an hour). Periods are aligned to the
    /// Unix epoch, so every gateway with the same period cuts time the same way.
    /// </summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after a period ends its readings may still arrive or become final (default 60 s: the ECG analyser holds a
    /// beat up to 20 s, a wearable's frame takes a few seconds to arrive). Readings later than that are dropped and counted.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the contributor reads new frames and looks for periods to close.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The period in milliseconds.</summary>
    public long PeriodMs => (long)Period.TotalMilliseconds;

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> with the reason.</summary>
    public void Validate()
    {
        if (PeriodMs < 1000 || PeriodMs % 1000 != 0 || PeriodMs > VitalSignsLayout.MaxPeriodMs)
        {
            throw new ArgumentException($"A statistics period is whole seconds from 1 s to an hour, not {Period}.");
        }

        if (Grace < TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The statistics grace is not negative and the poll interval is positive.");
        }
    }
}
