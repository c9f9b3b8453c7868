using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>A committed statistics contribution, as <see cref="StatisticsHistory"/> lists it.</summary>
/// <param name="TransactionId">Its transaction id.</param>
/// <param name="Patient">The contributing patient.</param>
/// <param name="PeriodStartMs">Start of its period.</param>
/// <param name="PeriodEndMs">End of its period.</param>
/// <param name="Ciphertexts">Its ciphertexts' encodings, as committed.</param>
public sealed record StatisticsContribution(byte[] TransactionId, IdentityId Patient, long PeriodStartMs, long PeriodEndMs, IReadOnlyList<byte[]> Ciphertexts);
