using HealthBlock.Crypto;
using HealthBlock.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>How an accounting node runs. Give the genesis as a file or an object, and the node key as a key file
/// with its passphrase or as a key object (tests, devnet).</summary>
public sealed class AccountingOptions
{
    /// <summary>Folder for the Raft log, the block files and the state snapshot (created if missing).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Listen URL of the ledger API; port 0 lets the OS choose (read the bound URL from <see cref="AccountingNode.HttpUrl"/>).
    /// <c>https://</c> (the default) serves a certificate made on the node key, which clients pin to the genesis
    /// (<see cref="LedgerTls"/>); <c>http://</c> is the explicit plaintext opt-out.
    /// </summary>
    public string ListenUrl { get; init; } = "https://127.0.0.1:0";

    /// <summary>
    /// The URL other nodes use to reach this node's HTTP API (followers forward submissions to the leader's). Null:
    /// the bound address, right for loopback; set it when listening on 0.0.0.0 or behind a proxy.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>
    /// This node's Raft endpoint, <c>ip:port</c>. A single node (no other peers) may give port 0: the OS picks the port.
    /// </summary>
    public string RaftEndPoint { get; init; } = "127.0.0.1:0";

    /// <summary>
    /// Plain TCP on the Raft links instead of mutual TLS bound to the genesis node keys: an explicit opt-out for
    /// measuring what TLS costs, never for a deployment (any process bound to a member's address could then vote).
    /// </summary>
    public bool RaftPlaintext { get; init; }

    /// <summary>Raft endpoints of all cluster members, this node's among them. Empty: a single-node cluster.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>Path of the genesis JSON file (or set <see cref="Genesis"/>).</summary>
    public string? GenesisFile { get; init; }

    /// <summary>The genesis (takes precedence over <see cref="GenesisFile"/>).</summary>
    public Genesis? Genesis { get; init; }

    /// <summary>Path of this node's key file (or set <see cref="NodeKey"/>).</summary>
    public string? NodeKeyFile { get; init; }

    /// <summary>Passphrase of <see cref="NodeKeyFile"/>; null reads the <c>HEALTHBLOCK_PASSPHRASE</c> environment variable.</summary>
    public string? NodeKeyPassphrase { get; init; }

    /// <summary>The node key (takes precedence over <see cref="NodeKeyFile"/>); the node does not dispose it.</summary>
    public IdentityKey? NodeKey { get; init; }

    /// <summary>How long the leader gathers transactions before sealing a block.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Most transactions per block (a block is sealed at once when this many are pending).</summary>
    public int MaxBlockTransactions { get; init; } = 2000;

    /// <summary>Most transactions waiting for a block before submissions are refused with <see cref="RejectReason.Overloaded"/>.</summary>
    public int MaxPendingTransactions { get; init; } = 100_000;

    /// <summary>Raft election timeout range, milliseconds.</summary>
    public int LowerElectionTimeoutMs { get; init; } = 250;

    /// <summary>Raft election timeout range, milliseconds.</summary>
    public int UpperElectionTimeoutMs { get; init; } = 500;

    /// <summary>A state snapshot is written after this many applied blocks (and when the node stops).</summary>
    public int SnapshotEveryBlocks { get; init; } = 256;

    /// <summary>
    /// How much of the stored chains a start checks: <see cref="StartupVerification.Full"/> (every block, the default) or
    /// <see cref="StartupVerification.Tail"/> (only blocks above the transaction index, so a restart costs what the
    /// chain grew since the last snapshot; <c>healthblock audit</c> checks the rest).
    /// </summary>
    public StartupVerification StartupVerification { get; init; } = StartupVerification.Full;

    /// <summary>
    /// Size of a Raft log chunk file in bytes (default 16 MiB). The log drops whole chunks below the latest snapshot, so
    /// it holds at most about one chunk plus the entries since the snapshot.
    /// </summary>
    public int RaftChunkBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Logging; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Where the node raises its alerts — refused submissions (naming the signer and the client address), refused
    /// committed blocks (naming the proposer) and stored chains that fail verification at start (naming the chain and
    /// height); null: a hub of the node's own that logs them (sinks added later to <see cref="AccountingNode.Alerts"/>
    /// miss what the node raised while starting, such as a chain failing verification — give the hub here to get
    /// those). A hub given here is not disposed by the node.
    /// </summary>
    public HealthBlock.Alerts.AlertHub? Alerts { get; init; }

    /// <summary>When this node, as a follower, suspects the leader of censoring a transaction it forwarded.</summary>
    public CensorshipWatchOptions CensorshipWatch { get; init; } = new();

    /// <summary>Bounds on the HTTP API's connections, request rate and timeouts (bodies are bounded by the largest transaction).</summary>
    public HttpLimits HttpLimits { get; init; } = new();

    /// <summary>Checks the options and throws <see cref="InvalidOperationException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new InvalidOperationException("AccountingOptions.DataDirectory is required.");
        }

        if (Genesis is null && string.IsNullOrWhiteSpace(GenesisFile))
        {
            throw new InvalidOperationException("Give a genesis: AccountingOptions.GenesisFile or Genesis.");
        }

        if (NodeKey is null && string.IsNullOrWhiteSpace(NodeKeyFile))
        {
            throw new InvalidOperationException("Give the node key: AccountingOptions.NodeKeyFile or NodeKey.");
        }

        if (string.IsNullOrWhiteSpace(RaftEndPoint))
        {
            throw new InvalidOperationException("AccountingOptions.RaftEndPoint (this node's Raft ip:port) is required.");
        }

        var own = RaftSetup.ParseEndPoint(RaftEndPoint);
        var peers = Peers.Select(RaftSetup.ParseEndPoint).Distinct().ToList();
        if (peers.Count > 0 && !peers.Contains(own))
        {
            throw new InvalidOperationException($"This node's Raft endpoint {RaftEndPoint} is not among the peers ({string.Join(' ', Peers)}): list every member, this one included.");
        }

        if (own.Port == 0 && peers.Count > 1)
        {
            throw new InvalidOperationException($"Raft endpoint {RaftEndPoint}: a member of a {peers.Count}-node cluster needs a fixed port (port 0 is for a single node).");
        }

        if (MaxBlockTransactions is < 1 or > Protocol.Ledger.BlockHeader.MaxTransactions)
        {
            throw new InvalidOperationException($"MaxBlockTransactions must be 1..{Protocol.Ledger.BlockHeader.MaxTransactions}.");
        }

        if (BatchInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException("BatchInterval must not be negative.");
        }

        HttpLimits.Validate();
        CensorshipWatch.Validate();
        if (LowerElectionTimeoutMs < 10 || UpperElectionTimeoutMs <= LowerElectionTimeoutMs)
        {
            throw new InvalidOperationException("The election timeout range must be at least 10 ms and upper > lower.");
        }
    }
}
