using System.Runtime.CompilerServices;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Helpers over <see cref="ILedgerReader"/>.</summary>
public static class LedgerReaderExtensions
{
    private const int PageSize = 1000;

    /// <summary>
    /// Every committed transaction <paramref name="party"/> takes part in on <paramref name="chain"/> from
    /// <paramref name="fromHeight"/> on, in ledger order, each once: pages through
    /// <see cref="ILedgerReader.GetTransactionsForAsync"/> (a page continues at its last height, so a block split across
    /// two pages is not skipped, and what the two pages share is given once).
    /// </summary>
    public static async IAsyncEnumerable<CommittedTransaction> ReadAllTransactionsForAsync(this ILedgerReader ledger, IdentityId party, ChainId chain, ulong fromHeight = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var height = fromHeight;
        var seen = new HashSet<int>();
        while (true)
        {
            var page = await ledger.GetTransactionsForAsync(party, chain, height, PageSize, cancellationToken).ConfigureAwait(false);
            var last = height;
            var atLast = new HashSet<int>(seen);
            foreach (var t in page)
            {
                if (t.Location.Height == height && seen.Contains(t.Location.Index))
                {
                    continue;
                }

                if (t.Location.Height != last)
                {
                    last = t.Location.Height;
                    atLast.Clear();
                }

                atLast.Add(t.Location.Index);
                yield return t;
            }

            if (page.Count < PageSize || last == height)
            {
                yield break;
            }

            height = last;
            seen = atLast;
        }
    }
}
