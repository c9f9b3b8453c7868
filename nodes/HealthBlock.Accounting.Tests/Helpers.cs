using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

internal static class Helpers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static KeyPayload Keys(uint epoch, params IdentityKey[] doctors) =>
        new(epoch, doctors.Select(d => new KeyEnvelope(d.Id, new byte[Envelope.Overhead + 32], new byte[Envelope.Overhead + 32])).OrderBy(e => e.Doctor).ToList());

    public static IotPayload Iot(uint epoch, ulong batch) =>
        new(epoch, batch, Cid.Compute(BitConverter.GetBytes(batch)), 1000, 2000, [SensorKind.Ecg], 10);

    public static DiagnosisPayload Diagnosis(IdentityId patient, uint epoch, params Transaction[] covers) =>
        new(patient, epoch, Cid.Compute([1, 2, 3]), covers.Select(c => c.IdBytes).OrderBy(c => c, ByteArrayComparer.Instance).ToList(), 1000, 2000, null);

    /// <summary>The admin's registration of <paramref name="patient"/> (nobody registers itself), signed at the admin's next nonce on <paramref name="ledger"/>.</summary>
    public static async Task<Transaction> AdminRegistersAsync(ILedgerReader ledger, IdentityKey admin, PublicIdentity patient, string name = "p")
    {
        var network = (await ledger.GetGenesisAsync()).NetworkId;
        return new TransactionSigner(admin, network, await ledger.GetNextNonceAsync(admin.Id)).Sign(RegisterPayload.For(patient, Role.Patient, name));
    }

    /// <summary>Submits and awaits the commit, retrying while leadership moves.</summary>
    public static async Task<TxLocation> CommitAsync(ILedger ledger, Transaction tx)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await ledger.SubmitAsync(tx, cts.Token);
            if (result.Accepted || result.Reason == RejectReason.DuplicateTransaction)
            {
                try
                {
                    return await ledger.WaitForCommitAsync(tx.IdBytes, TimeSpan.FromSeconds(5), cts.Token);
                }
                catch (LedgerRejectedException e) when (e.Reason is RejectReason.LeadershipLost or RejectReason.Timeout)
                {
                    continue;
                }
            }

            if (result.Reason is RejectReason.NoLeader or RejectReason.LeadershipLost)
            {
                await Task.Delay(50, cts.Token);
                continue;
            }

            Assert.Fail($"{tx.Body.Type} transaction refused: {result.Reason}: {result.Message}");
        }
    }
}
