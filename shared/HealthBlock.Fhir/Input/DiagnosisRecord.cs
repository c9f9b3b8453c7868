namespace HealthBlock.Fhir;

/// <summary>
/// A decrypted diagnosis document with the Docchain transaction that carries it: what becomes one
/// <c>DiagnosticReport</c>.
/// </summary>
public sealed record DiagnosisRecord
{
    /// <summary>The diagnosis transaction and its block (chain Docchain).</summary>
    public required LedgerOrigin Origin { get; init; }

    /// <summary>The doctor who signed it (identity id, the transaction's signer).</summary>
    public required string DoctorId { get; init; }

    /// <summary>Automated screening or clinician note.</summary>
    public required DiagnosisKind Kind { get; init; }

    /// <summary>Start of the time window it covers (ms since the Unix epoch).</summary>
    public required long WindowStartMs { get; init; }

    /// <summary>End of the time window it covers.</summary>
    public required long WindowEndMs { get; init; }

    /// <summary>The Userchain IoT transactions it covers (hex ids; empty for a note).</summary>
    public IReadOnlyList<string> Covers { get; init; } = [];

    /// <summary>For a note, the diagnosis transaction (hex id) it follows; else null.</summary>
    public string? Follows { get; init; }

    /// <summary>The findings, with absolute evidence times (empty for a note).</summary>
    public IReadOnlyList<FindingRecord> Findings { get; init; } = [];

    /// <summary>For automated screenings, the disclaimer that they are not a diagnosis; else null.</summary>
    public string? Disclaimer { get; init; }

    /// <summary>The clinician's note (notes only).</summary>
    public string? ClinicianNote { get; init; }
}
