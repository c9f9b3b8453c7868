using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The transactions each party takes part in, in commit order (kept by the committed state only; forks queue their
/// additions until they merge). A location is listed once per party even when the party appears twice in it.
/// </summary>
internal sealed class PartyIndex
{
    private readonly Dictionary<IdentityId, List<TxLocation>> _parties = [];

    public void Add(IdentityId party, TxLocation location)
    {
        if (!_parties.TryGetValue(party, out var list))
        {
            _parties[party] = list = [];
        }

        if (list.Count == 0 || list[^1] != location)
        {
            list.Add(location);
        }
    }

    /// <summary>The party's locations on <paramref name="chain"/> at or above <paramref name="fromHeight"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<TxLocation> Get(IdentityId party, ChainId chain, ulong fromHeight, int limit)
    {
        if (!_parties.TryGetValue(party, out var list))
        {
            return [];
        }

        // Locations are appended in commit order, so heights per chain ascend; a forward scan with an early stop at the
        // limit is enough for the sizes served.
        var result = new List<TxLocation>();
        foreach (var l in list)
        {
            if (l.Chain == chain && l.Height >= fromHeight)
            {
                result.Add(l);
                if (result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }
}
