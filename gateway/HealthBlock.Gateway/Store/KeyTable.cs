using HealthBlock.Data;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Store;

/// <summary>A doctor row; the diagnosis key stays sealed here.</summary>
internal sealed record DoctorRow(IdentityId Id, byte[] SigningKey, byte[] EncryptionKey, byte[] SealedDiagnosisKey, bool Authorised);

/// <summary>The <c>epochs</c> and <c>doctors</c> tables: the patient's IoT key per epoch and the doctors it granted.</summary>
internal sealed class KeyTable(GatewayStore store)
{
    /// <summary>The latest epoch whose key transaction is committed, with its sealed IoT key.</summary>
    public (uint Epoch, byte[] SealedKey)? Current() => store.Run(c => SqliteStatements.Rows(c, null,
        "SELECT epoch, sealed_iot_key FROM epochs WHERE key_tx_id IS NOT NULL ORDER BY epoch DESC LIMIT 1",
        r => ((uint)r.GetInt64(0), (byte[])r[1])).Select(x => ((uint, byte[])?)x).FirstOrDefault());

    /// <summary>The sealed IoT key of a committed epoch, or null.</summary>
    public byte[]? SealedKey(uint epoch) => store.Run(c =>
        SqliteStatements.Scalar(c, null, "SELECT sealed_iot_key FROM epochs WHERE epoch = $e AND key_tx_id IS NOT NULL", ("$e", (long)epoch)) as byte[]);

    public List<DoctorRow> Doctors() => store.Run(c => SqliteStatements.Rows(c, null,
        "SELECT doctor, signing_key, encryption_key, sealed_diagnosis_key, authorised FROM doctors ORDER BY doctor",
        r => new DoctorRow(IdentityId.Parse(r.GetString(0)), (byte[])r[1], (byte[])r[2], (byte[])r[3], r.GetInt64(4) != 0)));

    /// <summary>
    /// Records an epoch's key (uncommitted while <paramref name="keyTxId"/> is null) and, in the same transaction,
    /// the doctors as they stand with it.
    /// </summary>
    public void SaveEpoch(uint epoch, byte[] sealedKey, string? keyTxId, IEnumerable<DoctorRow> doctors, long nowMs) => store.Run(c =>
    {
        using var tx = c.BeginTransaction();
        SqliteStatements.NonQuery(c, tx, "INSERT OR REPLACE INTO epochs (epoch, sealed_iot_key, created_ms, key_tx_id) VALUES ($e, $k, $t, $x)",
            ("$e", (long)epoch), ("$k", sealedKey), ("$t", nowMs), ("$x", keyTxId));
        foreach (var d in doctors)
        {
            SqliteStatements.NonQuery(c, tx, """
                INSERT INTO doctors (doctor, signing_key, encryption_key, sealed_diagnosis_key, authorised, changed_ms)
                VALUES ($d, $s, $e, $k, $a, $t)
                ON CONFLICT(doctor) DO UPDATE SET authorised = excluded.authorised, changed_ms = excluded.changed_ms
                """,
                ("$d", d.Id.ToString()), ("$s", d.SigningKey), ("$e", d.EncryptionKey), ("$k", d.SealedDiagnosisKey), ("$a", d.Authorised ? 1 : 0), ("$t", nowMs));
        }

        tx.Commit();
    });

    /// <summary>Marks a recorded but unconfirmed epoch as committed (after a crash); true when it was unconfirmed.</summary>
    public bool Confirm(uint epoch, string keyTxId) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "UPDATE epochs SET key_tx_id = $x WHERE epoch = $e AND key_tx_id IS NULL", ("$x", keyTxId), ("$e", (long)epoch)) == 1);
}
