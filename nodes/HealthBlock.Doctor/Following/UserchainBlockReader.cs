using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Following;

/// <summary>
/// What one Userchain block means to this doctor, as <see cref="IngestOp"/>s in block order: a key transaction naming
/// it → both envelopes opened (<c>Envelope.Open(doctorKey, epoch, IotKey|DiagnosisKey, …)</c>) and the keys sealed for
/// storage (<see cref="KeyGrantedOp"/>); a key transaction not naming it, or whose envelopes do not open → the patient
/// withdrew it (<see cref="KeyWithdrawnOp"/>, plus a <see cref="AlertKind.DecryptionFailed"/> alert for the latter);
/// an IoT transaction → <see cref="IotOp"/> (whether it is served is for the database to say); a payment to this
/// doctor → <see cref="PaymentOp"/>. Reading a block changes nothing: the alerts are raised once the block is recorded.
/// </summary>
internal sealed class UserchainBlockReader(IdentityKey doctor, PatientKeyring keys, DoctorAlerts alerts, ILogger log)
{
    /// <summary>The effects of every transaction of <paramref name="block"/>; <paramref name="raise"/> gets the alerts to raise once they are recorded.</summary>
    public List<IngestOp> Read(Block block, List<Alert> raise)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Read(FeedBlock.Of(block, Enumerable.Range(0, block.Transactions.Count), withProofs: false), raise);
    }

    /// <summary>The effects of the transactions <paramref name="block"/> carries (the doctor's feed); <paramref name="raise"/> gets the alerts to raise once they are recorded.</summary>
    public List<IngestOp> Read(FeedBlock block, List<Alert> raise)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(raise);
        var ops = new List<IngestOp>();
        foreach (var committed in block.Transactions)
        {
            var tx = committed.Transaction;
            var i = committed.Location.Index;
            var signer = tx.Body.Signer;
            switch (tx.Body.Payload)
            {
                case KeyPayload k:
                    ops.Add(ReadKey(block.Header.Height, tx, k, raise));
                    break;
                case IotPayload p:
                    ops.Add(new IotOp(new IotItem(tx.IdHex, IotTable.OrderOf(block.Header.Height, i), signer, p.Epoch, p.Batch, p.Cid, p.WindowStartMs, p.WindowEndMs)));
                    break;
                case PaymentPayload pay when pay.To == doctor.Id:
                    ops.Add(new PaymentOp(signer, tx.IdHex, pay.Amount));
                    break;
            }
        }

        return ops;
    }

    private IngestOp ReadKey(ulong height, Transaction tx, KeyPayload k, List<Alert> raise)
    {
        var patient = tx.Body.Signer;
        var envelope = k.Envelopes.FirstOrDefault(e => e.Doctor == doctor.Id);
        if (envelope is null)
        {
            return new KeyWithdrawnOp(patient, k.Epoch, $"revoked by key transaction {tx.IdHex} (epoch {k.Epoch})");
        }

        var purpose = EnvelopePurpose.IotKey;
        try
        {
            var iotKey = Envelope.Open(doctor, k.Epoch, purpose, envelope.IotKey);
            purpose = EnvelopePurpose.DiagnosisKey;
            var diagnosisKey = Envelope.Open(doctor, k.Epoch, purpose, envelope.DiagnosisKey);
            var (sealedIot, sealedDiagnosis) = keys.Seal(patient, k.Epoch, iotKey, diagnosisKey);
            log.LogInformation("Patient {Patient} authorised this doctor in epoch {Epoch}", patient, k.Epoch);
            return new KeyGrantedOp(patient, k.Epoch, sealedIot, sealedDiagnosis, tx.IdHex);
        }
        catch (CryptoException e)
        {
            log.LogError("The envelopes of key transaction {Tx} of patient {Patient} do not open: {Message}", tx.IdHex, patient, e.Message);
            raise.Add(alerts.EnvelopeDoesNotOpen(tx.IdHex, patient, k.Epoch, purpose, height, e.Message));
            return new KeyWithdrawnOp(patient, k.Epoch, $"the envelopes of key transaction {tx.IdHex} do not open");
        }
    }
}
