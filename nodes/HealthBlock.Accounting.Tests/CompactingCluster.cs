using HealthBlock.Crypto;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// Three accounting nodes with a small Raft chunk and frequent snapshots, so compaction shows within a test; nodes stop
/// and start on their data folders.
/// </summary>
internal sealed class CompactingCluster : IAsyncDisposable
{
    public const int ChunkBytes = 16 * 1024;

    private readonly IdentityKey[] _keys;
    private readonly string[] _endPoints;
    private readonly AccountingNode?[] _nodes = new AccountingNode?[3];

    public CompactingCluster(string root)
    {
        Root = root;
        (Genesis, Admin, _keys) = GenesisKeys.Generate(3);
        var first = Random.Shared.Next(20_000, 31_000);
        _endPoints = [.. Enumerable.Range(0, 3).Select(i => $"127.0.0.1:{first + (i * 7)}")];
    }

    public string Root { get; }

    public Genesis Genesis { get; }

    public IdentityKey Admin { get; }

    public IEnumerable<AccountingNode> Running => _nodes.OfType<AccountingNode>();

    public AccountingNode this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} is stopped");

    public string Folder(int index) => Path.Combine(Root, $"node-{index}");

    public Task StartAllAsync() => Task.WhenAll(Enumerable.Range(0, 3).Select(StartAsync));

    public async Task StartAsync(int index) =>
        _nodes[index] = await AccountingNode.StartAsync(new AccountingOptions
        {
            DataDirectory = Folder(index),
            RaftEndPoint = _endPoints[index],
            Peers = _endPoints,
            Genesis = Genesis,
            NodeKey = _keys[index],
            BatchInterval = TimeSpan.FromMilliseconds(5),
            MaxBlockTransactions = 10,
            SnapshotEveryBlocks = 8,
            RaftChunkBytes = ChunkBytes,
            StartupVerification = StartupVerification.Tail,
        });

    public async Task StopAsync(int index)
    {
        if (_nodes[index] is { } node)
        {
            _nodes[index] = null;
            await node.StopAsync();
        }
    }

    public async Task<AccountingNode> LeaderAsync()
    {
        using var cts = new CancellationTokenSource(Helpers.Timeout);
        while (true)
        {
            if (Running.FirstOrDefault(n => n.IsLeader) is { } leader)
            {
                return leader;
            }

            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>Waits until every running node has the same state hash and block counts.</summary>
    public async Task WaitForSameStateAsync()
    {
        using var cts = new CancellationTokenSource(Helpers.Timeout);
        while (Running.Select(n => (n.StateHash, n.BlockCount(Protocol.Ledger.ChainId.Userchain))).Distinct().Count() > 1)
        {
            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>Bytes of a node's Raft log folder.</summary>
    public long RaftLogBytes(int index) =>
        new DirectoryInfo(Path.Combine(Folder(index), "raft")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await StopAsync(i);
        }

        foreach (var k in _keys)
        {
            k.Dispose();
        }

        Admin.Dispose();
    }
}
