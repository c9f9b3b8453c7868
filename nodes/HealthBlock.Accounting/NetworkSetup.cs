using HealthBlock.Crypto;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting;

/// <summary>Creates a network's genesis and keys (<c>healthblock accounting init</c>, devnet, tests).</summary>
public static class NetworkSetup
{
    /// <summary>Cluster sizes Raft makes sense with: 1 (no fault tolerance), 3 (one failure) or 5 (two).</summary>
    public static readonly IReadOnlyList<int> ClusterSizes = [1, 3, 5];

    /// <summary>
    /// Writes <c>genesis.json</c>, <c>nodes/node-N.key</c> (encrypted under <paramref name="nodePassphrase"/>) and,
    /// apart from them, <c>admin/admin-1.key</c> (under <paramref name="adminPassphrase"/>) into
    /// <paramref name="directory"/>: the admin key registers identities and issues Healthcoin and never goes onto a node.
    /// Existing files are not overwritten (it fails instead).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="nodes"/> is not 1, 3 or 5, or the network name is not 1–32 of a-z, 0-9 and '-'.</exception>
    /// <exception cref="IOException">A file exists already.</exception>
    public static NetworkFiles Create(string directory, int nodes, string nodePassphrase, string adminPassphrase, string network = "devnet", ulong diagnosisFee = 10, int keyIterations = KeyFile.DefaultIterations)
    {
        if (!ClusterSizes.Contains(nodes))
        {
            throw new ArgumentException($"--nodes {nodes}: a cluster has 1, 3 or 5 accounting nodes");
        }

        if (network.Length is 0 or > 32 || !network.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException($"--network '{network}': use 1 to 32 of a-z, 0-9 and '-'");
        }

        var genesisFile = Path.Combine(directory, "genesis.json");
        if (File.Exists(genesisFile))
        {
            throw new IOException($"{genesisFile} exists; not overwriting it.");
        }

        var (genesis, admin, nodeKeys) = GenesisKeys.Generate(nodes, diagnosisFee, network);
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "admin"));
            Directory.CreateDirectory(Path.Combine(directory, "nodes"));
            var adminFile = Path.Combine(directory, "admin", "admin-1.key");
            KeyFile.Write(adminFile, admin, "admin", adminPassphrase, keyIterations);
            var files = new List<string>();
            for (var i = 0; i < nodeKeys.Length; i++)
            {
                var f = Path.Combine(directory, "nodes", $"node-{i + 1}.key");
                KeyFile.Write(f, nodeKeys[i], "node", nodePassphrase, keyIterations);
                files.Add(f);
            }

            genesis.Save(genesisFile);
            return new NetworkFiles(genesisFile, adminFile, files);
        }
        finally
        {
            admin.Dispose();
            foreach (var k in nodeKeys)
            {
                k.Dispose();
            }
        }
    }
}
