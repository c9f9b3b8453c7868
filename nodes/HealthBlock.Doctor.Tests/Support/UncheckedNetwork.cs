using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>A network for transactions and blocks that no ledger checks (decoder and reader tests).</summary>
internal static class UncheckedNetwork
{
    public static readonly NetworkId Id = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("doctor tests"u8));
}
