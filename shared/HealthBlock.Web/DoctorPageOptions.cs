using HealthBlock.Web.Ecg;
using HealthBlock.Web.Login;

namespace HealthBlock.Web;

/// <summary>How the doctor node serves the doctor page.</summary>
public sealed record DoctorPageOptions
{
    /// <summary>The doctor key file whose passphrase unlocks the page; null: one-time tokens only.</summary>
    public string? KeyFile { get; init; }

    /// <summary>One-time login tokens (devnet's demo identities); null: the passphrase only.</summary>
    public LoginTokens? Tokens { get; init; }

    /// <summary>Port on 127.0.0.1 (0 = chosen by the OS).</summary>
    public int Port { get; init; }

    /// <summary>How each patient's ECG is cached.</summary>
    public RecordArchiveOptions Archive { get; init; } = new();
}
