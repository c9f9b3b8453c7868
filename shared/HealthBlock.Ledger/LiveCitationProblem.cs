using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>A live sub-batch a committed diagnosis cites that no committed IoT transaction backs as the rule requires.</summary>
/// <param name="Diagnosis">The diagnosis transaction id (hex).</param>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch of the diagnosis and of the cited sub-batch.</param>
/// <param name="Sequence">The cited live sequence number.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record LiveCitationProblem(string Diagnosis, IdentityId Patient, uint Epoch, ulong Sequence, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"diagnosis {Diagnosis} (patient {Patient}, epoch {Epoch}) cites live sub-batch {Sequence}: {Problem}";
}
