using HealthBlock.Crypto;
using HealthBlock.Hosting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>What an accounting node checks before it touches its data: its key is a node of the genesis, and no other process works on its data folder.</summary>
internal static class NodeStartChecks
{
    /// <summary>The lock and pid files' name in the data folder (<c>accounting.lock</c>, <c>accounting.pid</c>).</summary>
    public const string LockRole = "accounting";

    /// <summary>Reads the genesis file.</summary>
    /// <exception cref="StartupFailedException">It is not a genesis (the message names the file and what is wrong).</exception>
    public static Genesis LoadGenesis(string path)
    {
        try
        {
            return Genesis.Load(path);
        }
        catch (FormatException e)
        {
            throw new StartupFailedException($"--genesis {path}: {e.Message}", e);
        }
    }

    /// <summary>Opens the node key and takes the data folder's lock.</summary>
    /// <exception cref="StartupFailedException">The key is not an accounting node of <paramref name="genesis"/>.</exception>
    /// <exception cref="DataFolderInUseException">Another node runs on the data folder.</exception>
    public static (IdentityKey Key, DataFolderLock Lock) KeyAndLock(AccountingOptions options, Genesis genesis)
    {
        var ownsKey = options.NodeKey is null;
        var key = options.NodeKey ?? KeyFile.Read(options.NodeKeyFile!, options.NodeKeyPassphrase ?? Environment.GetEnvironmentVariable(KeyFile.PassphraseVariable) ?? "");
        try
        {
            if (!genesis.Identities.Any(i => i.Role == Role.AccountingNode && i.Keys.Id == key.Id))
            {
                throw new StartupFailedException($"{(options.NodeKeyFile is { } file ? $"--key {file}" : "the node key")}: node {key.Id} is not an accounting node of the genesis{(options.GenesisFile is { } g ? $" {g}" : "")} (network {genesis.NetworkId})");
            }

            return (key, DataFolderLock.Take(options.DataDirectory, LockRole));
        }
        catch
        {
            if (ownsKey)
            {
                key.Dispose();
            }

            throw;
        }
    }
}
