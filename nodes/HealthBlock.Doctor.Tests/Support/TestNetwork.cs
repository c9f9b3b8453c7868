using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>The network a test ledger serves (its genesis hash), for signers made outside a node.</summary>
internal static class TestNetwork
{
    public static NetworkId Of(ILedgerReader ledger) => ledger.GetGenesisAsync().GetAwaiter().GetResult().NetworkId;

    /// <summary>A network for transactions and blocks that no ledger checks (decoder and reader tests).</summary>
    public static readonly NetworkId Unchecked = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("doctor tests"u8));
}
