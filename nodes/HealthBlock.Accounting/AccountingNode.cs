using System.Net;
using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Accounting;

/// <summary>
/// An accounting node: a ledger replica that orders transactions into Userchain and Docchain blocks with Raft
/// (dotNext, TCP), re-validates and applies every committed block, keeps blocks and state snapshots on disk and serves
/// the ledger HTTP API. It is itself an <see cref="ILedger"/> for in-process use. Start with <see cref="StartAsync"/>.
/// </summary>
/// <remarks>
/// <para>One Raft log entry is one block. The leader validates each submission against its speculative state (the
/// committed state plus the accepted, not yet committed transactions), seals blocks every
/// <see cref="AccountingOptions.BatchInterval"/> or <see cref="AccountingOptions.MaxBlockTransactions"/>, signs them and
/// replicates one at a time. Every replica (the leader included) re-validates a committed block completely before
/// applying it; an invalid block is refused as a whole, logged at error level and counted in the status
/// (<see cref="LedgerStatus.RejectedBlocks"/>). Since validation is deterministic every honest replica refuses the same
/// block, so replicas stay identical and a faulty leader cannot make them accept an invalid transaction.</para>
/// <para>On startup the node verifies its stored chains against its state snapshot (links, Merkle roots, proposer and
/// transaction signatures, tip hashes); a chain that fails is not served (<see cref="RejectReason.ChainUnavailable"/>,
/// with the chain and height in the message and in <see cref="ChainStatus.Fault"/>).</para>
/// </remarks>
public sealed partial class AccountingNode : ILedger, IAsyncDisposable
{
    private readonly AccountingOptions _options;
    private readonly ILogger _log;

    /// <summary>
    /// The node's alert path: submissions refused for signature, identity, role, replay or authorisation; committed
    /// blocks this replica refuses; stored chains that fail verification at start.
    /// </summary>
    public HealthBlock.Alerts.AlertHub Alerts { get; }
    private readonly bool _ownsAlerts;
    private readonly IdentityKey _nodeKey;
    private readonly bool _ownsKey;
    private readonly object _sync = new();
    private readonly BlockStore[] _stores;
    private readonly string?[] _faults = new string?[2];
    private readonly CancellationTokenSource _stopping = new();
    private LedgerState _committed;
    private long _appliedIndex;
    private long _rejectedBlocks;
    private string? _lastRejection;
    private int _blocksSinceSnapshot;
    private TaskCompletionSource _blockSignal = NewSignal();
    private RaftCluster? _cluster;
    private WriteAheadLog? _wal;
    private WebApplication? _web;
    private Task _leaderLoop = Task.CompletedTask;
    private int _disposed;

