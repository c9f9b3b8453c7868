// Shared by the test projects (linked into each that signs transactions, not a library).
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.TestSupport;

/// <summary>The network a test ledger serves (its genesis hash), for signers a test makes itself.</summary>
internal static class TestNetwork
{
    /// <summary>The network of <paramref name="ledger"/> (read from its genesis).</summary>
    public static NetworkId Of(ILedgerReader ledger) => ledger.GetGenesisAsync().GetAwaiter().GetResult().NetworkId;
}
