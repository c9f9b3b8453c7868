using HealthBlock.Gateway.Store;

namespace HealthBlock.Gateway.Ingest;

/// <summary>Refused frames by reason over all runs: the totals persisted by earlier runs plus this run's counts.</summary>
public sealed class RejectionCounters
{
    private readonly GatewayStore _store;
    private readonly FrameIngestor _ingestor;
    private readonly Dictionary<string, long> _earlier;

    /// <summary>Loads the totals of earlier runs.</summary>
    public RejectionCounters(GatewayStore store, FrameIngestor ingestor)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _ingestor = ingestor;
        _earlier = store.Rejections.Totals();
    }

    /// <summary>The totals now.</summary>
    public IReadOnlyDictionary<string, long> Totals()
    {
        var totals = new Dictionary<string, long>(_earlier);
        foreach (var (reason, count) in _ingestor.Rejections)
        {
            totals[reason.ToString()] = totals.GetValueOrDefault(reason.ToString()) + count;
        }

        return totals;
    }

    /// <summary>Writes the totals now to the store.</summary>
    public void Save() => _store.Rejections.Save(Totals());
}
