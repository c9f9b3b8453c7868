namespace HealthBlock.Web;

/// <summary>A patient who granted the doctor, as the doctor page lists it.</summary>
/// <param name="Patient">The patient's identity id.</param>
/// <param name="Authorised">True while the patient's current epoch names this doctor.</param>
/// <param name="Diagnoses">Diagnoses this doctor committed about the patient.</param>
/// <param name="NewestFindingMs">End of the newest finding's span (or its diagnosis window), or null.</param>
/// <param name="NewestFinding">The newest finding's text, or null.</param>
public sealed record PatientSummary(string Patient, bool Authorised, int Diagnoses, long? NewestFindingMs, string? NewestFinding);
