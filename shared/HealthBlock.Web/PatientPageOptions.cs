using HealthBlock.Web.Ecg;
using HealthBlock.Web.Login;

namespace HealthBlock.Web;

/// <summary>How the gateway serves the patient page.</summary>
public sealed record PatientPageOptions
{
    /// <summary>Reads the diagnosis documents (the doctor node's format); null shows none.</summary>
    public IDiagnosisSource? Diagnoses { get; init; }

    /// <summary>The patient key file whose passphrase unlocks the page; null: one-time tokens only.</summary>
    public string? KeyFile { get; init; }

    /// <summary>One-time login tokens (devnet's demo identities); null: the passphrase only.</summary>
    public LoginTokens? Tokens { get; init; }

    /// <summary>Port on 127.0.0.1 (0 = chosen by the OS).</summary>
    public int Port { get; init; }

    /// <summary>How the ECG history is cached.</summary>
    public RecordArchiveOptions Archive { get; init; } = new();
}
