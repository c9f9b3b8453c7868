using System.Net;
using System.Runtime.CompilerServices;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Hosting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Builder;
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
/// <para>The node coordinates small parts: <see cref="ChainStorage"/> (block files, snapshot, start-up verification),
/// <see cref="ReplicaStateMachine"/> (applies committed blocks), <see cref="BlockProposer"/> (the leader's queue and
/// blocks), <see cref="LeaderForwarder"/> (a follower's submissions to the leader), <see cref="LedgerHttpApi"/> and
/// <see cref="NodeStatusReport"/>; reads go through <see cref="CommittedStateReader"/>.</para>
/// </remarks>
public sealed class AccountingNode : ILedger, IAsyncDisposable
{
    private readonly AccountingOptions _options;
    private readonly ILogger _log;
    private readonly bool _ownsAlerts;
    private readonly IdentityKey _nodeKey;
    private readonly bool _ownsKey;
    private readonly CancellationTokenSource _stopping = new();
    private readonly LeaderForwarder _forwarder;
    private readonly DataFolderLock _folderLock;
    private readonly string _nodeLabel;
    private ReplicaStateMachine? _replica;
    private BlockProposer? _proposer;
    private CensorshipWatch? _censorship;
    private CommittedStateReader? _reader;
    private RaftCluster? _cluster;
    private RaftTransportSecurity? _raftSecurity;
    private HttpIntake? _intake;
    private HealthBlock.Alerts.LimitAlerts? _limitAlerts;
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _httpCertificate;
    private WriteAheadLog? _wal;
    private WebApplication? _web;
    private Task _leaderLoop = Task.CompletedTask;
    private int _disposed;

