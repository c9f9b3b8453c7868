using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// What the chain says about one statistics identity, read from its party index: its published key, its k, every
/// patient's consent (folded exactly as the ledger rules fold it), every committed contribution and decryption record.
/// <see cref="RefreshAsync"/> reads only what was committed since the last read. Both the statistics node and the
/// <c>stats cohort</c> command build their cohorts from it, so they agree on which contributions a window holds. Not
/// thread-safe.
/// </summary>
public sealed class StatisticsHistory
{
    private readonly PartyFollower _follower;
    private readonly StatisticsTables _tables = new();
    private readonly List<StatisticsContribution> _contributions = [];
    private readonly List<(byte[] TransactionId, StatisticsDecryptionPayload Record)> _decryptions = [];

    /// <summary>An empty history of <paramref name="statistics"/>; call <see cref="RefreshAsync"/>.</summary>
    public StatisticsHistory(ILedgerReader ledger, IdentityId statistics)
    {
        Statistics = statistics;
        _follower = new PartyFollower(ledger, statistics, ChainId.Userchain);
    }

    /// <summary>The statistics identity.</summary>
    public IdentityId Statistics { get; }

    /// <summary>Its published Paillier key, or null before it publishes one.</summary>
    public PaillierPublicKey? Key => State.GetKey(Statistics)?.Key;

    /// <summary>Its k (the latest policy's, else the default).</summary>
    public uint K => State.GetK(Statistics);

    /// <summary>Every committed contribution, in ledger order.</summary>
    public IReadOnlyList<StatisticsContribution> Contributions => _contributions;

    /// <summary>Every committed decryption record with its transaction id, in ledger order.</summary>
    public IReadOnlyList<(byte[] TransactionId, StatisticsDecryptionPayload Record)> Decryptions => _decryptions;

    private StatisticsState State => new(_tables, null);

    /// <summary>Reads the statistics identity's transactions committed since the last call.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        foreach (var committed in await _follower.ReadNewAsync(cancellationToken).ConfigureAwait(false))
        {
            var tx = committed.Transaction;
            var body = tx.Body;
            switch (body.Payload)
            {
                case StatisticsKeyPayload when body.Signer != Statistics:
                case StatisticsConsentPayload c when c.Statistics != Statistics:
                case StatisticsContributionPayload p when p.Statistics != Statistics:
                    continue;
                case StatisticsContributionPayload p:
                    _contributions.Add(new StatisticsContribution(tx.IdBytes, body.Signer, p.PeriodStartMs, p.PeriodEndMs, p.Ciphertexts));
                    break;
                case StatisticsDecryptionPayload d when body.Signer == Statistics:
                    _decryptions.Add((tx.IdBytes, d));
                    break;
            }

            State.Apply(body);
        }
    }

    /// <summary>Since when a patient is opted in (its current opt-in's time), or null when it is not.</summary>
    public long? OptedInSince(IdentityId patient) => State.GetConsent(patient, Statistics)?.InSinceMs;

    /// <summary>
    /// The contributions a cohort over [<paramref name="fromMs"/>, <paramref name="toMs"/>) adds up for
    /// <paramref name="patients"/>: each one's contributions whose period lies in the window and began at or after its
    /// current opt-in (contributions from before an opt-out are withdrawn).
    /// </summary>
    public IReadOnlyList<StatisticsContribution> ContributionsOf(IReadOnlySet<IdentityId> patients, long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(patients);
        return [.. _contributions.Where(c => patients.Contains(c.Patient) && c.PeriodStartMs >= fromMs && c.PeriodEndMs <= toMs
            && OptedInSince(c.Patient) is { } since && c.PeriodStartMs >= since)];
    }

    /// <summary>The patients a cohort over the window holds when nobody chooses: every opted-in patient with a contribution in it, ascending.</summary>
    public IReadOnlyList<IdentityId> EligiblePatients(long fromMs, long toMs)
    {
        var opted = _contributions.Select(c => c.Patient).Where(p => OptedInSince(p) is not null).ToHashSet();
        return [.. ContributionsOf(opted, fromMs, toMs).Select(c => c.Patient).Distinct().Order()];
    }

    /// <summary>
    /// The homomorphic sum of <paramref name="contributions"/> under the published key (the product of their ciphertexts
    /// mod n²): what a requester sends and the statistics node recomputes. Deterministic, so the two can be compared.
    /// </summary>
    /// <exception cref="InvalidOperationException">No key is published.</exception>
    /// <exception cref="PaillierException">A ciphertext is not valid under the key.</exception>
    public PaillierCiphertext Sum(IEnumerable<StatisticsContribution> contributions)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        var key = Key ?? throw new InvalidOperationException($"Statistics identity {Statistics} has published no key.");
        var sum = new CiphertextSum(key);
        foreach (var contribution in contributions)
        {
            foreach (var c in contribution.Ciphertexts)
            {
                sum.Add(PaillierCbor.DecodeCiphertext(c, key));
            }
        }

        return sum.ToCiphertext();
    }
}
