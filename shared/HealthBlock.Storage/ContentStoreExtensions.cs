using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

/// <summary>Helpers over <see cref="IContentStore"/>.</summary>
public static class ContentStoreExtensions
{
    /// <summary>
    /// Stores <paramref name="block"/> and checks that the store answered the CID the bytes hash to, so a store that
    /// misbehaves cannot make a caller announce a CID that does not name its data.
    /// </summary>
    /// <exception cref="StoreException">The store answered another CID (or failed as <see cref="IContentStore.PutAsync"/> says).</exception>
    public static async Task<Cid> PutCheckedAsync(this IContentStore store, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cid = await store.PutAsync(block, cancellationToken).ConfigureAwait(false);
        if (!cid.Matches(block.Span))
        {
            throw new StoreException($"The store {store.Name} answered {cid} for a block that hashes to {Cid.Compute(block.Span)}.");
        }

        return cid;
    }
}
