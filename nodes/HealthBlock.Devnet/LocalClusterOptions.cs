using HealthBlock.Accounting;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Devnet;

/// <summary>Settings of a <see cref="LocalCluster"/>.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>Folder for the nodes' data; null makes a temporary folder that is deleted on dispose.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Diagnosis fee of the generated genesis.</summary>
    public ulong DiagnosisFee { get; init; } = 10;

    /// <summary>Batching interval of each node.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Most transactions per block.</summary>
    public int MaxBlockTransactions { get; init; } = 2000;

    /// <summary>Snapshot interval in blocks.</summary>
    public int SnapshotEveryBlocks { get; init; } = 256;

    /// <summary>
    /// The nodes' HTTP bounds. Default <see cref="HttpLimits.SharedLoopback"/>: every party of a local cluster connects
    /// from 127.0.0.1, so per-source limits sized for one host would throttle the whole simulated population.
    /// </summary>
    public HttpLimits HttpLimits { get; init; } = HttpLimits.SharedLoopback;

    /// <summary>
    /// Each node's ledger API listen URL (port 0: the OS picks): HTTPS by default; <c>http://127.0.0.1:0</c> is the
    /// plaintext opt-out, for measurements beside HTTPS.
    /// </summary>
    public string ListenUrl { get; init; } = "https://127.0.0.1:0";

    /// <summary>When each node, as a follower, suspects the leader of censoring a transaction it forwarded.</summary>
    public CensorshipWatchOptions CensorshipWatch { get; init; } = new();

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// One alert hub for every node (each alert names its node); null: each node logs its own. The cluster does not
    /// dispose it.
    /// </summary>
    public HealthBlock.Alerts.AlertHub? Alerts { get; init; }
}
