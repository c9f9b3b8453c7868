namespace HealthBlock.Fhir;

/// <summary>
/// Everything one FHIR export holds: the patient, the wearables, the decoded readings of each IoT batch with the
/// ledger record it came from, and the decrypted diagnoses. The exporter sorts what it is given, so two inputs with
/// the same content give byte-identical bundles whatever the order of the lists.
/// </summary>
/// <remarks>Gathered by the CLI from the ledger and the content store; this library does no I/O of its own.</remarks>
public sealed record FhirExportInput
{
    /// <summary>The patient the data is about (pseudonymous: the on-chain identity).</summary>
    public required PatientIdentity Patient { get; init; }

    /// <summary>
    /// The patient's wearables. A device that appears only in <see cref="Readings"/> is added with the kinds it sent;
    /// a device listed here without readings is still exported (paired, nothing in the window).
    /// </summary>
    public IReadOnlyList<WearableDevice> Devices { get; init; } = [];

    /// <summary>One entry per Userchain IoT transaction: its decoded readings and where it is on the ledger.</summary>
    public IReadOnlyList<ReadingBatch> Readings { get; init; } = [];

    /// <summary>The decrypted diagnoses (automated screenings and clinician notes) from Docchain.</summary>
    public IReadOnlyList<DiagnosisRecord> Diagnoses { get; init; } = [];
}
