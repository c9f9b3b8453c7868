using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// What the CLI tests run commands against: a one-node accounting cluster on loopback in a folder of the test's temp
/// folder, with the genesis admin's key written as a key file under <see cref="AdminPassphrase"/>.
/// </summary>
internal sealed class CliLedger : IAsyncDisposable
{
    private CliLedger(LocalCluster cluster, AccountingNode node, string root, string adminKeyFile)
    {
        Cluster = cluster;
        Node = node;
        Root = root;
        AdminKeyFile = adminKeyFile;
    }

    /// <summary>The passphrase of <see cref="AdminKeyFile"/> (also in <c>$HEALTHBLOCK_ADMIN_PASSPHRASE</c> of <see cref="Cli"/>).</summary>
    public const string AdminPassphrase = "admin passphrase";

    /// <summary>The cluster (its node can be stopped and started again on its folder).</summary>
    public LocalCluster Cluster { get; }

    /// <summary>The node as last started.</summary>
    public AccountingNode Node { get; private set; }

    /// <summary>The cluster's data folder.</summary>
    public string Root { get; }

    /// <summary>The admin's key file.</summary>
    public string AdminKeyFile { get; }

    /// <summary>The node's API URL.</summary>
    public string Url => Node.HttpUrl.ToString();

    /// <summary>A runner whose admin passphrase opens <see cref="AdminKeyFile"/> and whose other keys use <paramref name="ownerPassphrase"/>.</summary>
    public static CliRunner Cli(string ownerPassphrase) => new CliRunner()
        .WithEnvironment(KeyFile.PassphraseVariable, ownerPassphrase)
        .WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", AdminPassphrase);

    /// <summary>Starts the node in <paramref name="temp"/>'s <c>ledger</c> folder and writes the admin key file there.</summary>
    public static async Task<CliLedger> StartAsync(TempFolder temp)
    {
        var root = temp.Sub("ledger");
        var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = root });
        var node = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var adminKey = temp.Sub("admin.key");
        KeyFile.Write(adminKey, cluster.Admin, "admin", AdminPassphrase, iterations: 10_000);
        return new CliLedger(cluster, node, root, adminKey);
    }

    /// <summary>Has the admin register <paramref name="key"/> as <paramref name="role"/> and waits for the commit.</summary>
    public async Task RegisterAsync(PublicIdentity key, Role role, string name)
    {
        var admin = new TransactionSigner(Cluster.Admin, Cluster.Genesis.NetworkId, await Node.GetNextNonceAsync(Cluster.Admin.Id));
        await Node.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(key, role, name)), TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the node and starts it again on its folder (see <see cref="LocalCluster.StartNodeAsync"/>).</summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await Cluster.StopNodeAsync(0);
        whileStopped?.Invoke();
        Node = await Cluster.StartNodeAsync(0);
        await Cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
