using System.Security.Cryptography;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

public sealed class StoredBlockAuditTests : IDisposable
{
    private readonly World _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Every_iot_batch_and_diagnosis_document_no_holder_has_is_named_with_its_transaction_chain_height_and_patient()
    {
        var (patient, ps) = _w.Patient(balance: 1000);
        var (doctor, ds) = _w.Doctor();
        var keys = _w.Commit(ps.Sign(World.Keys(1, doctor)), ps.Sign(new PaymentPayload(doctor.Id, 500)));
        var kept = ps.Sign(new IotPayload(1, 1, Cid.Compute(RandomNumberGenerator.GetBytes(8)), 1000, 2000, [SensorKind.Ecg], 1));
        var lostBatch = ps.Sign(new IotPayload(1, 2, Cid.Compute(RandomNumberGenerator.GetBytes(8)), 2000, 3000, [SensorKind.Ecg], 1));
        var iot = _w.Commit(kept, lostBatch);
        var lostDocument = ds.Sign(new DiagnosisPayload(patient.Id, 1, Cid.Compute(RandomNumberGenerator.GetBytes(8)), [lostBatch.IdBytes], 2000, 3000, null));
        var diagnosis = _w.Commit(lostDocument);

        var audit = new StoredBlockAudit();
        foreach (var block in new[] { keys, iot, diagnosis })
        {
            audit.Observe(block);
        }

        var held = new HashSet<Cid> { ((IotPayload)kept.Body.Payload).Cid };
        var asked = new List<Cid>();
        var missing = await audit.FindMissingAsync((cid, _) =>
        {
            asked.Add(cid);
            return Task.FromResult(held.Contains(cid));
        });

        Assert.Equal(3, audit.References.Count);
        Assert.Equal(3, asked.Count);
        Assert.Equal(
            [
                new StoredBlockReference(((IotPayload)lostBatch.Body.Payload).Cid, lostBatch.IdHex, "IoT batch", ChainId.Userchain, iot.Header.Height, patient.Id),
                new StoredBlockReference(((DiagnosisPayload)lostDocument.Body.Payload).Cid, lostDocument.IdHex, "diagnosis document", ChainId.Docchain, diagnosis.Header.Height, patient.Id),
            ],
            missing);
    }
}
