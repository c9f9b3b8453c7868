using HealthBlock.Crypto;
using HealthBlock.Gateway.Journal;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Keys;

/// <summary>An IoT key epoch the patient has published.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="IotKey">The AES-256 IoT key of that epoch.</param>
public sealed record EpochKey(uint Epoch, byte[] IotKey);

/// <summary>A doctor as the patient's gateway knows it.</summary>
/// <param name="Id">The doctor's identity id.</param>
/// <param name="Identity">Its public keys (from its registration).</param>
/// <param name="DiagnosisKey">The diagnosis key the patient issued to it.</param>
/// <param name="Authorised">True while the doctor holds envelopes of the current epoch.</param>
public sealed record DoctorEntry(IdentityId Id, PublicIdentity Identity, byte[] DiagnosisKey, bool Authorised);

/// <summary>
/// The patient's key management (the paper's key transactions). Granting a doctor publishes a new epoch with the
/// same IoT key and envelopes for every authorised doctor; revoking one publishes a new epoch with a NEW IoT key and
/// envelopes only for the doctors who remain, so the revoked doctor cannot read anything sealed after it. Each doctor
/// gets its own diagnosis key. Keys are sealed at rest; an epoch is used for batches only once its key transaction
/// is committed.
/// </summary>
public sealed class PatientKeyManager
{
    private readonly GatewayDatabase _database;
    private readonly SecretSealer _sealer;
    private readonly PatientSigner _signer;
    private readonly ILedger _ledger;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _publishLock = new(1, 1);

    /// <summary>Creates the manager.</summary>
    public PatientKeyManager(GatewayDatabase database, SecretSealer sealer, PatientSigner signer, ILedger ledger, ILogger logger)
    {
        _database = database;
        _sealer = sealer;
        _signer = signer;
        _ledger = ledger;
        _logger = logger;
    }

