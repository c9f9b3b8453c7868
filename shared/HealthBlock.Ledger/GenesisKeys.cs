using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Generates a new network: one admin and some accounting nodes, with fresh keys.</summary>
public static class GenesisKeys
{
    /// <summary>A genesis with one admin (<c>admin-1</c>) and <paramref name="nodes"/> accounting nodes (<c>node-N</c>); the caller disposes the keys.</summary>
    public static (Genesis Genesis, IdentityKey Admin, IdentityKey[] Nodes) Generate(int nodes, ulong diagnosisFee = 10, string network = "devnet")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var admin = IdentityKey.Generate();
        var nodeKeys = Enumerable.Range(0, nodes).Select(_ => IdentityKey.Generate()).ToArray();
        var identities = new List<GenesisIdentity> { new(Role.Admin, "admin-1", admin.Public) };
        identities.AddRange(nodeKeys.Select((k, i) => new GenesisIdentity(Role.AccountingNode, $"node-{i + 1}", k.Public)));
        return (new Genesis(network, diagnosisFee, identities, []), admin, nodeKeys);
    }
}
