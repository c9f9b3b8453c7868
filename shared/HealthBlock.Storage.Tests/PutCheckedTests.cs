using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests;

/// <summary><see cref="ContentStoreExtensions.PutCheckedAsync"/>: the one check that a store answered the CID of the bytes.</summary>
public sealed class PutCheckedTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_honest_store_answers_the_cid_of_the_bytes()
    {
        var store = new EmbeddedContentStore(_folder.Sub("store"));

        var cid = await store.PutCheckedAsync(TestBlocks.HelloWorld);

        Assert.Equal(Cid.Compute(TestBlocks.HelloWorld), cid);
    }

    [Fact]
    public async Task A_store_that_answers_another_cid_is_refused_naming_both_cids_and_the_store()
    {
        var store = new LyingStore(new EmbeddedContentStore(_folder.Sub("store")));

        var error = await Assert.ThrowsAsync<StoreException>(() => store.PutCheckedAsync(TestBlocks.HelloWorld));

        Assert.Contains(Cid.Compute(TestBlocks.HelloWorld).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(Cid.Compute([1, 2, 3]).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Name, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Stores the block in a real store but answers the CID of other bytes, as a faulty store could.</summary>
    private sealed class LyingStore(IContentStore inner) : IContentStore
    {
        public string Name => "lying:" + inner.Name;

        public async Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
        {
            await inner.PutAsync(block, cancellationToken);
            return Cid.Compute([1, 2, 3]);
        }

        public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default) => inner.GetAsync(cid, cancellationToken);

        public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => inner.HasAsync(cid, cancellationToken);

        public Task PinAsync(Cid cid, CancellationToken cancellationToken = default) => inner.PinAsync(cid, cancellationToken);
    }
}
