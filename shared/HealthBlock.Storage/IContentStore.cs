using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

/// <summary>
/// A content-addressed block store: blocks are put as raw bytes and fetched back by their
/// <see cref="Cid"/> (CIDv1, raw, sha2-256), exactly as IPFS addresses a raw block.
/// </summary>
/// <remarks>
/// <para><b>Guarantees every implementation keeps.</b></para>
/// <list type="bullet">
/// <item><see cref="GetAsync"/> never returns bytes that do not hash to the requested CID: a block that no
/// longer matches is refused with <see cref="BlockTamperedException"/>, naming the CID and the store.</item>
/// <item>A block larger than <see cref="ContentStoreLimits.MaxBlockSize"/> (1 MiB, the IPFS block limit) is
/// refused with <see cref="BlockTooLargeException"/> before anything is written.</item>
/// <item><see cref="PutAsync"/> is idempotent: putting the same bytes again returns the same CID and changes
/// nothing observable. Once it returns, the block is durable in that store (for the embedded store: fsynced
/// file and directory).</item>
/// <item>Failures are <see cref="StoreException"/> subtypes: <see cref="BlockNotFoundException"/>,
/// <see cref="BlockTamperedException"/>, <see cref="BlockTooLargeException"/> and
/// <see cref="StoreUnavailableException"/> (node unreachable or not answering in time). Cancelling the
/// <see cref="CancellationToken"/> throws <see cref="OperationCanceledException"/> instead.</item>
/// </list>
/// <para><b>Concurrency.</b> Every member is safe for concurrent use from any number of threads, including
/// concurrent puts of the same block. A get that races a put of the same block either reports the block
/// missing or returns the whole, verified block, never a partial one. No member needs external locking.</para>
/// </remarks>
public interface IContentStore
{
    /// <summary>A human-readable name of this store (its data folder or node URL), used in messages and reports.</summary>
    string Name { get; }

    /// <summary>Stores a block and returns its CID, computed locally (and checked against the node's, for remote stores).</summary>
    /// <param name="block">The raw bytes; at most <see cref="ContentStoreLimits.MaxBlockSize"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="BlockTooLargeException">The block exceeds 1 MiB.</exception>
    /// <exception cref="StoreUnavailableException">The store could not be reached or did not answer in time.</exception>
    /// <exception cref="StoreException">The store refused or failed the write.</exception>
    Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default);

    /// <summary>Fetches a block and verifies it against <paramref name="cid"/> before returning it.</summary>
    /// <param name="cid">The block's content identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A new array holding the verified block.</returns>
    /// <exception cref="BlockNotFoundException">The store does not hold the block.</exception>
    /// <exception cref="BlockTamperedException">The stored bytes no longer hash to <paramref name="cid"/>.</exception>
    /// <exception cref="StoreUnavailableException">The store could not be reached or did not answer in time.</exception>
    Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>True when the store holds the block (without reading or verifying it; use <see cref="GetAsync"/> for that).</summary>
    /// <param name="cid">The block's content identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="StoreUnavailableException">The store could not be reached or did not answer in time.</exception>
    Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Protects a stored block from garbage collection. Idempotent. The embedded store keeps every block and
    /// only records the pin; IPFS nodes pin it (<c>pin/add</c>).
    /// </summary>
    /// <param name="cid">The block's content identifier.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="BlockNotFoundException">The store does not hold the block.</exception>
    /// <exception cref="StoreUnavailableException">The store could not be reached or did not answer in time.</exception>
    Task PinAsync(Cid cid, CancellationToken cancellationToken = default);
}
