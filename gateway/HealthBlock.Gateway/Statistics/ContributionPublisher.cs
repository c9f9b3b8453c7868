using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Statistics;

/// <summary>
/// Turns a closed period's counters into the patient's statistics contribution and sees it committed: checks the
/// patient's consent as the ledger folds it (opted in, and since no later than the period's start), packs the counters
/// with <see cref="VitalSignsLayout"/> under the statistics identity's published key, encrypts them (one ciphertext),
/// signs through the gateway's one <see cref="LedgerSubmitter"/>, keeps the signed transaction in the store before it
/// is submitted (a crash resubmits the same one), and records what became of the period.
/// </summary>
internal sealed class ContributionPublisher
{
    private readonly StatisticsStore _store;
    private readonly LedgerSubmitter _submitter;
    private readonly ILedgerReader _ledger;
    private readonly IdentityId _statistics;
    private readonly ILogger _logger;
    private readonly PartyFollower _consents;
    private long? _optedInSince;
    private PaillierPublicKey? _key;
    private PackedLayout? _layout;

    public ContributionPublisher(StatisticsStore store, LedgerSubmitter submitter, ILedgerReader ledger, IdentityId statistics, ILogger logger)
    {
        _store = store;
        _submitter = submitter;
        _ledger = ledger;
        _statistics = statistics;
        _logger = logger;
        _consents = new PartyFollower(ledger, submitter.Signer, ChainId.Userchain);
    }

    /// <summary>Contributions committed by this process.</summary>
    public long Committed { get; private set; }

    /// <summary>Periods closed without a contribution because the patient was not opted in for them.</summary>
    public long Skipped { get; private set; }

    /// <summary>Contributions the ledger refused for good.</summary>
    public long Refused { get; private set; }

    /// <summary>
    /// Submits the contribution signed but not seen committed (after a crash or a failed submission), if one waits;
    /// returns the start of its period once it is finished, else null.
    /// </summary>
    public async Task<long?> ResumeAsync(CancellationToken cancellationToken)
    {
        if (_store.Signed() is not { } signed)
        {
            return null;
        }

        var tx = Transaction.Decode(signed.Transaction);
        var p = (StatisticsContributionPayload)tx.Body.Payload;
        await SubmitAsync(tx, p.PeriodStartMs, p.PeriodEndMs, null, cancellationToken).ConfigureAwait(false);
        return p.PeriodStartMs;
    }

    /// <summary>Publishes a closed period, or records why it is not published.</summary>
    public async Task PublishAsync(PeriodCounters period, CancellationToken cancellationToken)
    {
        await RefreshConsentAsync(cancellationToken).ConfigureAwait(false);
        if (_optedInSince is not { } since || since > period.StartMs)
        {
            _store.Finish(period.StartMs, period.EndMs, "skipped", _optedInSince is { } at ? $"opted in at {at}, after the period's start" : "not opted in");
            Skipped++;
            return;
        }

        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        _layout ??= VitalSignsLayout.Create(modulusBits: key.ModulusBits);
        var ciphertext = key.Encrypt(_layout.Encode(period.ToRow()));
        var payload = new StatisticsContributionPayload(_statistics, period.StartMs, period.EndMs, [PaillierCbor.Encode(ciphertext)]);
        var tx = _submitter.Sign(payload);
        _store.Sign(period, tx.Encode(), tx.IdHex);
        await SubmitAsync(tx, period.StartMs, period.EndMs, period, cancellationToken).ConfigureAwait(false);
    }

    private async Task SubmitAsync(Transaction tx, long startMs, long endMs, PeriodCounters? period, CancellationToken cancellationToken)
    {
        try
        {
            var (committed, _) = await _submitter.SubmitAndWaitAsync(tx, t => Resign(t, startMs, endMs, period), cancellationToken).ConfigureAwait(false);
            _store.Finish(startMs, endMs, "committed", committed.IdHex);
            Committed++;
            _logger.LogInformation("Statistics contribution of [{Start}, {End}) committed: {Transaction}", startMs, endMs, committed.IdHex);
        }
        catch (LedgerRejectedException e) when (!e.Reason.IsTransient())
        {
            _store.Finish(startMs, endMs, "refused", $"{e.Reason}: {e.Message}");
            Refused++;
            _logger.LogWarning("Statistics contribution of [{Start}, {End}) refused: {Reason} {Message}", startMs, endMs, e.Reason, e.Message);
        }
    }

    private void Resign(Transaction fresh, long startMs, long endMs, PeriodCounters? period) =>
        _store.Sign(period ?? new PeriodCounters(startMs, endMs), fresh.Encode(), fresh.IdHex);

    /// <summary>Folds the patient's consents committed since the last read, as the ledger does.</summary>
    private async Task RefreshConsentAsync(CancellationToken cancellationToken)
    {
        foreach (var committed in await _consents.ReadNewAsync(cancellationToken).ConfigureAwait(false))
        {
            var body = committed.Transaction.Body;
            if (body.Signer == _submitter.Signer && body.Payload is StatisticsConsentPayload c && c.Statistics == _statistics)
            {
                _optedInSince = c.OptIn ? _optedInSince ?? body.TimeMs : null;
            }
        }
    }

    /// <summary>The statistics identity's published key (its key transaction precedes every contribution in its history).</summary>
    private async Task<PaillierPublicKey> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is not null)
        {
            return _key;
        }

        var history = await new PartyFollower(_ledger, _statistics, ChainId.Userchain).ReadNewAsync(cancellationToken).ConfigureAwait(false);
        var published = history.FirstOrDefault(t => t.Transaction.Body.Signer == _statistics && t.Transaction.Body.Payload is StatisticsKeyPayload)
            ?? throw new InvalidOperationException($"Statistics identity {_statistics} has published no key yet.");
        _key = PaillierCbor.DecodePublicKey(((StatisticsKeyPayload)published.Transaction.Body.Payload).PublicKey);
        return _key;
    }
}
