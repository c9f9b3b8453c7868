// Shared by the test projects (linked into each that signs transactions, not a library).
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.TestSupport;

/// <summary>The network a test ledger serves (its genesis hash), for signers a test makes itself.</summary>
internal static class TestNetwork
{
    /// <summary>The network of <paramref name="ledger"/> (read from its genesis).</summary>
    public static NetworkId Of(ILedgerReader ledger) => ledger.GetGenesisAsync().GetAwaiter().GetResult().NetworkId;

    /// <summary>
    /// The admin registers <paramref name="patient"/> (nobody registers itself), signed at the admin's next nonce on the
    /// ledger, and waits for the commit.
    /// </summary>
    public static async Task<TxLocation> RegisterPatientAsync(ILedger ledger, IdentityKey admin, PublicIdentity patient, string name = "patient")
    {
        var network = (await ledger.GetGenesisAsync()).NetworkId;
        var signer = new TransactionSigner(admin, network, await ledger.GetNextNonceAsync(admin.Id));
        return await ledger.SubmitAndWaitAsync(signer.Sign(RegisterPayload.For(patient, Role.Patient, name)), TimeSpan.FromSeconds(30));
    }
}
