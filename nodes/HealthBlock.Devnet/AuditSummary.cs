using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthBlock.Devnet;

/// <summary>What the audit found.</summary>
public sealed record AuditSummary
{
    /// <summary>True when both chains and the store verified.</summary>
    public bool Ok { get; init; }

    /// <summary>Each problem found, one line each.</summary>
    public List<string> Problems { get; init; } = [];
}