    private AccountingNode(AccountingOptions options, Genesis genesis, IdentityKey nodeKey, bool ownsKey)
    {
        _options = options;
        Genesis = genesis;
        _nodeKey = nodeKey;
        _ownsKey = ownsKey;
        _log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"HealthBlock.Accounting.{nodeKey.Id.ToString()[..8]}");
        _ownsAlerts = options.Alerts is null;
        Alerts = options.Alerts ?? HealthBlock.Alerts.AlertHub.Logging(_log);
        Directory.CreateDirectory(options.DataDirectory);
        _stores =
        [
            new BlockStore(Path.Combine(options.DataDirectory, "userchain.blocks"), ChainId.Userchain),
            new BlockStore(Path.Combine(options.DataDirectory, "docchain.blocks"), ChainId.Docchain),
        ];
        _committed = LedgerState.FromGenesis(genesis);
    }

    /// <summary>The genesis.</summary>
    public Genesis Genesis { get; }

    /// <summary>This node's identity id (its blocks name it as proposer).</summary>
    public IdentityId NodeId => _nodeKey.Id;

    /// <summary>The bound HTTP URL (with the OS-chosen port), e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpUrl { get; private set; } = null!;

    /// <summary>This node's Raft endpoint.</summary>
    public IPEndPoint RaftEndPoint { get; private set; } = null!;

    /// <summary>True while this node is the Raft leader.</summary>
    public bool IsLeader => _cluster is { } c && c.Leader is { IsRemote: false } && !c.LeadershipToken.IsCancellationRequested;

    /// <summary>Why a chain is not served, or null.</summary>
    public string? ChainFault(ChainId chain) => _faults[Index(chain)];

    /// <summary>
    /// Starts a node: opens and verifies its data, starts the HTTP API, joins the Raft cluster. The node runs until
    /// <see cref="StopAsync"/> or <see cref="DisposeAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Invalid options, or the node key is not an accounting node of the genesis.</exception>
    public static async Task<AccountingNode> StartAsync(AccountingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var genesis = options.Genesis ?? Genesis.Load(options.GenesisFile!);
        var ownsKey = options.NodeKey is null;
        var key = options.NodeKey ?? KeyFile.Read(options.NodeKeyFile!, options.NodeKeyPassphrase ?? Environment.GetEnvironmentVariable(KeyFile.PassphraseVariable) ?? "");
        var node = new AccountingNode(options, genesis, key, ownsKey);
        try
        {
            await node.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        LoadAndVerify();
        if (_committed.GetIdentity(NodeId) is not { Role: Role.AccountingNode })
        {
            throw new InvalidOperationException($"Node key {NodeId} is not a registered accounting node of this ledger.");
        }

        // HTTP first: its bound URL goes into the Raft member metadata, so followers can forward to the leader.
        _web = BuildWebApplication();
        await _web.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HttpUrl = new Uri(address.EndsWith('/') ? address : address + "/");

        RaftEndPoint = ParseEndPoint(_options.RaftEndPoint);
        var members = _options.Peers.Select(ParseEndPoint).ToList();
        if (!members.Contains(RaftEndPoint))
        {
            members.Add(RaftEndPoint);
        }

        var config = new RaftCluster.TcpConfiguration(RaftEndPoint)
        {
            ConfigurationStorage = null!, // null selects the in-memory storage, filled with the initial members below
            LowerElectionTimeout = _options.LowerElectionTimeoutMs,
            UpperElectionTimeout = _options.UpperElectionTimeoutMs,
            RequestTimeout = TimeSpan.FromSeconds(5),
            LoggerFactory = _options.LoggerFactory ?? NullLoggerFactory.Instance,
        };
        var storage = (InMemoryClusterConfigurationStorage<EndPoint>)config.ConfigurationStorage;
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var m in members)
        {
            builder.Add(m);
        }

        builder.Build();
        config.Metadata[HttpMetadataKey] = (_options.PublicUrl ?? HttpUrl).ToString();
        config.Metadata[NodeMetadataKey] = NodeId.ToString();

        _wal = new WriteAheadLog(
            new WriteAheadLog.Options
            {
                Location = Path.Combine(_options.DataDirectory, "raft"),
                ChunkSize = 16 * 1024 * 1024,
                MemoryManagement = WriteAheadLog.MemoryManagementStrategy.PrivateMemory,
            },
            new Replica(this));
        _cluster = new RaftCluster(config) { AuditTrail = _wal };
        await _cluster.StartAsync(cancellationToken).ConfigureAwait(false);
        _leaderLoop = Task.Run(() => LeaderLoopAsync(_stopping.Token), CancellationToken.None);
        _log.LogInformation("Accounting node {Node} serving {Url}, Raft {Raft}, {Members} members", NodeId, HttpUrl, RaftEndPoint, members.Count);
    }

    /// <summary>Waits until the cluster has a leader this node knows of.</summary>
    public async Task WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("The node is not started.");
        if (await cluster.WaitForLeaderAsync(timeout, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new TimeoutException($"No leader within {timeout}.");
        }
    }

    /// <summary>Stops the node: leaves the cluster, writes a state snapshot, closes its files.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_cluster is not null)
        {
            try
            {
                await _cluster.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                _log.LogDebug(e, "Raft stop");
            }
        }

        await _leaderLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_web is not null)
        {
            await _web.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _web.DisposeAsync().ConfigureAwait(false);
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_wal is not null)
        {
            await _wal.DisposeAsync().ConfigureAwait(false);
        }

        lock (_sync)
        {
            if (_appliedIndex > 0)
            {
                WriteSnapshot();
            }

            FailPending(new Rejection(RejectReason.LeadershipLost, "the node stopped"));
            foreach (var s in _stores)
            {
                s.Dispose();
            }
        }

        foreach (var c in _forwarders.Values)
        {
            c.Dispose();
        }

        _blockSignal.TrySetCanceled();
        _stopping.Dispose();
        if (_ownsAlerts)
        {
            await Alerts.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsKey)
        {
            _nodeKey.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private const string HttpMetadataKey = "healthblock-http";

    /// <summary>
    /// Header a follower puts on submissions it forwards to the leader: its node id and its signature over the body
    /// (see <c>ForwardedByPeer</c>).
    /// </summary>
    internal const string ForwardedByHeader = "HealthBlock-Forwarded-By";
    private const string NodeMetadataKey = "healthblock-node";

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int Index(ChainId chain) => chain == ChainId.Docchain ? 1 : 0;

    /// <summary>Parses <c>host:port</c> where host is an IP address or <c>localhost</c>.</summary>
    internal static IPEndPoint ParseEndPoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var ep) && text.Contains(':', StringComparison.Ordinal))
        {
            return ep;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] == "localhost" && int.TryParse(text[(colon + 1)..], out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new InvalidOperationException($"'{text}' is not a Raft endpoint (IP:port with a port).");
    }
}
