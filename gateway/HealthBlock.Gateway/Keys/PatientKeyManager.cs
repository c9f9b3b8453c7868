using HealthBlock.Crypto;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Keys;

/// <summary>
/// The patient's key management (the paper's key transactions). Every key transaction — granting a doctor or revoking
/// one — starts a new epoch with a NEW IoT key and envelopes for the doctors authorised in it, so a revoked doctor
/// cannot read anything sealed after its revocation, and no IoT key ever seals two batches with one batch number (the
/// batch nonce is <c>IOTB ‖ batch number</c>: a batch sealed again under a later epoch is sealed under another key; see
/// docs/security.md §4). Each doctor gets its own diagnosis key. Keys are sealed at rest; an epoch is used for batches
/// only once its key transaction is committed.
/// </summary>
public sealed class PatientKeyManager
{
    private readonly GatewayStore _store;
    private readonly SecretSealer _sealer;
    private readonly LedgerSubmitter _submitter;
    private readonly ILedgerReader _ledger;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _publishLock = new(1, 1);

    /// <summary>Creates the manager.</summary>
    public PatientKeyManager(GatewayStore store, SecretSealer sealer, LedgerSubmitter submitter, ILedgerReader ledger, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(submitter);
        _store = store;
        _sealer = sealer;
        _submitter = submitter;
        _ledger = ledger;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The patient.</summary>
    public IdentityId Patient => _submitter.Signer;

    /// <summary>The latest epoch whose key transaction is committed, or null.</summary>
    public EpochKey? CurrentEpoch() =>
        _store.Keys.Current() is { } r ? new EpochKey(r.Epoch, _sealer.Open(r.SealedKey, EpochLabel(r.Epoch))) : null;

    /// <summary>The IoT key of a committed epoch, or null.</summary>
    public EpochKey? Epoch(uint epoch) =>
        _store.Keys.SealedKey(epoch) is { } sealedKey ? new EpochKey(epoch, _sealer.Open(sealedKey, EpochLabel(epoch))) : null;

    /// <summary>Every doctor ever granted, with its diagnosis key.</summary>
    public IReadOnlyList<DoctorEntry> Doctors() =>
        [.. _store.Keys.Doctors().Select(d => new DoctorEntry(d.Id, new PublicIdentity(d.SigningKey, d.EncryptionKey), _sealer.Open(d.SealedDiagnosisKey, DoctorLabel(d.Id)), d.Authorised))];

    /// <summary>Makes sure a committed epoch exists (publishing epoch 1 with no doctor if needed) and returns the current one.</summary>
    public async Task<EpochKey> EnsureEpochAsync(CancellationToken cancellationToken = default)
    {
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        if (CurrentEpoch() is { } current)
        {
            return current;
        }

        return await PublishAsync(null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a crash between a key transaction's commit and its local record: marks the recorded key of the ledger's
    /// current epoch as committed.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var keys = await _ledger.GetPatientKeysAsync(Patient, cancellationToken).ConfigureAwait(false);
        if (keys is null || keys.Epoch == 0 || CurrentEpoch()?.Epoch >= keys.Epoch)
        {
            return;
        }

        var latest = await _ledger.GetLatestKeyTransactionAsync(Patient, cancellationToken).ConfigureAwait(false);
        if (_store.Keys.Confirm(keys.Epoch, latest?.Transaction.IdHex ?? "recovered"))
        {
            _logger.LogWarning("Recovered key epoch {Epoch}: committed on the ledger but not recorded here before a restart", keys.Epoch);
        }
    }

    /// <summary>Authorises <paramref name="doctor"/>: a new epoch with a new IoT key and envelopes for every authorised doctor.</summary>
    public Task<EpochKey> GrantAsync(IdentityId doctor, CancellationToken cancellationToken = default) =>
        PublishAsync(doctor, null, cancellationToken);

    /// <summary>Revokes <paramref name="doctor"/>: a new epoch with a new IoT key and envelopes only for the doctors who remain.</summary>
    /// <exception cref="InvalidOperationException">The doctor is not authorised.</exception>
    public Task<EpochKey> RevokeAsync(IdentityId doctor, CancellationToken cancellationToken = default)
    {
        if (!Doctors().Any(d => d.Id == doctor && d.Authorised))
        {
            throw new InvalidOperationException($"Doctor {doctor} is not authorised; nothing to revoke.");
        }

        return PublishAsync(null, doctor, cancellationToken);
    }

    /// <summary>Pays a doctor in Healthcoin.</summary>
    /// <exception cref="LedgerRejectedException">The ledger refused the payment.</exception>
    public async Task<TxLocation> PayAsync(IdentityId doctor, ulong amount, CancellationToken cancellationToken = default)
    {
        var (_, location) = await _submitter.SubmitAndWaitAsync(new PaymentPayload(doctor, amount), cancellationToken).ConfigureAwait(false);
        return location;
    }

    /// <summary>Opts the patient in to or out of <paramref name="statistics"/>' cohort statistics; waits for the commit.</summary>
    public async Task<TxLocation> ConsentAsync(IdentityId statistics, bool optIn, CancellationToken cancellationToken = default)
    {
        var (_, location) = await _submitter.SubmitAndWaitAsync(new StatisticsConsentPayload(statistics, optIn), cancellationToken).ConfigureAwait(false);
        return location;
    }

    private async Task<EpochKey> PublishAsync(IdentityId? grant, IdentityId? revoke, CancellationToken cancellationToken)
    {
        await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var doctors = Doctors().ToDictionary(d => d.Id);
            if (grant is { } g && !doctors.ContainsKey(g))
            {
                var record = await _ledger.GetIdentityAsync(g, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{g} is not registered on the ledger.");
                if (record.Role != Role.Doctor)
                {
                    throw new InvalidOperationException($"{g} is registered as {LedgerNames.RoleName(record.Role)}, not as a doctor.");
                }

                doctors[g] = new DoctorEntry(g, record.Keys, Aead.NewKey(), true);
            }
            else if (grant is { } again)
            {
                doctors[again] = doctors[again] with { Authorised = true };
            }

            if (revoke is { } r)
            {
                doctors[r] = doctors[r] with { Authorised = false };
            }

            var ledgerKeys = await _ledger.GetPatientKeysAsync(Patient, cancellationToken).ConfigureAwait(false);
            var epoch = Math.Max(ledgerKeys?.Epoch ?? 0, CurrentEpoch()?.Epoch ?? 0) + 1;

            // A fresh IoT key for every epoch, grants included: a batch the ledger refuses as stale is sealed again under
            // the new epoch with the same batch number (the same nonce), which is safe only under another key.
            var iotKey = Aead.NewKey();
            var authorised = doctors.Values.Where(d => d.Authorised).OrderBy(d => d.Id).ToList();
            var envelopes = authorised.Select(d => new KeyEnvelope(
                d.Id,
                Envelope.Seal(d.Identity, epoch, EnvelopePurpose.IotKey, iotKey),
                Envelope.Seal(d.Identity, epoch, EnvelopePurpose.DiagnosisKey, d.DiagnosisKey))).ToList();

            // Keep the new key before the ledger can know it: a crash after the commit must not lose it.
            var sealedKey = _sealer.Seal(iotKey, EpochLabel(epoch));
            _store.Keys.SaveEpoch(epoch, sealedKey, null, [], Now());
            var (committed, location) = await _submitter.SubmitAndWaitAsync(new KeyPayload(epoch, envelopes), cancellationToken).ConfigureAwait(false);
            _store.Keys.SaveEpoch(epoch, sealedKey, committed.IdHex, doctors.Values.Select(Row), Now());
            _logger.LogInformation("Key epoch {Epoch} committed at {Location} with {Count} doctors and a new IoT key", epoch, location, authorised.Count);
            return new EpochKey(epoch, iotKey);
        }
        finally
        {
            _publishLock.Release();
        }
    }

    private DoctorRow Row(DoctorEntry d) =>
        new(d.Id, d.Identity.SigningKey.ToArray(), d.Identity.EncryptionKey.ToArray(), _sealer.Seal(d.DiagnosisKey, DoctorLabel(d.Id)), d.Authorised);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string EpochLabel(uint epoch) => $"iot-key:{epoch}";

    private static string DoctorLabel(IdentityId doctor) => $"diagnosis-key:{doctor}";
}
