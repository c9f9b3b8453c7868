namespace HealthBlock.Paillier;

/// <summary>One counter of a packed plaintext and the most it may hold for one patient in one period.</summary>
/// <param name="Name">What the counter counts, e.g. "rr_interval_sum_ms".</param>
/// <param name="MaxPerPatientPeriod">The largest value one patient-period may contribute (inclusive, at least 1).</param>
public sealed record PackedSlotBound(string Name, long MaxPerPatientPeriod);
