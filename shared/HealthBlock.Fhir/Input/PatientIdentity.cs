namespace HealthBlock.Fhir;

/// <summary>The patient as the ledger knows them: a pseudonymous identity, and a name only if the patient adds one.</summary>
/// <param name="IdentityId">The patient's on-chain identity id (32 lowercase base32 characters).</param>
/// <param name="DisplayName">A name the patient chose to include in the export, or null (the default: no name leaves).</param>
public sealed record PatientIdentity(string IdentityId, string? DisplayName = null);
