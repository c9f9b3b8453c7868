using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

public sealed class LiveCitationAuditTests : IDisposable
{
    private readonly World _w = new();
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<string, byte[]> _store = new(StringComparer.Ordinal);

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Citations_backed_by_a_committed_root_pass_and_a_forged_hash_or_an_uncommitted_sub_batch_is_reported()
    {
        var (patient, ps, doctor, ds, key) = Granted();
        var sealedBatches = Enumerable.Range(1, 5).Select(s => new LiveBatch(patient.Id, 1, (ulong)s, [[(byte)s, 1, 2]]).Seal(key)).ToList();
        LiveCitation Cite(int sequence, byte[]? hash = null) => new((ulong)sequence, hash ?? LiveBatch.Hash(sealedBatches[sequence - 1]));

        // An alarm may commit before the period that holds its sub-batches; both within the deadline.
        var early = ds.Sign(Alarm(patient.Id, Cite(2)));
        Commit(early);
        _w.Pass(500);
        Commit(ps.Sign(Period(patient.Id, 1, sealedBatches[..3])));
        var late = ds.Sign(Alarm(patient.Id, Cite(3)));
        var forged = ds.Sign(Alarm(patient.Id, Cite(1, SHA256.HashData([9]))));
        var uncommitted = ds.Sign(Alarm(patient.Id, Cite(5)));
        Commit(late, forged, uncommitted);
        _w.Pass(500);
        Commit(ps.Sign(Period(patient.Id, 2, [sealedBatches[3]])));

        var audit = new LiveCitationAudit(TimeSpan.FromSeconds(1));
        _blocks.ForEach(audit.Observe);
        Assert.Empty(audit.Problems);
        Assert.Equal(1, audit.Pending); // sub-batch 5: its deadline has not passed yet

        _w.Pass(3000);
        Commit(ps.Sign(new PaymentPayload(doctor.Id, 1)));
        audit.Observe(_blocks[^1]);
        var missing = Assert.Single(audit.Problems);
        Assert.Equal((uncommitted.IdHex, 5UL), (missing.Diagnosis, missing.Sequence));
        Assert.Contains("no IoT transaction", missing.Problem);

        var leaves = await audit.VerifyLeavesAsync((cid, _) => Task.FromResult(_store[cid.ToString()]));
        var wrong = Assert.Single(leaves);
        Assert.Equal((forged.IdHex, 1UL), (wrong.Diagnosis, wrong.Sequence));
        Assert.Contains("hash differs", wrong.Problem);
        Assert.Equal(3, audit.Backed);
        Assert.DoesNotContain(audit.Problems, p => p.Diagnosis == early.IdHex || p.Diagnosis == late.IdHex);
    }

    [Fact]
    public async Task A_bundle_that_does_not_match_its_anchor_is_reported()
    {
        var (patient, ps, doctor, ds, key) = Granted();
        var honest = Enumerable.Range(1, 2).Select(s => new LiveBatch(patient.Id, 1, (ulong)s, [[(byte)s]]).Seal(key)).ToList();
        var period = Period(patient.Id, 1, honest);

        // The IoT transaction commits the honest root, but the stored bundle holds another sub-batch 2.
        var swapped = new LiveBundle(patient.Id, 1, [honest[0], new LiveBatch(patient.Id, 1, 2, [[7]]).Seal(key)]).Encode();
        _store[Cid.Compute(swapped).ToString()] = swapped;
        Commit(ps.Sign(period with { Cid = Cid.Compute(swapped) }));
        Commit(ds.Sign(Alarm(patient.Id, new LiveCitation(1, LiveBatch.Hash(honest[0])))));

        var audit = new LiveCitationAudit(TimeSpan.FromSeconds(1));
        _blocks.ForEach(audit.Observe);
        var problem = Assert.Single(await audit.VerifyLeavesAsync((cid, _) => Task.FromResult(_store[cid.ToString()])));
        Assert.Contains("does not match", problem.Problem);
    }

    /// <summary>A patient who granted a doctor under epoch 1 and paid it, and the epoch's IoT key.</summary>
    private (IdentityKey Patient, TransactionSigner Ps, IdentityKey Doctor, TransactionSigner Ds, byte[] Key) Granted()
    {
        var (patient, ps) = _w.Patient(balance: 1000);
        var (doctor, ds) = _w.Doctor();
        Commit(ps.Sign(World.Keys(1, doctor)), ps.Sign(new PaymentPayload(doctor.Id, 500)));
        return (patient, ps, doctor, ds, RandomNumberGenerator.GetBytes(32));
    }

    private static DiagnosisPayload Alarm(IdentityId patient, params LiveCitation[] cites) =>
        new(patient, 1, Cid.Compute(RandomNumberGenerator.GetBytes(8)), [], 1000, 2000, null, cites);

    private IotPayload Period(IdentityId patient, ulong batch, IReadOnlyList<byte[]> sealedBatches)
    {
        var bundle = new LiveBundle(patient, 1, sealedBatches);
        var bytes = bundle.Encode();
        var cid = Cid.Compute(bytes);
        _store[cid.ToString()] = bytes;
        return new IotPayload(1, batch, cid, 1000, 2000, [SensorKind.Ecg], (uint)sealedBatches.Count, bundle.Anchor());
    }

    private void Commit(params Transaction[] txs) => _blocks.Add(_w.Commit(txs));
}
