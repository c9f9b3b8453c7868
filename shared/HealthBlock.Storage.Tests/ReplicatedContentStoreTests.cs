using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Replication;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests;

/// <summary>k-of-n writes, reads around failed and tampered nodes, and locating copies.</summary>
public sealed class ReplicatedContentStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FaultyStore[] _nodes;
    private readonly ReplicatedContentStore _store;
    private readonly List<TamperDetectedEventArgs> _tampered = [];

    public ReplicatedContentStoreTests()
    {
        _nodes = [.. Enumerable.Range(0, 3).Select(i => new FaultyStore(new EmbeddedContentStore(_folder.Sub($"node{i}")), $"node{i}"))];
        _store = new ReplicatedContentStore(_nodes, new ReplicatedContentStoreOptions { WriteQuorum = 2, Name = "test cluster" });
        _store.TamperDetected += (_, e) =>
        {
            lock (_tampered)
            {
                _tampered.Add(e);
            }
        };
    }

    public void Dispose() => _folder.Dispose();

    private FaultyStore Node(IContentStore node) => (FaultyStore)node;

    private async Task<IContentStore[]> HoldersOf(Cid cid)
    {
        var replicas = await _store.LocateAsync(cid);
        return [.. replicas.Where(r => r.State == ReplicaState.Present).Select(r => r.Node)];
    }

    [Fact]
    public async Task A_put_stores_the_block_on_exactly_k_nodes_the_first_k_of_its_placement()
    {
        var block = TestBlocks.Unique();

        var cid = await _store.PutAsync(block);

        var replicas = await _store.LocateAsync(cid);
        Assert.Equal(3, replicas.Count);
        Assert.Equal(2, replicas.Count(r => r.State == ReplicaState.Present));
        Assert.Equal(1, replicas.Count(r => r.State == ReplicaState.Missing));
        Assert.Equal(_store.GetPlacement(cid).Take(2).ToHashSet(), (await HoldersOf(cid)).ToHashSet());
    }

    [Fact]
    public async Task A_put_with_one_node_down_still_writes_k_copies_on_the_nodes_that_are_up()
    {
        var block = TestBlocks.Unique();
        var cid = Cid.Compute(block);
        var firstChoice = Node(_store.GetPlacement(cid)[0]);
        firstChoice.Down = true;

        await _store.PutAsync(block);

        firstChoice.Down = false;
        var holders = await HoldersOf(cid);
        Assert.Equal(2, holders.Length);
        Assert.DoesNotContain(firstChoice, holders);
    }

    [Fact]
    public async Task A_put_that_cannot_reach_k_nodes_fails_with_WriteQuorumException_naming_what_was_written()
    {
        var block = TestBlocks.Unique();
        var cid = Cid.Compute(block);
        var placement = _store.GetPlacement(cid);
        Node(placement[0]).Down = true;
        Node(placement[2]).Down = true;

        var error = await Assert.ThrowsAsync<WriteQuorumException>(() => _store.PutAsync(block));

        Assert.Equal(2, error.Required);
        Assert.Equal([placement[1].Name], error.WrittenTo);
        Assert.Equal(cid, error.Cid);
        Assert.Contains(placement[1].Name, error.Message, StringComparison.Ordinal);
        Assert.Contains(placement[0].Name + " is down", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<StoreUnavailableException>(error);
    }

    [Fact]
    public async Task A_get_succeeds_when_a_node_holding_the_block_is_down()
    {
        var block = TestBlocks.Unique();
        var cid = await _store.PutAsync(block);
        Node(_store.GetPlacement(cid)[0]).Down = true;

        Assert.Equal(block, await _store.GetAsync(cid));
        Assert.True(await _store.HasAsync(cid));
    }

    [Fact]
    public async Task A_get_skips_a_tampered_copy_returns_an_intact_one_and_reports_the_tampered_node()
    {
        var block = TestBlocks.Unique(10_000);
        var cid = await _store.PutAsync(block);
        var bad = Node(_store.GetPlacement(cid)[0]);
        Tamper.Corrupt((EmbeddedContentStore)bad.Inner, cid);

        var back = await _store.GetAsync(cid);

        Assert.Equal(block, back);
        var report = Assert.Single(_tampered);
        Assert.Same(bad, report.Node);
        Assert.Equal(cid, report.Error.Cid);
        Assert.Contains(bad.Inner.Name, report.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_returns_wrong_bytes_without_checking_them_is_caught_by_the_replicated_store()
    {
        var block = TestBlocks.Unique(10_000);
        var cid = await _store.PutAsync(block);
        var liar = Node(_store.GetPlacement(cid)[0]);
        liar.ServesCorruptBytes = true;

        Assert.Equal(block, await _store.GetAsync(cid));
        Assert.Same(liar, Assert.Single(_tampered).Node);
    }

    [Fact]
    public async Task A_verified_locate_shows_each_node_as_present_missing_tampered_or_unavailable()
    {
        var cid = await _store.PutAsync(TestBlocks.Unique());
        var placement = _store.GetPlacement(cid);
        Tamper.Corrupt((EmbeddedContentStore)Node(placement[0]).Inner, cid);
        Node(placement[2]).Down = true;

        var replicas = await _store.LocateAsync(cid, verify: true);

        Assert.Equal(_nodes, replicas.Select(r => r.Node));
        ReplicaState StateOf(IContentStore n) => replicas.Single(r => r.Node == n).State;
        Assert.Equal(ReplicaState.Tampered, StateOf(placement[0]));
        Assert.Equal(ReplicaState.Present, StateOf(placement[1]));
        Assert.Equal(ReplicaState.Unavailable, StateOf(placement[2]));
        Assert.Contains("down", replicas.Single(r => r.Node == placement[2]).Detail, StringComparison.Ordinal);
        Assert.Same(placement[0], Assert.Single(_tampered).Node);
    }

    [Fact]
    public async Task A_get_whose_holders_are_down_reports_the_store_unavailable_not_the_block_missing()
    {
        var cid = await _store.PutAsync(TestBlocks.Unique());
        foreach (var holder in await HoldersOf(cid))
        {
            Node(holder).Down = true;
        }

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.GetAsync(cid));

        Assert.Equal(cid, error.Cid);
        Assert.Contains("test cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Has_throws_StoreUnavailableException_only_when_no_node_answers()
    {
        var missing = Cid.Compute(TestBlocks.Unique());
        _nodes[0].Down = true;
        _nodes[1].Down = true;
        Assert.False(await _store.HasAsync(missing));

        _nodes[2].Down = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => _store.HasAsync(missing));
    }

    [Fact]
    public async Task Pin_pins_the_block_on_every_node_that_holds_it()
    {
        var cid = await _store.PutAsync(TestBlocks.Unique());

        await _store.PinAsync(cid);

        foreach (var node in _nodes)
        {
            var embedded = (EmbeddedContentStore)node.Inner;
            Assert.Equal(await embedded.HasAsync(cid), embedded.IsPinned(cid));
        }
    }

    [Fact]
    public async Task Placement_spreads_blocks_over_all_nodes_and_is_the_same_for_a_store_over_the_same_nodes()
    {
        var cids = await Task.WhenAll(Enumerable.Range(0, 150).Select(i => _store.PutAsync(TestBlocks.Random(64, i))));
        var other = new ReplicatedContentStore(_nodes.Reverse(), new ReplicatedContentStoreOptions { WriteQuorum = 2 });

        foreach (var node in _nodes)
        {
            var held = ((EmbeddedContentStore)node.Inner).EnumerateCids().Count();
            Assert.InRange(held, 50, 150); // 100 expected: 150 blocks x 2 copies over 3 nodes
        }

        Assert.All(cids, c => Assert.Equal(_store.GetPlacement(c), other.GetPlacement(c)));
    }

    [Fact]
    public void A_write_quorum_above_the_node_count_or_no_nodes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ReplicatedContentStore(_nodes, new ReplicatedContentStoreOptions { WriteQuorum = 4 }));
        Assert.Throws<ArgumentException>(() => new ReplicatedContentStore([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicatedContentStoreOptions { WriteQuorum = 0 });
    }
}
