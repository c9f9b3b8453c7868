using System.Globalization;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Runtime;

/// <summary>
/// The alerts a doctor node raises, worded in one place: an envelope that does not open and a batch that does not
/// authenticate (<see cref="AlertKind.DecryptionFailed"/>, node <c>doctor:&lt;id&gt;</c>), a stored block that does
/// not hash to its CID (<see cref="AlertKind.StoreTampered"/>, node = the store), a block no store node holds
/// (<see cref="AlertKind.BlockMissing"/>, node = the store) and a sealed key row that does not open
/// (<see cref="AlertKind.DecryptionFailed"/>). Each names the patient and carries
/// the transaction, CID, epoch and batch in its details.
/// </summary>
internal sealed class DoctorAlerts(IdentityId doctor, TimeProvider time)
{
    /// <summary>How this node names itself in alerts.</summary>
    public string NodeName => "doctor:" + doctor;

    /// <summary>An envelope of a key transaction naming this doctor does not open.</summary>
    public Alert EnvelopeDoesNotOpen(string keyTxId, IdentityId patient, uint epoch, EnvelopePurpose purpose, ulong height, string error) => New(
        AlertKind.DecryptionFailed,
        $"The {purpose} envelope for doctor {doctor} in key transaction {keyTxId} of patient {patient} (epoch {epoch}) does not open: " +
        "sealed to another key, epoch or purpose, or altered; this doctor is not authorised for that epoch",
        patient,
        NodeName,
        ("object", "envelope"),
        ("tx", keyTxId),
        ("epoch", Text(epoch)),
        ("purpose", purpose.ToString()),
        ("height", Text(height)),
        ("doctor", doctor.ToString()),
        ("error", error));

    /// <summary>The block of an IoT transaction does not hash to its CID in <paramref name="store"/>.</summary>
    public Alert BlockTampered(IotItem item, string store, string error) => New(
        AlertKind.StoreTampered,
        $"Block {item.Cid} of IoT transaction {item.TxId} of patient {item.Patient} in {store} does not hash to its CID: " +
        "modified at rest or in transit; the transaction is given up",
        item.Patient,
        store,
        BatchDetails(item, ("store", store), ("doctor", doctor.ToString()), ("error", error)));

    /// <summary>The block of an IoT transaction is still missing from <paramref name="store"/> after <paramref name="attempts"/> fetches.</summary>
    public Alert BlockMissing(IotItem item, string store, int attempts) => New(
        AlertKind.BlockMissing,
        $"Block {item.Cid} of IoT transaction {item.TxId} of patient {item.Patient} is held by no node of {store} after {attempts} fetches: " +
        "every copy lost or withheld; the transaction is given up, the patient's other batches are still diagnosed",
        item.Patient,
        store,
        BatchDetails(item, ("store", store), ("doctor", doctor.ToString()), ("attempts", Text((ulong)attempts))));

    /// <summary>The sealed keys of a patient's epoch in the doctor's database do not open under its local key.</summary>
    public Alert SealedKeyDoesNotOpen(IdentityId patient, uint epoch, string firstTxId, string error) => New(
        AlertKind.DecryptionFailed,
        $"The sealed keys of patient {patient}, epoch {epoch}, in this doctor's database do not open: altered at rest or moved " +
        "from another row; the epoch's IoT transactions are given up",
        patient,
        NodeName,
        ("object", "sealed-key"),
        ("epoch", Text(epoch)),
        ("tx", firstTxId),
        ("doctor", doctor.ToString()),
        ("error", error));

    /// <summary>A batch does not authenticate under the patient's IoT key and AAD (<paramref name="authenticated"/> false), or decrypts but is malformed.</summary>
    public Alert BatchDoesNotOpen(IotItem item, bool authenticated, string store, string error)
    {
        var message = authenticated
            ? $"The batch {item.Cid} of IoT transaction {item.TxId} decrypts under patient {item.Patient}'s IoT key but is malformed " +
                $"or names another patient, epoch or batch than epoch {item.Epoch}, batch {item.Batch}"
            : $"The batch {item.Cid} of IoT transaction {item.TxId} does not authenticate under patient {item.Patient}'s IoT key and AAD " +
                $"(epoch {item.Epoch}, batch {item.Batch}): moved from another transaction, altered, or sealed under another key";
        return New(
            AlertKind.DecryptionFailed,
            message + "; the transaction is given up",
            item.Patient,
            NodeName,
            BatchDetails(item, ("object", "batch"), ("store", store), ("error", error)));
    }

    /// <summary>
    /// Userchain block <paramref name="height"/>, proposed by <paramref name="proposer"/>, does not link to the block this
    /// node handled below it (<paramref name="handled"/>): the history was rewritten, or this node is served another fork.
    /// </summary>
    public Alert HistoryRewritten(ulong height, byte[] handled, byte[] linked, IdentityId proposer) => New(
        AlertKind.HistoryRewritten,
        $"Userchain block {height}, proposed by {proposer}, links to block {Convert.ToHexStringLower(linked)} but this doctor handled " +
        $"block {height - 1} as {Convert.ToHexStringLower(handled)}: the ledger's history was rewritten, or this node is served " +
        "another fork; nothing of it is applied",
        proposer,
        NodeName,
        ("chain", "userchain"),
        ("height", Text(height)),
        ("handled", Convert.ToHexStringLower(handled)),
        ("linked", Convert.ToHexStringLower(linked)),
        ("doctor", doctor.ToString()));

    private Alert New(AlertKind kind, string message, IdentityId patient, string node, params (string Key, string Value)[] details) =>
        new(kind, message)
        {
            Time = time.GetUtcNow(),
            IdentityId = patient.ToString(),
            Node = node,
            Details = details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        };

    private static (string, string)[] BatchDetails(IotItem item, params (string Key, string Value)[] more) =>
        [("tx", item.TxId), ("cid", item.Cid.ToString()), ("epoch", Text(item.Epoch)), ("batch", Text(item.Batch)), .. more];

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
