using System.Runtime.CompilerServices;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Merges Userchain and Docchain blocks into the order a replica applied them: block times increase strictly across
/// both chains, and on equal times Userchain goes first (the order <see cref="LedgerAudit"/> uses).
/// </summary>
public static class BlockMerge
{
    /// <summary>The blocks of both sequences, each kept in its own order, merged by block time.</summary>
    public static async IAsyncEnumerable<Block> InAppliedOrderAsync(IAsyncEnumerable<Block> userchain, IAsyncEnumerable<Block> docchain, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userchain);
        ArgumentNullException.ThrowIfNull(docchain);
        var user = userchain.GetAsyncEnumerator(cancellationToken);
        await using (user.ConfigureAwait(false))
        {
            var doc = docchain.GetAsyncEnumerator(cancellationToken);
            await using (doc.ConfigureAwait(false))
            {
                var u = await user.MoveNextAsync().ConfigureAwait(false) ? user.Current : null;
                var d = await doc.MoveNextAsync().ConfigureAwait(false) ? doc.Current : null;
                while (u is not null || d is not null)
                {
                    if (d is null || (u is not null && u.Header.TimeMs <= d.Header.TimeMs))
                    {
                        yield return u!;
                        u = await user.MoveNextAsync().ConfigureAwait(false) ? user.Current : null;
                    }
                    else
                    {
                        yield return d;
                        d = await doc.MoveNextAsync().ConfigureAwait(false) ? doc.Current : null;
                    }
                }
            }
        }
    }
}