    private AccountingNode(AccountingOptions options, Genesis genesis, IdentityKey nodeKey, bool ownsKey, DataFolderLock folderLock)
    {
        _options = options;
        _folderLock = folderLock;
        _nodeLabel = nodeKey.Id.ToString()[..8];
        Health = new AccountingHealth(this);
        Genesis = genesis;
        _nodeKey = nodeKey;
        _ownsKey = ownsKey;
        _log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"HealthBlock.Accounting.{nodeKey.Id.ToString()[..8]}");
        _ownsAlerts = options.Alerts is null;
        Alerts = options.Alerts ?? AlertHub.Logging(_log);
        Storage = new ChainStorage(options.DataDirectory);
        _forwarder = new LeaderForwarder(nodeKey, genesis, _log);
    }

    /// <summary>
    /// The node's alert path: submissions refused for signature, identity, role, replay or authorisation; committed
    /// blocks this replica refuses; stored chains that fail verification at start.
    /// </summary>
    public AlertHub Alerts { get; }

    /// <summary>The genesis.</summary>
    public Genesis Genesis { get; }

    /// <summary>Liveness and readiness (a leader known, both chains served) for <c>/healthz</c>, <c>/readyz</c>, the watchdog.</summary>
    public IRoleHealth Health { get; }

    /// <summary>True between a successful start and the stop.</summary>
    internal bool Running => _cluster is not null && Volatile.Read(ref _disposed) == 0;

    /// <summary>This node's identity id (its blocks name it as proposer).</summary>
    public IdentityId NodeId => _nodeKey.Id;

    /// <summary>The bound HTTP URL (with the OS-chosen port), e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpUrl { get; private set; } = null!;

    /// <summary>This node's Raft endpoint.</summary>
    public IPEndPoint RaftEndPoint { get; private set; } = null!;

    /// <summary>True while this node is the Raft leader.</summary>
    public bool IsLeader => _cluster is { } c && c.Leader is { IsRemote: false } && !c.LeadershipToken.IsCancellationRequested;

    /// <summary>The committed state hash (hex), for tests and tools.</summary>
    public string StateHash
    {
        get
        {
            lock (Replica.Sync)
            {
                return Convert.ToHexStringLower(Replica.Committed.ComputeStateHash());
            }
        }
    }

    /// <summary>Raft snapshots this node installed from the leader (it had fallen behind the compacted logs).</summary>
    internal long SnapshotsInstalled => Replica.SnapshotsInstalled;

    /// <summary>The block files and snapshot.</summary>
    internal ChainStorage Storage { get; }

    private ReplicaStateMachine Replica => _replica ?? throw new InvalidOperationException("The node is not started.");

    private CommittedStateReader Reader => _reader ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>Why a chain is not served, or null.</summary>
    public string? ChainFault(ChainId chain) => Storage.Fault(chain);

    /// <summary>Number of blocks of a chain this replica has applied.</summary>
    public ulong BlockCount(ChainId chain)
    {
        lock (Replica.Sync)
        {
            return Replica.Committed.Tip(chain).BlockCount;
        }
    }

    /// <summary>
    /// Starts a node: opens and verifies its data, starts the HTTP API, joins the Raft cluster. The node runs until
    /// <see cref="StopAsync"/> or <see cref="DisposeAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Invalid options, or the node key is not an accounting node of the genesis.</exception>
    public static async Task<AccountingNode> StartAsync(AccountingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var genesis = options.Genesis ?? NodeStartChecks.LoadGenesis(options.GenesisFile!);
        var ownsKey = options.NodeKey is null;
        var (key, folderLock) = NodeStartChecks.KeyAndLock(options, genesis);
        var node = new AccountingNode(options, genesis, key, ownsKey, folderLock);
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
        var loaded = Storage.LoadAndVerify(Genesis, NodeId, Alerts, _log, _options.StartupVerification);
        var committed = loaded.State;
        var replica = _replica = new ReplicaStateMachine(loaded, Storage, _options.SnapshotEveryBlocks, Alerts, _log, NodeId);
        _reader = new CommittedStateReader(Genesis, replica.Sync, () => replica.Committed, Storage, Status);
        _proposer = new BlockProposer(_options, replica, _nodeKey, _log, SubmitAsync);
        var censorship = _censorship = new CensorshipWatch(_options.CensorshipWatch, NodeId, replica.Sync, () => replica.Committed, Alerts, SubmitAsync, _stopping.Token, _log);
        replica.Applied = censorship.BlockApplied;
        if (committed.GetIdentity(NodeId) is not { Role: Role.AccountingNode })
        {
            throw new InvalidOperationException($"Node key {NodeId} is not a registered accounting node of this ledger.");
        }

        // HTTP first: its bound URL goes into the Raft member metadata, so followers can forward to the leader.
        _limitAlerts = new HealthBlock.Alerts.LimitAlerts(Alerts, $"accounting node {NodeId}");
        _intake = new HttpIntake(_options.HttpLimits, _limitAlerts);
        _httpCertificate = NodeCertificate.Create(_nodeKey, _options);
        _web = new LedgerHttpApi(this, _options, _log, _intake, _httpCertificate, _stopping.Token).Build();
        await ListenAddresses.StartOrExplainAsync(() => _web.StartAsync(cancellationToken), "--listen", _options.ListenUrl).ConfigureAwait(false);
        var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HttpUrl = new Uri(address.EndsWith('/') ? address : address + "/");

        RaftEndPoint = RaftSetup.ParseEndPoint(_options.RaftEndPoint);
        var members = RaftSetup.Members(_options, RaftEndPoint);
        var metadata = new Dictionary<string, string>
        {
            [LeaderForwarder.HttpMetadataKey] = (_options.PublicUrl ?? HttpUrl).ToString(),
            [LeaderForwarder.NodeMetadataKey] = NodeId.ToString(),
        };
        _raftSecurity = _options.RaftPlaintext ? null : new RaftTransportSecurity(_nodeKey, LedgerTls.NodesOf(Genesis), Alerts);
        (_cluster, _wal) = RaftSetup.Create(_options, RaftEndPoint, members, metadata, replica, _raftSecurity);
        replica.CatchUp = (chain, from, to, ct) => _forwarder.ReadBlocksAsync(_cluster?.Leader, chain, from, to, ct);
        var cluster = _cluster;
        AccountingMetrics.Watch(cluster, _nodeLabel);
        censorship.Follow(cluster);
        await ListenAddresses.StartOrExplainAsync(() => cluster.StartAsync(cancellationToken), "--raft", RaftEndPoint.ToString()).ConfigureAwait(false);
        var proposer = _proposer;
        _leaderLoop = Task.Run(() => proposer.RunAsync(cluster, _stopping.Token), CancellationToken.None);
        _log.LogInformation("Accounting node {Node} serving {Url}, Raft {Raft}, {Members} members", NodeId, HttpUrl, RaftEndPoint, members.Count);
    }

    /// <summary>How often the HTTP API's bounds were hit (connections, request rate, body size).</summary>
    public HttpLimitHits HttpLimitHits => _intake?.Hits ?? new HttpLimitHits(0, 0, 0);

    /// <summary>Raft handshakes this node refused (peers whose certificate is not a genesis accounting-node key).</summary>
    public long RaftHandshakesRefused => _raftSecurity?.Refusals ?? 0;

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

        _limitAlerts?.Dispose();

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_wal is not null)
        {
            await _wal.DisposeAsync().ConfigureAwait(false);
        }

        if (_replica is { } replica)
        {
            lock (replica.Sync)
            {
                if (replica.AppliedIndex > 0)
                {
                    replica.WriteSnapshot();
                }

                _proposer?.FailPending(new Rejection(RejectReason.LeadershipLost, "the node stopped"));
            }

            replica.CancelBlockSignal();
        }

        AccountingMetrics.Forget(_nodeLabel);
        Storage.Dispose();
        _raftSecurity?.Dispose();
        _httpCertificate?.Dispose();
        _folderLock.Dispose();
        _forwarder.Dispose();
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

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (ChainFault(transaction.Body.Chain) is { } fault)
        {
            return SubmitResult.Reject(transaction.IdHex, new(RejectReason.ChainUnavailable, fault));
        }

        var cluster = _cluster ?? throw new InvalidOperationException("The node is not started.");
        for (var attempt = 0; ; attempt++)
        {
            if (IsLeader)
            {
                var ready = _proposer!.Ready;
                if (!ready.IsCompleted)
                {
                    try
                    {
                        await ready.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        return SubmitResult.Reject(transaction.IdHex, new(RejectReason.NoLeader, "the leader is not ready yet"));
                    }
                }

                if (_proposer.Submit(transaction) is { } result)
                {
                    return AccountingMetrics.Counted(result, _nodeLabel);
                }
            }
            else if (cluster.Leader is { IsRemote: true } leader
                && await _forwarder.TryForwardAsync(leader, transaction, cancellationToken).ConfigureAwait(false) is { } forwarded)
            {
                return _censorship!.Watching(transaction, forwarded);
            }

            if (attempt >= 50)
            {
                AccountingMetrics.SubmissionRefused(RejectReason.NoLeader, _nodeLabel);
                return SubmitResult.Reject(transaction.IdHex, new(RejectReason.NoLeader, "no leader could take the transaction; try again"));
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Replica.Waiters.WaitAsync(transactionId.ToArray(), timeout, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = fromHeight;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Storage.EnsureServed(chain);
            var signal = Replica.NextBlock;
            while (next < Storage.Count(chain))
            {
                yield return Storage.ReadBlock(chain, next) ?? throw new LedgerRejectedException(RejectReason.BlockMissing, $"{LedgerText.ChainName(chain)} block {next} is missing");
                next++;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) => Reader.GetTransactionAsync(transactionId, cancellationToken);

    /// <inheritdoc />
    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) => Reader.GetBlockAsync(chain, height, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default)
    {
        Storage.EnsureServed(chain);
        return Reader.GetTransactionsForAsync(party, chain, fromHeight, limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) => Reader.GetIdentityAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default) => Reader.GetIdentitiesAsync(role, after, limit, cancellationToken);

    /// <inheritdoc />
    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) => Reader.GetPatientKeysAsync(patient, cancellationToken);

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) => Reader.GetLatestKeyTransactionAsync(patient, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => Reader.GetBalanceAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) => Reader.GetCreditAsync(doctor, patient, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => Reader.GetNextNonceAsync(signer, cancellationToken);

    /// <inheritdoc />
    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => Reader.GetGenesisAsync(cancellationToken);

    /// <inheritdoc />
    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Reader.GetStatusAsync(cancellationToken);

    /// <summary>The first 8 characters of the node's id: its tag on metrics.</summary>
    internal string NodeLabel => _nodeLabel;

    /// <summary>A committed identity (for checking a peer's forwarding mark), or null.</summary>
    internal IdentityRecord? GetCommittedIdentity(IdentityId id)
    {
        lock (Replica.Sync)
        {
            return Replica.Committed.GetIdentity(id);
        }
    }

    /// <summary>The follower's watch over the transactions it forwarded (counts for tests and tools).</summary>
    internal CensorshipWatch Censorship => _censorship ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>The leader's part, for tests (its fault hook <see cref="BlockProposer.CensorFault"/>).</summary>
    internal BlockProposer Proposer => _proposer ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>Test hook: replicates raw bytes as a Raft entry, as a faulty leader could (no validation here).</summary>
    internal async Task ReplicateRawAsync(byte[] payload, CancellationToken cancellationToken = default) =>
        await _cluster!.ReplicateAsync(payload, null, cancellationToken).ConfigureAwait(false);

    private LedgerStatus Status() => NodeStatusReport.Build(NodeId, Genesis, _cluster, IsLeader, HttpUrl, Replica, Storage);
}
