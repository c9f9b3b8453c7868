using System.Net.Sockets;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Ledger;

namespace HealthBlock.Devnet;

/// <summary>
/// One to five accounting nodes in this process on loopback, each with its own data folder, over a generated genesis:
/// for devnet, tests and benchmarks. Nodes can be stopped and restarted with their data.
/// </summary>
/// <remarks>
/// Kestrel binds port 0 and reports the port it got, and so does a single node's Raft listener. In a cluster dotNext
/// needs every member's address before any member starts, so the cluster picks ports itself (below Linux's ephemeral range, where outgoing connections never
/// take a local port) and, when a port turns out to be taken at bind time, starts again on new ports instead of
/// failing: there is no reserve-then-bind window to lose.
/// </remarks>
public sealed class LocalCluster : IAsyncDisposable
{
    private const int FirstPort = 20_000;
    private const int LastPort = 32_000;
    private const int StartAttempts = 8;

    private readonly LocalClusterOptions _options;
    private readonly bool _ownsDirectory;
    private readonly IdentityKey[] _nodeKeys;
    private readonly AccountingNode?[] _nodes;
    private string[] _raftEndPoints;

    private LocalCluster(LocalClusterOptions options, int count)
    {
        _options = options;
        _ownsDirectory = options.RootDirectory is null;
        RootDirectory = options.RootDirectory ?? Directory.CreateTempSubdirectory("healthblock-ledger-").FullName;
        (Genesis, Admin, _nodeKeys) = GenesisKeys.Generate(count, options.DiagnosisFee);
        _nodes = new AccountingNode?[count];
        _raftEndPoints = NewEndPoints(count);
    }

    /// <summary>The data root.</summary>
    public string RootDirectory { get; }

    /// <summary>The generated genesis.</summary>
    public Genesis Genesis { get; }

    /// <summary>The genesis admin's key (registers doctors, issues Healthcoin).</summary>
    public IdentityKey Admin { get; }

    /// <summary>The nodes; a stopped node is null.</summary>
    public IReadOnlyList<AccountingNode?> Nodes => _nodes;

    /// <summary>The running nodes.</summary>
    public IEnumerable<AccountingNode> Running => _nodes.OfType<AccountingNode>();

    /// <summary>How many times the cluster started again on new ports because one was taken (diagnostics).</summary>
    public int PortConflicts { get; private set; }

    /// <summary>Node <paramref name="index"/>'s key.</summary>
    public IdentityKey NodeKey(int index) => _nodeKeys[index];

    /// <summary>Starts <paramref name="nodes"/> nodes (1, 3 or 5 make sense) and waits for a leader.</summary>
    public static async Task<LocalCluster> StartAsync(int nodes, LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var cluster = new LocalCluster(options ?? new LocalClusterOptions(), nodes);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => cluster.StartNodeAsync(i, cancellationToken))).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (attempt < StartAttempts && IsAddressInUse(e))
                {
                    // A fresh cluster: nothing in its folders is worth keeping, so start over on new ports.
                    cluster.PortConflicts++;
                    await cluster.StopAllAsync().ConfigureAwait(false);
                    cluster.DeleteNodeFolders();
                    cluster._raftEndPoints = NewEndPoints(nodes);
                }
            }

            await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts (or restarts) node <paramref name="index"/> on its data folder and Raft endpoint. A restarted node keeps
    /// its endpoint (its peers know it by it); if the port is briefly taken, the start is tried again.
    /// </summary>
    public async Task<AccountingNode> StartNodeAsync(int index, CancellationToken cancellationToken = default)
    {
        if (_nodes[index] is not null)
        {
            throw new InvalidOperationException($"Node {index} is running.");
        }

        var restart = Directory.Exists(NodeFolder(index));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var node = await AccountingNode.StartAsync(NodeOptions(index), cancellationToken).ConfigureAwait(false);
                _nodes[index] = node;
                return node;
            }
            catch (Exception e) when (restart && attempt < StartAttempts && IsAddressInUse(e))
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops node <paramref name="index"/>, keeping its data.</summary>
    public async Task StopNodeAsync(int index)
    {
        if (_nodes[index] is { } node)
        {
            _nodes[index] = null;
            await node.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a running node is leader and returns it.</summary>
    public async Task<AccountingNode> WaitForLeaderAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            if (Running.FirstOrDefault(n => n.IsLeader) is { } leader)
            {
                return leader;
            }

            try
            {
                await Task.Delay(20, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No leader among the running nodes within {timeout}.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        Admin.Dispose();
        foreach (var k in _nodeKeys)
        {
            k.Dispose();
        }

        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) says a listener's address was taken.</summary>
    internal static bool IsAddressInUse(Exception? e) => e switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException a => a.InnerExceptions.Any(IsAddressInUse),
        _ => IsAddressInUse(e.InnerException),
    };

    private static string[] NewEndPoints(int count)
    {
        if (count == 1)
        {
            return ["127.0.0.1:0"]; // a lone node has no peer to tell: the OS picks its port
        }

        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(Random.Shared.Next(FirstPort, LastPort));
        }

        return [.. ports.Select(p => $"127.0.0.1:{p}")];
    }

    private AccountingOptions NodeOptions(int index) => new()
    {
        DataDirectory = NodeFolder(index),
        RaftEndPoint = _raftEndPoints[index],
        Peers = _raftEndPoints,
        Genesis = Genesis,
        NodeKey = _nodeKeys[index],
        BatchInterval = _options.BatchInterval,
        MaxBlockTransactions = _options.MaxBlockTransactions,
        SnapshotEveryBlocks = _options.SnapshotEveryBlocks,
        HttpLimits = _options.HttpLimits,
        CensorshipWatch = _options.CensorshipWatch,
        ListenUrl = _options.ListenUrl,
        LoggerFactory = _options.LoggerFactory,
        Alerts = _options.Alerts,
    };

    private string NodeFolder(int index) => Path.Combine(RootDirectory, $"node-{index + 1}");

    private async Task StopAllAsync()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            await StopNodeAsync(i).ConfigureAwait(false);
        }
    }

    private void DeleteNodeFolders()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (Directory.Exists(NodeFolder(i)))
            {
                Directory.Delete(NodeFolder(i), recursive: true);
            }
        }
    }
}
