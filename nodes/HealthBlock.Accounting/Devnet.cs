using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>Files of a development network made by <see cref="Devnet.Create"/>.</summary>
/// <param name="GenesisFile">The genesis JSON.</param>
/// <param name="AdminKeyFile">The first admin's key file.</param>
/// <param name="NodeKeyFiles">One key file per accounting node.</param>
public sealed record DevnetFiles(string GenesisFile, string AdminKeyFile, IReadOnlyList<string> NodeKeyFiles);

/// <summary>Creates development genesis files and keys.</summary>
public static class Devnet
{
    /// <summary>A genesis with one admin and <paramref name="nodes"/> accounting nodes; returns their keys (caller disposes).</summary>
    public static (Genesis Genesis, IdentityKey Admin, IdentityKey[] Nodes) CreateGenesis(int nodes, ulong diagnosisFee = 10, string network = "devnet")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var admin = IdentityKey.Generate();
        var nodeKeys = Enumerable.Range(0, nodes).Select(_ => IdentityKey.Generate()).ToArray();
        var identities = new List<GenesisIdentity> { new(Role.Admin, "admin-1", admin.Public) };
        identities.AddRange(nodeKeys.Select((k, i) => new GenesisIdentity(Role.AccountingNode, $"node-{i + 1}", k.Public)));
        return (new Genesis(network, diagnosisFee, identities, []), admin, nodeKeys);
    }

    /// <summary>
    /// Writes <c>genesis.json</c>, <c>admin-1.key</c> and <c>node-N.key</c> into <paramref name="directory"/>, the keys
    /// encrypted under <paramref name="passphrase"/>. Existing files are not overwritten (it fails instead).
    /// </summary>
    public static DevnetFiles Create(string directory, int nodes, string passphrase, ulong diagnosisFee = 10, int keyIterations = KeyFile.DefaultIterations)
    {
        Directory.CreateDirectory(directory);
        var (genesis, admin, nodeKeys) = CreateGenesis(nodes, diagnosisFee);
        try
        {
            var genesisFile = Path.Combine(directory, "genesis.json");
            if (File.Exists(genesisFile))
            {
                throw new IOException($"{genesisFile} exists; not overwriting it.");
            }

            var adminFile = Path.Combine(directory, "admin-1.key");
            KeyFile.Write(adminFile, admin, "admin", passphrase, keyIterations);
            var files = new List<string>();
            for (var i = 0; i < nodeKeys.Length; i++)
            {
                var f = Path.Combine(directory, $"node-{i + 1}.key");
                KeyFile.Write(f, nodeKeys[i], "node", passphrase, keyIterations);
                files.Add(f);
            }

            genesis.Save(genesisFile);
            return new DevnetFiles(genesisFile, adminFile, files);
        }
        finally
        {
            admin.Dispose();
            foreach (var k in nodeKeys)
            {
                k.Dispose();
            }
        }
    }
}

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

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// One alert hub for every node (each alert names its node); null: each node logs its own. The cluster does not
    /// dispose it.
    /// </summary>
    public HealthBlock.Alerts.AlertHub? Alerts { get; init; }
}

/// <summary>
/// One to five accounting nodes in this process on loopback with OS-chosen ports and their own data folders, over a
/// generated genesis: for devnet and tests. Nodes can be stopped and restarted with their data.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private readonly bool _ownsDirectory;
    private readonly IdentityKey[] _nodeKeys;
    private readonly AccountingNode?[] _nodes;
    private readonly string[] _raftEndPoints;

    private LocalCluster(LocalClusterOptions options, int count)
    {
        _options = options;
        _ownsDirectory = options.RootDirectory is null;
        RootDirectory = options.RootDirectory ?? Directory.CreateTempSubdirectory("healthblock-ledger-").FullName;
        (Genesis, Admin, _nodeKeys) = Devnet.CreateGenesis(count, options.DiagnosisFee);
        _nodes = new AccountingNode?[count];
        _raftEndPoints = Enumerable.Range(0, count).Select(_ => $"127.0.0.1:{AccountingNode.ReservePort()}").ToArray();
    }

    /// <summary>The data root.</summary>
    public string RootDirectory { get; }

    /// <summary>The generated genesis.</summary>
    public Genesis Genesis { get; }

    /// <summary>The genesis admin's key (registers doctors, issues Healthcoin).</summary>
    public IdentityKey Admin { get; }

    /// <summary>Node <paramref name="index"/>'s key (tests).</summary>
    internal IdentityKey NodeKey(int index) => _nodeKeys[index];

    /// <summary>The nodes; a stopped node is null.</summary>
    public IReadOnlyList<AccountingNode?> Nodes => _nodes;

    /// <summary>The running nodes.</summary>
    public IEnumerable<AccountingNode> Running => _nodes.OfType<AccountingNode>();

    /// <summary>Starts <paramref name="nodes"/> nodes (1, 3 or 5 make sense) and waits for a leader.</summary>
    public static async Task<LocalCluster> StartAsync(int nodes, LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var cluster = new LocalCluster(options ?? new LocalClusterOptions(), nodes);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => cluster.StartNodeAsync(i, cancellationToken))).ConfigureAwait(false);
            await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts (or restarts) node <paramref name="index"/> on its data folder and Raft endpoint.</summary>
    public async Task<AccountingNode> StartNodeAsync(int index, CancellationToken cancellationToken = default)
    {
        if (_nodes[index] is not null)
        {
            throw new InvalidOperationException($"Node {index} is running.");
        }

        var node = await AccountingNode.StartAsync(
            new AccountingOptions
            {
                DataDirectory = Path.Combine(RootDirectory, $"node-{index + 1}"),
                RaftEndPoint = _raftEndPoints[index],
                Peers = _raftEndPoints,
                Genesis = Genesis,
                NodeKey = _nodeKeys[index],
                BatchInterval = _options.BatchInterval,
                MaxBlockTransactions = _options.MaxBlockTransactions,
                SnapshotEveryBlocks = _options.SnapshotEveryBlocks,
                LoggerFactory = _options.LoggerFactory,
                Alerts = _options.Alerts,
            },
            cancellationToken).ConfigureAwait(false);
        _nodes[index] = node;
        return node;
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
        for (var i = 0; i < _nodes.Length; i++)
        {
            await StopNodeAsync(i).ConfigureAwait(false);
        }

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
}
