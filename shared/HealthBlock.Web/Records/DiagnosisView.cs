namespace HealthBlock.Web;

/// <summary>A committed diagnosis, decrypted by the page's role (or the reason it could not be).</summary>
/// <param name="TransactionId">The diagnosis transaction id (hex).</param>
/// <param name="Doctor">The doctor who signed it.</param>
/// <param name="Kind"><c>automated-screening</c> or <c>clinician-note</c>.</param>
/// <param name="WindowStartMs">Start of the time window it covers.</param>
/// <param name="WindowEndMs">End of that window.</param>
/// <param name="CreatedMs">When the doctor wrote it (0 when unreadable).</param>
/// <param name="Follows">For a note, the diagnosis it follows; else null.</param>
/// <param name="Findings">Its findings, most severe first.</param>
/// <param name="HeartRates">Mean heart rate of each ECG recording it analysed.</param>
/// <param name="Note">The clinician's note (notes only).</param>
/// <param name="Error">Why it could not be read, or null.</param>
/// <param name="Location">Where it committed (chain/height/index).</param>
public sealed record DiagnosisView(
    string TransactionId,
    string Doctor,
    string Kind,
    long WindowStartMs,
    long WindowEndMs,
    long CreatedMs,
    string? Follows,
    IReadOnlyList<FindingView> Findings,
    IReadOnlyList<HeartRatePoint> HeartRates,
    string? Note,
    string? Error,
    string Location)
{
    /// <summary>The <see cref="Kind"/> of a clinician's note.</summary>
    public const string ClinicianNote = "clinician-note";

    /// <summary>True for a clinician's note.</summary>
    public bool IsNote => Kind == ClinicianNote;
}
