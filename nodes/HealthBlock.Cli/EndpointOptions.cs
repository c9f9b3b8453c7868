using System.CommandLine;

namespace HealthBlock.Cli;

/// <summary>The <c>--ledger</c> and <c>--store</c> options every command that reaches the ledger or the store takes.</summary>
internal static class EndpointOptions
{
    /// <summary><c>--ledger URL…</c>: one or more accounting nodes (space- or comma-separated); requests fail over to a live one.</summary>
    public static Option<string[]> Ledger(bool required = true, string? description = null) => new("--ledger")
    {
        Description = description ?? "URL(s) of the ledger's accounting nodes; with several, requests fail over to one that answers",
        Required = required,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary><c>--store SPEC…</c>: a folder (embedded) or IPFS API URL; several make a replicated store (a majority holds each block).</summary>
    public static Option<string[]> Store(bool required = true) => new("--store")
    {
        Description = "Content store: a folder (embedded) or an IPFS API URL; several (space- or comma-separated) make a replicated store: each block on a majority of them",
        Required = required,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Splits every value on commas, drops empty parts.</summary>
    public static string[] Split(IEnumerable<string>? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