    /// <summary>The latest epoch whose key transaction is committed, or null.</summary>
    public EpochKey? CurrentEpoch()
    {
        var row = _database.Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT epoch, sealed_iot_key FROM epochs WHERE key_tx_id IS NOT NULL ORDER BY epoch DESC LIMIT 1";
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? ((uint)reader.GetInt64(0), (byte[])reader[1]) : ((uint, byte[])?)null;
        });
        return row is { } r ? new EpochKey(r.Item1, _sealer.Open(r.Item2, EpochLabel(r.Item1))) : null;
    }

    /// <summary>The IoT key of a committed epoch, or null.</summary>
    public EpochKey? Epoch(uint epoch)
    {
        var sealedKey = _database.Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT sealed_iot_key FROM epochs WHERE epoch = $e AND key_tx_id IS NOT NULL";
            cmd.Parameters.AddWithValue("$e", (long)epoch);
            return cmd.ExecuteScalar() as byte[];
        });
        return sealedKey is null ? null : new EpochKey(epoch, _sealer.Open(sealedKey, EpochLabel(epoch)));
    }

    /// <summary>Every doctor ever granted, with its diagnosis key.</summary>
    public IReadOnlyList<DoctorEntry> Doctors() => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT doctor, signing_key, encryption_key, sealed_diagnosis_key, authorised FROM doctors ORDER BY doctor";
        using var reader = cmd.ExecuteReader();
        var list = new List<DoctorEntry>();
        while (reader.Read())
        {
            var id = IdentityId.Parse(reader.GetString(0));
            list.Add(new DoctorEntry(id, new PublicIdentity((byte[])reader[1], (byte[])reader[2]), _sealer.Open((byte[])reader[3], DoctorLabel(id)), reader.GetInt64(4) != 0));
        }

        return (IReadOnlyList<DoctorEntry>)list;
    });

    /// <summary>Makes sure a committed epoch exists (publishing epoch 1 with no doctor if needed) and returns the current one.</summary>
    public async Task<EpochKey> EnsureEpochAsync(CancellationToken cancellationToken = default)
    {
        await ReconcileAsync(cancellationToken);
        if (CurrentEpoch() is { } current)
        {
            return current;
        }

        return await PublishAsync(null, null, rotate: true, cancellationToken);
    }

    /// <summary>
    /// After a crash between a key transaction's commit and its local record: marks the kept key of the ledger's
    /// current epoch as committed.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var keys = await _ledger.GetPatientKeysAsync(_signer.Patient.Id, cancellationToken);
        if (keys is null || keys.Epoch == 0 || CurrentEpoch()?.Epoch >= keys.Epoch)
        {
            return;
        }

        var latest = await _ledger.GetLatestKeyTransactionAsync(_signer.Patient.Id, cancellationToken);
        var updated = _database.Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE epochs SET key_tx_id = $x WHERE epoch = $e AND key_tx_id IS NULL";
            cmd.Parameters.AddWithValue("$x", latest?.Transaction.IdHex ?? "recovered");
            cmd.Parameters.AddWithValue("$e", (long)keys.Epoch);
            return cmd.ExecuteNonQuery();
        });
        if (updated == 1)
        {
            _logger.LogWarning("Recovered key epoch {Epoch}: committed on the ledger but not recorded here before a restart", keys.Epoch);
        }
    }

    /// <summary>Authorises <paramref name="doctor"/>: a new epoch (same IoT key) with envelopes for every authorised doctor.</summary>
    public Task<EpochKey> GrantAsync(IdentityId doctor, CancellationToken cancellationToken = default) =>
        PublishAsync(doctor, null, rotate: CurrentEpoch() is null, cancellationToken);

    /// <summary>Revokes <paramref name="doctor"/>: a new IoT key and envelopes only for the doctors who remain.</summary>
    public Task<EpochKey> RevokeAsync(IdentityId doctor, CancellationToken cancellationToken = default)
    {
        if (!Doctors().Any(d => d.Id == doctor && d.Authorised))
        {
            throw new InvalidOperationException($"Doctor {doctor} is not authorised; nothing to revoke.");
        }

        return PublishAsync(null, doctor, rotate: true, cancellationToken);
    }

    /// <summary>Pays a doctor in Healthcoin.</summary>
    public async Task<TxLocation> PayAsync(IdentityId doctor, ulong amount, CancellationToken cancellationToken = default)
    {
        var (_, location) = await _signer.SubmitAsync(_signer.Sign(new PaymentPayload(doctor, amount)), cancellationToken: cancellationToken);
        return location;
    }

    private async Task<EpochKey> PublishAsync(IdentityId? grant, IdentityId? revoke, bool rotate, CancellationToken cancellationToken)
    {
        await _publishLock.WaitAsync(cancellationToken);
        try
        {
            var doctors = Doctors().ToDictionary(d => d.Id);
            if (grant is { } g && !doctors.ContainsKey(g))
            {
                var record = await _ledger.GetIdentityAsync(g, cancellationToken)
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

            await _signer.SyncNonceAsync(cancellationToken);
            var ledgerKeys = await _ledger.GetPatientKeysAsync(_signer.Patient.Id, cancellationToken);
            var previous = CurrentEpoch();
            var epoch = Math.Max(ledgerKeys?.Epoch ?? 0, previous?.Epoch ?? 0) + 1;
            var iotKey = rotate || previous is null ? Aead.NewKey() : previous.IotKey;
            var authorised = doctors.Values.Where(d => d.Authorised).OrderBy(d => d.Id).ToList();
            var envelopes = authorised.Select(d => new KeyEnvelope(
                d.Id,
                Envelope.Seal(d.Identity, epoch, EnvelopePurpose.IotKey, iotKey),
                Envelope.Seal(d.Identity, epoch, EnvelopePurpose.DiagnosisKey, d.DiagnosisKey))).ToList();

            // Keep the new key before the ledger can know it: a crash after the commit must not lose it.
            SaveEpoch(epoch, iotKey, null, []);
            var tx = _signer.Sign(new KeyPayload(epoch, envelopes));
            var (committed, location) = await _signer.SubmitAsync(tx, cancellationToken: cancellationToken);
            SaveEpoch(epoch, iotKey, committed.IdHex, doctors.Values);
            _logger.LogInformation("Key epoch {Epoch} committed at {Location} with {Count} doctors (IoT key {Rotation})", epoch, location, authorised.Count, iotKey == previous?.IotKey ? "kept" : "new");
            return new EpochKey(epoch, iotKey);
        }
        finally
        {
            _publishLock.Release();
        }
    }

    private void SaveEpoch(uint epoch, byte[] iotKey, string? txId, IEnumerable<DoctorEntry> doctors) => _database.Run(connection =>
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT OR REPLACE INTO epochs (epoch, sealed_iot_key, created_ms, key_tx_id) VALUES ($e, $k, $t, $x)";
        cmd.Parameters.AddWithValue("$e", (long)epoch);
        cmd.Parameters.AddWithValue("$k", _sealer.Seal(iotKey, EpochLabel(epoch)));
        cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$x", (object?)txId ?? DBNull.Value);
        cmd.ExecuteNonQuery();
        foreach (var d in doctors)
        {
            using var up = connection.CreateCommand();
            up.Transaction = tx;
            up.CommandText = """
                INSERT INTO doctors (doctor, signing_key, encryption_key, sealed_diagnosis_key, authorised, changed_ms)
                VALUES ($d, $s, $e, $k, $a, $t)
                ON CONFLICT(doctor) DO UPDATE SET authorised = excluded.authorised, changed_ms = excluded.changed_ms
                """;
            up.Parameters.AddWithValue("$d", d.Id.ToString());
            up.Parameters.AddWithValue("$s", d.Identity.SigningKey.ToArray());
            up.Parameters.AddWithValue("$e", d.Identity.EncryptionKey.ToArray());
            up.Parameters.AddWithValue("$k", _sealer.Seal(d.DiagnosisKey, DoctorLabel(d.Id)));
            up.Parameters.AddWithValue("$a", d.Authorised ? 1 : 0);
            up.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            up.ExecuteNonQuery();
        }

        tx.Commit();
    });

    private static string EpochLabel(uint epoch) => $"iot-key:{epoch}";

    private static string DoctorLabel(IdentityId doctor) => $"diagnosis-key:{doctor}";
}
