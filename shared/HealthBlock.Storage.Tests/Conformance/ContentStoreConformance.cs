using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests.Conformance;

/// <summary>
/// The one behaviour every <see cref="IContentStore"/> must show. Each implementation runs it through a
/// concrete subclass that says how to make a fresh store.
/// </summary>
public abstract class ContentStoreConformance : IAsyncLifetime
{
    private IContentStore? _store;

    /// <summary>The store under test, fresh for each test.</summary>
    protected IContentStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>Makes a fresh, empty store.</summary>
    protected abstract Task<IContentStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeStoreAsync();

    [StoreFact]
    public async Task Put_returns_the_CID_IPFS_gives_hello_world()
    {
        var cid = await Store.PutAsync(TestBlocks.HelloWorld);

        Assert.Equal(TestBlocks.HelloWorldCid, cid.ToString());
    }

    [StoreTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(65_543)]
    [InlineData(262_144)]
    [InlineData(1_048_575)]
    [InlineData(ContentStoreLimits.MaxBlockSize)]
    public async Task Put_then_get_returns_the_same_bytes_under_the_locally_computed_CID(int size)
    {
        var block = TestBlocks.Random(size, seed: size);

        var cid = await Store.PutAsync(block);
        var back = await Store.GetAsync(cid);

        Assert.Equal(Cid.Compute(block), cid);
        Assert.Equal(block, back);
        Assert.True(await Store.HasAsync(cid));
    }

    [StoreFact]
    public async Task Put_of_the_same_block_twice_returns_the_same_CID_and_keeps_the_block()
    {
        var block = TestBlocks.Unique();

        var first = await Store.PutAsync(block);
        var second = await Store.PutAsync(block);

        Assert.Equal(first, second);
        Assert.Equal(block, await Store.GetAsync(first));
    }

    [StoreFact]
    public async Task Concurrent_puts_of_the_same_and_of_different_blocks_all_land()
    {
        var shared = TestBlocks.Unique(70_000);
        var distinct = Enumerable.Range(0, 8).Select(_ => TestBlocks.Unique(5_000)).ToArray();

        var puts = Enumerable.Range(0, 8).Select(_ => Store.PutAsync(shared))
            .Concat(distinct.Select(b => Store.PutAsync(b)));
        var cids = await Task.WhenAll(puts);

        Assert.All(cids.Take(8), c => Assert.Equal(Cid.Compute(shared), c));
        Assert.Equal(shared, await Store.GetAsync(cids[0]));
        for (var i = 0; i < distinct.Length; i++)
        {
            Assert.Equal(distinct[i], await Store.GetAsync(cids[8 + i]));
        }
    }

    [StoreFact]
    public async Task Get_of_a_missing_block_throws_BlockNotFoundException_naming_the_CID()
    {
        var missing = Cid.Compute(TestBlocks.Unique());

        var error = await Assert.ThrowsAsync<BlockNotFoundException>(() => Store.GetAsync(missing));

        Assert.Equal(missing, error.Cid);
        Assert.Contains(missing.ToString(), error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Has_is_false_for_a_missing_block_and_true_once_put()
    {
        var block = TestBlocks.Unique();
        var cid = Cid.Compute(block);

        Assert.False(await Store.HasAsync(cid));
        await Store.PutAsync(block);
        Assert.True(await Store.HasAsync(cid));
    }

    [StoreFact]
    public async Task Pin_of_a_stored_block_succeeds_and_is_idempotent()
    {
        var cid = await Store.PutAsync(TestBlocks.Unique());

        await Store.PinAsync(cid);
        await Store.PinAsync(cid);

        Assert.True(await Store.HasAsync(cid));
    }

    [StoreFact]
    public async Task Pin_of_a_missing_block_throws_BlockNotFoundException()
    {
        var missing = Cid.Compute(TestBlocks.Unique());

        var error = await Assert.ThrowsAsync<BlockNotFoundException>(() => Store.PinAsync(missing));

        Assert.Equal(missing, error.Cid);
    }

    [StoreFact]
    public async Task A_block_over_1_MiB_is_refused_with_BlockTooLargeException_and_not_stored()
    {
        var block = TestBlocks.Random(ContentStoreLimits.MaxBlockSize + 1, seed: 7);

        var error = await Assert.ThrowsAsync<BlockTooLargeException>(() => Store.PutAsync(block));

        Assert.Equal(ContentStoreLimits.MaxBlockSize + 1, error.Size);
        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
        Assert.Contains("batch", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(await Store.HasAsync(Cid.Compute(block)));
    }

    [StoreFact]
    public async Task A_cancelled_token_cancels_instead_of_reporting_a_store_failure()
    {
        var cid = await Store.PutAsync(TestBlocks.Unique());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync(cid, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync(TestBlocks.Unique(), cancelled.Token));
    }
}

/// <summary>The conformance suite plus the tamper checks, for stores whose copies a test can corrupt.</summary>
public abstract class TamperableContentStoreConformance : ContentStoreConformance
{
    /// <summary>Corrupts every stored copy of <paramref name="cid"/> behind the store's back.</summary>
    protected abstract Task TamperAsync(Cid cid, bool truncate);

    [StoreTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_block_modified_at_rest_is_refused_with_BlockTamperedException_naming_the_CID_and_store(bool truncate)
    {
        var cid = await Store.PutAsync(TestBlocks.Unique(4096));
        await TamperAsync(cid, truncate);

        var error = await Assert.ThrowsAsync<BlockTamperedException>(() => Store.GetAsync(cid));

        Assert.Equal(cid, error.Cid);
        Assert.Equal(Store.Name, error.Store);
        Assert.Contains(cid.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(Store.Name, error.Message, StringComparison.Ordinal);
    }
}
