namespace HealthBlock.Ledger;

/// <summary>A patient's consent to one statistics identity, as the ledger state keeps it.</summary>
/// <param name="InSinceMs">Time of the opt-in in force (contributions may cover periods from then on), or null when opted out.</param>
/// <param name="LastChangeMs">Time of the patient's last consent transaction to that identity (the next must be later).</param>
internal sealed record StatisticsConsent(long? InSinceMs, long LastChangeMs);
