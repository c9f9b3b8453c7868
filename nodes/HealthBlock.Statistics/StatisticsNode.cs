using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Statistics;

/// <summary>
/// The statistics node (issue 20): the only holder of its statistics identity's Paillier private key. It decrypts only
/// a cohort's sum, and only after it has (1) verified the request's signature and that the requester is a registered
/// doctor or admin, (2) read the chain itself and refused any named patient who is not opted in, (3) checked the cohort
/// against the k rule and the differencing rule (<see cref="CohortRules"/>, k from the chain), (4) recomputed the sum of
/// the committed contributions and refused a sum that differs, and (5) committed a decryption record (who asked, which
/// metric, window and cohort, k). Requests are answered one at a time, so each sees every earlier record.
/// </summary>
public sealed class StatisticsNode : IDisposable
{
    /// <summary>How far a request's time may be from the node's clock (5 minutes).</summary>
    public static readonly TimeSpan MaxRequestSkew = TimeSpan.FromMinutes(5);

    private readonly PaillierPrivateKey _key;
    private readonly LedgerSubmitter _submitter;
    private readonly ILedgerReader _ledger;
    private readonly TimeProvider _time;
    private readonly StatisticsHistory _history;
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>A node whose identity signs through <paramref name="submitter"/> and whose Paillier key is <paramref name="key"/>.</summary>
    public StatisticsNode(PaillierPrivateKey key, LedgerSubmitter submitter, ILedgerReader ledger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(ledger);
        _key = key;
        _submitter = submitter;
        _ledger = ledger;
        _time = time ?? TimeProvider.System;
        _history = new StatisticsHistory(ledger, submitter.Signer);
    }

    /// <summary>The statistics identity.</summary>
    public IdentityId Identity => _submitter.Signer;

    /// <summary>Publishes the node's Paillier public key on chain unless it is published already.</summary>
    /// <exception cref="InvalidOperationException">The identity published another key.</exception>
    public async Task EnsureKeyPublishedAsync(CancellationToken cancellationToken = default)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _history.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (_history.Key is { } published)
            {
                if (!published.Equals(_key.PublicKey))
                {
                    throw new InvalidOperationException($"Statistics identity {Identity} published another Paillier key than the one this node holds.");
                }

                return;
            }

            await _submitter.SubmitAndWaitAsync(new StatisticsKeyPayload(PaillierCbor.Encode(_key.PublicKey)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Checks a request and, when every rule holds, records the decryption on chain and answers the figure.</summary>
    /// <exception cref="CohortRefusedException">A rule refuses it.</exception>
    public async Task<CohortAnswer> AnswerAsync(CohortRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckRequestAsync(request, cancellationToken).ConfigureAwait(false);
            await _history.RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (_history.Key is not { } key || !key.Equals(_key.PublicKey))
            {
                throw new InvalidOperationException($"Statistics identity {Identity} has not published the key this node holds.");
            }

            var contributions = Cohort(request);
            var cohort = contributions.Select(c => c.Patient).Distinct().Order().ToList();
            var k = _history.K;
            CohortRules.CheckSize(cohort.Count, k);
            CohortRules.CheckDifferencing(_history.Decryptions.Select(d => d.Record), request.Metric, request.FromMs, request.ToMs, cohort, k);
            var sum = _history.Sum(contributions);
            CheckSum(request.Sum, sum);

            var record = new StatisticsDecryptionPayload(request.Requester, request.Metric, request.FromMs, request.ToMs, k, (ulong)contributions.Count, cohort);
            var (tx, _) = await _submitter.SubmitAndWaitAsync(record, cancellationToken).ConfigureAwait(false);
            var row = VitalSignsLayout.Create(modulusBits: key.ModulusBits).Decode(_key.Decrypt(sum), contributions.Count);
            var (value, readings) = CohortMetric.Compute(request.Metric, row);
            return new CohortAnswer(request.Metric, value, readings, cohort.Count, contributions.Count, k, tx.IdHex);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _one.Dispose();

    private async Task CheckRequestAsync(CohortRequest request, CancellationToken cancellationToken)
    {
        if (!CohortMetric.IsKnown(request.Metric))
        {
            throw new CohortRefusedException(CohortRefusal.InvalidRequest, $"Unknown metric '{request.Metric}'; known: {string.Join(", ", CohortMetric.All)}.");
        }

        if (request.ToMs <= request.FromMs)
        {
            throw new CohortRefusedException(CohortRefusal.InvalidRequest, $"The window [{request.FromMs}, {request.ToMs}) is empty.");
        }

        if (Math.Abs(_time.GetUtcNow().ToUnixTimeMilliseconds() - request.TimeMs) > MaxRequestSkew.TotalMilliseconds)
        {
            throw new CohortRefusedException(CohortRefusal.BadSignature, $"The request was signed at {request.TimeMs}, more than {MaxRequestSkew} from now.");
        }

        var requester = await _ledger.GetIdentityAsync(request.Requester, cancellationToken).ConfigureAwait(false);
        if (requester is null || !requester.Keys.Verify(request.Digest(), request.Signature))
        {
            throw new CohortRefusedException(CohortRefusal.BadSignature, $"The request's signature does not verify under the key of {request.Requester}.");
        }

        if (requester.Role is not (Role.Doctor or Role.Admin))
        {
            throw new CohortRefusedException(CohortRefusal.NotAllowed, $"{request.Requester} is a {requester.Role}; only a doctor or an admin may ask for cohort statistics.");
        }
    }

    private List<StatisticsContribution> Cohort(CohortRequest request)
    {
        if (request.Patients is not { } named)
        {
            return [.. _history.ContributionsOf(_history.EligiblePatients(request.FromMs, request.ToMs).ToHashSet(), request.FromMs, request.ToMs)];
        }

        foreach (var patient in named)
        {
            if (_history.OptedInSince(patient) is null)
            {
                throw new CohortRefusedException(CohortRefusal.OptedOut, $"Patient {patient} is not opted in to {Identity}: the sum may not include it.");
            }
        }

        return [.. _history.ContributionsOf(named.ToHashSet(), request.FromMs, request.ToMs)];
    }

    private static void CheckSum(byte[] claimed, PaillierCiphertext recomputed)
    {
        PaillierCiphertext sent;
        try
        {
            sent = PaillierCbor.DecodeCiphertext(claimed, recomputed.Key);
        }
        catch (PaillierException e)
        {
            throw new CohortRefusedException(CohortRefusal.SumMismatch, $"The sum sent is not a ciphertext under the statistics key: {e.Message}");
        }

        if (!sent.Equals(recomputed))
        {
            throw new CohortRefusedException(CohortRefusal.SumMismatch, "The sum sent is not the sum of the cohort's committed contributions.");
        }
    }
}
