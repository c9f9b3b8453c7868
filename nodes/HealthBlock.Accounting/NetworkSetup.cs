using HealthBlock.Crypto;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting;

/// <summary>Creates a network's genesis and keys (<c>healthblock accounting init</c>, devnet, tests).</summary>
public static class NetworkSetup
{
    /// <summary>A genesis with one admin and <paramref name="nodes"/> accounting nodes; returns their keys (caller disposes).</summary>
    public static (Genesis Genesis, IdentityKey Admin, IdentityKey[] Nodes) CreateGenesis(int nodes, ulong diagnosisFee = 10, string network = "devnet") =>
        GenesisKeys.Generate(nodes, diagnosisFee, network);

    /// <summary>
    /// Writes <c>genesis.json</c>, <c>admin-1.key</c> and <c>node-N.key</c> into <paramref name="directory"/>, the keys
    /// encrypted under <paramref name="passphrase"/>. Existing files are not overwritten (it fails instead).
    /// </summary>
    public static NetworkFiles Create(string directory, int nodes, string passphrase, ulong diagnosisFee = 10, int keyIterations = KeyFile.DefaultIterations)
    {
        Directory.CreateDirectory(directory);
        var (genesis, admin, nodeKeys) = CreateGenesis(nodes, diagnosisFee);
        try
        {
            var genesisFile = Path.Combine(directory, "genesis.json");
            if (File.Exists(genesisFile))
            {
                throw new IOException($"{genesisFile} exists; not overwriting it.");
            }

            var adminFile = Path.Combine(directory, "admin-1.key");
            KeyFile.Write(adminFile, admin, "admin", passphrase, keyIterations);
            var files = new List<string>();
            for (var i = 0; i < nodeKeys.Length; i++)
            {
                var f = Path.Combine(directory, $"node-{i + 1}.key");
                KeyFile.Write(f, nodeKeys[i], "node", passphrase, keyIterations);
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
