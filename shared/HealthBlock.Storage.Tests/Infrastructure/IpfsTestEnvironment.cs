namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>Where the IPFS daemon for the interop tests is, from the environment.</summary>
public static class IpfsTestEnvironment
{
    /// <summary>The variable holding the daemon's RPC API base URL, e.g. http://127.0.0.1:45123.</summary>
    public const string Variable = "HEALTHBLOCK_IPFS_API";

    private static string? Value => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v.Trim() : null;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Why IPFS tests cannot run here, or null when they must run. Under CI (CI=true) they always run, so a
    /// missing variable fails them loudly instead of skipping them.
    /// </summary>
    public static string? SkipReason =>
        Value is not null || IsCi
            ? null
            : $"IPFS daemon not configured: {Variable} is not set. Run `export {Variable}=\"$(interop/ipfs/ipfs.sh start)\"` (see interop/ipfs/README.md) to run this test against a real js-ipfs daemon.";

    /// <summary>The daemon's API base URL.</summary>
    /// <exception cref="InvalidOperationException">The variable is missing (only reachable under CI).</exception>
    public static Uri ApiUri =>
        Value is { } v
            ? new Uri(v)
            : throw new InvalidOperationException($"CI=true but {Variable} is not set: .ci/run must start the IPFS daemon (interop/ipfs/ipfs.sh start) and export {Variable}.");
}
