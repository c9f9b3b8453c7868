using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Following;

/// <summary>
/// Pages through the committed transactions a party takes part in on one chain
/// (<see cref="ILedgerReader.GetTransactionsForAsync"/>): each page goes to a handler with the highest height it
/// reached, and the next page starts at that height (a transaction there may come twice; handlers record by id).
/// </summary>
internal static class PartyHistory
{
    private const int PageSize = 1000;

    /// <summary>Reads from <paramref name="fromHeight"/> to the end, handing each page and its top height to <paramref name="page"/>.</summary>
    public static async Task ReadAsync(ILedgerReader ledger, IdentityId party, ChainId chain, ulong fromHeight, Action<IReadOnlyList<CommittedTransaction>, ulong> page, CancellationToken cancellationToken)
    {
        var height = fromHeight;
        while (true)
        {
            var transactions = await ledger.GetTransactionsForAsync(party, chain, height, PageSize, cancellationToken).ConfigureAwait(false);
            var top = transactions.Select(t => t.Location.Height).DefaultIfEmpty(height).Max();
            page(transactions, Math.Max(top, height));
            if (transactions.Count < PageSize || top == height)
            {
                return;
            }

            height = top;
        }
    }
}
